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
RESIDUAL = "residual"
_NOTE_SAYS_DOUBLE = re.compile(r"double[- ]?count|exceed", re.IGNORECASE)
OVERCOUNT = ("raise", "warn")


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


def strings(figures: pd.DataFrame, column: str) -> pd.Series:
    return figures[column].astype("string")


# ----------------------------------------------------------------------------- windows
@dataclass(frozen=True)
class Windows:
    """Rows of a figures frame grouped into (market, start, end) windows."""

    code: np.ndarray  # window code per row, 0..n-1, ordered by market, start, end
    market: np.ndarray  # per window (object array of str)
    start: np.ndarray  # per window datetime64[ns]
    end: np.ndarray  # per window datetime64[ns]

    @property
    def n(self) -> int:
        return len(self.market)

    def label(self, g: int) -> str:
        return f"{self.market[g]} {window_label(self.start[g], self.end[g])}"


def _codes(values) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(uniques)


def group_windows(market: pd.Series, start: np.ndarray, end: np.ndarray) -> Windows:
    """Integer window codes, ordered by market, then start (NaT first), then end."""
    m_code, m_uniq = _codes(market.to_numpy(dtype=object, na_value=None))
    s_i8 = start.view(np.int64)
    e_i8 = end.view(np.int64)
    s_code, s_uniq = _codes(s_i8)
    e_code, e_uniq = _codes(e_i8)
    combined = (m_code * len(s_uniq) + s_code) * len(e_uniq) + e_code
    code, uniq = _codes(combined)
    e_idx = uniq % len(e_uniq)
    s_idx = (uniq // len(e_uniq)) % len(s_uniq)
    m_idx = uniq // (len(e_uniq) * len(s_uniq))
    return Windows(
        code=code,
        market=m_uniq[m_idx],
        start=s_uniq[s_idx].view("datetime64[ns]"),
        end=e_uniq[e_idx].view("datetime64[ns]"),
    )


def check_uniform(frame, codes, n_groups, column, rows, what, hint):
    """Refuse windows whose ``rows`` hold more than one value of ``column``."""
    if column not in frame.columns or not rows.any():
        return
    values = frame[column].astype("string").to_numpy(dtype=object, na_value="<NA>")
    v_code, v_uniq = _codes(values)
    if len(v_uniq) < 2:
        return
    g = codes[rows]
    seen = np.zeros((n_groups, len(v_uniq)), dtype=bool)
    seen[g, v_code[rows]] = True
    mixed = seen.sum(axis=1) > 1
    if mixed.any():
        bad = rows & mixed[codes]
        fail(frame, bad, column, f"one window mixes {what}", hint)


def check_unique(frame, codes, n_groups, brand_code, n_brands, rows):
    """Refuse a brand listed twice in one window (it would be summed silently)."""
    if not rows.any():
        return
    key = codes[rows] * n_brands + brand_code[rows]
    if n_groups * n_brands <= 50_000_000:
        counts = np.bincount(key, minlength=n_groups * n_brands)
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


def check_overlaps(frame, keys: pd.Series, start, end, metric, *, who: str):
    """Refuse two different, overlapping windows within one ``keys`` value and metric.

    ``keys`` is the market (for shares) or the brand (for exposure). Cumulative figures
    (start NaT) are snapshots, not windows, and are not checked.
    """
    has_start = ~np.isnat(start)
    if not has_start.any():
        return
    table = pd.DataFrame(
        {
            "key": keys.to_numpy(dtype=object, na_value="<NA>"),
            "metric": metric.to_numpy(dtype=object, na_value="<NA>"),
            "start": start,
            "end": end,
            "pos": np.arange(len(start)),
        }
    )[has_start]
    table = table.drop_duplicates(["key", "metric", "start", "end"])
    table = table.sort_values(["key", "metric", "start", "end"], kind="stable")
    same = (table["key"].to_numpy() == np.roll(table["key"].to_numpy(), 1)) & (
        table["metric"].to_numpy() == np.roll(table["metric"].to_numpy(), 1)
    )
    same[:1] = False
    ends = table["end"].to_numpy()
    # running latest end within each key/metric block
    block = np.cumsum(~same)
    latest = pd.Series(ends).groupby(block).cummax().to_numpy()
    prev_latest = np.roll(latest, 1)
    overlap = same & (table["start"].to_numpy() <= prev_latest)
    if overlap.any():
        i = int(np.flatnonzero(overlap)[0])
        row = table.iloc[i]
        earlier = table.iloc[:i]
        earlier = earlier[(earlier["key"] == row["key"]) & (earlier["metric"] == row["metric"])]
        other = earlier[earlier["end"] >= row["start"]].iloc[0]
        mask = np.zeros(len(frame), dtype=bool)
        mask[[int(other["pos"]), int(row["pos"])]] = True
        raise DataError(
            f"{who} {row['key']} mixes overlapping windows "
            f"{window_label(other['start'], other['end'])} and "
            f"{window_label(row['start'], row['end'])} ({row['metric']}); "
            f"{rows_text(np.flatnonzero(mask))}",
            row=int(other["pos"]) + 1,
            column=s.START,
            value=other["start"],
            hint="figures of different windows are never summed: select one granularity "
            "(e.g. only quarters, or only years) before computing shares",
        )


# ----------------------------------------------------------------------------- ordering
def order_within(codes: np.ndarray, key: np.ndarray, n_groups: int) -> np.ndarray:
    """Permutation sorting rows by window code, then ``key`` ascending, ties by position.

    Uses one row-wise sort of a padded (windows x max rows per window) matrix when the
    windows are of similar sizes, else one lexsort.
    """
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    counts = np.bincount(codes, minlength=n_groups)
    width = int(counts.max())
    if n_groups * width > 3 * n + 1024:
        return np.lexsort((np.arange(n), key, codes))
    if n > 1 and not np.all(codes[1:] >= codes[:-1]):
        by_group = np.argsort(codes, kind="stable")
    else:
        by_group = np.arange(n)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    g_sorted = codes[by_group]
    pos = np.arange(n) - first[g_sorted]
    matrix = np.full((n_groups, width), np.inf)
    matrix[g_sorted, pos] = key[by_group]
    inner = np.argsort(matrix, axis=1, kind="stable")
    # padding (inf) sorts last in every row, so the first counts[g] entries are real rows
    # (a real key of +inf keeps its place among the padding by stability).
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
@dataclass(frozen=True)
class ShareTable:
    """Brand and residual rows of every window, sorted, with units, share and flags."""

    frame: pd.DataFrame  # market, start, end, brand, units, share, market_units, metric, ...
    code: np.ndarray  # window code per row of frame
    residual: np.ndarray  # bool per row: Others/Unknown residual
    windows: Windows
    has_units: bool


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
    market = figures[s.MARKET].astype("string")
    brand = figures[s.BRAND].astype("string")
    metric = figures[s.METRIC].astype("string")
    is_size = brand.isna().to_numpy()
    is_brand = ~is_size
    residual_names = set(s.RESIDUAL_BRANDS) | {others}
    is_residual = brand.isin(residual_names).to_numpy(dtype=bool, na_value=False)

    windows = group_windows(market, start, end)
    codes = windows.code
    G = windows.n
    check_overlaps(figures, market, start, end, metric, who="market")
    check_uniform(
        figures,
        codes,
        G,
        s.METRIC,
        is_brand,
        "metrics",
        "compare like with like: select one metric (shipments or sales) per window",
    )
    if s.BASIS in figures.columns:
        check_uniform(
            figures,
            codes,
            G,
            s.BASIS,
            is_brand,
            "bases",
            "select per-period or cumulative figures, not both",
        )
    b_code, b_uniq = _codes(brand.to_numpy(dtype=object, na_value=None))
    check_unique(figures, codes, G, b_code, max(len(b_uniq), 1), is_brand)

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
        # a size row in the figures must measure what the brand rows measure
        if s.METRIC in figures.columns and is_brand.any():
            brand_metric = np.full(G, "", dtype=object)
            brand_metric[codes[is_brand]] = metric.to_numpy(dtype=object, na_value="")[is_brand]
            size_metric = metric.to_numpy(dtype=object, na_value="")
            has_brands = brand_metric[codes] != ""
            differs = brand_metric[codes] != size_metric
            bad = is_size & has_brands & differs & np.isnan(sizes[codes])
            fail(
                figures,
                bad,
                s.METRIC,
                "a market-size row measures a different metric than the brand rows of its window",
                "pass the size explicitly as market_size= (a number or frame) to "
                "combine them on purpose, or drop the row",
            )
        sizes = np.where(np.isnan(sizes), in_frame, sizes)

    # brand rows (named and residual)
    rows = np.flatnonzero(is_brand)
    g = codes[rows]
    v = values[rows]
    resid = is_residual[rows]
    listed = np.bincount(g, weights=v, minlength=G)
    flags = _note_flags(figures, codes, windows)

    if has_units:
        have_size = ~np.isnan(sizes)
        over = have_size & (listed > sizes * (1 + RTOL))
        if over.any():
            bad_windows = np.flatnonzero(over)
            labels = [windows.label(int(w)) for w in bad_windows]
            detail = "; ".join(
                f"{windows.label(int(w))}: listed {listed[w]:,.0f} > market {sizes[w]:,.0f}"
                for w in bad_windows[:_SHOW]
            )
            if overcount == "raise":
                bad = is_brand & over[codes]
                fail(
                    figures,
                    bad,
                    None,
                    f"the listed brands add up to more than the market size ({detail}): "
                    "some units are counted twice",
                    "remove the double count (e.g. a brand also inside Others), or pass "
                    "overcount='warn' to use the listed sum as the market and flag it",
                )
            warnings.warn(
                f"{len(labels)} window(s) list more units than the market size ({detail}); "
                "their shares use the listed sum and are flagged double_count=True",
                DoubleCountWarning,
                stacklevel=3,
            )
            flags |= over
            sizes = np.where(over, np.nan, sizes)
        denominator = np.where(np.isnan(sizes), listed, sizes)
        remainder = np.where(np.isnan(sizes), 0.0, sizes - listed)
        remainder[remainder <= sizes * RTOL] = 0.0
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

    zero = (denominator <= 0) & (np.bincount(g, minlength=G) > 0)
    fail(
        figures,
        is_brand & zero[codes],
        value_column,
        "a window's figures add up to zero, so shares are undefined",
        "drop the window or give its figures",
    )

    # add the remainder to the window's residual row named `others`, or a new row
    own_other = brand.to_numpy(dtype=object, na_value=None)[rows] == others
    add = np.flatnonzero(remainder > 0)
    has_other = np.zeros(G, dtype=bool)
    has_other[g[own_other]] = True
    into_existing = add[has_other[add]]
    new_rows = add[~has_other[add]]
    v = v.copy()
    if len(into_existing):
        extra = np.zeros(G)
        extra[into_existing] = remainder[into_existing]
        v = v + np.where(own_other, extra[g], 0.0)

    n_old, n_new = len(rows), len(new_rows)
    g_all = np.concatenate((g, new_rows))
    v_all = np.concatenate((v, remainder[new_rows]))
    resid_all = np.concatenate((resid, np.ones(n_new, dtype=bool)))
    if has_units:
        units_all = v_all
        share_all = v_all / denominator[g_all]
    else:
        share_all = v_all
        market_units = sizes[g_all]
        units_all = share_all * market_units  # NaN unless market_size= was given
    # sort: window, named before residual, larger first, then input order
    key = np.where(resid_all, np.inf, -v_all)
    order = order_within(g_all, key, G)
    old = order < n_old
    src_old = rows[order[old]]

    def column(values_old, values_new, dtype=None):
        out = np.empty(len(order), dtype=dtype or values_old.dtype)
        out[old] = values_old[src_old]
        out[~old] = values_new
        return out

    g_sorted = g_all[order]
    new_win = g_all[order[~old]]
    market_units = sizes if not has_units else denominator
    out = {
        s.MARKET: pd.array(windows.market[g_sorted], dtype="string"),
        s.START: windows.start[g_sorted],
        s.END: windows.end[g_sorted],
        s.BRAND: pd.array(
            column(
                brand.to_numpy(dtype=object, na_value=None), np.full(n_new, others, dtype=object)
            ),
            dtype="string",
        ),
        s.UNITS: units_all[order],
        s.SHARE: share_all[order],
        MARKET_UNITS: market_units[g_sorted],
        s.METRIC: pd.array(
            column(
                metric.to_numpy(dtype=object, na_value=None),
                _window_metric(metric, codes, is_brand, G)[new_win],
            ),
            dtype="string",
        ),
        DOUBLE_COUNT: flags[g_sorted],
    }
    if s.SOURCE in figures.columns:
        src = figures[s.SOURCE].astype("string").to_numpy(dtype=object, na_value=None)
        size_src = np.full(G, None, dtype=object)
        if is_size.any():
            size_src[codes[is_size]] = src[is_size]
        remainder_src = np.array(
            [
                f"market size minus listed brands ({x})" if x else "market size minus listed brands"
                for x in size_src[new_win]
            ],
            dtype=object,
        )
        out[s.SOURCE] = pd.array(column(src, remainder_src), dtype="string")
    frame = pd.DataFrame(out)
    return ShareTable(
        frame=frame, code=g_sorted, residual=resid_all[order], windows=windows, has_units=has_units
    )


def _window_metric(metric: pd.Series, codes, rows, G) -> np.ndarray:
    out = np.full(G, None, dtype=object)
    out[codes[rows]] = metric.to_numpy(dtype=object, na_value=None)[rows]
    return out


# ----------------------------------------------------------------------------- single window
def single_window(figures: pd.DataFrame, what: str) -> None:
    """Refuse figures that span more than one market or window where one is expected."""
    check_frame(figures)
    brand_rows = figures
    market = brand_rows[s.MARKET].astype("string")
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
