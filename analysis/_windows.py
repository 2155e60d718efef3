"""Shared machinery of the market-structure functions (private).

Everything here works on a figures frame that may hold many markets and windows. A
*window* is one (market, start, end) triple; figures are compared only within a window, and
two different windows of one market (and metric) must not overlap: a quarter inside a year
is refused, never summed. The numeric core groups rows with integer window codes,
``np.bincount`` sums and one row-wise sort of a padded (windows x brands) matrix, so it
runs in time close to a columnar database on millions of rows.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError, DoubleCountWarning

_SHOW = 5  # how many offending rows a message lists
RTOL = 1e-9  # relative tolerance when comparing a window's listed units with its market size
SHARE_TOL = 1e-6  # shares may sum to 1 + this (rounding) before we call it an overcount
MARKET_UNITS = "market_units"
DOUBLE_COUNT = "double_count"
_NOTE_SAYS_DOUBLE = re.compile(r"double[- ]?count|exceed", re.IGNORECASE)
OVERCOUNT = ("raise", "warn")
_LAST = np.finfo(np.float64).max  # sort key of residual rows: after every brand


# ----------------------------------------------------------------------------- messages
def rows_text(positions: np.ndarray) -> str:
    """'rows 3, 7, 9' (1-based positions as a user counts rows, at most _SHOW listed)."""
    rows = [int(i) + 1 for i in positions]
    text = ", ".join(map(str, rows[:_SHOW]))
    if len(rows) > _SHOW:
        text += f" and {len(rows) - _SHOW} more"
    return ("row " if len(rows) == 1 else "rows ") + text


def fail(frame: pd.DataFrame, mask: np.ndarray, column: str | None, problem: str, hint: str):
    """Raise a DataError naming the rows where ``mask`` is True (if any)."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    where = np.flatnonzero(mask)
    first = int(where[0])
    value = frame[column].iloc[first] if column is not None and column in frame else None
    shown = f" (value {value!r})" if column is not None else ""
    raise DataError(
        f"{problem}{shown}; {rows_text(where)}",
        row=first + 1,
        column=column,
        value=value,
        hint=hint,
    )


def window_label(start, end) -> str:
    """A short label for a window: '2013Q1', '2013', '2013-06', else 'start..end'."""
    end = pd.Timestamp(end)
    if pd.isna(start):
        return f"to {end.date()}"
    start = pd.Timestamp(start)
    for freq in ("Y", "Q", "M"):
        period = start.to_period(freq)
        if period.start_time == start and period.end_time.normalize() == end:
            return str(period)
    if start == end:
        return str(start.date())
    return f"{start.date()}..{end.date()}"


# ----------------------------------------------------------------------------- checks
def check_frame(figures) -> str:
    """Check the columns a structure computation needs; return the value column name."""
    if not isinstance(figures, pd.DataFrame):
        raise TypeError(f"expected a figures DataFrame, got {type(figures).__name__}")
    value = s.UNITS if s.UNITS in figures.columns else s.SHARE
    needed = [s.BRAND, s.MARKET, s.START, s.END, s.METRIC, value]
    missing = [c for c in needed if c not in figures.columns]
    if missing:
        raise DataError(
            f"the figures frame lacks the column(s) {missing}",
            hint="load figures with marketdata (datasets.load, read, from_frame) or give "
            "brand, market, start, end, metric and units (or share) columns",
        )
    return value


def as_dates(figures: pd.DataFrame, column: str) -> np.ndarray:
    """The column as datetime64[ns] (NaT allowed); DataError if it is not dates."""
    values = figures[column]
    if not pd.api.types.is_datetime64_any_dtype(values):
        try:
            values = pd.to_datetime(values)
        except (ValueError, TypeError):
            raise DataError(
                f"column {column!r} does not hold dates",
                column=column,
                hint="parse periods with marketdata.parse_period, or run marketdata.validate",
            ) from None
    return values.to_numpy(dtype="datetime64[ns]")


