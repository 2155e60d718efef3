"""Step 3 of the share table: each window's market size.

From the ``market_size=`` argument (a number, or market-size rows matched by market and
window) or a brand-NA row (a source's ``Total``) in the figures. A size of another metric is
combined only when passed explicitly; usage and installed-base shares are never turned
into units with one.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from analysis.structure._share_engine.checks import fail
from analysis.structure._share_engine.grouping import WindowIndex
from analysis.structure._share_engine.rows import Rows
from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.validate import check_rows

__all__ = ["market_sizes"]

# the quantities that only make sense as shares of their own population
_SHARE_ONLY_METRICS = ("usage", "installed_base")


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
    checked = check_rows(frame, values=(s.UNITS,))
    table = pd.DataFrame(
        {
            "market": frame[s.MARKET].astype("string").to_numpy(dtype=object),
            "start": checked[s.START].to_numpy(dtype="datetime64[ns]"),
            "end": checked[s.END].to_numpy(dtype="datetime64[ns]"),
            "units": checked[s.UNITS].to_numpy(),
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


def _check_size_metric(rows: Rows, window_row: np.ndarray, size_metric: np.ndarray) -> None:
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


def market_sizes(rows: Rows, market_size, window_row: np.ndarray) -> np.ndarray:
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
