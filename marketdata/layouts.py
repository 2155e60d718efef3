"""Name a table's columns and reshape wide tables into one figure per row.

Column names are matched to the figures frame's after the caller's ``columns=`` mapping,
ignoring case and surrounding spaces. A few common names are understood as well:
``vendor``, ``manufacturer``, ``company``, ``oem`` (brand); ``country``, ``region``
(market); ``year``, ``quarter``, ``month`` (period). Anything else is *unknown*.

Layouts (``layout=``):

- ``"long"``: one figure per row, in a ``units`` (or ``share``) column.
- ``"wide_brands"``: a period (or start/end) column and one column per brand.
- ``"wide_periods"``: a brand column (or none, for market sizes) and one column per period;
  every unknown column's name must read as a period.
- ``"auto"`` (default): long if there is a ``units`` or ``share`` column; else
  wide_brands if there is a period, start or end column; else wide_periods if every
  unknown column's name reads as a period; else ``DataError`` asks for ``layout=``.

In wide layouts every unknown column is a value column; an empty cell means "not
reported" and makes no figure; a row with no figure at all is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.sources import Table

PERIOD = "period"
KNOWN = (
    s.BRAND,
    s.MARKET,
    PERIOD,
    s.START,
    s.END,
    s.UNITS,
    s.SHARE,
    s.BASIS,
    s.STATUS,
    s.METRIC,
    s.SOURCE,
    s.QUALIFIER,
    s.TEXT,
    s.NOTE,
)
SYNONYMS = {
    "vendor": s.BRAND,
    "manufacturer": s.BRAND,
    "company": s.BRAND,
    "oem": s.BRAND,
    "country": s.MARKET,
    "region": s.MARKET,
    "year": PERIOD,
    "quarter": PERIOD,
    "month": PERIOD,
}
LAYOUTS = ("auto", "long", "wide_brands", "wide_periods")


@dataclass(frozen=True)
class Long:
    """One candidate figure per row of ``cells``; ``pos`` is its row in the table and
    ``source_column`` the column (as named in the file) its value came from."""

    cells: pd.DataFrame
    pos: np.ndarray
    source_column: np.ndarray
    empty_rows: np.ndarray  # table rows of a wide table that hold no figure


def name_columns(table: Table, columns: dict | None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename the table's columns to canonical names; return the frame and new -> old."""
    mapping = dict(columns or {})
    header = list(table.frame.columns)
    missing = [c for c in mapping if c not in header]
    if missing:
        raise DataError(
            f"columns= names {missing}, which the table does not have",
            file=table.file,
            line=table.header_line,
            hint=f"its columns are {header}",
        )
    wrong = {k: v for k, v in mapping.items() if v not in KNOWN}
    if wrong:
        raise ValueError(f"columns= maps to unknown names {wrong}; map to one of {list(KNOWN)}")
    renamed = []
    for name in header:
        if name in mapping:
            renamed.append(mapping[name])
            continue
        key = name.strip().lower()
        renamed.append(key if key in KNOWN else SYNONYMS.get(key, name))
    seen: dict[str, str] = {}
    for old, new in zip(header, renamed, strict=True):
        if new in seen:
            raise DataError(
                f"columns {seen[new]!r} and {old!r} both mean {new!r}",
                file=table.file,
                line=table.header_line,
                hint=f"map one of them elsewhere with columns={{{old!r}: ...}}",
            )
        seen[new] = old
    frame = table.frame.set_axis(renamed, axis=1)
    return frame, {new: old for new, old in zip(renamed, header, strict=True)}


def _reads_as_period(name: str) -> bool:
    from marketdata.periods import parse_period

    try:
        parse_period(name)
    except (DataError, ValueError, TypeError):
        return False
    return True


def choose_layout(frame: pd.DataFrame, layout: str, *, file: str | None) -> str:
    """Resolve ``layout="auto"`` (see the module notes)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {list(LAYOUTS)}")
    if layout != "auto":
        return layout
    names = set(frame.columns)
    if names & {s.UNITS, s.SHARE}:
        return "long"
    if names & {PERIOD, s.START, s.END}:
        return "wide_brands"
    unknown = [c for c in frame.columns if c not in KNOWN]
    if unknown and all(_reads_as_period(c) for c in unknown):
        return "wide_periods"
    hint = (
        "name a units (or share) column, map columns with columns=, or pass "
        "layout='long', 'wide_brands' or 'wide_periods'"
    )
    if len(frame.columns) == 1:  # "brand;period;units": another field separator
        header = str(frame.columns[0])
        seps = [sep for sep in (";", "\t", "|") if sep in header]
        if seps:
            hint = f"the header is one column holding {seps[0]!r}: pass sep={seps[0]!r}"
    raise DataError(
        f"cannot tell how the table is laid out from its columns {list(frame.columns)}",
        file=file,
        hint=hint,
    )


def _blank(values: np.ndarray) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    blank = series.isna().to_numpy(dtype=bool)
    text = series.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    return blank | text


def reshape(frame: pd.DataFrame, layout: str, *, value: str, file: str | None) -> Long:
    """Turn a named table into one candidate figure per row."""
    n = len(frame)
    if layout == "long":
        return Long(
            frame, np.arange(n), np.full(n, None, dtype=object), np.empty(0, dtype=np.int64)
        )
    header_kind = s.BRAND if layout == "wide_brands" else PERIOD
    taken = {s.BRAND} if layout == "wide_brands" else {PERIOD, s.START, s.END}
    clash = sorted(taken & set(frame.columns))
    if clash:
        raise DataError(
            f"a {layout} table has {header_kind}s as column names, but it also has {clash} columns",
            file=file,
            hint="pass layout='long' or drop those columns",
        )
    ids = [c for c in frame.columns if c in KNOWN]
    values = [c for c in frame.columns if c not in KNOWN]
    if not values:
        raise DataError(
            f"a {layout} table needs a column per {header_kind}, but all columns are "
            f"figures-frame columns: {ids}",
            file=file,
            hint="pass layout='long'",
        )
    k = len(values)
    cells = frame[values].to_numpy(dtype=object).ravel()
    pos = np.repeat(np.arange(n), k)
    col = np.tile(np.arange(k), n)
    filled = ~_blank(cells)
    per_row = np.bincount(pos[filled], minlength=n)
    pos, col, cells = pos[filled], col[filled], cells[filled]
    long = frame[ids].iloc[pos].reset_index(drop=True)
    names = np.array(values, dtype=object)
    long[header_kind] = names[col]
    long[value] = cells
    return Long(long, pos, names[col], np.flatnonzero(per_row == 0))
