"""``Projection``: a fitted model of cumulative units with joint sample paths."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from marketdata import schema as s

from . import fitting
from .data import Series
from .uncertainty import Library

N_DRAWS = 2000


@dataclass(frozen=True)
class Engine:
    """How sample paths are made (internal): param draws × known-path draws × error paths."""

    spec: fitting.Spec
    series: Series
    params: np.ndarray  # (M, P) natural scale; rates (M, 1) for runrate; beta for seasonal;
    # [rate, beta] for combined
    known: np.ndarray  # (M, n_known) cumulative units at series.known_t
    library: Library

    def increments(self, m: np.ndarray, tau: np.ndarray) -> np.ndarray:
        name = self.spec.model.name
        par = self.params[m]
        if name == "runrate":
            return par[:, :1] * tau[None, :]
        tau2 = np.broadcast_to(tau[None, :], (m.size, tau.size))
        if name in ("seasonal", "combined"):
            n_run = self.series.flows.size
            beta = par if name == "seasonal" else par[:, 1:]
            inc = fitting.seasonal_increments(
                self.series, beta, np.zeros(m.size), tau2, np.full(m.size, n_run - 1)
            )
            return inc if name == "seasonal" else 0.5 * (inc + par[:, :1] * tau[None, :])
        p = self._p(par)
        return self.spec.model.increment(np.zeros_like(tau2), tau2, p)

    def _p(self, par):
        p = {n: par[:, j : j + 1] for j, n in enumerate(self.spec.names)}
        if self.spec.launch is not None:
            p[fitting.LAUNCH] = np.full((par.shape[0], 1), self.spec.launch)
        return p

    def sample(self, t: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        """Cumulative units (n, D) at instants ``t`` (years, any order)."""
        order = np.argsort(t, kind="stable")
        ts = t[order]
        M = self.params.shape[0]
        m = rng.integers(M, size=n) if M > 1 else np.zeros(n, dtype=int)
        known = self.known[m]
        kt = self.series.known_t
        out = np.empty((n, ts.size))
        past = ts <= kt[-1]
        if past.any():
            tp = ts[past]
            i = np.clip(np.searchsorted(kt, tp, side="right") - 1, 0, kt.size - 2)
            frac = np.clip((tp - kt[i]) / (kt[i + 1] - kt[i]), 0.0, 1.0)
            val = known[:, i] + frac * (known[:, i + 1] - known[:, i])
            early = tp < kt[0]
            if early.any():
                val[:, early] = self._before(m, known, tp[early])
            out[:, past] = val
        fut = ~past
        if fut.any():
            tau = ts[fut] - kt[-1]
            inc = self.increments(m, tau)
            err = self.library.draw(rng, n, tau)
            out[:, fut] = known[:, -1:] + np.maximum(inc, 0.0) * np.exp(err)
        out = np.nan_to_num(out, nan=0.0, posinf=np.finfo(float).max)
        out = np.maximum.accumulate(np.maximum(out, 0.0), axis=1)
        result = np.empty_like(out)
        result[:, order] = out
        return result

    def _before(self, m, known, tp):
        """Cumulative units before the first known point."""
        first = known[:, :1]
        if self.series.since is not None:
            return np.zeros((m.size, tp.size))
        name = self.spec.model.name
        if name == "runrate":
            rate = self.params[m][:, :1]
            return np.clip(first - rate * (self.series.known_t[0] - tp[None, :]), 0.0, first)
        if name in ("seasonal", "combined"):
            return np.zeros((m.size, tp.size))
        lvl = self.spec.model.level(
            np.broadcast_to(tp[None, :], (m.size, tp.size)), self._p(self.params[m])
        )
        return np.clip(lvl, 0.0, first)


def _dates(dates) -> pd.DatetimeIndex:
    if dates is None:
        raise ValueError("give dates")
    d = pd.to_datetime(pd.Index(np.atleast_1d(np.asarray(dates, dtype=object))))
    if d.isna().any():
        raise ValueError("dates must not be missing (NaT)")
    return pd.DatetimeIndex(d).normalize()


@dataclass(frozen=True)
class Projection:
    """A fitted projection of one brand's cumulative units in one market.

    Made by :func:`analysis.fit`; do not build it by hand. Dates are end-of-day: a value at
    2012-12-31 is the cumulative total by the end of that day, so the units of calendar
    2012 are ``value(2012-12-31) - value(2011-12-31)``.

    Attributes
    ----------
    brand, market : str
        Whose units, where (brand None for a whole market).
    model : str
        The fitted model ("runrate", "exponential", ...).
    params : dict
        Point estimates (units per year for rates, years from the last figure for ``t0`` and
        ``launch``).
    data : DataFrame
        The figures used, with ``lower``/``upper`` bounds of censored ones.
    warnings : tuple of str
    uncertainty : str
        How the intervals were made.
    source : str
        Sources of the figures used.
    reason : str
        Why this model (for ``model="auto"``) or "chosen by the analyst".

    Examples
    --------
    >>> from analysis.projection._examples import founding
    >>> p = founding()  # fit(datasets.load("xiaomi_2011_2012"), "runrate", brand="Xiaomi")
    >>> p.brand, p.market, p.model
    ('Xiaomi', 'CN', 'runrate')
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
    _engine: Engine = field(repr=False, compare=False)

    # ------------------------------------------------------------------ dates
    @property
    def last_actual(self) -> pd.Timestamp:
        """The end date of the last actual figure."""
        return self._engine.series.date(self._engine.series.known_t[-1])

    @property
    def since(self) -> pd.Timestamp | None:
        """Cumulative units are counted from this date (None: since launch)."""
        return self._engine.series.since

    def default_dates(self) -> pd.DatetimeIndex:
        """The last actual date and the next four quarter ends."""
        last = self.last_actual
        q = pd.date_range(last + pd.Timedelta(days=1), periods=4, freq="QE")
        return pd.DatetimeIndex([last, *q]).normalize()

    # ------------------------------------------------------------------ draws
    def sample(self, dates, n: int = 1000, seed: int | None = None) -> np.ndarray:
        """Joint draws of cumulative units: an array (n, len(dates)).

        Each row is one path: non-decreasing along increasing dates, never NaN or negative.

        Parameters
        ----------
        dates : sequence of date-like
        n : int, default 1000
        seed : int, optional
            Defaults to the projection's seed (the same call gives the same draws).

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> p = founding()
        >>> x = p.sample(["2011-12-31", "2012-12-31"], n=500, seed=1)
        >>> x.shape, bool((x[:, 1] >= x[:, 0]).all())
        ((500, 2), True)
        """
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        d = _dates(dates)
        rng = np.random.default_rng(self.seed if seed is None else seed)
        return self._engine.sample(self._engine.series.years(d), int(n), rng)

    def predict(self, dates) -> pd.Series:
        """Median cumulative units at ``dates`` (a Series indexed by the dates).

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> float(founding().predict(["2012-06-12"]).iloc[0]) >= 3e6
        True
        """
        d = _dates(dates)
        x = self.sample(d, n=N_DRAWS)
        return pd.Series(np.median(x, axis=0), index=pd.Index(d, name="date"), name=s.UNITS)

    def interval(self, level: float = 0.8, dates=None) -> pd.DataFrame:
        """Prediction interval of cumulative units: DataFrame[date, lower, median, upper].

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> iv = founding().interval(0.8, ["2012-12-31"])
        >>> bool(iv["lower"].iloc[0] <= iv["median"].iloc[0] <= iv["upper"].iloc[0])
        True
        """
        if not 0 < level < 1:
            raise ValueError(f"level must be between 0 and 1, e.g. 0.8, got {level!r}")
        d = self.default_dates() if dates is None else _dates(dates)
        x = self.sample(d, n=N_DRAWS)
        lo, med, hi = np.quantile(x, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)
        return pd.DataFrame({"date": d, "lower": lo, "median": med, "upper": hi})

    def frame(self, dates=None, *, level: float = 0.8) -> pd.DataFrame:
        """Tidy actuals and projection: [brand, market, date, status, units, lower, upper, level].

        Actual rows carry the cumulative units known at each figure (lower/upper differ
        for censored figures); projection rows the median and the interval.

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> fr = founding().frame(["2012-12-31"])
        >>> list(fr["status"])
        ['actual', 'actual', 'forecast']
        >>> float(fr["lower"].iloc[1])  # "over 3 million": the lower bound
        3000000.0
        """
        ser = self._engine.series
        actual = pd.DataFrame(
            {
                "date": [ser.date(t) for t in ser.known_t],
                "status": s.ACTUAL,
                s.UNITS: np.sqrt(ser.known_lo * np.maximum(ser.known_hi, 1e-300)),
                "lower": ser.known_lo,
                "upper": ser.known_hi,
                "level": np.nan,
            }
        )
        iv = self.interval(level, dates)
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
        out.insert(0, s.MARKET, self.market)
        out.insert(0, s.BRAND, pd.array([self.brand] * len(out), dtype="string"))
        return out

    # ------------------------------------------------------------------ display
    def summary(self) -> str:
        """Parameters with intervals, fit quality, data used, uncertainty and warnings.

        Examples
        --------
        >>> from analysis.projection._examples import founding
        >>> print(founding().summary().splitlines()[0])
        Projection of Xiaomi in CN: runrate model
        """
        ser = self._engine.series
        lines = [
            f"Projection of {self.brand or 'the market'} in {self.market}: {self.model} model",
            f"  why: {self.reason}",
            "  parameters (point, 90% interval):",
        ]
        for row in self.param_intervals.itertuples(index=False):
            band = "" if np.isnan(row.lower) else f"  [{row.lower:.4g}, {row.upper:.4g}]"
            fixed = "  (fixed)" if row.fixed else ""
            lines.append(f"    {row.parameter} = {row.value:.4g}{band}{fixed}")
        q = self.quality
        lines.append(
            f"  fit: {q['n']} figures, {q['free']} free parameters"
            + (f", RMSE of log values {q['rmse_log']:.3g}" if np.isfinite(q["rmse_log"]) else "")
            + (f", AICc {q['aicc']:.2f}" if np.isfinite(q.get("aicc", np.nan)) else "")
        )
        first, last = ser.frame[s.END].min().date(), ser.frame[s.END].max().date()
        since = "since launch" if ser.since is None else f"since {ser.since.date()}"
        lines.append(
            f"  data: {len(ser.frame)} figures ending {first}..{last}; cumulative units {since}"
        )
        lines.append(f"  uncertainty: {self.uncertainty}")
        lines.append(f"  source: {self.source}")
        for w in self.warnings:
            lines.append(f"  warning: {w}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        med = self.predict([self.default_dates()[-1]]).iloc[0]
        return (
            f"<Projection {self.brand or 'market'} {self.market} model={self.model} "
            f"last={self.last_actual.date()} median@{self.default_dates()[-1].date()}={med:,.0f}"
            + (f" warnings={len(self.warnings)}" if self.warnings else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        iv = self.interval()
        rows = "".join(
            f"<tr><td>{r.date.date()}</td><td>{r.lower:,.0f}</td><td>{r.median:,.0f}</td><td>{r.upper:,.0f}</td></tr>"
            for r in iv.itertuples(index=False)
        )
        warn = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings)
        return (
            f"<div><b>Projection</b> {html.escape(str(self.brand or 'market'))} in {html.escape(self.market)}: "
            f"{html.escape(self.model)}<br><i>{html.escape(self.uncertainty)}</i>"
            f"<table><tr><th>date</th><th>lower 80%</th><th>median</th><th>upper 80%</th></tr>{rows}</table>"
            + (f"<ul>{warn}</ul>" if warn else "")
            + "</div>"
        )

    def plot(self, ax=None, *, dates=None, level: float = 0.8, **kwargs):
        """Actual cumulative units, the median projection and its interval. Returns the Axes.

        ``matplotlib`` is imported here; the figure is not shown.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from analysis.projection._examples import founding
        >>> ax = founding().plot()
        >>> ax.get_ylabel()
        'cumulative units'
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        d = dates
        if d is None:
            end = self.default_dates()[-1]
            d = pd.date_range(self.last_actual, end, periods=30)
        fr = self.frame(d, level=level)
        act = fr[fr["status"] == s.ACTUAL]
        pro = fr[fr["status"] == s.FORECAST]
        line = ax.plot(pro["date"], pro[s.UNITS], **({"label": f"{self.model} median"} | kwargs))[0]
        ax.fill_between(
            pro["date"],
            pro["lower"],
            pro["upper"],
            alpha=0.25,
            color=line.get_color(),
            label=f"{level:.0%} interval",
        )
        ax.errorbar(
            act["date"],
            act[s.UNITS],
            yerr=[act[s.UNITS] - act["lower"], act["upper"] - act[s.UNITS]],
            fmt="o",
            color="black",
            label="actual",
        )
        ax.set_ylabel("cumulative units")
        ax.set_title(f"{self.brand or 'market'} {self.market}")
        ax.legend()
        return ax
