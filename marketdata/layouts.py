"""Name a table's columns and reshape wide tables into one figure per row.

Column names are matched to the figures frame's after the caller's ``columns=`` mapping,
ignoring case and surrounding spaces. A few common names are understood as well:
``vendor``, ``manufacturer``, ``company``, ``oem``, ``品牌``, ``廠商``, ``廠牌`` (brand);
``country``, ``region``, ``市場`` (market); ``date``, ``year``, ``quarter``, ``month``,
``日期``, ``時間``, ``年份``, ``季度`` (period); ``shipments``, ``出貨量`` (units, the
default metric); ``market share``, ``市佔率`` (share). Anything else is *unknown*.

A column whose header cell was left empty (read as ``unnamed: B``, ``Unnamed: 2``,
``column 3``, or named after its Excel column, ``B``) is the period column when every one of its cells
reads as a period and the table has no other period column.

A column that a header names ``basis``, ``status`` or ``metric`` but whose cells hold
none of that column's values (a ``basis`` column of "retail sales volume") is not read
as that role: it is kept as ``<name>_as_reported`` and the figures take the default.

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

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError
from marketdata.fields import FOOTNOTE_MARK, unmark
from marketdata.io import Table, is_unnamed
from marketdata.periods import parse_period

__all__ = [
    "KNOWN",
    "LAYOUTS",
    "PERIOD",
    "SYNONYMS",
    "Long",
    "Named",
    "choose_layout",
    "name_columns",
    "reshape",
]

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
    "品牌": s.BRAND,
    "廠商": s.BRAND,
    "厂商": s.BRAND,
    "廠牌": s.BRAND,
    "厂牌": s.BRAND,
    "shipments": s.UNITS,
    "出貨量": s.UNITS,
    "出货量": s.UNITS,
    "market share": s.SHARE,
    "市佔率": s.SHARE,
    "市占率": s.SHARE,
    "country": s.MARKET,
    "region": s.MARKET,
    "市場": s.MARKET,
    "市场": s.MARKET,
    "date": PERIOD,
    "year": PERIOD,
    "quarter": PERIOD,
    "month": PERIOD,
    "日期": PERIOD,
    "時間": PERIOD,
    "时间": PERIOD,
    "年份": PERIOD,
    "年度": PERIOD,
    "季度": PERIOD,
    "月份": PERIOD,
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


_PLACEHOLDER = re.compile(
    r"^(?:|[A-Z]|column \d+|unnamed: ?(?:\d+(?:_level_\d+)?|[A-Z]{1,3}))$", re.IGNORECASE
)
CATEGORY_ROLES = {s.BASIS: s.BASES, s.STATUS: s.STATUSES, s.METRIC: s.METRICS}
AS_REPORTED = "_as_reported"  # suffix of a kept column whose header is a figures-frame name


@dataclass(frozen=True)
class Named:
    """A table with canonical column names: ``original`` maps them back to the file's,
    ``kept`` lists the columns carried through as they are (never value columns), and
    ``notes`` says what was decided about the header (for a warning)."""

    frame: pd.DataFrame
    original: dict[str, str]
    kept: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _placeholder(name: str) -> bool:
    """Whether a header is what a reader writes for an empty header cell ("unnamed: B",
    pandas' "Unnamed: 1", "column 3", "", or a bare Excel column letter)."""
    if is_unnamed(name):
        return True
    return bool(_PLACEHOLDER.match(name.strip())) and not (
        len(name.strip()) == 1 and name.strip().islower()
    )


def _all_periods(values: pd.Series) -> bool:
    """Whether every filled cell of a column reads as a period (and one at least is filled)."""
    texts = pd.Series(
        [str(v).strip() for v in values.dropna().unique() if str(v).strip()], dtype=object
    )
    if texts.empty:
        return False
    try:
        parse_period(unmark(texts)[0].astype("string"))
    except (DataError, ValueError, TypeError, OverflowError):
        return False
    return True


def _no_category_values(values: pd.Series, allowed: tuple[str, ...]) -> bool:
    """Whether a column's filled cells hold none of a category's values."""
    texts = {str(v).strip().lower() for v in values.dropna().unique()} - {""}
    return bool(texts) and not texts & set(allowed)


def name_columns(table: Table, columns: dict | None) -> Named:
    """Rename the table's columns to canonical names (see the module notes)."""
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
    renamed, kept, notes = [], [], []
    for name in header:
        if name in mapping:
            renamed.append(mapping[name])
            continue
        key = name.strip().lower()
        new = key if key in KNOWN else SYNONYMS.get(key, name)
        if new in CATEGORY_ROLES and _no_category_values(table.frame[name], CATEGORY_ROLES[new]):
            new = name + AS_REPORTED if name in KNOWN else name
            kept.append(new)
            notes.append(
                f"column {name!r} holds no {key} values ({list(CATEGORY_ROLES[key])}): "
                f"kept as {new!r}, not read as the {key}"
            )
        renamed.append(new)
    if not set(renamed) & {PERIOD, s.START, s.END}:
        blank = [i for i, name in enumerate(header) if name not in mapping and _placeholder(name)]
        found = [i for i in blank if _all_periods(table.frame[header[i]])]
        if len(found) == 1:
            renamed[found[0]] = PERIOD
            notes.append(
                f"column {header[found[0]]!r} has no header but holds periods: read as the period"
            )
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
    original = {new: old for new, old in zip(renamed, header, strict=True)}
    return Named(frame, original, tuple(kept), tuple(notes))


def _reads_as_period(name: str) -> bool:
    try:
        parse_period(FOOTNOTE_MARK.sub("", name))
    except (DataError, ValueError, TypeError, OverflowError):
        return False
    return True


def choose_layout(
    frame: pd.DataFrame, layout: str, *, file: str | None, kept: tuple[str, ...] = ()
) -> str:
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
    unknown = [c for c in frame.columns if c not in KNOWN and c not in kept]
    unplaced = [c for c in unknown if not _reads_as_period(c)]
    if unknown and not unplaced:
        return "wide_periods"
    hint = (
        "if the header is not the table's first row pass skiprows= (or sheet= for another "
        "Excel sheet); else map the columns with columns={'...': 'period'} (or 'brand', "
        "'units', 'share'), or pass layout='long', 'wide_brands' or 'wide_periods'"
    )
    if len(frame.columns) == 1:  # "brand;period;units": another field separator
        header = str(frame.columns[0])
        seps = [sep for sep in (";", "\t", "|") if sep in header]
        if seps:
            hint = f"the header is one column holding {seps[0]!r}: pass sep={seps[0]!r}"
    shown = unplaced[:8] + ([f"... {len(unplaced) - 8} more"] if len(unplaced) > 8 else [])
    raise DataError(
        "cannot tell how the table is laid out: it has no units, share or period column, "
        f"and the columns {shown} are neither figures-frame columns nor periods",
        file=file,
        hint=hint,
    )


def _blank(values: np.ndarray) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    blank = series.isna().to_numpy(dtype=bool)
    text = series.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    return blank | text


def reshape(
    frame: pd.DataFrame, layout: str, *, value: str, file: str | None, kept: tuple[str, ...] = ()
) -> Long:
    """Turn a named table into one candidate figure per row (``kept``: id columns too)."""
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
    ids = [c for c in frame.columns if c in KNOWN or c in kept]
    values = [c for c in frame.columns if c not in ids]
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
