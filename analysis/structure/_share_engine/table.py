"""The share table: each brand's share of its window, in sorted arrays.

:func:`share_table` validates a figures frame and computes, per (market, start, end)
window, the denominator (the market size when there is one, else the listed sum), the
``Others`` remainder and the order (named brands largest first, residuals last). Its steps
are modules of their own: :mod:`.rows` (read and check the rows), :mod:`.sizes` (market
sizes), :mod:`.sums` (the listed sum against the size), and here the remainder and the sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._validation import check_option, check_scalar
from analysis.structure._share_engine.grouping import WindowIndex, single_window
from analysis.structure._share_engine.kernels import LAST, order_within
from analysis.structure._share_engine.rows import Rows, check_rows, read_rows
from analysis.structure._share_engine.sizes import market_sizes
from analysis.structure._share_engine.sums import (
    RTOL,
    check_share_sums,
    check_sizes_given,
    check_units_against_size,
    check_units_not_zero,
    rounding_remainder,
)
from marketdata import schema as s
from marketdata.errors import DataError

__all__ = [
    "DOUBLE_COUNT",
    "MARKET_UNITS",
    "OVERCOUNT",
    "ShareTable",
    "one_window_table",
    "share_table",
]

MARKET_UNITS = "market_units"
DOUBLE_COUNT = "double_count"
OVERCOUNT = ("raise", "warn")


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


# ----------------------------------------------------------------------------- step 5: others
def _add_remainder(rows: Rows, others: str, g, v, resid, src, remainder):
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
    rows = read_rows(figures, others)
    window_row, size_row = check_rows(rows)
    sizes = market_sizes(rows, market_size, window_row)

    windows, n_windows = rows.windows, rows.windows.n
    all_brands = bool(rows.is_brand.all())
    src = np.arange(len(figures)) if all_brands else np.flatnonzero(rows.is_brand)
    g = windows.code if all_brands else windows.code[src]
    v = rows.values if all_brands else rows.values[src]
    resid = rows.is_residual if all_brands else rows.is_residual[src]
    listed = np.bincount(g, weights=v, minlength=n_windows)

    if rows.has_units:
        sizes, flags = check_units_against_size(
            rows, g, v, resid, listed, sizes, overcount=overcount, tolerance=tolerance
        )
        denominator = np.where(np.isnan(sizes), listed, sizes)
        remainder = np.where(np.isnan(sizes), 0.0, sizes - listed)
        remainder[remainder <= np.nan_to_num(sizes) * RTOL] = 0.0
        remainder = rounding_remainder(g, v, resid, remainder, tolerance, n_windows)
        market_units = denominator
        check_units_not_zero(rows, g, denominator)
    else:
        if market_size is not None:
            check_sizes_given(rows, src, g, sizes)
        check_share_sums(rows, g, v, listed, tolerance=tolerance)
        flags = np.zeros(n_windows, dtype=bool)
        denominator = np.ones(n_windows)
        remainder = np.clip(1.0 - listed, 0.0, None)
        remainder[remainder <= RTOL] = 0.0
        remainder = rounding_remainder(g, v, resid, remainder, tolerance, n_windows)
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
