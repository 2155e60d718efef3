"""The share table: each brand's share of its window, in sorted arrays.

:func:`share_table` validates a figures frame and computes, per (market, start, end)
window, the denominator (the market size when there is one, else the listed sum), the
``Others`` remainder and the order (named brands largest first, residuals last). Its steps
are named functions below: read the rows, check them, find the market sizes, check the
listed sum against the size (double counts, a ``Total`` that disagrees, shares summing
above 1 beyond their rounding, all-zero windows), add the remainder, sort.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from analysis._validation import check_option, check_scalar
from analysis.structure._share_engine.checks import (
    SHOW,
    as_dates,
    as_values,
    check_frame,
    check_overlaps,
    check_uniform,
    check_unique,
    fail,
)
from analysis.structure._share_engine.grouping import (
    WindowIndex,
    factorize,
    group_windows,
    single_window,
)
from analysis.structure._share_engine.kernels import LAST, order_within, rounding_unit
from marketdata import schema as s
from marketdata.errors import DataError, DataWarning, DoubleCountWarning

__all__ = [
    "DOUBLE_COUNT",
    "MARKET_UNITS",
    "OVERCOUNT",
    "ShareTable",
    "one_window_table",
    "share_table",
    "window_tolerance",
]

RTOL = 1e-9  # float slack when comparing sums (relative)
MARKET_UNITS = "market_units"
DOUBLE_COUNT = "double_count"
OVERCOUNT = ("raise", "warn")
# a note that mentions double counting ("double count", "double-counts"), unless negated
_NOTE_SAYS_DOUBLE = re.compile(
    r"(?<!\bno )(?<!\bnot )(?<!\bwithout )(?<!\bnon-)double[- ]?count", re.IGNORECASE
)
# the quantities that only make sense as shares of their own population
_SHARE_ONLY_METRICS = ("usage", "installed_base")


# ----------------------------------------------------------------------------- result
@dataclass
class ShareTable:
    """Brand and residual rows of every window in sorted order, as arrays.

    Rows are sorted by window (market, start, end), named brands before residuals,
    larger first, then input order. ``source_row`` points into the figures (-1 for an
    ``others`` remainder row the computation added). The tidy frame is built on demand.
    """

    figures: pd.DataFrame
    windows: WindowIndex
    code: np.ndarray  # window code per row
    units: np.ndarray
    share: np.ndarray
    residual: np.ndarray  # bool: Others/Unknown residual
    source_row: np.ndarray  # position in figures, -1 for an added remainder row
    market_units: np.ndarray  # per window: the denominator (NaN for shares w/o size)
    flags: np.ndarray  # per window: double count found by arithmetic
    window_row: np.ndarray  # per window: a brand row (or the size row) of the window
    size_row: np.ndarray  # per window: the market-size row, -1 if none
    others: str
    has_units: bool
    _frame: pd.DataFrame | None = None

    def value(self) -> np.ndarray:
        """What ranks: units, or shares for share data."""
        return self.units if self.has_units else self.share

    def window_metric(self) -> pd.Series:
        """The metric of each window (one per window: mixing is refused)."""
        return self.figures[s.METRIC].iloc[self.window_row].reset_index(drop=True)

    @property
    def frame(self) -> pd.DataFrame:
        """The tidy table (see :func:`analysis.market_share`)."""
        if self._frame is None:
            self._frame = self._build()
        return self._frame

    def _take(self, column: str, positions: np.ndarray):
        return self.figures[column].array.take(positions, allow_fill=True)

    def _build(self) -> pd.DataFrame:
        added = self.source_row < 0
        any_row = np.where(added, self.window_row[self.code], self.source_row)
        brand = pd.Series(self._take(s.BRAND, self.source_row)).astype("string")
        if added.any():
            brand[added] = self.others
        out = {
            s.MARKET: pd.Series(self._take(s.MARKET, any_row)).astype("string"),
            s.START: self.windows.start[self.code],
            s.END: self.windows.end[self.code],
            s.BRAND: brand,
            s.UNITS: self.units,
            s.SHARE: self.share,
            MARKET_UNITS: self.market_units[self.code],
            s.METRIC: self._take(s.METRIC, any_row),
            DOUBLE_COUNT: self.flags[self.code],
        }
        if s.SOURCE in self.figures.columns:
            out[s.SOURCE] = self._sources(added)
        return pd.DataFrame(out, copy=False)  # fresh arrays: no consolidating copy

    def _sources(self, added: np.ndarray) -> pd.Series:
        source = pd.Series(self._take(s.SOURCE, self.source_row)).astype("string")
        if added.any():
            sizes = self.size_row[self.code[added]]
            texts = self.figures[s.SOURCE].astype("string").to_numpy(dtype=object)
            what = (
                "market size minus listed brands" if self.has_units else "1 minus the listed shares"
            )
            source[added] = [
                what + (f" ({texts[i]})" if i >= 0 and not pd.isna(texts[i]) else "") for i in sizes
            ]
        return source


# ----------------------------------------------------------------------------- step 1: rows
@dataclass
class _Rows:
    """The figures read into arrays, with their windows."""

    figures: pd.DataFrame
    value_column: str
    values: np.ndarray
    start: np.ndarray
    end: np.ndarray
    brand_code: np.ndarray
    brands: np.ndarray  # unique brand names, by code
    is_size: np.ndarray  # brand NA: a market-size (Total) row
    is_residual: np.ndarray  # Others / Unknown / the `others` name
    metric_code: np.ndarray
    metrics: np.ndarray
    windows: WindowIndex

    @property
    def has_units(self) -> bool:
        return self.value_column == s.UNITS

    @property
    def is_brand(self) -> np.ndarray:
        return ~self.is_size


def _read_rows(figures: pd.DataFrame, others: str) -> _Rows:
    value_column = check_frame(figures)
    values = as_values(figures, value_column)
    fail(
        figures,
        figures[s.MARKET].isna().to_numpy(),
        s.MARKET,
        "market is missing",
        "give a market code (TW, CN, US, WW ...)",
    )
    start = as_dates(figures, s.START)
    end = as_dates(figures, s.END)
    fail(
        figures,
        np.isnat(end),
        s.END,
        "end date is missing",
        "every figure needs the last day it covers",
    )
    fail(figures, start > end, s.START, "start is after end", "swap start and end")
    b_code, b_uniq = factorize(figures[s.BRAND])
    is_size = b_code < 0
    residual_uniq = np.isin(b_uniq.astype(str), list(set(s.RESIDUAL_BRANDS) | {others}))
    is_residual = (
        residual_uniq[b_code] & ~is_size
        if residual_uniq.any()
        else np.zeros(len(figures), dtype=bool)
    )
    m_code, m_uniq = factorize(figures[s.METRIC])
    return _Rows(
        figures=figures,
        value_column=value_column,
        values=values,
        start=start,
        end=end,
        brand_code=b_code,
        brands=b_uniq,
        is_size=is_size,
        is_residual=is_residual,
        metric_code=m_code,
        metrics=m_uniq,
        windows=group_windows(figures[s.MARKET], start, end),
    )


# ----------------------------------------------------------------------------- step 2: checks
def _check_rows(rows: _Rows) -> tuple[np.ndarray, np.ndarray]:
    """Refuse mixed metrics or bases, duplicate brands and overlapping windows.

    Returns each window's representative row (a brand row where there is one) and its
    market-size row (-1 if none).
    """
    figures, windows, is_brand = rows.figures, rows.windows, rows.is_brand
    check_uniform(
        figures,
        windows,
        rows.metric_code,
        is_brand,
        s.METRIC,
        "metrics",
        "compare like with like: web usage, installed base, shipments and sales are "
        "different things; select one metric per window",
        names=rows.metrics,
    )
    if s.BASIS in figures.columns:
        basis_code, basis_names = factorize(figures[s.BASIS])
        check_uniform(
            figures,
            windows,
            basis_code,
            is_brand,
            s.BASIS,
            "bases",
            "select per-period or cumulative figures, not both",
            names=basis_names,
        )
    check_unique(figures, windows, rows.brand_code, max(len(rows.brands), 1), is_brand)
    codes, positions = windows.code, np.arange(len(figures))
    window_row = windows.row.copy()
    size_row = np.full(windows.n, -1, dtype=np.int64)
    if rows.is_size.any():
        size_row[codes[rows.is_size][::-1]] = positions[rows.is_size][::-1]
        window_row[codes[rows.is_size]] = positions[rows.is_size]
        window_row[codes[is_brand][::-1]] = positions[is_brand][::-1]  # prefer a brand row
    check_overlaps(figures, windows, rows.metric_code[window_row], who="market")
    return window_row, size_row


# ----------------------------------------------------------------------------- step 3: sizes
def _sizes_from_argument(market_size, windows: WindowIndex) -> tuple[np.ndarray, np.ndarray]:
    """Market size per window from ``market_size=`` (NaN where none) and its metric."""
    sizes = np.full(windows.n, np.nan)
    metric = np.full(windows.n, None, dtype=object)
    if market_size is None:
        return sizes, metric
    if isinstance(market_size, Real) and not isinstance(market_size, bool):
        size = float(market_size)
        if not np.isfinite(size) or size <= 0:
            raise ValueError(f"market_size must be a positive number of units, got {size!r}")
        sizes[:] = size
        return sizes, metric
    if not isinstance(market_size, pd.DataFrame):
        raise TypeError(
            "market_size must be a number of units or a figures frame of market-size rows "
            f"(brand NA), got {type(market_size).__name__}"
        )
    frame = market_size
    if s.BRAND in frame.columns:
        frame = frame[frame[s.BRAND].isna()]
    if s.UNITS not in frame.columns:
        raise DataError(
            "the market_size frame lacks a 'units' column",
            hint="pass market-size rows (brand NA) with units",
        )
    if frame.empty:
        raise DataError(
            "the market_size frame holds no market-size rows (brand NA)",
            hint="pass rows whose brand is NA, or a number",
        )
    table = pd.DataFrame(
        {
            "market": frame[s.MARKET].astype("string").to_numpy(dtype=object),
            "start": as_dates(frame, s.START),
            "end": as_dates(frame, s.END),
            "units": as_values(frame, s.UNITS),
            "metric": frame[s.METRIC].astype(object).to_numpy() if s.METRIC in frame else None,
        }
    )
    dup = table.duplicated(["market", "start", "end"], keep=False).to_numpy()
    fail(
        frame,
        dup,
        s.UNITS,
        "the market_size frame has more than one size for a window",
        "keep one market-size row per market and window",
    )
    wanted = pd.DataFrame({"market": windows.market, "start": windows.start, "end": windows.end})
    merged = wanted.merge(table, on=["market", "start", "end"], how="left")
    return merged["units"].to_numpy(dtype="float64"), merged["metric"].to_numpy(dtype=object)


def _check_size_metric(rows: _Rows, window_row: np.ndarray, size_metric: np.ndarray) -> None:
    """Refuse converting usage or installed-base shares with a size of another metric."""
    metric = rows.figures[s.METRIC].astype(object).to_numpy()[window_row]
    given = pd.notna(size_metric)
    if not given.any():
        return
    m, z = metric.astype(str), size_metric.astype(str)
    bad = given & (m != z) & (np.isin(m, _SHARE_ONLY_METRICS) | np.isin(z, _SHARE_ONLY_METRICS))
    if bad.any():
        g = int(np.flatnonzero(bad)[0])
        m, z = [str(x) for x in m], [str(x) for x in z]
        raise DataError(
            f"{rows.windows.label(g)}: the figures measure {m[g]!r} and the market size "
            f"{z[g]!r}; a share of {m[g]} times a {z[g]} size is no number of devices",
            column=s.METRIC,
            hint="use a market size of the same metric, or keep the figures as shares",
        )


def _market_sizes(rows: _Rows, market_size, window_row: np.ndarray) -> np.ndarray:
    """Market size per window: the ``market_size=`` argument, else a brand-NA row."""
    figures, windows, is_size = rows.figures, rows.windows, rows.is_size
    sizes, size_metric = _sizes_from_argument(market_size, windows)
    _check_size_metric(rows, window_row, size_metric)
    if not is_size.any():
        return sizes
    codes, n_windows = windows.code, windows.n
    size_counts = np.bincount(codes[is_size], minlength=n_windows)
    fail(
        figures,
        is_size & (size_counts[codes] > 1),
        s.UNITS if rows.has_units else None,
        "more than one market-size row (brand NA, or Total) in one window",
        "keep one market size per market and window",
    )
    if not rows.has_units:
        fail(
            figures,
            is_size,
            None,
            "a market-size row (brand NA, or Total) among share figures",
            "shares need no market size; pass it as market_size= to convert to units",
        )
    in_frame = np.full(n_windows, np.nan)
    in_frame[codes[is_size]] = rows.values[is_size]
    # a size row in the figures must measure what the brand rows of its window measure
    has_brands = np.bincount(codes[rows.is_brand], minlength=n_windows) > 0
    differs = rows.metric_code[window_row][codes] != rows.metric_code
    fail(
        figures,
        is_size & has_brands[codes] & differs & np.isnan(sizes[codes]),
        s.METRIC,
        "a market-size row measures a different metric than the brand rows of its window",
        "pass the size explicitly as market_size= (a number or frame) to combine them "
        "on purpose, or drop the row",
    )
    return np.where(np.isnan(sizes), in_frame, sizes)


# ----------------------------------------------------------------------------- step 4: sums
def window_tolerance(
    code: np.ndarray, values: np.ndarray, windows: np.ndarray, n_windows: int
) -> np.ndarray:
    """How far a window's sum may be off from rounding alone (per window; 0 elsewhere).

    Half a unit of the last digit the figures are given to, times the number of rows
    summed: StatCounter's 40 shares given to two decimals of a percent (1e-4 as a fraction)
    may sum to 1 +/- 40 x 0.5e-4 = 1 +/- 0.002. The finest digit of the window's rows is
    its precision (a row given as 0.25 next to 0.1234 is read as 0.2500). Only the
    ``windows`` asked for are computed.

    Examples
    --------
    >>> code = np.array([0, 0, 0])
    >>> window_tolerance(code, np.array([0.5012, 0.3, 0.2]), np.array([0]), 1).round(8).tolist()
    [0.00015]
    """
    out = np.zeros(n_windows)
    if len(windows) == 0:
        return out
    wanted = np.zeros(n_windows, dtype=bool)
    wanted[windows] = True
    rows = wanted[code]
    unit = rounding_unit(values[rows])
    g = code[rows]
    finest = np.full(n_windows, np.inf)
    known = ~np.isnan(unit)
    np.minimum.at(finest, g[known], unit[known])
    count = np.bincount(g, minlength=n_windows)
    out[windows] = np.where(
        np.isfinite(finest[windows]), 0.5 * finest[windows] * count[windows], 0.0
    )
    return out


def _tolerances(tolerance, code, values, windows: np.ndarray, n_windows: int) -> np.ndarray:
    if tolerance is None:
        return window_tolerance(code, values, windows, n_windows)
    return np.full(n_windows, float(tolerance))


def _notes_say_double(rows: _Rows) -> np.ndarray:
    """Windows whose notes mention double counting (a hint, never a verdict)."""
    says = np.zeros(rows.windows.n, dtype=bool)
    if s.NOTE in rows.figures.columns:
        notes = rows.figures[s.NOTE].astype("string")
        hit = notes.str.contains(_NOTE_SAYS_DOUBLE, na=False).to_numpy(dtype=bool)
        says[rows.windows.code[hit]] = True
    return says


def _check_units_against_size(
    rows: _Rows, g, v, resid, listed, sizes, *, overcount, tolerance
) -> tuple[np.ndarray, np.ndarray]:
    """Double counts (listed above the size) and a Total that disagrees with a full list.

    Returns the sizes to use (NaN where the listed sum replaces a double-counted size) and
    the per-window double-count flags.
    """
    windows, n_windows = rows.windows, rows.windows.n
    have = ~np.isnan(sizes)
    above = np.flatnonzero(have & (listed > sizes * (1 + RTOL)))
    complete = np.bincount(g[resid], minlength=n_windows) > 0
    below = np.flatnonzero(have & complete & (listed < sizes * (1 - RTOL)))
    tol = _tolerances(tolerance, g, v, np.concatenate((above, below)), n_windows)
    flags = np.zeros(n_windows, dtype=bool)
    notes = _notes_say_double(rows)
    over = above[listed[above] > sizes[above] + tol[above]]
    if len(over):
        detail = "; ".join(
            f"{windows.label(int(x))}: listed {listed[x]:,.0f} > market {sizes[x]:,.0f}"
            + (" (its notes say so too)" if notes[x] else "")
            for x in over[:SHOW]
        )
        if overcount == "raise":
            bad = np.zeros(n_windows, dtype=bool)
            bad[over] = True
            fail(
                rows.figures,
                rows.is_brand & bad[windows.code],
                None,
                f"the listed brands add up to more than the market size ({detail}): "
                "some units are counted twice",
                "remove the double count (e.g. a brand also inside Others), or pass "
                "overcount='warn' to use the listed sum as the market and flag it",
            )
        warnings.warn(
            f"{len(over)} window(s) list more units than the market size ({detail}); "
            "their shares use the listed sum and are flagged double_count=True",
            DoubleCountWarning,
            stacklevel=5,
        )
        flags[over] = True
        sizes = sizes.copy()
        sizes[over] = np.nan
    short = below[listed[below] < sizes[below] - tol[below]]
    if len(short):
        detail = "; ".join(
            f"{windows.label(int(x))}: the listed brands and residual add up to "
            f"{listed[x]:,.0f}, the market size (Total) is {sizes[x]:,.0f}"
            for x in short[:SHOW]
        )
        warnings.warn(
            f"{len(short)} window(s) list every unit (with a residual row) yet fall short "
            f"of their market size ({detail}); the difference is added to the residual",
            DataWarning,
            stacklevel=5,
        )
    unchecked = np.flatnonzero(notes & ~have)
    if len(unchecked):
        warnings.warn(
            f"the notes of {len(unchecked)} window(s) ({windows.labels(unchecked)}) mention "
            "a double count, which the figures cannot show without a market size: pass the "
            "published totals as market_size= to check them",
            DoubleCountWarning,
            stacklevel=5,
        )
    return sizes, flags


def _check_share_sums(rows: _Rows, g, v, listed, *, tolerance) -> None:
    """Refuse windows whose shares sum above 1 beyond their rounding, or are all zero."""
    windows, n_windows = rows.windows, rows.windows.n
    listed_rows = np.bincount(g, minlength=n_windows)
    zero = np.flatnonzero((listed <= 0) & (listed_rows > 0))
    if len(zero):
        x = int(zero[0])
        bad = np.zeros(n_windows, dtype=bool)
        bad[zero] = True
        fail(
            rows.figures,
            rows.is_brand & bad[windows.code],
            s.SHARE,
            f"the shares of {windows.labels(zero)} are all zero ({listed_rows[x]} rows in "
            f"{windows.label(x)}): an empty window has no shares, ranks or concentration",
            "drop the window (an export's trailing all-zero row is no data)",
        )
    above = np.flatnonzero(listed > 1 + RTOL)
    tol = _tolerances(tolerance, g, v, above, n_windows)
    over = above[listed[above] > 1 + tol[above] + RTOL]
    if len(over):
        x = int(over[0])
        bad = np.zeros(n_windows, dtype=bool)
        bad[over] = True
        fail(
            rows.figures,
            rows.is_brand & bad[windows.code],
            None,
            f"the shares of market {windows.market[x]} in {windows.period(x)} add up to "
            f"{listed[x]:.6g} ({100 * listed[x]:.4g}%), more than 1 plus the rounding they "
            f"carry ({tol[x]:.2g}, {listed_rows[x]} rows)"
            + (f"; also {windows.labels(over[1:])}" if len(over) > 1 else ""),
            "check for a double count or shares given in percent (shares are fractions); "
            "pass tolerance= to allow a wider rounding",
        )


def _check_sizes_given(rows: _Rows, brand_rows, g, sizes) -> None:
    ok = ~np.isnan(sizes)
    if ok[g].all():
        return
    missing = np.zeros(len(rows.figures), dtype=bool)
    missing[brand_rows[~ok[g]]] = True
    fail(
        rows.figures,
        missing,
        None,
        "no market size for the window of these shares",
        "give a size for every window, or a single number",
    )


def _check_units_not_zero(rows: _Rows, g, denominator) -> None:
    windows = rows.windows
    zero = np.flatnonzero((denominator <= 0) & (np.bincount(g, minlength=windows.n) > 0))
    if len(zero):
        bad = np.zeros(windows.n, dtype=bool)
        bad[zero] = True
        fail(
            rows.figures,
            rows.is_brand & bad[windows.code],
            rows.value_column,
            f"the figures of {windows.labels(zero)} add up to zero, so shares are undefined",
            "drop the window or give its figures",
        )


def _rounding_remainder(g, v, resid, remainder, tolerance, n_windows: int) -> np.ndarray:
    """No remainder where a complete listing (it has a residual row) is short by rounding.

    StatCounter's shares with their ``Other`` row sum to 99.98%: the 0.02% is rounding,
    and the shares are kept as given rather than topped up.
    """
    complete = np.bincount(g[resid], minlength=n_windows) > 0
    short = np.flatnonzero(complete & (remainder > 0))
    if len(short):
        tol = _tolerances(tolerance, g, v, short, n_windows)
        remainder = remainder.copy()
        remainder[short[remainder[short] <= tol[short]]] = 0.0
    return remainder


# ----------------------------------------------------------------------------- step 5: others
def _add_remainder(rows: _Rows, others: str, g, v, resid, src, remainder):
    """Put each window's remainder into its own ``others`` row, or a new row."""
    add = np.flatnonzero(remainder > 0)
    if not len(add):
        return g, v, resid, src
    others_code = np.flatnonzero(rows.brands.astype(str) == others)
    own_other = rows.brand_code[src] == (others_code[0] if len(others_code) else -2)
    has_other = np.zeros(rows.windows.n, dtype=bool)
    has_other[g[own_other]] = True
    into_existing = add[has_other[add]]
    new_rows = add[~has_other[add]]
    if len(into_existing):
        extra = np.zeros(rows.windows.n)
        extra[into_existing] = remainder[into_existing]
        v = v + np.where(own_other, extra[g], 0.0)
    if len(new_rows):
        g = np.concatenate((g, new_rows))
        v = np.concatenate((v, remainder[new_rows]))
        resid = np.concatenate((resid, np.ones(len(new_rows), dtype=bool)))
        src = np.concatenate((src, np.full(len(new_rows), -1, dtype=np.int64)))
    return g, v, resid, src


