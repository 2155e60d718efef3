"""``Projection``: a fitted model of cumulative units with joint sample paths.

Every number a projection gives (``predict``, ``interval``, ``frame``, ``summary``) comes
from the same joint draws of cumulative paths (``sample``): per-period units are the
differences of each path between the start and the end of each period, so the median per
period and its interval describe one set of paths, never a cumulative line set against
quarterly actuals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis._format import count_label, range_label, units_label
from analysis._summary import Summary
from analysis._validation import (
    check_dates,
    check_draws,
    check_option,
    check_probability,
    seed_int,
)
from marketdata import schema as s

from .data import DAY_NS, NAT
from .paths import PathEngine

__all__ = ["BASES", "Projection"]

N_DRAWS = 2000  # draws behind predict, interval and frame
UNIT_PARAMS = ("rate", "m", "units")  # parameters in units (a year, or in all): shown as 6.93M
BASES = (s.CUMULATIVE, s.PERIOD)


def _day_ns(dates) -> np.ndarray:
    """The days of :func:`~analysis._validation.check_dates` as int64 nanoseconds (a
    timezone-naive DatetimeIndex without pandas work: the hot path of ``fit_many``'s
    callers)."""
    if isinstance(dates, pd.DatetimeIndex) and dates.tz is None:
        ns = dates.as_unit("ns").asi8
        if not (ns == NAT).any():
            return ns - ns % DAY_NS
    return check_dates(dates).as_unit("ns").asi8  # (the checks and their messages)


def _start_ns(ns: np.ndarray, period: str) -> np.ndarray:
    """:meth:`Projection.period_starts` of days given as int64 nanoseconds."""
    months = ns.view("M8[ns]").astype("M8[M]").view("i8")  # months since 1970-01
    months = months - months % {"M": 1, "Q": 3, "H": 6, "Y": 12}[period]
    return months.view("M8[M]").astype("M8[ns]").view("i8") - DAY_NS


def _quantiles(x: np.ndarray, level: float) -> np.ndarray:
    return np.quantile(x, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)


@dataclass(frozen=True)
class Projection:
    """A fitted projection of one brand's units in one market, as joint sample paths.

    Made by :func:`analysis.fit`; do not build it by hand. Dates are end-of-day: a value at
    2012-12-31 is the cumulative total by the end of that day, so the units of calendar
    2012 are ``value(2012-12-31) - value(2011-12-31)``. Dates name days
    (:func:`analysis._validation.check_dates`): ``"2013-12-31"``, a Timestamp or date, a
    ``pd.Period`` (its last day). Numbers (``predict(2013)``: 1970 nanoseconds to pandas)
    raise TypeError, strings without a day (``"2013"``: 1 January to pandas) ValueError.

    ``predict``, ``interval``, ``sample`` and ``frame`` take ``basis="cumulative"`` (units
    since launch, or since ``since``) or ``basis="period"``: the units of the calendar period
    that ends at (or contains) each date, from its start up to the date. The period is the
    figures' own (a quarter for quarterly flows, a month for monthly ones) and a calendar
    year for milestones and annual figures (:attr:`period`). Per-period draws are the
    differences of the same cumulative paths, so the per-period median is the median of
    those differences (not a difference of medians).

    Attributes
    ----------
    brand, market : str
        Whose units, where (brand None for a whole market).
    model : str
        The fitted model ("runrate", "ets", ...).
    params : dict
        Point estimates (units per year for rates, years from the last figure for ``t0`` and
        ``launch``; the statsforecast models report their fitted components).
    data : DataFrame
        The figures used, with ``lower``/``upper`` bounds of censored ones.
    warnings : tuple of str
    uncertainty : str
        How the intervals were made.
    source : str
        Sources of the figures used.
    reason : str
        Why this model (for ``model="auto"``) or "chosen by the analyst".
    seed : int
        Seeds the draws behind ``predict``, ``interval`` and ``frame``.

    Examples
    --------
    >>> from analysis.projection._examples import founding
    >>> p = founding()  # fit(datasets.load("xiaomi_2011_2012"), "runrate", brand="Xiaomi")
    >>> p.brand, p.market, p.model, p.basis, p.period
    ('Xiaomi', 'CN', 'runrate', 'cumulative', 'Y')
    """

    brand: str | None
    market: str
    model: str
    params: dict
    data: pd.DataFrame = field(repr=False)
    warnings: tuple[str, ...]
    uncertainty: str
    source: str
    reason: str
    seed: int
    quality: dict = field(repr=False)
    param_intervals: pd.DataFrame = field(repr=False)
    _engine: PathEngine = field(repr=False, compare=False)

    # ------------------------------------------------------------------ dates
    @property
    def last_actual(self) -> pd.Timestamp:
        """The end date of the last actual figure."""
        return pd.Timestamp(self.data[s.END].max()).normalize()

    @property
    def since(self) -> pd.Timestamp | None:
        """Cumulative units are counted from this date (None: since launch)."""
        return self._engine.series.since

    @property
    def basis(self) -> str:
        """The data's own basis: "period" for regular per-period flows (quarterly, monthly,
        annual figures without milestones), else "cumulative". Charts draw on this basis."""
        ser = self._engine.series
        return s.PERIOD if ser.freq is not None and not ser.has_levels else s.CUMULATIVE

    @property
    def period(self) -> str:
        """The period of ``basis="period"``: the figures' frequency ("Q", "M"), else "Y"."""
        return self._engine.series.freq or "Y"

    def default_dates(self) -> pd.DatetimeIndex:
        """The last actual date and the next four period ends (quarter ends for milestones,
        half-year ends for half-years)."""
        last = self.last_actual
        ser_freq = self._engine.series.freq or ""
        freq = {"M": "ME", "Y": "YE"}.get(ser_freq, "QE")
        q = pd.date_range(last + pd.Timedelta(days=1), periods=8, freq=freq)
        if ser_freq == "H":  # half-year ends: the June and December quarter ends
            q = q[q.month.isin([6, 12])]
        return pd.DatetimeIndex([last, *q[:4]]).normalize()

    def period_starts(self, dates) -> pd.DatetimeIndex:
        """The day before each date's period begins (its per-period units start there).

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> founding().period_starts(["2012-12-31", "2012-06-12"]).strftime("%Y-%m-%d").tolist()
        ['2011-12-31', '2011-12-31']
        """
        d = check_dates(dates)
        if self.period == "H":  # a calendar half (pandas reads "H" as an hour)
            q = d.to_period("Q")
            starts = (q - (q.quarter - 1) % 2).start_time  # Q1 or Q3 of the same half
        else:
            starts = d.to_period(self.period).start_time
        return starts.normalize() - pd.Timedelta(days=1)

    # ------------------------------------------------------------------ draws
    def sample(
        self,
        dates,
        *,
        draws: int = 1000,
        seed: Any = None,
        basis: str = s.CUMULATIVE,
    ) -> np.ndarray:
        """Joint draws of units: an array (draws, len(dates)).

        On the cumulative basis each row is one path, non-decreasing along increasing dates,
        never NaN or negative. On the period basis each entry is that path's units over the
        period ending at (or containing) the date (``period_starts`` to the date).

        Parameters
        ----------
        dates : date-like or sequence of date-like
            Days (see the class docstring: numbers and day-less strings are refused).
        draws : int, default 1000
        seed : int or numpy.random.Generator, optional
            Defaults to the projection's seed (the same call gives the same draws).
        basis : {"cumulative", "period"}, default "cumulative"

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> p = founding()
        >>> x = p.sample(["2011-12-31", "2012-12-31"], draws=500, seed=1)
        >>> x.shape, bool((x[:, 1] >= x[:, 0]).all())
        ((500, 2), True)
        >>> y = p.sample(["2012-12-31"], draws=500, seed=1, basis="period")  # units of 2012
        >>> bool((y[:, 0] == x[:, 1] - x[:, 0]).all())
        True
        """
        draws = check_draws(draws)
        check_option(basis, "basis", BASES)
        return self._sample(_day_ns(dates), draws, seed, basis)

    def _sample(self, ns: np.ndarray, draws: int, seed, basis: str) -> np.ndarray:
        """:meth:`sample` of checked arguments, the days as int64 nanoseconds."""
        rng = np.random.default_rng(seed_int(self.seed if seed is None else seed))
        years = self._engine.series.years_ns
        if basis == s.CUMULATIVE:
            return self._engine.sample(years(ns), draws, rng)
        both = self._engine.sample(years(np.r_[ns, _start_ns(ns, self.period)]), draws, rng)
        return both[:, : ns.size] - both[:, ns.size :]

    def predict(self, dates, *, basis: str = s.CUMULATIVE) -> pd.Series:
        """Median units at ``dates`` (a Series indexed by the dates): the point forecast.

        The median of ``N_DRAWS`` (2000) joint draws seeded by the projection's seed, on the
        cumulative or the period basis (see :meth:`sample`).

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> float(founding().predict(["2012-06-12"]).iloc[0]) >= 3e6
        True
        """
        d = check_dates(dates)
        x = self.sample(d, draws=N_DRAWS, basis=basis)
        return pd.Series(np.median(x, axis=0), index=pd.Index(d, name="date"), name=s.UNITS)

    def interval(
        self, level: float = 0.8, *, dates=None, basis: str = s.CUMULATIVE
    ) -> pd.DataFrame:
        """Prediction interval: DataFrame[date, lower, median, upper] on ``basis``.

        Quantiles ``(1 - level) / 2`` and ``(1 + level) / 2`` of the same draws whose median
        :meth:`predict` gives. ``dates`` default to :meth:`default_dates`.

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> iv = founding().interval(0.8, dates=["2012-12-31"])
        >>> bool(iv["lower"].iloc[0] <= iv["median"].iloc[0] <= iv["upper"].iloc[0])
        True
        """
        level = check_probability(level, "level", open_interval=True)
        check_option(basis, "basis", BASES)
        ns = _day_ns(self.default_dates() if dates is None else dates)
        lo, med, hi = _quantiles(self._sample(ns, N_DRAWS, None, basis), level)
        return pd.DataFrame({"date": ns.view("M8[ns]"), "lower": lo, "median": med, "upper": hi})

    def _actuals(self, basis: str) -> pd.DataFrame:
        ser = self._engine.series
        if basis == s.CUMULATIVE:
            return pd.DataFrame(
                {
                    "date": [ser.date(t) for t in ser.known_t],
                    s.UNITS: np.sqrt(ser.known_lo * np.maximum(ser.known_hi, 1e-300)),
                    "lower": ser.known_lo,
                    "upper": ser.known_hi,
                }
            )
        rows = ser.frame[ser.frame[s.BASIS] == s.PERIOD].sort_values(s.END)
        lo = rows["lower"] if "lower" in rows else rows[s.UNITS]
        hi = rows["upper"] if "upper" in rows else rows[s.UNITS]
        return pd.DataFrame(
            {
                "date": pd.DatetimeIndex(rows[s.END]).normalize(),
                s.UNITS: rows[s.UNITS].to_numpy(dtype=float),
                "lower": np.asarray(lo, dtype=float),
                "upper": np.asarray(hi, dtype=float),
            }
        )

    def frame(self, dates=None, *, level: float = 0.8, basis: str | None = None) -> pd.DataFrame:
        """Tidy actuals and projection: [brand, market, date, status, basis, units, lower,
        upper, level].

        ``basis`` defaults to the data's own (:attr:`basis`). On the cumulative basis the
        actual rows carry the cumulative units known at each figure (lower/upper differ for
        censored figures); on the period basis the per-period figures themselves. Forecast
        rows carry the median and the interval of the same draws.

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> fr = founding().frame(["2012-12-31"])
        >>> list(fr["status"])
        ['actual', 'actual', 'forecast']
        >>> float(fr["lower"].iloc[1])  # "over 3 million": the lower bound
        3000000.0
        """
        basis = self.basis if basis is None else check_option(basis, "basis", BASES)
        actual = self._actuals(basis).assign(status=s.ACTUAL, level=np.nan)
        iv = self.interval(level, dates=dates, basis=basis)
        proj = pd.DataFrame(
            {
                "date": iv["date"],
                "status": s.FORECAST,
                s.UNITS: iv["median"],
                "lower": iv["lower"],
                "upper": iv["upper"],
                "level": level,
            }
        )
        out = pd.concat([actual, proj], ignore_index=True)
        out = out[["date", "status", s.UNITS, "lower", "upper", "level"]]
        out.insert(2, s.BASIS, basis)
        out.insert(0, s.MARKET, self.market)
        out.insert(0, s.BRAND, pd.array([self.brand] * len(out), dtype="string"))
        return out

    # ------------------------------------------------------------------ display
    def summary(self) -> Summary:
        """Model, why, parameters, the forecast on the data's basis, fit, data, warnings.

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> print(str(founding().summary()).splitlines()[0])
        Projection of Xiaomi in CN: runrate model
        """
        ser = self._engine.series
        q = self.quality
        first, last = ser.frame[s.END].min().date(), ser.frame[s.END].max().date()
        since = "since launch" if ser.since is None else f"since {ser.since.date()}"
        fit_text = f"{q['n']} figures" + (
            f", {count_label(int(q['free']), 'free parameter')}"
            if np.isfinite(q.get("free", np.nan))
            else ""
        )
        if np.isfinite(q.get("rmse_log", np.nan)):
            fit_text += f", RMSE of log values {q['rmse_log']:.3g}"
        if np.isfinite(q.get("aicc", np.nan)):
            fit_text += f", AICc {q['aicc']:.2f}"
        params = self.param_intervals.rename(columns={"value": "point"})
        units = [n in UNIT_PARAMS or n.startswith("forecast of") for n in params["parameter"]]
        params = params.assign(
            interval_90=[
                "" if np.isnan(lo) else range_label(lo, hi) if u else f"{lo:.4g} to {hi:.4g}"
                for lo, hi, u in zip(params["lower"], params["upper"], units, strict=True)
            ],
            point=[
                units_label(v) if u else f"{v:.4g}"
                for v, u in zip(params["point"], units, strict=True)
            ],
            fixed=np.where(params["fixed"], "fixed", ""),
        )[["parameter", "point", "interval_90", "fixed"]]
        fc = self.interval(0.8, basis=self.basis).iloc[1:]
        forecast = pd.DataFrame(
            {
                "date": fc["date"].dt.strftime("%Y-%m-%d"),
                "units_median": fc["median"],
                "interval_80": [
                    range_label(lo, hi) for lo, hi in zip(fc["lower"], fc["upper"], strict=True)
                ],
            }
        )
        what = "per-period" if self.basis == s.PERIOD else "cumulative"
        notes = [
            f"The point forecast (predict, the median line) is the median of {N_DRAWS} joint "
            "draws of the sample paths; intervals are quantiles of the same draws, and "
            "per-period values are differences of each path, so the per-period median is the "
            "median of those differences.",
            f"uncertainty: {self.uncertainty}",
            f"source: {self.source}" if self.source else "",
            *(f"warning: {w}" for w in self.warnings),
        ]
        return Summary(
            f"Projection of {self.brand or 'the market'} in {self.market}: {self.model} model",
            facts=[
                ("why", self.reason),
                ("fit", fit_text),
                ("data", f"{len(ser.frame)} figures ending {first}..{last}; cumulative {since}"),
                ("basis", f"{self.basis} (the forecast table is {what} units)"),
                ("last actual", str(self.last_actual.date())),
            ],
            tables=[("Parameters (point, 90% interval)", params), ("Forecast (80%)", forecast)],
            notes=notes,
        )

    def __repr__(self) -> str:
        end = self.default_dates()[-1]
        med = self.predict([end], basis=self.basis).iloc[0]
        what = "period" if self.basis == s.PERIOD else "cumulative"
        return (
            f"<Projection {self.brand or 'market'} {self.market} model={self.model} "
            f"last={self.last_actual.date()} {what} median@{end.date()}={units_label(med)}"
            + (f" warnings={len(self.warnings)}" if self.warnings else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def plot(self, ax=None, *, basis: str | None = None, **kwargs):
        """The house shipments chart of this projection (:func:`analysis.plots.plot_shipments`).

        The figures and the projection's fans are drawn on ``basis`` (default: the data's;
        ``"cumulative"`` over per-period figures adds them up); keyword arguments go to
        ``plot_shipments``. ``matplotlib`` is imported here; the figure is
        not shown. Returns the Axes.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from analysis.projection._examples import founding
        >>> ax = founding().plot()
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        # imported on first chart: `import analysis` does not load analysis.plots (~50 ms)
        from analysis.plots import plot_shipments

        return plot_shipments(self, ax=ax, basis=basis, **kwargs)
