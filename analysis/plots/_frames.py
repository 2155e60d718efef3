"""Input checks shared by the chart functions: frames in, columns checked, one market.

A frame that lacks a column, is empty or repeats a key is bad *data*:
:class:`marketdata.DataError`. A wrong kind of argument is a ``TypeError``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis._format import market_label, window_label
from analysis._validation import check_columns
from marketdata import schema as s
from marketdata.errors import DataError


def as_frame(data: object, what: str) -> pd.DataFrame:
    """``data`` if it is a DataFrame, else ``data.frame()``; TypeError otherwise."""
    if isinstance(data, pd.DataFrame):
        return data
    frame = getattr(data, "frame", None)
    if callable(frame):
        result = frame()
        if isinstance(result, pd.DataFrame):
            return result
    raise TypeError(
        f"{what} must be a DataFrame or a result with a .frame() method, got {type(data).__name__}"
    )


def require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """DataError naming the columns ``frame`` lacks, or saying it is empty."""
    check_columns(
        frame,
        list(columns),
        what=what,
        hint="pass the frame the matching analysis function returns",
    )
    if frame.empty:
        raise DataError(f"{what} is empty: there is nothing to draw")


def one_market(frame: pd.DataFrame, market: str | None, what: str) -> tuple[pd.DataFrame, str]:
    """Rows of one market: ``market`` if given, else the only market in ``frame``."""
    if s.MARKET not in frame.columns:
        return frame, market or ""
    markets = frame[s.MARKET].dropna().unique().tolist()
    if market is None:
        if len(markets) > 1:
            raise ValueError(
                f"{what} holds several markets {sorted(markets)}; pass market= to pick one"
            )
        return frame, (markets[0] if markets else "")
    rows = frame[frame[s.MARKET] == market]
    if rows.empty:
        raise ValueError(f"{what} has no rows for market {market!r}; it has {sorted(markets)}")
    return rows, market


def midpoints(start: pd.Series, end: pd.Series) -> pd.Series:
    """Middle of each period (end when start is NaT, for cumulative-to-date figures)."""
    start = pd.Series(pd.to_datetime(np.asarray(start)))
    end = pd.Series(pd.to_datetime(np.asarray(end)))
    middle = start + (end - start) / 2
    return middle.where(start.notna(), end).dt.normalize()


def check_unique(frame: pd.DataFrame, keys: list[str], what: str) -> None:
    """DataError if ``keys`` repeat (a chart cell would silently be summed)."""
    duplicated = frame.duplicated(subset=keys, keep=False)
    if duplicated.any():
        rows = frame.index[duplicated].tolist()[:6]
        raise DataError(
            f"{what} has several rows for the same {keys} (rows {rows}); "
            "aggregate them first (e.g. market_share on the figures)"
        )


def attribute(result: object, name: str) -> object:
    """``result.name`` for a result object; None for a DataFrame (whose attributes are
    its columns) or when the result lacks it."""
    if isinstance(result, (pd.DataFrame, pd.Series)):
        return None
    return getattr(result, name, None)


def labels(start: Iterable[object], end: Iterable[object]) -> list[str]:
    """Window labels (:func:`marketdata.period_label`) of paired starts and ends."""
    return [window_label(a, b) for a, b in zip(start, end, strict=True)]


def window_name(result: object, frame: pd.DataFrame) -> str:
    """Market and window of a result (or the frame's only ones), e.g. "Taiwan 2013"; ""
    if neither is known."""
    parts = []
    for column in (s.MARKET, s.START, s.END):
        value = attribute(result, column)
        if value is None and column in frame.columns and frame[column].nunique() == 1:
            value = frame[column].iloc[0]
        parts.append(value)
    market, start, end = parts
    name = market_label(market) if market is not None else ""
    if end is None or pd.isna(end):
        return name
    label = window_label(start, end)
    return f"{name} {label}" if name else label