def as_values(figures: pd.DataFrame, column: str) -> np.ndarray:
    """The units or share column as float64, refusing NaN, negatives and shares above 1."""
    try:
        values = pd.to_numeric(figures[column]).to_numpy(dtype="float64", na_value=np.nan)
    except (ValueError, TypeError):
        raise DataError(
            f"column {column!r} does not hold numbers",
            column=column,
            hint="parse text with marketdata.parse_units, or load with marketdata.read",
        ) from None
    fail(
        figures,
        ~np.isfinite(values),
        column,
        f"{column} is missing or not finite",
        "give a number for every figure, or drop the row and say why",
    )
    fail(
        figures, values < 0, column, f"{column} is negative", "units and shares are never negative"
    )
    if column == s.SHARE:
        fail(
            figures,
            values > 1,
            column,
            "share is above 1",
            "shares are fractions 0-1: divide percentages by 100",
        )
    return values


# ----------------------------------------------------------------------------- windows
@dataclass(frozen=True)
class Windows:
    """Rows of a figures frame grouped into (key, start, end) windows (key = market)."""

    code: np.ndarray  # window code per row, 0..n-1, ordered by key, start, end
    market: np.ndarray  # per window (object array of str)
    start: np.ndarray  # per window datetime64[ns]
    end: np.ndarray  # per window datetime64[ns]
    row: np.ndarray  # per window: the position of one of its rows

    @property
    def n(self) -> int:
        return len(self.market)

    def label(self, g: int) -> str:
        return f"{self.market[g]} {window_label(self.start[g], self.end[g])}"


def factorize(values) -> tuple[np.ndarray, np.ndarray]:
    """Sorted integer codes (int64, -1 for NA) and the few unique values, without objects."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.is_monotonic_increasing:
        # a categorical's codes already are sorted codes (unused categories do no harm)
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        return codes, np.asarray(dtype.categories, dtype=object)
    codes, uniques = pd.factorize(values, sort=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def _dense(combined: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense codes of non-negative ints below ``size``, keeping their order."""
    if size <= 4 * len(combined) + 1_000_000:
        present = np.bincount(combined, minlength=size) > 0
        dense = np.cumsum(present) - 1
        return dense[combined], np.flatnonzero(present)
    codes, uniques = pd.factorize(combined, sort=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques)


