"""``target_attainment``: will a brand reach a target by a date, and what pace does it need?"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis._format import percent_label, probability_label, range_label, units_label
from analysis._summary import Summary
from analysis._validation import check_date, check_draws, check_probability, make_rng
from marketdata import schema as s

from .data import YEAR_DAYS
from .result import Projection

__all__ = ["TargetAttainment", "target_attainment"]

N_DRAWS = 4000
LEVEL = 0.8
HORIZON_YEARS = 5  # the expected date is searched up to this far past the target date

SINCE_LAUNCH = "since launch"
PERIOD_ALONE = "period alone"


@dataclass(frozen=True)
class TargetAttainment:
    """Probability of reaching a target, per reading of the target's basis.

    Attributes
    ----------
    brand, market : str
    target : float
        Units.
    by : Timestamp
        The deadline (end of day).
    readings : DataFrame
        One row per reading; see :meth:`frame`.
    note : str
        What the readings mean when the target's basis is unclear.

    Examples
    --------
    Made by :func:`analysis.target_attainment`:

    >>> from analysis import target_attainment
    >>> from analysis.projection._examples import founding
    >>> res = target_attainment(founding(), 5e6, "2012-12-31", basis="cumulative")
    >>> res.frame()["reading"].tolist(), res.target
    (['since launch'], 5000000.0)
    >>> print(res.summary().facts_dict()["target"])
    5M by 2012-12-31
    """

    brand: str | None
    market: str
    target: float
    by: pd.Timestamp
    readings: pd.DataFrame = field(repr=False)
    note: str = ""
    projection: Projection | None = field(default=None, repr=False, compare=False)

    def frame(self) -> pd.DataFrame:
        """[reading, basis, window_start, by, target, probability, median, lower, upper, level,
        achieved, already_achieved, required_rate, current_rate, rate_ratio, expected_date]
        (a copy)."""
        return self.readings.copy()

    @property
    def probability(self) -> float:
        """Probability under the first (or only) reading."""
        return float(self.readings["probability"].iloc[0])

    def summary(self) -> Summary:
        """The probability of each reading, the projected units then and the pace needed.

        Examples
        --------
        >>> from analysis import target_attainment
        >>> from analysis.projection._examples import founding
        >>> res = target_attainment(founding(), 3e6, "2012-12-31", basis="cumulative")
        >>> res.summary().notes[0]  # "over 3 million" by 2012-06-12: the median of its draws
        'since launch: already achieved (3.23M by 2012-06-12)'
        """
        who = f"{self.brand or 'the market'} in {self.market}"
        facts = [("target", f"{units_label(self.target)} by {self.by.date()}")]
        notes = [self.note] if self.note else []
        last = self.projection.last_actual.date() if self.projection is not None else None
        last = min(last, self.by.date()) if last is not None else None  # achieved by then
        for r in self.readings.itertuples(index=False):
            tag = f"{r.reading}: " if len(self.readings) > 1 else ""
            facts.append((f"{tag}P(reach)", probability_label(r.probability)))
            facts.append(
                (
                    f"{tag}projected",
                    f"{units_label(r.median)} ({percent_label(r.level)} interval "
                    f"{range_label(r.lower, r.upper)})",
                )
            )
            if r.already_achieved:
                notes.append(f"{r.reading}: already achieved ({units_label(r.achieved)} by {last})")
                continue
            when = (
                "not within the search horizon"
                if pd.isna(r.expected_date)
                else str(r.expected_date.date())
            )
            facts.append(
                (
                    f"{tag}pace needed",
                    f"{units_label(r.required_rate)} a year from {units_label(r.achieved)} "
                    f"achieved, {r.rate_ratio:.2f}x the current {units_label(r.current_rate)}",
                )
            )
            facts.append((f"{tag}expected date", when))
        if self.projection is not None:
            facts.append(("model", self.projection.model))
            notes.append(f"Uncertainty: {self.projection.uncertainty}")
            notes.extend(f"Warning: {w}" for w in self.projection.warnings)
        return Summary(f"Target for {who}", facts=facts, notes=notes)

    def __repr__(self) -> str:
        probs = ", ".join(
            f"{r.reading}: {probability_label(r.probability)}"
            for r in self.readings.itertuples(index=False)
        )
        return f"<TargetAttainment {units_label(self.target)} by {self.by.date()} {probs}>"

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def plot(self, ax=None, **kwargs):
        """The brand's figures, the projection's fans and the target (``plot_shipments``).

        The chart is on the data's basis: per period, a "period" target is drawn over its
        year; cumulative, at the target plus the median projected units before its window.
        Returns the Axes; matplotlib is imported here.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from analysis import target_attainment
        >>> from analysis.projection._examples import founding
        >>> ax = target_attainment(founding(), 5e6, "2012-12-31", basis="cumulative").plot()
        >>> import matplotlib.pyplot as plt
        >>> plt.close(ax.figure)
        """
        # imported on first chart: `import analysis` does not load analysis.plots (~50 ms)
        from analysis.plots import plot_shipments

        if self.projection is None:
            raise ValueError("this result holds no projection to draw")
        first = self.readings.iloc[0]
        level = self.target
        # a per-period chart draws a year's target against the year's running total; on a
        # cumulative chart the window's units sit above what came before it
        if first["reading"] == PERIOD_ALONE and self.projection.basis == s.CUMULATIVE:
            before = pd.Timestamp(first["window_start"]) - pd.Timedelta(days=1)
            level += float(self.projection.predict([before]).iloc[0])
        return plot_shipments(self.projection, ax=ax, target=(level, self.by), **kwargs)


def _target_row(target, projection: Projection):
    """(units, by, basis, start) from a number, a one-row frame or a Series."""
    if isinstance(target, pd.DataFrame):
        rows = target
        if s.STATUS in rows:
            rows = rows[rows[s.STATUS].astype("string") == s.TARGET]
        if s.BRAND in rows and projection.brand is not None:
            rows = rows[rows[s.BRAND].astype("string") == projection.brand]
        if len(rows) != 1:
            raise ValueError(
                f"the target frame must hold exactly one target row for {projection.brand}, found {len(rows)}; "
                "filter it or pass the number"
            )
        target = rows.iloc[0]
    if isinstance(target, pd.Series):
        start = target.get(s.START)
        return (
            float(target[s.UNITS]),
            check_date(target[s.END], "the target's end"),
            str(target.get(s.BASIS, s.UNCLEAR)),
            None if pd.isna(start) else check_date(start, "the target's start"),
        )
    if isinstance(target, (int, float, np.number)) and not isinstance(target, bool):
        return float(target), None, None, None
    raise TypeError(
        f"target must be a number of units, a figures row or a one-row frame, got {type(target).__name__}"
    )


def _crossing(qty: np.ndarray, dates: pd.DatetimeIndex, units: float):
    """Median date at which the draws reach ``units`` (linear between grid dates); NaT when
    fewer than half of the draws reach it within the grid."""
    n = qty.shape[0]
    reached = qty >= units
    hit = reached.any(axis=1)
    if hit.mean() < 0.5:
        return pd.NaT
    i = reached.argmax(axis=1)
    days = (dates - dates[0]).days.to_numpy(dtype=float)
    prev = np.maximum(i - 1, 0)
    rows = np.arange(n)
    q0, q1 = qty[rows, prev], qty[rows, i]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where((i > 0) & (q1 > q0), (units - q0) / (q1 - q0), 1.0)
    when = np.where(hit, days[prev] + frac * (days[i] - days[prev]), np.inf)
    median = np.sort(when)[(n - 1) // 2]
    return (dates[0] + pd.Timedelta(days=float(np.floor(median)))).normalize()


def target_attainment(
    projection: Projection,
    target: float | pd.Series | pd.DataFrame,
    by: str | pd.Timestamp | None = None,
    *,
    basis: str | None = None,
    start: str | pd.Timestamp | None = None,
    level: float = LEVEL,
    seed: int | np.random.Generator | None = None,
    draws: int = N_DRAWS,
) -> TargetAttainment:
    """Probability of reaching ``target`` units by ``by``, from the projection's sample paths.

    Parameters
    ----------
    projection : Projection
    target : float, Series or DataFrame
        Units, or a figures row (status "target") whose ``end`` gives ``by`` and whose
        ``basis`` gives the reading.
    by : date-like, optional
        The deadline (end of day). Required when ``target`` is a number. A day
        (``"2012-12-31"``) or a ``pd.Period`` (its last day); numbers and day-less strings
        (``2012``, ``"2012"``) are refused, as for :meth:`Projection.predict`.
    basis : {"cumulative", "period"}, optional
        "cumulative": units since launch (or since the data start) by ``by``; "period":
        units within the window ``start``..``by`` (default start: 1 January of ``by``'s
        year, so "calendar 2012 alone" is ``C(2012-12-31) - C(2011-12-31)``). When the
        target's basis is "unclear" and none is given, both readings are reported.
    start : date-like, optional
        First day of the window for the "period" reading.
    level : float, default 0.8
        Interval level for the projected units.
    draws : int, default 4000
        Sample paths.
    seed : int or numpy.random.Generator, optional
        Defaults to the projection's seed.

    Returns
    -------
    TargetAttainment
        ``.frame()`` has one row per reading: the probability of reaching the target by
        the date, the projected units then (median and interval), the units achieved at
        the last actual figure, or at ``by`` if it comes first (``already_achieved`` when
        they reach the target: then the probability is 1 and the summary says so), the
        run-rate (units/year) needed from there against the current one (for a "period"
        window that opens after the last actual: nothing achieved, and the rate needed
        within the window), and the median date of reaching the target.

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import target_attainment
    >>> from analysis.projection._examples import founding
    >>> figures = datasets.load("xiaomi_2011_2012")
    >>> res = target_attainment(founding(), figures)  # basis "unclear": both readings
    >>> list(res.frame()["reading"])
    ['since launch', 'period alone']
    """
    units, row_by, row_basis, row_start = _target_row(target, projection)
    if not (np.isfinite(units) and units > 0):
        raise ValueError(f"target must be a positive number of units, got {units!r}")
    by = check_date(by, "by") if by is not None else row_by
    if by is None:
        raise ValueError("give by= (the deadline) when the target is a number")
    if basis is None:
        basis = row_basis or s.CUMULATIVE
    if basis not in (s.CUMULATIVE, s.PERIOD, s.UNCLEAR):
        raise ValueError(f"basis must be 'cumulative' or 'period', got {basis!r}")
    level = check_probability(level, "level", open_interval=True)
    draws = check_draws(draws)
    rng = make_rng(projection.seed if seed is None else seed)
    win_start = check_date(start, "start") if start is not None else row_start
    if win_start is None:
        win_start = pd.Timestamp(year=by.year, month=1, day=1)
    if basis != s.CUMULATIVE and win_start > by:
        raise ValueError(
            f"start ({win_start.date()}) must be on or before by ({by.date()}): the window "
            "of the period reading runs from start to by"
        )
    readings = (
        [SINCE_LAUNCH, PERIOD_ALONE]
        if basis == s.UNCLEAR
        else ([SINCE_LAUNCH] if basis == s.CUMULATIVE else [PERIOD_ALONE])
    )
    note = (
        "the target's basis is unclear: both readings are shown (pass basis='cumulative' or 'period')"
        if basis == s.UNCLEAR
        else ""
    )

    last = projection.last_actual
    before_start = win_start - pd.Timedelta(days=1)
    step = pd.date_range(
        min(last, by), by + pd.Timedelta(days=int(HORIZON_YEARS * YEAR_DAYS)), freq="7D"
    )
    grid = pd.DatetimeIndex(sorted({last, by, before_start, *step})).normalize()
    paths = projection.sample(grid, draws=draws, seed=rng)
    col = {d: i for i, d in enumerate(grid)}
    kt = projection._engine.series.known_t
    known = np.median(projection._engine.known, axis=0)
    current = float((known[-1] - known[-2]) / (kt[-1] - kt[-2])) if kt.size > 1 else np.nan

    rows = [
        _reading(
            reading,
            paths,
            grid,
            col,
            units=units,
            by=by,
            last=last,
            before_start=before_start,
            win_start=win_start,
            level=level,
            current=current,
        )
        for reading in readings
    ]
    return TargetAttainment(
        projection.brand, projection.market, units, by, pd.DataFrame(rows), note, projection
    )


def _reading(
    reading, paths, grid, col, *, units, by, last, before_start, win_start, level, current
):
    """One reading of the target (since launch, or the period alone) as a row of the table."""
    draws = paths.shape[0]
    base = np.zeros(draws) if reading == SINCE_LAUNCH else paths[:, col[before_start]]
    qty = paths - base[:, None]
    at_by = qty[:, col[by]]
    # what was achieved: at the last actual figure, or at the deadline if it came before
    at_last = np.median(paths[:, col[min(last, by)]])
    # a period window that opens after the last actual has achieved nothing yet, and
    # its units must come within the window, so the clock starts at the window
    later = reading == PERIOD_ALONE and before_start > last
    if reading == SINCE_LAUNCH:
        achieved = float(at_last)
    elif later:
        achieved = 0.0
    else:
        achieved = float(at_last - np.median(base))
    years_left = (by - (before_start if later else last)).days / YEAR_DAYS
    need = max(units - achieved, 0.0)
    required = need / years_left if years_left > 0 else (0.0 if need == 0 else np.inf)
    expected = _crossing(qty[:, grid >= last], grid[grid >= last], units)
    lo, med, hi = np.quantile(at_by, [(1 - level) / 2, 0.5, (1 + level) / 2])
    return {
        "reading": reading,
        "basis": s.CUMULATIVE if reading == SINCE_LAUNCH else s.PERIOD,
        "window_start": pd.NaT if reading == SINCE_LAUNCH else win_start,
        "by": by,
        "target": units,
        "probability": float((at_by >= units).mean()),
        "median": float(med),
        "lower": float(lo),
        "upper": float(hi),
        "level": level,
        "achieved": achieved,
        "already_achieved": bool(achieved >= units and not later),
        "required_rate": float(required),
        "current_rate": current,
        "rate_ratio": float(required / current) if current and np.isfinite(current) else np.nan,
        "expected_date": expected,
    }
