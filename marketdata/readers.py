"""``read`` and ``from_frame``: load figures from files and frames into a figures frame.

See :mod:`marketdata.sources` (formats, encodings), :mod:`marketdata.layouts` (column
names and layouts) and :mod:`marketdata.fields` (how cells become values) for the rules.

Nothing is dropped silently. With ``errors="raise"`` (the default) the first bad figure
(in file order) raises a ``DataError`` naming file, row, line, column, value and what to
do. With ``errors="collect"`` the good figures load and every bad one is listed in
``rejected`` with its reason, so that figures in = ``len(figures) + len(rejected)``.
A figure is a data row in a long table, and a filled cell in a wide table (where a
row with no filled cell is rejected as a whole); all-empty rows are blank lines and carry
no figure.

Duplicates (see :mod:`marketdata.duplicates`): figures with the same key and different
values are all rejected, never summed. Exact duplicates keep their first copy; the
repeats are listed in ``rejected`` (collect) or named in a ``DataWarning`` (raise).
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from marketdata import fields
from marketdata import schema as s
from marketdata.duplicates import find as find_duplicates
from marketdata.errors import DataError, DataWarning
from marketdata.io import Table, as_objects, read_table
from marketdata.layouts import PERIOD, choose_layout, name_columns, reshape
from marketdata.validate import validate

SCALES = {"units": 1.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
REJECTED = ["row", "line", "column", "value", "reason"]


class Loaded(NamedTuple):
    """What ``errors="collect"`` returns: the figures that loaded and those that did not.

    ``rejected`` has the columns row (data row, 1 = first under the header), line (line
    of the file or Excel row; NA for JSON, Parquet and frames), column, value, reason.
    """

    figures: pd.DataFrame
    rejected: pd.DataFrame


def _scale(scale: float | str) -> float:
    if isinstance(scale, str):
        if scale.lower() not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; give a number or one of {list(SCALES)}")
        return SCALES[scale.lower()]
    if (
        isinstance(scale, bool)
        or not isinstance(scale, (int, float))
        or not np.isfinite(scale)
        or scale <= 0
    ):
        raise ValueError(f"scale must be a positive number or one of {list(SCALES)}, got {scale!r}")
    return float(scale)


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


def _options(
    errors: str, market: str | None, status: str | None, metric: str | None, basis: str | None
) -> None:
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', got {errors!r}")
    for name, value, allowed in (
        ("status", status, s.STATUSES),
        ("metric", metric, s.METRICS),
        ("basis", basis, s.BASES),
    ):
        if value is not None and value not in allowed:
            raise ValueError(f"{name}= must be one of {list(allowed)}, got {value!r}")
    if market is not None and not isinstance(market, str):
        raise TypeError(f"market= must be a str, got {type(market).__name__}")


def _release_arrow_memory() -> None:
    """Hand memory that Arrow's allocator keeps for reuse back to the system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def _figures(table: Table, opts: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    file = table.file
    frame, original = name_columns(table, opts["columns"])
    layout = choose_layout(frame, opts["layout"], file=file)
    value = (
        s.SHARE
        if (opts["percent"] or s.SHARE in frame.columns) and s.UNITS not in frame.columns
        else s.UNITS
    )
    if opts["value"] is not None:
        value = opts["value"]
    long = reshape(frame, layout, value=value, file=file)
    cells = long.cells
    n = len(cells)
    rejects = fields.Rejects(n)

    def label(column: str) -> Any:
        header_kind = s.BRAND if layout == "wide_brands" else PERIOD
        if layout != "long" and column in (value, header_kind):
            return long.source_column
        return original.get(column, column)

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
    out: dict[str, Any] = {}
    qualifier = None
    if value == s.UNITS:
        number, qualifier = fields.units(
            cells[s.UNITS],
            scale=opts["scale"],
            decimal=opts["decimal"],
            column=s.UNITS,
            rejects=rejects,
            labels=label(s.UNITS),
        )
    else:
        number = fields.shares(
            cells[s.SHARE],
            percent=opts["percent"],
            decimal=opts["decimal"],
            column=s.SHARE,
            rejects=rejects,
            labels=label(s.SHARE),
        )

    _release_arrow_memory()
    fy = opts["fiscal_year_start"]
    has = set(cells.columns)
    if PERIOD in has:
        if has & {s.START, s.END}:
            raise DataError(
                "the table has a period column and start/end columns",
                file=file,
                hint="keep one of the two",
            )
        start, end = fields.periods(
            cells[PERIOD],
            fiscal_year_start=fy,
            column=PERIOD,
            rejects=rejects,
            labels=label(PERIOD),
            required=True,
        )
    elif s.END in has:
        if s.START in has:
            start, _ = fields.periods(
                cells[s.START],
                fiscal_year_start=fy,
                column=s.START,
                rejects=rejects,
                labels=label(s.START),
                required=False,
            )
        else:
            start = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        _, end = fields.periods(
            cells[s.END],
            fiscal_year_start=fy,
            column=s.END,
            rejects=rejects,
            labels=label(s.END),
            required=True,
        )
    else:
        raise DataError(
            "the table has no period (or end) column",
            file=file,
            line=table.header_line,
            hint="name a 'period' column, or 'start' and 'end' columns, or map one with columns=",
        )

    if s.BRAND in has:
        brand = fields.names(
            cells[s.BRAND], s.BRAND, column=s.BRAND, rejects=rejects, labels=label(s.BRAND)
        )
    else:
        brand = fields.categorical(np.full(n, -1, dtype=np.int8), [])
    from marketdata.names import market_code

    default_market = market_code(opts["market"]) if opts["market"] is not None else None
    if s.MARKET in has:
        market = fields.names(
            cells[s.MARKET], s.MARKET, column=s.MARKET, rejects=rejects, labels=label(s.MARKET)
        )
        if default_market is not None and market.isna().any():
            if default_market not in market.cat.categories:
                market = market.cat.add_categories([default_market])
            market = market.fillna(default_market)
    else:
        market = fields.categorical(
            np.full(n, -1 if default_market is None else 0, dtype=np.int8),
            [] if default_market is None else [default_market],
        )
    rejects.add(
        market.isna().to_numpy(),
        label(s.MARKET),
        None,
        "market is missing; add a market column or pass market=",
    )

    if s.START in has and s.END in has:  # a period column cannot end before it starts
        late = _day_numbers(start) > _day_numbers(end)  # NaT never compares late
        rejects.add(
            late,
            label(s.START),
            cells[s.START],
            "the start is after the end; swap the start and end dates",
        )

    if opts["basis"]:
        inferred = opts["basis"]
    elif PERIOD in has:
        inferred = s.PERIOD
    else:
        no_start = np.asarray(pd.isna(start), dtype=bool)
        inferred = np.where(no_start, s.BASES.index(s.CUMULATIVE), s.BASES.index(s.PERIOD))
    empty = pd.Series(pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), categories=[]))
    cats = {}
    for column, allowed, default in (
        (s.BASIS, s.BASES, inferred),
        (s.STATUS, s.STATUSES, opts["status"] or s.ACTUAL),
        (s.METRIC, s.METRICS, opts["metric"] or s.SHIPMENTS),
    ):
        codes = fields.category(
            cells[column] if column in has else empty,
            allowed,
            default=default,
            column=column,
            rejects=rejects,
            labels=label(column),
        )
        cats[column] = pd.Series(pd.Categorical.from_codes(codes, categories=list(allowed)))
    source_default = opts["source"] or file
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
        s.BRAND: brand,
        s.MARKET: market,
        s.START: start,
        s.END: end,
        value: number,
        s.BASIS: cats[s.BASIS],
        s.STATUS: cats[s.STATUS],
        s.METRIC: cats[s.METRIC],
        s.SOURCE: source,
    }
    if value == s.UNITS:
        given = cells[s.QUALIFIER] if s.QUALIFIER in has else empty
        qualifiers = fields.category(
            given,
            s.QUALIFIERS,
            default=qualifier,
            column=s.QUALIFIER,
            rejects=rejects,
            labels=label(s.QUALIFIER),
            allow_missing=True,
        )
        if s.QUALIFIER in has:  # "over 3M" with "under" beside it: which is meant?
            clash = (qualifier >= 0) & (qualifiers >= 0) & (qualifier != qualifiers)
            rejects.add(
                clash,
                label(s.QUALIFIER),
                given,
                "the qualifier disagrees with the one in the units text; make them agree "
                "or leave the qualifier cell empty",
            )
        out[s.QUALIFIER] = fields.strings(qualifiers, s.QUALIFIERS)
    result = pd.DataFrame(out, copy=False)
    del out, number, start, end, brand, market, cats, source, qualifier  # result holds them
    for column in cells.columns:
        if column not in result.columns and column not in (PERIOD, s.SHARE, s.UNITS):
            result[column] = as_objects(cells[column])

    pos = long.pos
    lines = table.lines if table.lines is not None else table.rows
    if layout != "long":  # (a long table's figures are its rows)
        lines = lines[pos]
    good = ~rejects.bad
    every = bool(good.all())
    checked = result if every else result.loc[good].reset_index(drop=True)
    conflict, repeat, reason = find_duplicates(checked, value, lines if every else lines[good])
    del checked
    if conflict.any() or repeat.any():  # (arrays of n are only made when needed)
        gidx = np.flatnonzero(good)
        dup = np.zeros(n, dtype=bool)
        dup[gidx] = conflict | repeat
        why = np.full(n, None, dtype=object)
        why[gidx] = reason
        repeats = gidx[repeat]
        if (
            opts["errors"] == "raise"
            and repeats.size
            and not rejects.bad.any()
            and not conflict.any()
        ):
            warnings.warn(
                f"{repeats.size} exact duplicate figure(s) dropped: "
                + "; ".join(f"line {lines[i]}: {why[i]}" for i in repeats[:5]),
                DataWarning,
                stacklevel=3,
            )
            rejects.bad[repeats] = True
            dup[repeats] = False
        rejects.add(dup, label(value), cells[value] if value in cells else None, why)

    bad = rejects.frame()
    at = pos[bad["_i"].to_numpy(dtype=np.int64)]
    rejected = pd.DataFrame(
        {
            "row": table.rows[at],
            "line": pd.array(
                table.lines[at] if table.lines is not None else [pd.NA] * len(at), dtype="Int64"
            ),
            "column": bad["column"].to_numpy(dtype=object),
            "value": bad["value"].to_numpy(dtype=object),
            "reason": bad["reason"].to_numpy(dtype=object),
        }
    )
    if long.empty_rows.size:
        e = long.empty_rows
        rejected = pd.concat(
            [
                rejected,
                pd.DataFrame(
                    {
                        "row": table.rows[e],
                        "line": pd.array(
                            table.lines[e] if table.lines is not None else [pd.NA] * e.size,
                            dtype="Int64",
                        ),
                        "column": None,
                        "value": None,
                        "reason": "no figures in this row: every value cell is empty",
                    }
                ),
            ],
            ignore_index=True,
        )
    rejected = rejected.sort_values(["row"], kind="stable").reset_index(drop=True)
    figures = result if not rejects.bad.any() else result.loc[~rejects.bad].reset_index(drop=True)
    del result
    for column in (s.BRAND, s.MARKET):  # categorical until now: filtering codes is cheap
        figures[column] = fields.as_strings(figures[column])
    for column in (s.START, s.END):
        if isinstance(figures[column].dtype, pd.CategoricalDtype):
            figures[column] = figures[column].to_numpy(dtype="datetime64[ns]")
    return figures, rejected, []