def group_windows(key: pd.Series, start: np.ndarray, end: np.ndarray) -> Windows:
    """Integer window codes, ordered by key (market), then start (NaT first), then end."""
    k_code, k_uniq = factorize(key)
    s_code, s_uniq = factorize(start.view(np.int64))
    e_code, e_uniq = factorize(end.view(np.int64))
    se, se_uniq = _dense(s_code * len(e_uniq) + e_code, len(s_uniq) * len(e_uniq))
    code, uniq = _dense(k_code * len(se_uniq) + se, len(k_uniq) * len(se_uniq))
    se_of = se_uniq[uniq % len(se_uniq)]
    row = np.zeros(len(uniq), dtype=np.int64)
    row[code[::-1]] = np.arange(len(code))[::-1]  # some row of each window
    return Windows(
        code=code,
        market=k_uniq[uniq // len(se_uniq)],
        start=s_uniq[se_of // len(e_uniq)].astype(np.int64).view("datetime64[ns]"),
        end=e_uniq[se_of % len(e_uniq)].astype(np.int64).view("datetime64[ns]"),
        row=row,
    )


def check_uniform(frame, windows: Windows, values: np.ndarray, rows, column, what, hint):
    """Refuse windows whose ``rows`` hold more than one of the integer ``values``."""
    if not rows.any() or values.max(initial=-1) == values.min(initial=-1):
        return
    codes, G = windows.code, windows.n
    shifted = values[rows] + 1  # NA (-1) is a value of its own
    width = int(shifted.max()) + 1
    seen = np.zeros((G, width), dtype=bool)
    seen[codes[rows], shifted] = True
    mixed = seen.sum(axis=1) > 1
    if mixed.any():
        fail(frame, rows & mixed[codes], column, f"one window mixes {what}", hint)


def check_unique(frame, windows: Windows, brand_code, n_brands, rows):
    """Refuse a brand listed twice in one window (it would be summed silently)."""
    if not rows.any():
        return
    codes, G = windows.code, windows.n
    key = codes[rows] * n_brands + brand_code[rows]
    if G * n_brands <= 4 * len(key) + 1_000_000:
        counts = np.bincount(key, minlength=G * n_brands)
        dup_sub = counts[key] > 1
    else:
        dup_sub = pd.Series(key).duplicated(keep=False).to_numpy()
    if dup_sub.any():
        bad = np.zeros(len(frame), dtype=bool)
        bad[np.flatnonzero(rows)[dup_sub]] = True
        fail(
            frame,
            bad,
            s.BRAND,
            "a brand appears more than once in one window",
            "keep one figure per brand, market and window (sum sub-brands first, "
            "deliberately, if that is what you mean)",
        )


def check_overlaps(frame, windows: Windows, window_metric: np.ndarray, *, who: str):
    """Refuse two different, overlapping windows within one key (market or brand) and metric.

    Works on the windows, not the rows (``window_metric``: a metric code per window).
    Cumulative figures (start NaT) are snapshots, not windows, and are not checked.
    """
    table = pd.DataFrame(
        {
            "key": windows.market,
            "metric": window_metric,
            "start": windows.start,
            "end": windows.end,
            "pos": windows.row,
        }
    )
    table = table[~np.isnat(windows.start)]
    if len(table) < 2:
        return
    table = table.sort_values(["key", "metric", "start", "end"], kind="stable")
    keys = table["key"].to_numpy()
    metrics = table["metric"].to_numpy()
    same = np.zeros(len(table), dtype=bool)
    same[1:] = (keys[1:] == keys[:-1]) & (metrics[1:] == metrics[:-1])
    block = np.cumsum(~same)
    latest = pd.Series(table["end"].to_numpy()).groupby(block).cummax().to_numpy()
    overlap = np.zeros(len(table), dtype=bool)
    overlap[1:] = same[1:] & (table["start"].to_numpy()[1:] <= latest[:-1])
    if overlap.any():
        i = int(np.flatnonzero(overlap)[0])
        row = table.iloc[i]
        earlier = table.iloc[:i]
        earlier = earlier[(earlier["key"] == row["key"]) & (earlier["metric"] == row["metric"])]
        other = earlier[earlier["end"] >= row["start"]].iloc[0]
        mask = np.zeros(len(frame), dtype=bool)
        mask[[int(other["pos"]), int(row["pos"])]] = True
        metric = frame[s.METRIC].iloc[int(row["pos"])]
        raise DataError(
            f"{who} {row['key']} mixes overlapping windows "
            f"{window_label(other['start'], other['end'])} and "
            f"{window_label(row['start'], row['end'])} ({metric}); "
            f"{rows_text(np.flatnonzero(mask))}",
            row=int(mask.argmax()) + 1,
            column=s.START,
            value=frame[s.START].iloc[int(mask.argmax())],
            hint="figures of different windows are never summed: select one granularity "
            "(e.g. only quarters, or only years) before computing shares",
        )


# ----------------------------------------------------------------------------- ordering
def order_within(codes: np.ndarray, key: np.ndarray, n_groups: int) -> np.ndarray:
    """Permutation sorting rows by window code, then ``key`` ascending.

    ``key`` must be finite (residual rows use the largest float, padding is inf). Rows of equal key keep an order that is deterministic for a given input but not
    specified. Uses one row-wise sort of a (windows x max rows per window) matrix --
    a reshape, without copying, when the rows come grouped in equal-sized windows as
    panels do -- else one lexsort when window sizes are very uneven.
    """
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    counts = np.bincount(codes, minlength=n_groups)
    width = int(counts.max())
    if n_groups * width > 3 * n + 1024:
        return np.lexsort((key, codes))
    grouped = n < 2 or bool(np.all(codes[1:] >= codes[:-1]))
    first = np.zeros(n_groups, dtype=np.int64)
    np.cumsum(counts[:-1], out=first[1:])
    if grouped and n == n_groups * width:
        inner = np.argsort(key.reshape(n_groups, width), axis=1)
        inner += first[:, None]
        return inner.reshape(-1)
    by_group = np.arange(n) if grouped else np.argsort(codes, kind="stable")
    g_sorted = codes[by_group]
    pos = np.arange(n) - first[g_sorted]
    matrix = np.full((n_groups, width), np.inf)  # padding sorts after every real key
    matrix[g_sorted, pos] = key[by_group]
    inner = np.argsort(matrix, axis=1)
    keep = np.arange(width)[None, :] < counts[:, None]
    flat = (first[:, None] + inner)[keep]
    return by_group[flat]


def ranks_sorted(g_sorted: np.ndarray, v_sorted: np.ndarray, first: np.ndarray):
    """Min-method ranks (1 = largest) and tie flags of rows sorted by window, value desc."""
    n = len(g_sorted)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (g_sorted[1:] != g_sorted[:-1]) | (v_sorted[1:] != v_sorted[:-1])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(n), 0))
    rank = run_start - first[g_sorted] + 1
    run_id = np.cumsum(new_run) - 1
    run_len = np.bincount(run_id)
    tied = run_len[run_id] > 1
    return rank, tied


