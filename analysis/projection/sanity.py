"""Caps and plausibility: a projection may not exceed its market, nor fly off its history.

- :class:`Cap`: the units of the market a brand sells in, per calendar year. A brand's
  projected paths are *bounded* by it (not refused): month by month from the last figure
  (:class:`Capped`), its units never exceed the market's units (the market's year spread
  evenly over the year), whichever dates are asked. Where it comes from (:func:`market_cap`): ``cap=`` (units a year),
  else market-size figures in the figures frame (rows without a brand in the same market,
  one-year periods), else for ``WW`` the packaged IDC worldwide totals
  (``country_market_size`` where it gives the year, else the sum of the vendor rows and
  ``Others`` of ``worldwide_annual_shipments_by_vendor``). Years after the last known one
  hold its size, years before the first its size too (the market is not projected).
- :func:`implausible`: why a fitted candidate is not believable, or None. Next year's units
  against this year's pace beyond the range of the packaged IDC history of brands at a
  similar stage; above the market; an S-curve whose units in any of the next
  :data:`COLLAPSE_YEARS` (3) years (:func:`next_years`: whole years from the last figure,
  calendar years when it ends on 31 December) fall below :data:`COLLAPSE` (a quarter) of
  the units of the last observed year, naming the first such year and both paces. ``auto``
  never picks a flagged candidate, and a model the analyst chose carries the flag as a
  warning (in ``Projection.warnings`` and its summary).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from marketdata import datasets
from marketdata import schema as s

from . import fitting, uncertainty
from .data import DAY, YEAR_DAYS, CumulativeSeries, period_ends_ns

__all__ = [
    "Cap",
    "Capped",
    "screen",
    "market_cap",
    "ww_totals",
    "implausible",
    "same_as_logistic",
    "COLLAPSE",
    "COLLAPSE_YEARS",
    "SAME_CURVE",
    "next_years",
]

COLLAPSE = 0.25  # an S-curve's year below a quarter of the last observed year is flagged
COLLAPSE_YEARS = 3  # ... in any of the next three years
SAME_CURVE = 0.01  # bass within 1% of logistic (fitted values and next year): the same curve
CURVES = ("exponential", "logistic", "gompertz", "bass")
S_CURVES = ("logistic", "gompertz", "bass")


@functools.cache
def ww_totals() -> pd.Series:
    """Worldwide smartphone units per calendar year in the packaged IDC data.

    ``country_market_size`` (IDC's totals) where it gives the year, else the sum of the
    vendor rows and ``Others`` of ``worldwide_annual_shipments_by_vendor``.

    Examples
    --------
    >>> t = ww_totals()
    >>> float(t[2012]), float(t[2011])  # IDC 725.3M; 2011: the vendors plus Others
    (725300000.0, 494600000.0)
    """
    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    total = annual.groupby(annual[s.END].dt.year)[s.UNITS].sum()
    size = datasets.load("country_market_size")
    size = size[(size[s.MARKET] == s.WORLDWIDE) & size[s.BRAND].isna()]
    size = size.groupby(size[s.END].dt.year)[s.UNITS].sum()
    out = total.copy()
    out.loc[size.index] = size
    out.index = out.index.astype(int)
    out.index.name = "year"
    return out.sort_index().astype(float)


@dataclass(frozen=True)
class Cap:
    """Market units per calendar year, and where they come from.

    Examples
    --------
    >>> cap = Cap(np.array([2012, 2013]), np.array([100.0, 200.0]), "example")
    >>> ref = pd.Timestamp("2013-01-01")  # t = 0 is the start of 2013
    >>> # from 2012-07-01 to 2013-07-01 (a year of 365.25 days either side of t = 0):
    >>> # 182.625 / 366 of 2012's 100 plus 182.625 / 365 of 2013's 200 = 149.966
    >>> k = cap.integral(ref, np.array([-0.5, 0.5]))
    >>> round(float(k[1] - k[0]), 2)
    149.97
    """

    years: np.ndarray
    units: np.ndarray
    description: str

    def integral(self, ref: pd.Timestamp, t: np.ndarray) -> np.ndarray:
        """Market units from a fixed origin to instants ``t`` (years from ``ref``)."""
        t = np.asarray(t, dtype=float)
        ref_ns = pd.Timestamp(ref).value
        at = ref_ns + pd.to_timedelta(t * YEAR_DAYS, unit="D").asi8  # (numpy: a hot path)
        at_year = at.view("M8[ns]").astype("M8[Y]").view("i8") + 1970
        lo_year = min(int(self.years.min()), int(at_year.min())) - 1
        hi_year = max(int(self.years.max()), int(at_year.max())) + 1
        ys = np.arange(lo_year, hi_year + 1)
        order = np.argsort(self.years)  # each year holds the last known size (the first before)
        known = np.clip(np.searchsorted(self.years[order], ys, side="right") - 1, 0, None)
        per = np.asarray(self.units, dtype=float)[order][known]
        starts = (np.r_[ys, hi_year + 1] - 1970).astype("M8[Y]").astype("M8[ns]").view("i8")
        edge = np.floor_divide(starts - ref_ns, DAY.value).astype(float) / YEAR_DAYS
        cum = np.r_[0.0, np.cumsum(per)]
        return np.interp(t, edge, cum)

    def bound(self, ref, tau_t: np.ndarray, anchor_t: float, increments: np.ndarray) -> np.ndarray:
        """Bound paths' units since the anchor (n, D) at sorted instants ``tau_t`` so that
        between any two of the instants (and the anchor) they stay within the market's."""
        K = self.integral(ref, np.r_[anchor_t, tau_t])
        room = (K[1:] - K[0])[None, :]
        return room + np.minimum(0.0, np.minimum.accumulate(increments - room, axis=1))

    def year_units(self, year: int) -> float:
        """The market's units in ``year`` (held beyond the known years)."""
        i = np.clip(np.searchsorted(self.years, year, side="right") - 1, 0, self.years.size - 1)
        hit = self.years == year
        return float(self.units[hit][0] if hit.any() else self.units[i])


@dataclass(frozen=True)
class Capped:
    """An engine whose future paths are bounded by a :class:`Cap` (internal).

    Wraps any engine with ``series`` and ``sample(t, n, rng)``: the same draws (the anchor
    instant and a grid added to the instants asked for, which does not change them), then
    bounded on the grid: the month ends after the anchor, up to the last instant asked
    for, and that instant. Between any two grid instants (and the anchor) a path has no
    more units than the market's; an instant asked for between two grid instants takes
    the bounded rise of its month in proportion to its path's own rise. So the units
    between two dates do not depend on which other dates are asked (bounding between the
    instants asked for made a year's units smaller when mid-year was asked too).
    Everything else is the wrapped engine's.
    """

    engine: object
    cap: Cap

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def sample(self, t: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        series = self.engine.series
        anchor_t = float(series.known_t[-1])
        fut = t > anchor_t
        if not fut.any():
            return self.engine.sample(np.r_[anchor_t, t], n, rng)[:, 1:]
        grid = _month_ends(series, anchor_t, float(t[fut].max()))
        full = self.engine.sample(np.r_[anchor_t, t, grid], n, rng)
        anchor, out, raw = full[:, :1], full[:, 1 : 1 + t.size].copy(), full[:, 1 + t.size :]
        gt = np.r_[anchor_t, grid]
        gb = np.c_[anchor, anchor + self.cap.bound(series.ref, grid, anchor_t, raw - anchor)]
        gr = np.c_[anchor, raw]
        at = t[fut]
        hi = np.clip(np.searchsorted(gt, at, side="left"), 1, gt.size - 1)
        lo = hi - 1
        rise = gr[:, hi] - gr[:, lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(rise > 0, (out[:, fut] - gr[:, lo]) / rise, 0.0)
        value = gb[:, lo] + np.clip(share, 0.0, 1.0) * (gb[:, hi] - gb[:, lo])
        out[:, fut] = np.where(np.isclose(gt[hi], at, rtol=0, atol=1e-9), gb[:, hi], value)
        return out


def _month_ends(series: CumulativeSeries, after: float, last: float) -> np.ndarray:
    """The instants (years) of the month ends in (``after``, ``last``), then ``last``."""
    first, final = series.date(after) + DAY, series.date(last)
    months = (final.year - first.year) * 12 + final.month - first.month + 1
    ends = series.years_ns(period_ends_ns(first.value, max(months, 0), "M"))
    ends = ends[(ends > after + 1e-9) & (ends < last - 1e-9)]
    return np.r_[ends, last]


def _figures_cap(frame: pd.DataFrame | None, market: str) -> Cap | None:
    """Market-size figures (no brand, same market, a year long) in the figures frame."""
    if frame is None or s.BRAND not in frame or s.START not in frame:
        return None
    rows = frame[
        frame[s.BRAND].isna().to_numpy()
        & (frame[s.MARKET] == market).to_numpy()
        & (frame[s.BASIS] == s.PERIOD).to_numpy()
        & frame[s.STATUS].isin([s.ACTUAL, s.ESTIMATE]).to_numpy()
    ]
    if rows.empty:
        return None
    days = (rows[s.END] - rows[s.START]).dt.days.to_numpy() + 1
    rows = rows[(days >= 360) & (days <= 370)]
    if rows.empty:
        return None
    by_year = rows.groupby(rows[s.END].dt.year)[s.UNITS].max()
    return Cap(
        by_year.index.to_numpy(dtype=int),
        by_year.to_numpy(dtype=float),
        f"the market-size figures of {market} in the figures "
        f"({', '.join(str(y) for y in by_year.index)})",
    )


def market_cap(
    series: CumulativeSeries, frame: pd.DataFrame | None, cap, *, before_days: float | None = None
) -> Cap | None:
    """The cap of a brand's projection (None: no market known, or ``cap=False``).

    ``cap``: None (automatic, see the module), False (none) or units a year. With
    ``before_days`` (a backtest origin, days since 1970) only years ended by then count.
    """
    if cap is not None and cap is not False:
        number = isinstance(cap, (int, float, np.number)) and not isinstance(cap, bool)
        if not (number and np.isfinite(cap) and cap > 0):
            raise ValueError(
                f"cap must be a positive, finite number of units a year, False or None, got {cap!r}"
            )
    if cap is False or series.brand is None:
        return None
    if cap is not None:
        return Cap(np.array([2000]), np.array([float(cap)]), f"cap= {float(cap):,.0f} units a year")
    found = _figures_cap(frame, series.market)
    if found is None and series.market == s.WORLDWIDE:
        t = ww_totals()
        found = Cap(
            t.index.to_numpy(dtype=int),
            t.to_numpy(),
            f"the packaged IDC worldwide totals ({t.index.min()}-{t.index.max()})",
        )
    if found is not None and before_days is not None:
        last_day = pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(before_days)) - DAY
        keep = pd.to_datetime([f"{y}-12-31" for y in found.years]) <= last_day
        if not keep.any():
            return None
        found = Cap(found.years[keep], found.units[keep], found.description)
    return found


def _pace(series: CumulativeSeries, known: np.ndarray) -> float:
    kt = series.known_t
    return float((known[-1] - known[-2]) / (kt[-1] - kt[-2])) if kt.size > 1 else np.nan


@dataclass(frozen=True)
class NextYears:
    """The next whole years after the last figure: instants (years from it) and labels."""

    starts: np.ndarray  # (K,) years from the last figure's end
    ends: np.ndarray
    labels: list[str]
    last_year: float  # the year before the last figure's end, as the same kind of instant


def next_years(series: CumulativeSeries, years: int = COLLAPSE_YEARS) -> NextYears:
    """The ``years`` whole years after the last figure, and the one before it.

    A year is the last figure's end date moved by whole years (``DateOffset``), so on
    calendar figures the years are calendar years, labelled ``"2024"``; otherwise ``"the
    year to 2024-06-12"``.

    Examples
    --------
    >>> from analysis.projection._examples import founding
    >>> next_years(founding()._engine.series).labels[0]  # the last figure ends 2012-06-12
    'the year to 2013-06-12'
    """
    last = series.ref - DAY
    ends = [last + pd.DateOffset(years=k) for k in range(-1, years + 1)]
    t = series.years(pd.DatetimeIndex(ends))
    labels = [
        str(d.year) if (d.month, d.day) == (12, 31) else f"the year to {d.date()}" for d in ends[2:]
    ]
    return NextYears(t[1:-1], t[2:], labels, float(t[0]))


def _last_year_units(series: CumulativeSeries, known: np.ndarray) -> float:
    """Units of the last observed year (the known path interpolated a year back), else the
    pace of the last interval when the figures span less than a year."""
    kt = series.known_t
    back = next_years(series, 0).last_year
    if kt.size < 2 or back < kt[0] - 1e-9:
        return _pace(series, known)
    return float(known[-1] - np.interp(back, kt, known))


def _collapse(name: str, units: np.ndarray, series: CumulativeSeries, known) -> str | None:
    """The first of the next years whose units fall below COLLAPSE of the last year's."""
    last = _last_year_units(series, known)
    if not (np.isfinite(last) and last > 0):
        return None
    ratios = np.asarray(units, dtype=float)[:COLLAPSE_YEARS] / last
    low = np.flatnonzero(ratios < COLLAPSE)
    if low.size == 0:
        return None
    k = int(low[0])
    label = next_years(series, k + 1).labels[k]
    return (
        f"implausible: the {name} curve's pace collapses to {ratios[k]:.2f}x the last observed "
        f"pace in {label} (the curve, without its error paths, gives {units[k] / 1e6:,.2f}M "
        f"in {label} after {last / 1e6:,.2f}M in the last year; flagged under "
        f"{COLLAPSE:.2f}x within {COLLAPSE_YEARS} years): its ceiling is what the figures "
        "stop at, not a market potential"
    )


def implausible(
    name: str, next_year, series: CumulativeSeries, known: np.ndarray, cap
) -> str | None:
    """Why a projection whose next years hold ``next_year`` units is not believable, or None.

    ``next_year``: the units of the next year, or of each of the next years
    (:func:`next_years`; the S-curve collapse is checked on the first
    :data:`COLLAPSE_YEARS`, the other checks on the first). ``known``: the median known
    cumulative path (at ``series.known_t``).
    """
    units = np.atleast_1d(np.asarray(next_year, dtype=float))
    next_year = float(units[0])
    pace = _pace(series, known)
    if not (np.isfinite(pace) and pace > 0 and np.isfinite(next_year)):
        return None
    if cap is not None:
        year = (series.ref + pd.Timedelta(days=YEAR_DAYS / 2)).year
        market = cap.year_units(year)
        if next_year > market:
            return (
                f"implausible: {name} projects {next_year / 1e6:,.1f}M units in the next year, more "
                f"than the whole market ({market / 1e6:,.1f}M, {cap.description})"
            )
    ratio = next_year / pace
    if name in S_CURVES:
        collapse = _collapse(name, units, series, known)
        if collapse is not None:
            return collapse
    if name not in CURVES or not (ratio > 0):
        return None
    hist = uncertainty.pooled(uncertainty.stage_growth(series), centred=False)
    if hist.shape[0] == 0:
        return None
    e4 = hist[:, 3]
    lo, hi = float(e4.min()), float(e4.max())
    implied = float(np.log(ratio))
    if implied > hi or implied < lo:
        return (
            f"implausible: the projection implies next-year units {ratio:.2f}x the current pace, "
            f"beyond the packaged IDC history for brands at a similar stage "
            f"({np.exp(lo):.2f}x to {np.exp(hi):.2f}x)"
        )
    return None


def same_as_logistic(spec, series: CumulativeSeries) -> str | None:
    """For an analyst's ``bass`` fit: a warning when it coincides with ``logistic`` (the
    check :func:`screen` makes for ``auto``), else None."""
    if spec.model.name != "bass" or series.n < 3:
        return None
    logistic = fitting.make_spec("logistic", series)
    if len(logistic.free) > series.n:
        return None
    gap = _gap(_fitted_next(spec, series)[2], _fitted_next(logistic, series)[2])
    if not gap < SAME_CURVE:
        return None
    return f"bass coincides with logistic here ({_same_why(gap)})"


def _same_why(gap: float) -> str:
    return (
        f"fitted values and next year within {_percent(gap)}; m F(x) = m (1 + p/q) L(x) - m p/q "
        "for the logistic L with k = p + q, t0 = launch + ln(q/p) / (p + q): a Bass curve is "
        "a logistic counted from its launch, and per-period figures do not see the constant"
    )


def _percent(gap: float) -> str:
    """A small relative gap as a percentage that does not read 0.0% (<0.01% below it)."""
    return "<0.01%" if gap < 5e-5 else f"{gap:.2%}" if gap < 0.01 else f"{gap:.1%}"


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a / b - 1.0)))


