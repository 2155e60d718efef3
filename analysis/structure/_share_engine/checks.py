"""Checks of a figures frame before shares are computed: columns, values, windows.

Every check raises :class:`marketdata.DataError` naming the rows (1-based, as a user
counts them), the column and the first offending value, and saying what to do.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis._format import window_label
from analysis._validation import check_columns
from marketdata import schema as s
from marketdata.errors import DataError

__all__ = [
    "SHOW",
    "renumbered",
    "as_dates",
    "as_values",
    "check_frame",
    "check_overlaps",
    "check_same_metric",
    "check_uniform",
    "check_unique",
    "fail",
    "rows_text",
]

SHOW = 5  # how many offending rows or windows a message lists


def rows_text(positions: np.ndarray) -> str:
    """'rows 3, 7, 9' (1-based positions as a user counts rows, at most SHOW listed)."""
    rows = [int(i) + 1 for i in positions]
    text = ", ".join(map(str, rows[:SHOW]))
    if len(rows) > SHOW:
        text += f" and {len(rows) - SHOW} more"
    return ("row " if len(rows) == 1 else "rows ") + text


def fail(
    frame: pd.DataFrame, mask: np.ndarray, column: str | None, problem: str, hint: str
) -> None:
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


_ROWS = re.compile(r"\brows? (\d+(?:, \d+)*)")


def renumbered(error: DataError, positions: np.ndarray) -> DataError:
    """``error`` raised on a subset of rows, with its rows numbered as in the whole frame.

    Examples
    --------
    >>> print(renumbered(DataError("bad; rows 1, 2", row=1), np.array([4, 9])))
    row 5: bad; rows 5, 10
    """

    def whole(match: re.Match) -> str:
        numbers = [str(int(positions[int(n) - 1]) + 1) for n in match.group(1).split(", ")]
        return ("row " if len(numbers) == 1 else "rows ") + ", ".join(numbers)

    row = None if error.row is None else int(positions[error.row - 1]) + 1
    return DataError(
        _ROWS.sub(whole, error.message),
        file=error.file,
        row=row,
        line=error.line,
        column=error.column,
        value=error.value,
        hint=error.hint,
    )


def check_frame(figures: object) -> str:
    """Check the columns a structure computation needs; return the value column name.

    ``units`` when the frame has units, else ``share`` (also when a ``units`` column is
    there but empty, as in the rows of shares selected from a known-2012 file).
    """
    if not isinstance(figures, pd.DataFrame):
        more = ""
        if hasattr(figures, "figures") and hasattr(figures, "rejected"):
            more = "; pass its .figures (read(..., errors='collect') returns both)"
        raise TypeError(f"expected a figures DataFrame, got {type(figures).__name__}{more}")
    value = s.UNITS if s.UNITS in figures.columns else s.SHARE
    if value == s.UNITS and s.SHARE in figures.columns and figures[s.UNITS].isna().all():
        value = s.SHARE  # a facts frame's share rows: the units column is empty
    check_columns(
        figures,
        [s.BRAND, s.MARKET, s.START, s.END, s.METRIC, value],
        what="the figures frame",
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


def check_uniform(
    frame: pd.DataFrame,
    windows,
    values: np.ndarray,
    rows: np.ndarray,
    column: str,
    what: str,
    hint: str,
    names: np.ndarray | None = None,
) -> None:
    """Refuse windows whose ``rows`` hold more than one of the integer ``values``.

    ``names`` (the values' labels, by code) lets the message name what is mixed.
    """
    if not rows.any() or values.max(initial=-1) == values.min(initial=-1):
        return
    codes, n_windows = windows.code, windows.n
    shifted = values[rows] + 1  # NA (-1) is a value of its own
    width = int(shifted.max()) + 1
    seen = np.zeros((n_windows, width), dtype=bool)
    seen[codes[rows], shifted] = True
    mixed = seen.sum(axis=1) > 1
    if not mixed.any():
        return
    first = int(np.flatnonzero(mixed)[0])
    if names is not None:
        labels = ["NA" if k == 0 else repr(str(names[k - 1])) for k in np.flatnonzero(seen[first])]
        problem = f"{windows.label(first)} mixes {what} ({', '.join(labels)})"
    else:
        problem = f"one window mixes {what}"
    fail(frame, rows & mixed[codes], column, problem, hint)


def check_unique(frame: pd.DataFrame, windows, brand_code, n_brands: int, rows) -> None:
    """Refuse a brand listed twice in one window (it would be summed silently)."""
    if not rows.any():
        return
    codes, n_windows = windows.code, windows.n
    key = codes[rows] * n_brands + brand_code[rows]
    if n_windows * n_brands <= 4 * len(key) + 1_000_000:
        counts = np.bincount(key, minlength=n_windows * n_brands)
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


def check_overlaps(frame: pd.DataFrame, windows, window_metric: np.ndarray, *, who: str) -> None:
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
    if not overlap.any():
        return
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


def check_same_metric(metrics: pd.Series | np.ndarray, what: str) -> None:
    """Refuse a comparison across ``metrics`` that are not one metric (usage vs shipments).

    Examples
    --------
    >>> check_same_metric(["shipments", "usage"], "the two windows")
    Traceback (most recent call last):
    ...
    marketdata.errors.DataError: column 'metric': the two windows measure different metrics ('shipments', 'usage'); ...
    """
    found = sorted({str(m) for m in pd.Series(metrics).dropna()})
    if len(found) > 1:
        raise DataError(
            f"{what} measure different metrics ({', '.join(map(repr, found))})",
            column=s.METRIC,
            hint="compare like with like: web usage, installed base, shipments and sales "
            "are different things; select one metric first",
        )