# ----------------------------------------------------------------------------- share table
@dataclass
class ShareTable:
    """Brand and residual rows of every window in sorted order, as arrays.

    Rows are sorted by window (market, start, end), named brands before residuals,
    larger first, then input order. ``source_row`` points into the figures (-1 for an
    ``others`` remainder row the computation added). The tidy frame is built on demand.
    """

    figures: pd.DataFrame
    windows: Windows
    code: np.ndarray  # window code per row
    units: np.ndarray
    share: np.ndarray
    residual: np.ndarray  # bool: Others/Unknown residual
    source_row: np.ndarray  # position in figures, -1 for an added remainder row
    market_units: np.ndarray  # per window: the denominator (NaN for shares w/o size)
    flags: np.ndarray  # per window: double count
    window_row: np.ndarray  # per window: a brand row (or the size row) of the window
    size_row: np.ndarray  # per window: the market-size row, -1 if none
    others: str
    has_units: bool
    _frame: pd.DataFrame | None = None

    def value(self) -> np.ndarray:
        """What ranks: units, or shares for share data."""
        return self.units if self.has_units else self.share

    def window_metric(self) -> pd.Series:
        return self.figures[s.METRIC].iloc[self.window_row].reset_index(drop=True)

    @property
    def frame(self) -> pd.DataFrame:
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
            source = pd.Series(self._take(s.SOURCE, self.source_row)).astype("string")
            if added.any():
                sizes = self.size_row[self.code[added]]
                texts = self.figures[s.SOURCE].astype("string").to_numpy(dtype=object)
                what = (
                    "market size minus listed brands"
                    if self.has_units
                    else ("1 minus the listed shares")
                )
                source[added] = [
                    what + (f" ({texts[i]})" if i >= 0 and not pd.isna(texts[i]) else "")
                    for i in sizes
                ]
            out[s.SOURCE] = source
        return pd.DataFrame(out, copy=False)  # fresh arrays: no consolidating copy