def _finish(tables: list[Table], opts: dict[str, Any]) -> pd.DataFrame | Loaded:
    # the table arrives in a list so that it can be freed before validate copies the figures
    table = tables.pop()
    figures, rejected, _ = _figures(table, opts)
    file = table.file
    del table
    if opts["errors"] == "raise" and len(rejected):
        first = rejected.iloc[0]
        reason = str(first["reason"])
        message, _, hint = reason.partition("; ")
        line = first["line"]
        raise DataError(
            message,
            file=file,
            row=int(first["row"]),
            line=None if pd.isna(line) else int(line),
            column=None if first["column"] is None else str(first["column"]),
            value=first["value"],
            hint=(hint or None)
            if len(rejected) == 1
            else f"{hint + '; ' if hint else ''}{len(rejected) - 1} more "
            "figure(s) have problems: pass errors='collect' to list them all",
        )
    figures = validate(figures)
    return figures if opts["errors"] == "raise" else Loaded(figures, rejected[REJECTED])


def _collect_options(**kwargs: Any) -> dict[str, Any]:
    _options(
        kwargs["errors"], kwargs["market"], kwargs["status"], kwargs["metric"], kwargs["basis"]
    )
    kwargs["scale"] = _scale(kwargs["scale"])
    if kwargs["decimal"] not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', got {kwargs['decimal']!r}")
    if kwargs["value"] not in (None, s.UNITS, s.SHARE):
        raise ValueError(f"value must be 'units' or 'share', got {kwargs['value']!r}")
    return kwargs


