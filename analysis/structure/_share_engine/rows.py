"""Step 1 and 2 of the share table: the figures read into arrays, and checked.

Mixed metrics (usage, installed base, shipments, sales) or bases in one window, a brand
twice in one window, and overlapping windows of one market are refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.structure._share_engine.checks import (
    check_frame,
    check_overlaps,
    check_uniform,
    check_unique,
)
from analysis.structure._share_engine.grouping import WindowIndex, factorize, group_windows
from marketdata import schema as s
from marketdata.validate import check_rows as check_figure_rows

__all__ = ["Rows", "check_rows", "read_rows"]


@dataclass
class Rows:
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


def read_rows(figures: pd.DataFrame, others: str) -> Rows:
    value_column = check_frame(figures)
    checked = check_figure_rows(figures, values=(value_column,))
    values = checked[value_column].to_numpy()
    start = checked[s.START].to_numpy(dtype="datetime64[ns]")
    end = checked[s.END].to_numpy(dtype="datetime64[ns]")
    b_code, b_uniq = factorize(figures[s.BRAND])
    # brand NA is the market size; so is the canonical "Total" (a source's Total, Market,
    # All vendors, 合計 ... as brand_name spells them) if a frame was built by hand
    total = np.flatnonzero(b_uniq.astype(str) == s.TOTAL)
    is_size = (b_code < 0) | (b_code == (total[0] if len(total) else -2))
    residual_uniq = np.isin(b_uniq.astype(str), list(set(s.RESIDUAL_BRANDS) | {others}))
    is_residual = (
        residual_uniq[b_code] & ~is_size
        if residual_uniq.any()
        else np.zeros(len(figures), dtype=bool)
    )
    m_code, m_uniq = factorize(figures[s.METRIC])
    return Rows(
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


def check_rows(rows: Rows) -> tuple[np.ndarray, np.ndarray]:
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
