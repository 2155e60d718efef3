"""Grouping rows into windows: integer codes per (market, start, end), without objects.

A *window* is one (key, start, end) triple, the key being the market (or, for exposure,
the brand). Codes are dense, ordered by key, then start (NaT first), then end, so that the
kernels can work with ``np.bincount`` and one row-wise sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._format import window_label
from analysis.structure._share_engine.checks import SHOW, check_frame, fail
from marketdata import schema as s
from marketdata.validate import check_rows

__all__ = ["WindowIndex", "factorize", "group_windows", "single_window"]


@dataclass(frozen=True)
class WindowIndex:
    """Rows of a figures frame grouped into (key, start, end) windows (key = market)."""

    code: np.ndarray  # window code per row, 0..n-1, ordered by key, start, end
    market: np.ndarray  # per window (object array of str): the key
    start: np.ndarray  # per window datetime64[ns]
    end: np.ndarray  # per window datetime64[ns]
    row: np.ndarray  # per window: the position of one of its rows

    @property
    def n(self) -> int:
        return len(self.market)

    def period(self, g: int) -> str:
        """The window's period label (``2012Q2``, ``2013``, ``..2012-06-12``)."""
        return window_label(self.start[g], self.end[g])

    def label(self, g: int) -> str:
        """The key and period of window ``g``: ``'WW 2013Q1'``."""
        return f"{self.market[g]} {self.period(g)}"

    def labels(self, windows: np.ndarray) -> str:
        """At most SHOW window labels, joined, with a count of the rest."""
        shown = [self.label(int(g)) for g in windows[:SHOW]]
        more = f" and {len(windows) - SHOW} more" if len(windows) > SHOW else ""
        return ", ".join(shown) + more


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


def group_windows(key: pd.Series, start: np.ndarray, end: np.ndarray) -> WindowIndex:
    """Integer window codes, ordered by key (market), then start (NaT first), then end."""
    k_code, k_uniq = factorize(key)
    s_code, s_uniq = factorize(start.view(np.int64))
    e_code, e_uniq = factorize(end.view(np.int64))
    se, se_uniq = _dense(s_code * len(e_uniq) + e_code, len(s_uniq) * len(e_uniq))
    code, uniq = _dense(k_code * len(se_uniq) + se, len(k_uniq) * len(se_uniq))
    se_of = se_uniq[uniq % len(se_uniq)]
    row = np.zeros(len(uniq), dtype=np.int64)
    row[code[::-1]] = np.arange(len(code))[::-1]  # the first row of each window
    return WindowIndex(
        code=code,
        market=k_uniq[uniq // len(se_uniq)],
        start=s_uniq[se_of // len(e_uniq)].astype(np.int64).view("datetime64[ns]"),
        end=e_uniq[se_of % len(e_uniq)].astype(np.int64).view("datetime64[ns]"),
        row=row,
    )


def single_window(figures: pd.DataFrame, what: str) -> None:
    """Refuse figures that span more than one market or window where one is expected."""
    checked = check_rows(figures, values=(check_frame(figures),))
    market = figures[s.MARKET].astype("string")
    markets = market.dropna().unique()
    if len(markets) > 1:
        other = (market != market.iloc[0]).to_numpy(dtype=bool, na_value=True)
        fail(
            figures,
            other,
            s.MARKET,
            f"{what} needs the figures of one market, got {len(markets)} markets "
            f"({', '.join(map(str, markets[:SHOW]))})",
            "select one market first, e.g. figures[figures.market == 'TW']",
        )
    start = checked[s.START].to_numpy(dtype="datetime64[ns]")
    end = checked[s.END].to_numpy(dtype="datetime64[ns]")
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