def read(
    path_or_buffer: str | os.PathLike[str] | Any,
    *,
    format: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    skiprows: int = 0,
    sep: str | None = None,
    layout: Literal["auto", "long", "wide_brands", "wide_periods"] = "auto",
    columns: dict[str, str] | None = None,
    value: Literal["units", "share"] | None = None,
    scale: float | str = 1.0,
    percent: bool = False,
    decimal: str = ".",
    market: str | None = None,
    status: str | None = None,
    metric: str | None = None,
    basis: str | None = None,
    source: str | None = None,
    fiscal_year_start: int = 1,
    errors: Literal["raise", "collect"] = "raise",
) -> pd.DataFrame | Loaded:
    """Load figures from a CSV, Excel, JSON or Parquet file into a figures frame.

    Parameters
    ----------
    path_or_buffer : str, path-like or file-like
        The file. A buffer's format comes from ``format=``, its name, or its first bytes.
    format : {"csv", "tsv", "xlsx", "json", "parquet"}, optional
        Overrides the file extension.
    encoding : str, optional
        Text encoding of a CSV/JSON file; detected when not given (UTF-8 with or
        without BOM, Big5/cp950, GB18030; see :mod:`marketdata.encodings`).
    sheet : str or int, optional
        Excel sheet, by name or 0-based index (default: the first).
    skiprows : int, default 0
        Lines (CSV) or rows (Excel) above the header row, such as a title.
    sep : str, optional
        CSV field separator (default ``,``; ``\\t`` for .tsv).
    layout : {"auto", "long", "wide_brands", "wide_periods"}, default "auto"
        See :mod:`marketdata.layouts`.
    columns : dict, optional
        The file's column names mapped to the figures frame's, e.g.
        ``{"Vendor": "brand", "Shipments (M)": "units"}``.
    value : {"units", "share"}, optional
        What the cells of a wide table hold (default units; share with ``percent=True``).
    scale : float or {"units", "thousands", "millions", "billions"}, default 1
        Multiplies bare numbers ("3.2" in a file "in millions"); cells with their own unit
        ("3.2M", "700萬") are not scaled.
    percent : bool, default False
        Shares are in percent: divide them by 100.
    decimal : {".", ","}, default "."
        Decimal mark of the numbers ("3,2 Mio" needs ``decimal=","``).
    market, status, metric, basis : str, optional
        Defaults for figures whose file lacks the column or leaves the cell empty. Status
        defaults to "actual", metric to "shipments"; basis to "period" when the figure
        has a start date and "cumulative" when not. ``market`` is read as a market name
        ("Taiwan" -> "TW").
    source : str, optional
        Default ``source`` (otherwise the file's name).
    fiscal_year_start : int, default 1
        First month of fiscal years ("FY2012").
    errors : {"raise", "collect"}, default "raise"
        Raise on the first bad figure, or return ``Loaded(figures, rejected)``.

    Returns
    -------
    DataFrame or Loaded
        A validated figures frame (plus ``qualifier`` for units, and any other columns of
        a long table); with ``errors="collect"`` a ``Loaded(figures, rejected)``.

    Raises
    ------
    DataError
        For bad data, naming file, row, line, column and value, and what to do.
    ValueError, TypeError
        For bad arguments.

    Examples
    --------
    >>> import io
    >>> text = "vendor,period,units\\nXiaomi,2012Q2,3.2M\\nHTC,2012Q2,over 7 million\\n"
    >>> f = read(io.StringIO(text), market="TW", source="example")
    >>> f[["brand", "market", "start", "end", "units", "qualifier"]]
        brand market      start        end      units qualifier
    0  Xiaomi     TW 2012-04-01 2012-06-30  3200000.0      <NA>
    1     HTC     TW 2012-04-01 2012-06-30  7000000.0      over
    >>> bad = "brand,period,units\\nXiaomi,2012Q2,lots\\nHTC,2012Q2,1M\\n"
    >>> loaded = read(io.StringIO(bad), market="TW", source="example", errors="collect")
    >>> len(loaded.figures)
    1
    >>> loaded.rejected[["row", "line", "column", "value"]]
       row  line column value
    0    1     2  units  lots
    """
    opts = _collect_options(
        layout=layout, columns=columns, value=value, scale=scale, percent=percent, decimal=decimal, market=market,
        status=status, metric=metric, basis=basis, source=source, fiscal_year_start=fiscal_year_start, errors=errors,
    )  # fmt: skip
    tables = [
        read_table(
            path_or_buffer,
            format=format,
            encoding=encoding,
            sheet=sheet,
            skiprows=skiprows,
            sep=sep,
        )
    ]
    return _finish(tables, opts)


