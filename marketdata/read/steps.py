"""The loader's steps, in order: place columns -> parse fields -> defaults -> checks of
windows (:mod:`marketdata.read.windows`) -> duplicates -> rejected frame.

Each step takes the :class:`~marketdata.read.candidates.Candidates` (one candidate figure
per long-table row or filled wide-table cell) and the options, and adds columns,
rejections or warnings. A rejection is a structured value (row, column, value, reason,
hint), never a joined text.

Rules the steps apply beyond :mod:`marketdata.fields` (how cells become values):

- A name that means the whole market (``Total``, ``Market``, ``All vendors``, ``合計``;
  alias data, see :data:`marketdata.schema.TOTAL`) is the market size: brand NA, kept as
  written in ``name_as_reported``.
- A table without a brand column holds market sizes (brand NA), unless ``brand=`` names
  the one brand it is about; without ``brand=`` a warning says so. A table with a brand
  column keeps its own brands (an empty cell there is a market size) whatever ``brand=``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from marketdata import fields
from marketdata import schema as s
from marketdata.duplicates import CONFLICT_HINT
from marketdata.duplicates import find as find_duplicates
from marketdata.errors import DataError
from marketdata.io import Table, as_objects
from marketdata.layouts import PERIOD, choose_layout, name_columns, reshape
from marketdata.names import brand_name, market_code
from marketdata.read.candidates import Candidates, say_blank_brands
from marketdata.read.options import ReadOptions

__all__ = [
    "NAME_AS_REPORTED",
    "REJECTED",
    "fill_defaults",
    "parse_fields",
    "place_columns",
    "rejected_frame",
    "remove_duplicates",
]

REJECTED = ["file", "row", "line", "column", "value", "reason", "hint"]
NAME_AS_REPORTED = "name_as_reported"  # the brand as the file wrote it, where it differs
_BLANK_ROW = "no figures in this row: every value cell is empty"


def place_columns(table: Table, opts: ReadOptions) -> Candidates:
    """Name the columns, choose the layout and the value column, reshape to candidates."""
    file = table.file
    named = name_columns(table, opts.columns)
    frame = named.frame
    layout = choose_layout(frame, opts.layout, file=file, kept=named.kept)
    value = (
        s.SHARE
        if (opts.percent or s.SHARE in frame.columns) and s.UNITS not in frame.columns
        else s.UNITS
    )
    if opts.value is not None:
        value = opts.value
    long = reshape(frame, layout, value=value, file=file, kept=named.kept)
    cells = long.cells
    if s.UNITS in cells.columns and s.SHARE in cells.columns:
        raise DataError(
            "the table has both a units and a share column",
            file=file,
            hint="map one away with columns=",
        )
    if value not in cells.columns:
        raise DataError(
            f"the table has no {value!r} column (columns: {list(table.frame.columns)})",
            file=file,
            line=table.header_line,
            hint=f"map the column holding the figures with columns={{'...': {value!r}}}",
        )
    n = len(cells)
    return Candidates(
        table,
        named,
        layout,
        value,
        long,
        fields.Rejects(n),
        np.zeros(n, dtype=bool),
        np.zeros(n, dtype=bool),
        list(named.notes),
    )


def _periods(c: Candidates, opts: ReadOptions) -> tuple[Any, Any]:
    cells, has, fy = c.long.cells, set(c.long.cells.columns), opts.fiscal_year_start
    file = c.table.file

    def read(column: str, required: bool) -> tuple[Any, Any]:
        return fields.periods(
            cells[column],
            fiscal_year_start=fy,
            column=column,
            rejects=c.rejects,
            labels=c.label(column),
            required=required,
            notes=c.warnings,
        )

    if PERIOD in has:
        if has & {s.START, s.END}:
            raise DataError(
                "the table has a period column and start/end columns",
                file=file,
                hint="keep one of the two",
            )
        return read(PERIOD, True)
    if s.END in has:
        if s.START in has:
            start, _ = read(s.START, False)
        else:
            start = np.full(c.n, np.datetime64("NaT"), dtype="datetime64[ns]")
        _, end = read(s.END, True)
        return start, end
    raise DataError(
        "the table has no period (or end) column",
        file=file,
        line=c.table.header_line,
        hint="name a 'period' column, or 'start' and 'end' columns, or map one with columns=",
    )


def _brands(c: Candidates, opts: ReadOptions) -> tuple[pd.Series, pd.Series | None, np.ndarray]:
    """Canonical brands (NA: the market), the names as written where they differ, and
    which figures are a Total."""
    cells, n = c.long.cells, c.n
    default = brand_name(opts.brand) if opts.brand is not None else None
    if s.BRAND not in cells.columns:
        if default is None and c.layout != "wide_brands" and n:
            c.warnings.append(
                "the table has no brand column: its figures were read as whole-market sizes "
                "(brand NA); pass brand='...' if they are one brand's"
            )
        codes = np.full(n, -1 if default is None else 0, dtype=np.int8)
        brand = fields.categorical(codes, [] if default is None else [default])
        return brand, None, np.zeros(n, dtype=bool)
    brand, reported = fields.names(
        cells[s.BRAND], s.BRAND, column=s.BRAND, rejects=c.rejects, labels=c.label(s.BRAND)
    )
    say_blank_brands(c, brand)
    total = (brand == s.TOTAL).to_numpy(dtype=bool)
    if total.any():  # the market's size, not a brand: keep what the file called it
        reported = reported.cat.add_categories(
            [t for t in [s.TOTAL] if t not in reported.cat.categories]
        )
        reported[total & reported.isna().to_numpy()] = s.TOTAL
        brand = brand.where(~total)
    return brand, reported if reported.notna().any() else None, total


def _market(c: Candidates, opts: ReadOptions) -> pd.Series:
    cells, n = c.long.cells, c.n
    default = market_code(opts.market) if opts.market is not None else None
    if s.MARKET in cells.columns:
        market, _ = fields.names(
            cells[s.MARKET], s.MARKET, column=s.MARKET, rejects=c.rejects, labels=c.label(s.MARKET)
        )
        if default is not None and market.isna().any():
            if default not in market.cat.categories:
                market = market.cat.add_categories([default])
            market = market.fillna(default)
    else:
        market = fields.categorical(
            np.full(n, -1 if default is None else 0, dtype=np.int8),
            [] if default is None else [default],
        )
    c.rejects.add(
        market.isna().to_numpy(),
        c.label(s.MARKET),
        None,
        "market is missing",
        "add a market column or pass market=",
    )
    return market


def parse_fields(c: Candidates, opts: ReadOptions) -> dict[str, Any]:
    """The value, periods, brands and markets of the candidates (bad cells rejected)."""
    cells = c.long.cells
    out: dict[str, Any] = {}
    if c.value == s.UNITS:
        out[s.UNITS], out["_qualifier"] = fields.units(
            cells[s.UNITS],
            scale=opts.scale,
            decimal=opts.decimal,
            column=s.UNITS,
            rejects=c.rejects,
            labels=c.label(s.UNITS),
            notes=c.warnings,
        )
    else:
        out[s.SHARE], out["_marked"] = fields.shares(
            cells[s.SHARE],
            percent=opts.percent,
            decimal=opts.decimal,
            column=s.SHARE,
            rejects=c.rejects,
            labels=c.label(s.SHARE),
        )
    _release_arrow_memory()
    out[s.START], out[s.END] = _periods(c, opts)
    out[s.BRAND], out[NAME_AS_REPORTED], out["_total"] = _brands(c, opts)
    out[s.MARKET] = _market(c, opts)
    if s.START in cells.columns and s.END in cells.columns:  # cannot end before it starts
        late = _day_numbers(out[s.START]) > _day_numbers(out[s.END])  # NaT never compares late
        c.rejects.add(
            late,
            c.label(s.START),
            cells[s.START],
            "the start is after the end",
            "swap the start and end dates",
        )
    return out


def fill_defaults(c: Candidates, opts: ReadOptions, parsed: dict[str, Any]) -> pd.DataFrame:
    """The candidates as a figures frame: categories, source and qualifier filled in."""
    cells, n, has, file = c.long.cells, c.n, set(c.long.cells.columns), c.table.file
    if opts.basis:
        inferred: Any = opts.basis
    elif PERIOD in has:
        inferred = s.PERIOD
    else:
        no_start = np.asarray(pd.isna(parsed[s.START]), dtype=bool)
        inferred = np.where(no_start, s.BASES.index(s.CUMULATIVE), s.BASES.index(s.PERIOD))
    empty = pd.Series(pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), categories=[]))
    cats = {}
    for column, allowed, default in (
        (s.BASIS, s.BASES, inferred),
        (s.STATUS, s.STATUSES, opts.status or s.ACTUAL),
        (s.METRIC, s.METRICS, opts.metric or s.SHIPMENTS),
    ):
        codes = fields.category(
            cells[column] if column in has else empty,
            allowed,
            default=default,
            column=column,
            rejects=c.rejects,
            labels=c.label(column),
        )
        cats[column] = pd.Series(pd.Categorical.from_codes(codes, categories=list(allowed)))
    source_default = opts.source or file
    if s.SOURCE in has:
        codes, texts = fields.distinct(cells[s.SOURCE])
        if source_default is None and (codes == -1).any():
            raise ValueError("some figures have no source: pass source=")
        source = fields.strings(
            np.where(codes >= 0, codes, len(texts)), [*texts, source_default or ""]
        )
    elif source_default is None:
        raise ValueError(
            "the figures have no source: pass source= (a file's name is used when there is one)"
        )
    else:
        source = fields.strings(np.zeros(n, dtype=np.int64), [source_default])
    out = {
        s.BRAND: parsed[s.BRAND],
        s.MARKET: parsed[s.MARKET],
        s.START: parsed[s.START],
        s.END: parsed[s.END],
        c.value: parsed[c.value],
        s.BASIS: cats[s.BASIS],
        s.STATUS: cats[s.STATUS],
        s.METRIC: cats[s.METRIC],
        s.SOURCE: source,
    }
    if c.value == s.UNITS:
        out[s.QUALIFIER] = _qualifiers(c, parsed["_qualifier"], empty)
    if parsed[NAME_AS_REPORTED] is not None and NAME_AS_REPORTED not in has:
        out[NAME_AS_REPORTED] = parsed[NAME_AS_REPORTED]
    for column in cells.columns:  # the table's other columns, as they are (in one go:
        if column not in out and column not in (PERIOD, s.SHARE, s.UNITS):  # inserting
            out[column] = as_objects(cells[column])  # them one by one is quadratic)
    return pd.DataFrame(out, copy=False)


def _qualifiers(c: Candidates, qualifier: np.ndarray, empty: pd.Series) -> pd.Series:
    cells = c.long.cells
    has = s.QUALIFIER in cells.columns
    given = cells[s.QUALIFIER] if has else empty
    qualifiers = fields.category(
        given,
        s.QUALIFIERS,
        default=qualifier,
        column=s.QUALIFIER,
        rejects=c.rejects,
        labels=c.label(s.QUALIFIER),
        allow_missing=True,
    )
    if has:  # "over 3M" with "under" beside it: which is meant?
        clash = (qualifier >= 0) & (qualifiers >= 0) & (qualifier != qualifiers)
        c.rejects.add(
            clash,
            c.label(s.QUALIFIER),
            given,
            "the qualifier disagrees with the one in the units text",
            "make them agree or leave the qualifier cell empty",
        )
    return fields.strings(qualifiers, s.QUALIFIERS)


def remove_duplicates(c: Candidates, opts: ReadOptions, result: pd.DataFrame) -> None:
    """Reject figures that repeat or contradict another of the same key."""
    lines = c.table.lines if c.table.lines is not None else c.table.rows
    if c.layout != "long":  # (a long table's figures are its rows)
        lines = lines[c.long.pos]
    good = ~c.rejects.bad & ~c.merged
    every = bool(good.all())
    checked = result if every else result.loc[good].reset_index(drop=True)
    conflict, repeat, reason = find_duplicates(checked, c.value, lines if every else lines[good])
    del checked
    if not (conflict.any() or repeat.any()):
        return
    gidx = np.flatnonzero(good)
    why = np.full(c.n, None, dtype=object)
    why[gidx] = reason
    hint = np.full(c.n, None, dtype=object)
    hint[gidx[conflict]] = CONFLICT_HINT
    dup = np.zeros(c.n, dtype=bool)
    dup[gidx] = conflict | repeat
    cells = c.long.cells
    c.rejects.add(dup, c.label(c.value), cells[c.value], why, hint)
    c.soft[gidx[repeat]] = True


def rejected_frame(c: Candidates) -> pd.DataFrame:
    """Every rejected figure, in file order: file, row, line, column, value, reason, hint."""
    table = c.table
    bad = c.rejects.frame()
    at = c.long.pos[bad["_i"].to_numpy(dtype=np.int64)]
    parts = [
        _located(table, at, bad["column"], bad["value"], bad["reason"], bad["hint"]),
    ]
    if c.long.empty_rows.size:
        e = c.long.empty_rows
        parts.append(_located(table, e, None, None, _BLANK_ROW, None))
    if table.rejected is not None and len(table.rejected):  # rows the file layer could not read
        unread = table.rejected
        parts.append(
            pd.DataFrame(
                {
                    "file": pd.array([table.file] * len(unread), dtype="string"),
                    "row": unread["row"].to_numpy(),
                    "line": pd.array(unread["line"], dtype="Int64"),
                    "column": unread["column"].to_numpy(dtype=object),
                    "value": unread["value"].to_numpy(dtype=object),
                    "reason": unread["reason"].to_numpy(dtype=object),
                    "hint": None,
                }
            )
        )
    rejected = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return rejected.sort_values(["row"], kind="stable").reset_index(drop=True)[REJECTED]


def _located(table: Table, at: np.ndarray, column, value, reason, hint) -> pd.DataFrame:
    def objects(x: Any) -> Any:
        return x.to_numpy(dtype=object) if isinstance(x, pd.Series) else x

    return pd.DataFrame(
        {
            "file": pd.array([table.file] * len(at), dtype="string"),
            "row": table.rows[at],
            "line": pd.array(
                table.lines[at] if table.lines is not None else [pd.NA] * len(at), dtype="Int64"
            ),
            "column": objects(column),
            "value": objects(value),
            "reason": objects(reason),
            "hint": objects(hint),
        },
        index=pd.RangeIndex(len(at)),
    )


def _day_numbers(dates: Any) -> np.ndarray:
    """Dates (a datetime64 array, or a categorical of dates) as float days (NaT: NaN)."""
    if isinstance(dates, pd.Series) and isinstance(dates.dtype, pd.CategoricalDtype):
        per_category = np.append(
            pd.DatetimeIndex(dates.cat.categories).to_numpy().astype("datetime64[D]"),
            np.datetime64("NaT"),
        )
        dates = per_category[dates.cat.codes.to_numpy()]  # code -1: the NaT appended
    days = np.asarray(dates).astype("datetime64[D]")
    return np.where(np.isnat(days), np.nan, days.astype("int64").astype("float64"))


def _release_arrow_memory() -> None:
    """Hand memory that Arrow's allocator keeps for reuse back to the system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