# ----------------------------------------------------------------------------- the table
def share_table(
    figures: pd.DataFrame,
    *,
    market_size=None,
    others: str = s.OTHERS,
    overcount: str = "raise",
    tolerance: float | None = None,
) -> ShareTable:
    """Validate ``figures`` and compute each brand's share of its window (see market_share)."""
    if not isinstance(others, str) or not others:
        raise TypeError(f"others must be a brand name such as 'Others', got {others!r}")
    check_option(overcount, "overcount", OVERCOUNT)
    if tolerance is not None:
        tolerance = check_scalar(tolerance, "tolerance", minimum=0.0)
    rows = _read_rows(figures, others)
    window_row, size_row = _check_rows(rows)
    sizes = _market_sizes(rows, market_size, window_row)

    windows, n_windows = rows.windows, rows.windows.n
    all_brands = bool(rows.is_brand.all())
    src = np.arange(len(figures)) if all_brands else np.flatnonzero(rows.is_brand)
    g = windows.code if all_brands else windows.code[src]
    v = rows.values if all_brands else rows.values[src]
    resid = rows.is_residual if all_brands else rows.is_residual[src]
    listed = np.bincount(g, weights=v, minlength=n_windows)

    if rows.has_units:
        sizes, flags = _check_units_against_size(
            rows, g, v, resid, listed, sizes, overcount=overcount, tolerance=tolerance
        )
        denominator = np.where(np.isnan(sizes), listed, sizes)
        remainder = np.where(np.isnan(sizes), 0.0, sizes - listed)
        remainder[remainder <= np.nan_to_num(sizes) * RTOL] = 0.0
        remainder = _rounding_remainder(g, v, resid, remainder, tolerance, n_windows)
        market_units = denominator
        _check_units_not_zero(rows, g, denominator)
    else:
        if market_size is not None:
            _check_sizes_given(rows, src, g, sizes)
        _check_share_sums(rows, g, v, listed, tolerance=tolerance)
        flags = np.zeros(n_windows, dtype=bool)
        denominator = np.ones(n_windows)
        remainder = np.clip(1.0 - listed, 0.0, None)
        remainder[remainder <= RTOL] = 0.0
        remainder = _rounding_remainder(g, v, resid, remainder, tolerance, n_windows)
        market_units = sizes

    g, v, resid, src = _add_remainder(rows, others, g, v, resid, src, remainder)
    key = np.where(resid, LAST, -v) if resid.any() else -v
    order = order_within(g, key, n_windows)
    g, v, resid, src = g[order], v[order], resid[order], src[order]
    if rows.has_units:
        units, share = v, v / denominator[g]
    else:
        share, units = v, v * sizes[g]  # NaN unless market_size= was given
    return ShareTable(
        figures=figures,
        windows=windows,
        code=g,
        units=units,
        share=share,
        residual=resid,
        source_row=src,
        market_units=market_units,
        flags=flags,
        window_row=window_row,
        size_row=size_row,
        others=others,
        has_units=rows.has_units,
    )


def one_window_table(
    figures: pd.DataFrame, what: str, *, market_size=None, others: str = s.OTHERS
) -> ShareTable:
    """The share table of figures that must hold exactly one market and window."""
    single_window(figures, what)
    if len(figures) == 0:
        raise DataError(
            f"{what} got no figures: the market is empty",
            hint="pass the figures of one market and window (brands and/or a market size)",
        )
    return share_table(figures, market_size=market_size, others=others)