def from_frame(
    df: pd.DataFrame,
    *,
    layout: Literal["auto", "long", "wide_brands", "wide_periods"] = "auto",
    columns: dict[str, str] | None = None,
    value: Literal["units", "share"] | None = None,
    scale: float | str = 1.0,
    percent: bool = False,
    decimal: str = ".",
    market: str | None = None,
    status: str | None = None,
    metric: str | None = None,
    basis: str | None = None,
    source: str | None = None,
    fiscal_year_start: int = 1,
    errors: Literal["raise", "collect"] = "raise",
) -> pd.DataFrame | Loaded:
    """Load figures from an in-memory DataFrame; options as in :func:`read`.

    Rows are numbered by position (1 = the first row); ``line`` is NA. A ``source=`` is
    needed unless the frame has a complete ``source`` column. ``df`` is not modified.

    Examples
    --------
    >>> import pandas as pd
    >>> wide = pd.DataFrame({"year": ["2012", "2013"], "Samsung": ["28%", "30%"],
    ...                      "HTC": ["21%", None]})
    >>> f = from_frame(wide, market="Taiwan", source="example", value="share")
    >>> f[["brand", "market", "start", "share"]]
         brand market      start  share
    0  Samsung     TW 2012-01-01   0.28
    1      HTC     TW 2012-01-01   0.21
    2  Samsung     TW 2013-01-01   0.30
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_frame expects a pandas DataFrame, got {type(df).__name__}")
    opts = _collect_options(
        layout=layout, columns=columns, value=value, scale=scale, percent=percent, decimal=decimal, market=market,
        status=status, metric=metric, basis=basis, source=source, fiscal_year_start=fiscal_year_start, errors=errors,
    )  # fmt: skip
    frame = df.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return _finish([Table(frame, np.arange(1, len(frame) + 1), None, None, None)], opts)