def _sizes_from_argument(market_size, windows: Windows, has_units: bool) -> np.ndarray:
    """Market size per window from the ``market_size=`` argument (NaN where none)."""
    sizes = np.full(windows.n, np.nan)
    if market_size is None:
        return sizes
    if isinstance(market_size, Real) and not isinstance(market_size, bool):
        size = float(market_size)
        if not np.isfinite(size) or size <= 0:
            raise ValueError(f"market_size must be a positive number of units, got {size!r}")
        sizes[:] = size
        return sizes
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
    units = as_values(frame, s.UNITS)
    table = pd.DataFrame(
        {
            "market": frame[s.MARKET].astype("string").to_numpy(dtype=object),
            "start": as_dates(frame, s.START),
            "end": as_dates(frame, s.END),
            "units": units,
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
    return merged["units"].to_numpy(dtype="float64")


def _note_flags(figures: pd.DataFrame, codes: np.ndarray, windows: Windows) -> np.ndarray:
    """Windows whose rows carry a note that says the rows double count."""
    flags = np.zeros(windows.n, dtype=bool)
    if s.NOTE not in figures.columns:
        return flags
    notes = figures[s.NOTE].astype("string")
    says = notes.str.contains(_NOTE_SAYS_DOUBLE, na=False).to_numpy(dtype=bool)
    if says.any():
        flags[np.unique(codes[says])] = True
        shown = sorted({windows.label(int(g)) for g in codes[says]})
        text = notes[says].iloc[0]
        warnings.warn(
            f"the notes of {len(shown)} window(s) ({', '.join(shown[:_SHOW])}"
            f"{' ...' if len(shown) > _SHOW else ''}) say their rows double count: "
            f"{text!r}; their rows are flagged double_count=True. Pass the published "
            "totals as market_size= to check them",
            DoubleCountWarning,
            stacklevel=4,
        )
    return flags


def share_table(
    figures: pd.DataFrame,
    *,
    market_size=None,
    others: str = s.OTHERS,
    overcount: str = "raise",
) -> ShareTable:
    """Validate ``figures`` and compute each brand's share of its window (see market_share)."""
    value_column = check_frame(figures)
    if not isinstance(others, str) or not others:
        raise TypeError(f"others must be a brand name such as 'Others', got {others!r}")
    if overcount not in OVERCOUNT:
        raise ValueError(f"overcount must be one of {OVERCOUNT}, got {overcount!r}")
    has_units = value_column == s.UNITS
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
    is_brand = ~is_size
    residual_names = set(s.RESIDUAL_BRANDS) | {others}
    residual_uniq = np.isin(b_uniq.astype(str), list(residual_names))
    if residual_uniq.any():
        is_residual = residual_uniq[b_code] & is_brand
    else:
        is_residual = np.zeros(len(figures), dtype=bool)
    m_code, m_uniq = factorize(figures[s.METRIC])

    windows = group_windows(figures[s.MARKET], start, end)
    codes = windows.code
    G = windows.n
    check_uniform(
        figures,
        windows,
        m_code,
        is_brand,
        s.METRIC,
        "metrics",
        "compare like with like: select one metric (shipments or sales) per window",
    )
    if s.BASIS in figures.columns:
        basis_code, _ = factorize(figures[s.BASIS])
        check_uniform(
            figures,
            windows,
            basis_code,
            is_brand,
            s.BASIS,
            "bases",
            "select per-period or cumulative figures, not both",
        )
    check_unique(figures, windows, b_code, max(len(b_uniq), 1), is_brand)
    window_row = windows.row.copy()
    size_row = np.full(G, -1, dtype=np.int64)
    positions = np.arange(len(figures))
    if is_size.any():
        size_row[codes[is_size][::-1]] = positions[is_size][::-1]
        window_row[codes[is_size]] = positions[is_size]
    if is_size.any():
        window_row[codes[is_brand][::-1]] = positions[is_brand][::-1]  # prefer a brand row
    check_overlaps(figures, windows, m_code[window_row], who="market")

    # market size per window: the argument, else a brand-NA row in the figures
    sizes = _sizes_from_argument(market_size, windows, has_units)
    if is_size.any():
        size_counts = np.bincount(codes[is_size], minlength=G)
        fail(
            figures,
            is_size & (size_counts[codes] > 1),
            s.UNITS if has_units else None,
            "more than one market-size row (brand NA) in one window",
            "keep one market size per market and window",
        )
        if not has_units:
            fail(
                figures,
                is_size,
                None,
                "a market-size row (brand NA) among share figures",
                "shares need no market size; pass it as market_size= to convert to units",
            )
        in_frame = np.full(G, np.nan)
        in_frame[codes[is_size]] = values[is_size]
        # a size row in the figures must measure what the brand rows of its window measure
        has_brands = np.bincount(codes[is_brand], minlength=G) > 0
        differs = m_code[window_row][codes] != m_code
        bad = is_size & has_brands[codes] & differs & np.isnan(sizes[codes])
        fail(
            figures,
            bad,
            s.METRIC,
            "a market-size row measures a different metric than the brand rows of its window",
            "pass the size explicitly as market_size= (a number or frame) to combine them "
            "on purpose, or drop the row",
        )
        sizes = np.where(np.isnan(sizes), in_frame, sizes)

    # brand rows (named and residual)
    all_brands = bool(is_brand.all())
    rows = positions if all_brands else np.flatnonzero(is_brand)
    g = codes if all_brands else codes[rows]
    v = values if all_brands else values[rows]
    resid = is_residual if all_brands else is_residual[rows]
    listed = np.bincount(g, weights=v, minlength=G)
    flags = _note_flags(figures, codes, windows)

    if has_units:
        have_size = ~np.isnan(sizes)
        over = have_size & (listed > sizes * (1 + RTOL))
        if over.any():
            bad_windows = np.flatnonzero(over)
            detail = "; ".join(
                f"{windows.label(int(x))}: listed {listed[x]:,.0f} > market {sizes[x]:,.0f}"
                for x in bad_windows[:_SHOW]
            )
            if overcount == "raise":
                fail(
                    figures,
                    is_brand & over[codes],
                    None,
                    f"the listed brands add up to more than the market size ({detail}): "
                    "some units are counted twice",
                    "remove the double count (e.g. a brand also inside Others), or pass "
                    "overcount='warn' to use the listed sum as the market and flag it",
                )
            warnings.warn(
                f"{len(bad_windows)} window(s) list more units than the market size "
                f"({detail}); their shares use the listed sum and are flagged "
                "double_count=True",
                DoubleCountWarning,
                stacklevel=3,
            )
            flags |= over
            sizes = np.where(over, np.nan, sizes)
        denominator = np.where(np.isnan(sizes), listed, sizes)
        remainder = np.where(np.isnan(sizes), 0.0, sizes - listed)
        remainder[remainder <= sizes * RTOL] = 0.0
        market_units = denominator
    else:
        if market_size is not None:
            sizes_ok = ~np.isnan(sizes)
            if not sizes_ok[g].all():
                missing = np.zeros(len(figures), dtype=bool)
                missing[rows[~sizes_ok[g]]] = True
                fail(
                    figures,
                    missing,
                    None,
                    "no market size for the window of these shares",
                    "give a size for every window, or a single number",
                )
        over = listed > 1 + SHARE_TOL
        if over.any():
            fail(
                figures,
                is_brand & over[codes],
                s.SHARE,
                "the shares of one window add up to more than 1",
                "check for a double count or shares given in percent; shares are fractions",
            )
        denominator = np.ones(G)
        remainder = np.clip(1.0 - listed, 0.0, None)
        remainder[remainder <= SHARE_TOL] = 0.0
        market_units = sizes

    zero = (denominator <= 0) & (np.bincount(g, minlength=G) > 0)
    if zero.any():
        fail(
            figures,
            is_brand & zero[codes],
            value_column,
            "a window's figures add up to zero, so shares are undefined",
            "drop the window or give its figures",
        )

    # the remainder goes to the window's own `others` row, or a new row
    add = np.flatnonzero(remainder > 0)
    new_rows = add
    if len(add):
        others_code = np.flatnonzero(b_uniq.astype(str) == others)
        own_other = b_code[rows] == (others_code[0] if len(others_code) else -2)
        has_other = np.zeros(G, dtype=bool)
        has_other[g[own_other]] = True
        into_existing = add[has_other[add]]
        new_rows = add[~has_other[add]]
        if len(into_existing):
            extra = np.zeros(G)
            extra[into_existing] = remainder[into_existing]
            v = v + np.where(own_other, extra[g], 0.0)
    n_new = len(new_rows)
    if n_new:
        g = np.concatenate((g, new_rows))
        v = np.concatenate((v, remainder[new_rows]))
        resid = np.concatenate((resid, np.ones(n_new, dtype=bool)))
        rows = np.concatenate((rows, np.full(n_new, -1, dtype=np.int64)))
    key = np.where(resid, _LAST, -v) if resid.any() else -v
    order = order_within(g, key, G)
    g, v, resid, rows = g[order], v[order], resid[order], rows[order]
    if has_units:
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
        source_row=rows,
        market_units=market_units,
        flags=flags,
        window_row=window_row,
        size_row=size_row,
        others=others,
        has_units=has_units,
    )


# ----------------------------------------------------------------------------- single window
def single_window(figures: pd.DataFrame, what: str) -> None:
    """Refuse figures that span more than one market or window where one is expected."""
    check_frame(figures)
    market = figures[s.MARKET].astype("string")
    markets = market.dropna().unique()
    if len(markets) > 1:
        other = (market != market.iloc[0]).to_numpy(dtype=bool, na_value=True)
        fail(
            figures,
            other,
            s.MARKET,
            f"{what} needs the figures of one market, got {len(markets)} markets "
            f"({', '.join(map(str, markets[:_SHOW]))})",
            "select one market first, e.g. figures[figures.market == 'TW']",
        )
    start = as_dates(figures, s.START)
    end = as_dates(figures, s.END)
    key = (
        pd.Series(start.view(np.int64)).astype(str)
        + "/"
        + pd.Series(end.view(np.int64)).astype(str)
    )
    if key.nunique() > 1:
        other = (key != key.iloc[0]).to_numpy()
        fail(
            figures,
            other,
            s.END,
            f"{what} needs the figures of one window, got {key.nunique()} windows",
            "select one period first, e.g. figures[figures.end == '2013-12-31']",
        )
