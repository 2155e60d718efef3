"""``read`` and ``from_frame``: load figures from files and frames into a figures frame.

See :mod:`marketdata.io` (formats, encodings), :mod:`marketdata.layouts` (column
names and layouts), :mod:`marketdata.fields` (how cells become values) and
:mod:`marketdata.read.steps` (totals, one-brand files, percent, all-zero windows).

Nothing is dropped silently. With ``errors="raise"`` (the default) the first bad figure
(in file order) raises a ``DataError`` naming file, row, line, column, value and what to
do. With ``errors="collect"`` the good figures load and every bad one is listed in
``rejected`` with its reason, so that figures in = ``len(figures) + len(rejected)``.
A figure is a data row in a long table, and a filled cell in a wide table (cells of one
row whose columns name one brand make one figure; a row with no filled cell is rejected
as a whole); all-empty rows are blank lines and carry no figure.

Duplicates (see :mod:`marketdata.duplicates`): figures with the same key and different
values are all rejected, never summed. Exact duplicates keep their first copy; the
repeats are listed in ``rejected`` (collect) or, when nothing else is wrong, dropped and
named in one ``DataWarning`` (raise), as are the figures of an all-zero window and the
rows of a wide table that hold no figure (a footnote under the table).
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

from marketdata import fields
from marketdata import schema as s
from marketdata.errors import DataError, DataWarning
from marketdata.io import Table, read_table
from marketdata.read import stated, steps, windows
from marketdata.read.options import ReadOptions
from marketdata.validate import validate

__all__ = ["Loaded", "from_frame", "frame_with", "read", "read_with"]

_SHOW = 5  # how many dropped figures a warning lists


class Loaded(NamedTuple):
    """What ``errors="collect"`` returns: the figures that loaded and those that did not.

    ``rejected`` has the columns file, row (data row, 1 = first under the header), line
    (line of the file or Excel row; NA for JSON, Parquet and frames), column, value,
    reason (what is wrong) and hint (what to do; may be missing).
    """

    figures: pd.DataFrame
    rejected: pd.DataFrame


def _figures(table: Table, opts: ReadOptions) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The figures, the rejected figures and the warnings of one table."""
    c = steps.place_columns(table, opts)
    opts = stated.resolve_scale(c, opts)  # the scale given, or the unit the table states
    parsed = steps.parse_fields(c, opts)
    result = steps.fill_defaults(c, opts, parsed)
    flags = {k: parsed[k] for k in ("_total", "_marked") if k in parsed}
    del parsed  # result holds (or copied) the columns
    windows.check_windows(c, opts, result, flags)
    steps.remove_duplicates(c, opts, result)
    rejected = steps.rejected_frame(c)
    said = list(c.warnings)
    bad = c.rejects.bad
    if (
        opts.errors == "raise" and len(rejected) and not (bad & ~c.soft).any()
    ):  # only repeats, placeholders and rows without figures: drop them, say so
        said.append(_dropped(rejected))
        rejected = rejected.iloc[:0]
    keep = ~bad & ~c.merged
    figures = result if keep.all() else result.loc[keep].reset_index(drop=True)
    del result
    for column in (s.BRAND, s.MARKET, steps.NAME_AS_REPORTED):
        if column in figures.columns and isinstance(figures[column].dtype, pd.CategoricalDtype):
            # categorical until now: filtering codes is cheap
            figures[column] = fields.as_strings(figures[column])
    for column in (s.START, s.END):
        if isinstance(figures[column].dtype, pd.CategoricalDtype):
            figures[column] = figures[column].to_numpy(dtype="datetime64[ns]")
    return figures, rejected, said


def _dropped(rejected: pd.DataFrame) -> str:
    """One warning for figures dropped under errors="raise": a count and lines per reason."""
    where = rejected["line"].astype("Float64").fillna(rejected["row"].astype("Float64"))
    parts = []
    for reason, lines in where.groupby(rejected["reason"].to_numpy(), sort=False):
        distinct = [str(int(x)) for x in dict.fromkeys(lines.tolist())]
        shown = ", ".join(distinct[:_SHOW]) + (", ..." if len(distinct) > _SHOW else "")
        parts.append(f"{len(lines)} on line {shown}: {reason}")
    return f"{len(rejected)} figure(s) dropped: " + "; ".join(parts)


def _raise_first(rejected: pd.DataFrame, opts: ReadOptions) -> None:
    first = rejected.iloc[0]
    hint = None if pd.isna(first["hint"]) else str(first["hint"])
    more = len(rejected) - 1
    if more:
        hint = (
            f"{hint + '; ' if hint else ''}{more} more figure(s) have problems: pass "
            "errors='collect' to list them all"
        )
    line = first["line"]
    raise DataError(
        str(first["reason"]),
        file=None if pd.isna(first["file"]) else str(first["file"]),
        row=int(first["row"]),
        line=None if pd.isna(line) else int(line),
        column=None if first["column"] is None else str(first["column"]),
        value=first["value"],
        hint=opts.advise(hint),
    )