def _fitted_next(spec, series: CumulativeSeries):
    """(parameters dict, next year's units, fitted values then next year) of a curve fitted
    on every figure."""
    params, _ = fitting.fit_curves(spec, series, np.ones((1, series.n)))
    p = {nm: params[:, j : j + 1] for j, nm in enumerate(spec.names)}
    if spec.launch is not None:
        p[fitting.LAUNCH] = np.full((1, 1), spec.launch)
    nxt = float(spec.model.increment(np.zeros((1, 1)), np.ones((1, 1)), p)[0, 0])
    fitted = fitting.predict_obs(
        spec, p, series.a[None, :], series.b[None, :], series.is_level[None, :]
    )[0]
    return p, nxt, np.r_[fitted, nxt]


def screen(cands, series: CumulativeSeries, cap):
    """Drop the candidate curves their own plausibility check flags (:func:`implausible` on
    each one's next years, fitted on every figure), and ``bass`` where it coincides with
    ``logistic``; returns (kept, notes saying why). Per-period models pass through (they
    are judged by their holdout)."""
    notes, kept, nexts = [], [], {}
    known = np.sqrt(series.known_lo * series.known_hi)
    years = next_years(series)
    for spec in cands:
        if spec.model.name not in CURVES or len(spec.free) > series.n:
            kept.append(spec)
            continue
        p, nxt, nexts[spec.model.name] = _fitted_next(spec, series)
        units = spec.model.increment(years.starts[None, :], years.ends[None, :], p)[0]
        why = implausible(spec.model.name, np.r_[nxt, units[1:]], series, known, cap)
        if why is not None:
            notes.append(f"{spec.model.name} excluded ({why})")
            continue
        kept.append(spec)
    if any(c.model.name == "bass" for c in kept) and {"bass", "logistic"} <= set(nexts):
        gap = _gap(nexts["bass"], nexts["logistic"])
        if gap < SAME_CURVE:
            kept = [c for c in kept if c.model.name != "bass"]
            notes.append(f"bass not offered: it coincides with logistic ({_same_why(gap)})")
    return kept, notes
