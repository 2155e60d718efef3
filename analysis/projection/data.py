"""Put one brand's figures on a cumulative-units-over-time basis, and check them.

Dates are end-of-day: a figure that ends on 2012-06-12 is the cumulative total at the
instant 2012-06-13 00:00. Time is measured in years (365.25 days) from the reference
instant, the end of the last actual figure.

Qualified figures are censored: ``"over N"`` means the true value lies in
``[N, N * (1 + slack)]`` (a news report that could say "over 3.5 million" would), ``"under
N"`` in ``[N / (1 + slack), N]``; ``"approx"`` is taken as exact. ``slack`` lies in
``[0, 1]`` (:func:`check_slack`): 0 reads "over N" as exactly N, 1 as anything up to 2N.

(Just over 400 lines: the date arithmetic every engine and the cap share, such as
:func:`period_ends_ns`, lives with the series it measures.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._validation import check_scalar
from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.validate import validate

__all__ = [
    "CumulativeSeries",
    "DAY",
    "DAY_NS",
    "FIT_STATUSES",
    "NAT",
    "PERIODS_PER_YEAR",
    "YEAR_DAYS",
    "as_ns",
    "assemble",
    "bounds",
    "check_slack",
    "checked",
    "describe",
    "period_ends_ns",
    "pick",
    "prepare",
    "qualified",
    "select",
]

YEAR_DAYS = 365.25
DAY = pd.Timedelta(days=1)
DAY_NS = 86_400 * 10**9
NAT = np.iinfo(np.int64).min  # NaT as int64 nanoseconds
FIT_STATUSES = (s.ACTUAL, s.ESTIMATE, s.INTERPOLATED)
_FREQS = {"Q": (80, 100), "M": (27, 32), "H": (178, 186), "Y": (360, 370)}
PERIODS_PER_YEAR = {"Q": 4, "M": 12, "H": 2, "Y": 1}


MAX_SLACK = 1.0  # "over N" up to 2N: beyond, the figure no longer says "over N"


def check_slack(slack) -> float:
    """``slack`` as a float in ``[0, 1]``: an "over N" figure lies in ``[N, N * (1 + slack)]``.

    Examples
    --------
    >>> check_slack(0.15)
    0.15
    >>> check_slack(2)
    Traceback (most recent call last):
    ...
    ValueError: slack must be <= 1, got 2 (an "over N" figure lies in [N, N * (1 + slack)] ...
    """
    try:
        return check_scalar(slack, "slack", minimum=0.0, maximum=MAX_SLACK)
    except (TypeError, ValueError) as exc:
        raise type(exc)(
            f'{exc} (an "over N" figure lies in [N, N * (1 + slack)] and "under N" in '
            '[N / (1 + slack), N]: slack runs from 0, exact, to 1, "over N" up to 2N)'
        ) from None


@dataclass(frozen=True)
class CumulativeSeries:
    """One brand's figures as observations for a fit (internal)."""

    brand: str | None
    market: str
    frame: pd.DataFrame  # the figures used, with cumulative-basis columns
    ref: pd.Timestamp  # reference instant (t = 0)
    a: np.ndarray  # start instant of flows in years; NaN for cumulative levels
    b: np.ndarray  # end instant in years
    is_level: np.ndarray
    lo: np.ndarray  # lower bound of the value (units)
    hi: np.ndarray  # upper bound (== lo when exact)
    censored: np.ndarray
    known_t: np.ndarray  # instants (years) where cumulative units are known
    known_lo: np.ndarray
    known_hi: np.ndarray
    since: pd.Timestamp | None  # cumulative counted from here (None: since launch)
    freq: str | None  # "Q", "M", "H" or "Y" when flows are regular periods
    flows: np.ndarray  # flows of the last contiguous run of periods (for libraries)
    flow_end: np.ndarray  # their end instants (years)

    @property
    def n(self) -> int:
        return int(self.b.size)

    @property
    def has_levels(self) -> bool:
        return bool(self.is_level.any())

    def years(self, dates) -> np.ndarray:
        """End-of-day instants of ``dates`` in years from the reference."""
        if isinstance(dates, pd.DatetimeIndex) and dates.tz is None:  # no conversion
            return self.years_ns(dates.as_unit("ns").asi8)
        d = pd.to_datetime(pd.Index(np.atleast_1d(np.asarray(dates, dtype=object))))
        return ((d + DAY) - self.ref).days.to_numpy(dtype=float) / YEAR_DAYS

    def years_ns(self, ns: np.ndarray) -> np.ndarray:
        """:meth:`years` of dates given as int64 nanoseconds (NaT: NaN)."""
        ns = np.asarray(ns, dtype=np.int64)
        return np.where(ns == NAT, np.nan, _years_from(ns + DAY_NS, self.ref.value))

    def date(self, years: float) -> pd.Timestamp:
        """The calendar day whose end is ``years`` from the reference (days rounded to 1e-6
        first, so a float round trip of an end-of-day instant is not read as a tick before
        midnight, the day before)."""
        days = round(float(years) * YEAR_DAYS, 6)
        return (self.ref + pd.Timedelta(days=days) - DAY).normalize()


def _rows(frame: pd.DataFrame, mask) -> str:
    rows = frame.loc[np.asarray(mask, dtype=bool), "_row"].tolist()
    return ", ".join(map(str, rows[:5]))


def _fail(frame, mask, problem, hint, column=s.UNITS):
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        first = frame.loc[mask].iloc[0]
        raise DataError(
            f"{problem} (rows {_rows(frame, mask)})",
            row=int(first["_row"]),
            column=column,
            value=first[column] if column in frame.columns else None,
            hint=hint,
        )


def checked(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures validated once (in units), with their 1-based row numbers in ``_row``."""
    if not isinstance(figures, pd.DataFrame):
        raise TypeError(f"figures must be a pandas DataFrame, got {type(figures).__name__}")
    frame = validate(figures, require=("units",))
    return frame.assign(_row=np.arange(1, len(frame) + 1))


def pick(frame: pd.DataFrame, brand, market) -> tuple[pd.DataFrame, list[tuple[str | None, str]]]:
    """The rows of ``brand`` and ``market`` of checked figures (residual brands left out
    when no brand is named), and the (brand, market) series they hold."""
    if brand is not None:
        frame = frame[frame[s.BRAND] == brand]
    else:
        frame = frame[~frame[s.BRAND].isin(s.RESIDUAL_BRANDS).fillna(False).astype(bool)]
    if market is not None:
        frame = frame[frame[s.MARKET] == market]
    if frame.empty:
        raise DataError(
            f"no figures for brand={brand!r}, market={market!r}",
            hint="check the brand and market names (marketdata.brand_name, market_code)",
        )
    keys = frame[[s.BRAND, s.MARKET]].drop_duplicates()
    pairs = [(None if pd.isna(b) else str(b), str(m)) for b, m in keys.itertuples(index=False)]
    return frame, pairs


def select(
    figures: pd.DataFrame, brand, market
) -> tuple[pd.DataFrame, list[tuple[str | None, str]]]:
    """Validated figures and the (brand, market) series they hold (residual brands left out)."""
    return pick(checked(figures), brand, market)


def prepare(
    frame: pd.DataFrame, brand: str | None, market: str, *, slack: float = 0.15
) -> CumulativeSeries:
    """Observations of one brand in one market, checked for degenerate input."""
    who = describe(brand, market)
    rows = _fit_rows(frame, brand, market, who)
    over, under = qualified(rows)
    units = rows[s.UNITS].to_numpy(dtype=float)
    lo, hi = bounds(units, over, under, slack)
    return assemble(
        rows.drop(columns=["_row"]).assign(censored=over | under, lower=lo, upper=hi),
        lo=lo,
        hi=hi,
        censored=over | under,
        end=as_ns(rows[s.END]),
        start=as_ns(rows[s.START]),
        is_level=(rows[s.BASIS] == s.CUMULATIVE).to_numpy(),
        units=units,
        brand=brand,
        market=market,
    )


def describe(brand: str | None, market: str) -> str:
    """How messages name a series: "Xiaomi in CN", "the market in CN"."""
    return f"{brand or 'the market'} in {market}"


def as_ns(column: pd.Series) -> np.ndarray:
    """A datetime column as int64 nanoseconds (NaT: :data:`NAT`)."""
    return column.to_numpy(dtype="datetime64[ns]").view("i8")


def bounds(units, over, under, slack: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the figures' values ("over N": ``[N, N (1 + slack)]``)."""
    return np.where(under, units / (1 + slack), units), np.where(over, units * (1 + slack), units)


def _years_from(ns: np.ndarray, ref_ns: int) -> np.ndarray:
    """Whole days from ``ref_ns`` to instants ``ns`` (floored), in years."""
    return np.floor_divide(ns - ref_ns, DAY_NS).astype(float) / YEAR_DAYS


def assemble(
    used: pd.DataFrame,
    *,
    lo: np.ndarray,
    hi: np.ndarray,
    censored: np.ndarray,
    end: np.ndarray,
    start: np.ndarray,
    is_level: np.ndarray,
    units: np.ndarray,
    brand: str | None,
    market: str,
) -> CumulativeSeries:
    """The series of checked, sorted rows: ``used`` (the figures, with ``censored``,
    ``lower`` and ``upper``) and its columns as arrays (dates in int64 nanoseconds)."""
    ref_ns = int(end.max()) + DAY_NS
    b = _years_from(end + DAY_NS, ref_ns)
    a = np.where(is_level, np.nan, _years_from(np.where(start == NAT, end, start), ref_ns))
    if is_level.any():
        known_t, known_lo, known_hi = _known_from_levels(is_level, a, b, lo, hi)
        since, freq, flow_values, flow_end = None, None, np.array([]), np.array([])
    else:
        known_t, known_lo, known_hi, since, freq, flow_values, flow_end = _known_from_flows(
            start, end, a, b, lo, hi, units
        )
    if not (known_hi[-1] > 0):
        raise DataError(
            f"the cumulative total of {describe(brand, market)} is zero: there is nothing to "
            "project",
            column=s.UNITS,
            value=0.0,
            hint="give figures after the launch",
        )
    return CumulativeSeries(
        brand=brand,
        market=market,
        frame=used,
        ref=pd.Timestamp(ref_ns),
        a=a,
        b=b,
        is_level=is_level,
        lo=lo,
        hi=hi,
        censored=censored,
        known_t=known_t,
        known_lo=known_lo,
        known_hi=known_hi,
        since=since,
        freq=freq,
        flows=flow_values,
        flow_end=flow_end,
    )


def _fit_rows(frame: pd.DataFrame, brand: str | None, market: str, who: str) -> pd.DataFrame:
    """The actual and estimated figures of one series, sorted by date, refused when they
    cannot be fitted (unclear basis, mixed metrics, duplicates, one figure, all zeros,
    falling cumulative totals, overlapping periods)."""
    brand_mask = frame[s.BRAND].isna() if brand is None else frame[s.BRAND] == brand
    rows = frame[brand_mask.fillna(False).astype(bool) & (frame[s.MARKET] == market)]
    rows = rows[rows[s.STATUS].isin(FIT_STATUSES).to_numpy()]
    if rows.empty:
        raise DataError(
            f"no actual or estimated figures for {who} (targets and forecasts are not fitted)",
            hint="give at least two actual figures",
        )
    _fail(
        rows,
        (rows[s.BASIS] == s.UNCLEAR).to_numpy(),
        f"basis of an actual figure of {who} is 'unclear'",
        "set basis to 'cumulative' or 'period'",
        column=s.BASIS,
    )
    if s.METRIC in rows and rows[s.METRIC].nunique() > 1:
        raise DataError(
            f"figures of {who} mix metrics {sorted(rows[s.METRIC].astype(str).unique())}",
            column=s.METRIC,
            hint="fit shipments and sales separately (filter the frame by metric)",
        )
    rows = rows.sort_values([s.END, s.START], na_position="first").reset_index(drop=True)
    is_level = (rows[s.BASIS] == s.CUMULATIVE).to_numpy()
    key = (
        rows[s.START].astype("string").fillna("NaT")
        + "|"
        + rows[s.END].astype("string")
        + "|"
        + pd.Series(is_level, dtype="string")
    )
    _fail(
        rows,
        key.duplicated(keep=False).to_numpy(),
        f"duplicate figures of {who} for the same dates",
        "keep one figure per date or period (drop_duplicates, or correct the dates)",
        column=s.END,
    )
    if len(rows) < 2:
        raise DataError(
            f"only one figure of {who}: a projection needs at least two (two cumulative milestones, "
            "or two period figures)",
            row=int(rows["_row"].iloc[0]),
            column=s.UNITS,
            value=float(rows[s.UNITS].iloc[0]),
            hint="add another figure, e.g. a launch date with zero units as a cumulative figure",
        )
    units = rows[s.UNITS].to_numpy(dtype=float)
    if not (units > 0).any():
        raise DataError(
            f"all figures of {who} are zero: there is nothing to project",
            column=s.UNITS,
            value=0.0,
            hint="check the units column (units, never millions)",
        )
    levels = rows[is_level]
    lu = levels[s.UNITS].to_numpy(dtype=float)
    drop = np.r_[False, lu[1:] < np.maximum.accumulate(lu)[:-1]]
    _fail(
        levels,
        drop,
        f"cumulative figures of {who} decrease over time (a cumulative total never falls)",
        "check the dates and units, or set basis='period' if these are per-period figures",
    )
    flows = rows[~is_level]
    if len(flows) > 1:
        order = flows.sort_values(s.START)
        overlap = np.r_[False, order[s.START].to_numpy()[1:] <= order[s.END].to_numpy()[:-1]]
        _fail(
            order,
            overlap,
            f"periods of {who} overlap, so units would be counted twice",
            "keep non-overlapping periods (e.g. quarters or halves, not both)",
            column=s.START,
        )
    return rows


def qualified(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Which figures are "over N" and which "under N"."""
    qual = (
        rows[s.QUALIFIER].astype("string").str.lower()
        if s.QUALIFIER in rows
        else pd.Series(pd.NA, index=rows.index)
    )
    over = (qual == "over").fillna(False).to_numpy(dtype=bool)
    under = (qual == "under").fillna(False).to_numpy(dtype=bool)
    return over, under


def _known_from_levels(is_level, a, b, lo, hi):
    """The known cumulative path (instants, lower, upper) of cumulative milestones,
    extended by the flows that start where the last milestone ends."""
    known_t, known_lo, known_hi = b[is_level], lo[is_level], hi[is_level]
    fl = ~is_level & (b > known_t[-1])
    chain_t, chain_lo, chain_hi = [], [], []
    t_last, c_lo, c_hi = known_t[-1], known_lo[-1], known_hi[-1]
    for i in np.flatnonzero(fl):
        if abs(a[i] - t_last) > 1.5 / YEAR_DAYS:
            break
        t_last, c_lo, c_hi = b[i], c_lo + lo[i], c_hi + hi[i]
        chain_t.append(t_last), chain_lo.append(c_lo), chain_hi.append(c_hi)
    return np.r_[known_t, chain_t], np.r_[known_lo, chain_lo], np.r_[known_hi, chain_hi]


def _known_from_flows(start, end, a, b, lo, hi, units):
    """(known_t, known_lo, known_hi, since, freq, flows, flow_end) of per-period figures
    only: cumulative units counted from the start of the last contiguous run."""
    fa, fb = a, b
    gap = np.r_[False, np.abs(fa[1:] - fb[:-1]) > 1.5 / YEAR_DAYS]
    first = int(np.flatnonzero(gap)[-1]) if gap.any() else 0
    known_t = np.r_[fa[first], fb[first:]]
    known_lo = np.r_[0.0, np.cumsum(lo[first:])]
    known_hi = np.r_[0.0, np.cumsum(hi[first:])]
    since = pd.Timestamp(int(start[first]))
    days = np.floor_divide(end - start, DAY_NS) + 1
    freq = None
    for name, (low, high) in _FREQS.items():
        if ((days >= low) & (days <= high)).all():
            freq = name
    return known_t, known_lo, known_hi, since, freq, units[first:], fb[first:]


def period_ends_ns(start_ns: int, h: int, freq: str) -> np.ndarray:
    """The first ``h`` ends of periods ``freq`` ("Q", "M" or "Y") on or after the day
    ``start_ns`` (int64 nanoseconds): ``pd.date_range(start, periods=h, freq="QE")``
    without pandas (a hot path of sampling).

    Examples
    --------
    >>> import pandas as pd
    >>> ns = period_ends_ns(pd.Timestamp("2013-03-31").value, 2, "Q")
    >>> pd.DatetimeIndex(ns).strftime("%Y-%m-%d").tolist()
    ['2013-03-31', '2013-06-30']
    """
    step = {"M": 1, "Q": 3, "Y": 12}[freq]
    month = np.int64(start_ns).astype("M8[ns]").astype("M8[M]").astype(np.int64)
    months = month - month % step + step * np.arange(1, int(h) + 1)  # the month after each end
    return months.astype("M8[M]").astype("M8[ns]").astype(np.int64) - DAY_NS