def _finish(tables: list[Table], opts: ReadOptions) -> pd.DataFrame | Loaded:
    # the table arrives in a list so that it can be freed before validate copies the figures
    table = tables.pop()
    try:
        figures, rejected, said = _figures(table, opts)
    except DataError as exc:
        if opts.spelling == "python":
            raise
        raise _advised(exc, opts) from None
    del table
    for text in said:
        warnings.warn(opts.advise(text), DataWarning, stacklevel=4)
    if opts.errors == "raise" and len(rejected):
        _raise_first(rejected, opts)
    figures = validate(figures)
    if opts.spelling != "python" and len(rejected):
        rejected = rejected.assign(hint=rejected["hint"].map(opts.advise, na_action="ignore"))
    return figures if opts.errors == "raise" else Loaded(figures, rejected)


def _advised(exc: DataError, opts: ReadOptions) -> DataError:
    return DataError(
        opts.advise(exc.message),
        file=exc.file,
        row=exc.row,
        line=exc.line,
        column=exc.column,
        value=exc.value,
        hint=opts.advise(exc.hint),
    )


def read_with(path_or_buffer: Any, options: ReadOptions) -> pd.DataFrame | Loaded:
    """:func:`read` with its options as one :class:`ReadOptions` (as the CLI calls it)."""
    with warnings.catch_warnings(record=True) as caught:  # the file layer's, re-spelled
        warnings.simplefilter("always", DataWarning)
        try:
            table = read_table(path_or_buffer, **options.file_options(), errors=options.errors)
        except DataError as exc:
            if options.spelling == "python":
                raise
            raise _advised(exc, options) from None
    for w in caught:
        if issubclass(w.category, DataWarning):
            warnings.warn(options.advise(str(w.message)), w.category, stacklevel=3)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return _finish([table], options)


def frame_with(df: pd.DataFrame, options: ReadOptions) -> pd.DataFrame | Loaded:
    """:func:`from_frame` with its options as one :class:`ReadOptions`."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_frame expects a pandas DataFrame, got {type(df).__name__}")
    frame = df.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return _finish([Table(frame, np.arange(1, len(frame) + 1), None, None, None)], options)


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
    scale: float | str | None = None,
    percent: bool = False,
    decimal: str = ".",
    brand: str | None = None,
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
        without BOM, Big5/cp950, GB18030; see :mod:`marketdata.io.encodings`).
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
        ``{"Vendor": "brand", "Shipments (M)": "units"}``. Only columns given a role
        (here, or by a header the loader knows) are parsed; others are kept as they are.
    value : {"units", "share"}, optional
        What the cells of a wide table hold (default units; share with ``percent=True``).
        Shares above 1 are read as percent when every window sums to about 100.
    scale : float or {"units", "thousands", "millions", "billions"}, optional
        Multiplies bare numbers ("3.2" in a file "in millions"); cells with their own unit
        ("3.2M", "700萬") are not scaled. When not given, the unit the table states in a
        title row or its figures column's header ("(in million units)", "in thousands",
        "(000s)", "單位：萬台", "Shipments (M)") is applied, with a warning (pass
        ``scale=1`` to keep the numbers as written); two different units stated are a
        ``DataError``. A given ``scale=`` wins, with a warning if the table states
        another unit. Shares are never scaled. See :mod:`marketdata.read.stated`.
    percent : bool, default False
        Shares are in percent: divide them by 100.
    decimal : {".", ","}, default "."
        Decimal mark of the numbers ("3,2 Mio" needs ``decimal=","``).
    brand, market, status, metric, basis : str, optional
        Defaults for figures whose file lacks the column or leaves the cell empty.
        ``brand`` names the one brand of a file without a brand column (without it, such
        a file holds market sizes, and a warning says so; a file with a brand column
        keeps its own). Status defaults to "actual",
        metric to "shipments" (others: sales, demand, usage, installed_base); basis to
        "period" when the figure has a start date and "cumulative" when not. ``market``
        is read as a market name ("Taiwan" -> "TW").
    source : str, optional
        Default ``source`` (otherwise the file's name).
    fiscal_year_start : int, default 1
        First month of fiscal years ("FY2012").
    errors : {"raise", "collect"}, default "raise"
        Raise on the first bad figure, or return ``Loaded(figures, rejected)``.

    Returns
    -------
    DataFrame or Loaded
        A validated figures frame (plus ``qualifier`` for units, ``name_as_reported``
        where a brand was written otherwise, and any other columns of a long table);
        with ``errors="collect"`` a ``Loaded(figures, rejected)``.

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
    options = ReadOptions(
        format=format, encoding=encoding, sheet=sheet, skiprows=skiprows, sep=sep, layout=layout,
        columns=columns, value=value, scale=scale, percent=percent, decimal=decimal, brand=brand,
        market=market, status=status, metric=metric, basis=basis, source=source,
        fiscal_year_start=fiscal_year_start, errors=errors,
    )  # fmt: skip
    return read_with(path_or_buffer, options)


def from_frame(
    df: pd.DataFrame,
    *,
    layout: Literal["auto", "long", "wide_brands", "wide_periods"] = "auto",
    columns: dict[str, str] | None = None,
    value: Literal["units", "share"] | None = None,
    scale: float | str | None = None,
    percent: bool = False,
    decimal: str = ".",
    brand: str | None = None,
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
    Without ``scale=``, a unit named in the figures column's header ("Shipments (in
    millions)") is applied, with a warning, as :func:`read` does.

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
    options = ReadOptions(
        layout=layout, columns=columns, value=value, scale=scale, percent=percent, decimal=decimal,
        brand=brand, market=market, status=status, metric=metric, basis=basis, source=source,
        fiscal_year_start=fiscal_year_start, errors=errors,
    )  # fmt: skip
    return frame_with(df, options)
