"""Read a file (or buffer) into a raw table of cells, with the line of every row.

Formats: CSV (and TSV), Excel ``.xlsx``, JSON records, Parquet; chosen by ``format=``,
else by the file extension, else by the first bytes (``PK`` zip: xlsx, ``PAR1``:
Parquet, ``[``: JSON, anything else: CSV). Nothing is evaluated: JSON is parsed with
:func:`json.loads`, Excel formulas are read as the values Excel cached when it last saved
the file, and a formula without a cached value is refused.

A merged Excel cell gives its value to every cell of its range.

Rows whose cells are all empty (blank lines, ``,,,``) carry no figure and are skipped;
every other row is kept and counted.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from marketdata.encodings import decode
from marketdata.errors import DataError, DataWarning

FORMATS = ("csv", "tsv", "xlsx", "json", "parquet")
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@dataclass(frozen=True)
class Table:
    """Cells as read, before any interpretation.

    ``rows`` counts data rows as the user does (1 = first row under the header);
    ``lines`` is the line of the file (CSV) or the Excel row number, or None when the
    format has no lines (JSON, Parquet, a DataFrame). ``header_line`` is where the
    column names are.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    lines: np.ndarray | None
    file: str | None
    header_line: int | None = None


def _name_and_bytes(source: Any) -> tuple[str | None, bytes | str]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a directory; give the path of one file in it")
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        return path.name, path.read_bytes()
    if isinstance(source, (bytes, bytearray)):
        return None, bytes(source)
    read = getattr(source, "read", None)
    if read is None:
        raise TypeError(
            f"read expects a path or a file-like object, got {type(source).__name__}; "
            "for a DataFrame use marketdata.from_frame"
        )
    name = getattr(source, "name", None)
    data = read()
    return (Path(name).name if isinstance(name, str) else None), data


def _format_of(name: str | None, data: bytes | str, format: str | None) -> str:
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"unknown format {format!r}; choose one of {list(FORMATS)}")
        return format
    if name is not None and Path(name).suffix.lower() in _EXTENSIONS:
        return _EXTENSIONS[Path(name).suffix.lower()]
    head = data[:4] if isinstance(data, bytes) else data[:4].encode()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip()[:1] == b"[":
        return "json"
    return "csv"


def _blank(frame: pd.DataFrame) -> np.ndarray:
    if frame.shape[1] == 0:
        return np.ones(len(frame), dtype=bool)
    empty = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        values = frame[column]
        cell_empty = values.isna().to_numpy(dtype=bool)
        if values.dtype == object:  # Excel, JSON: cells may be whitespace
            cell_empty = cell_empty | (values.astype("string").str.strip() == "").fillna(
                True
            ).to_numpy(dtype=bool)
        empty = empty & cell_empty
    return empty


def _drop_blank(frame: pd.DataFrame, lines: np.ndarray | None, file, header_line) -> Table:
    blank = _blank(frame)
    keep = ~blank
    if blank.any():
        frame = frame.loc[keep].reset_index(drop=True)
    rows = np.flatnonzero(keep) + 1 if blank.any() else np.arange(1, len(keep) + 1)
    return Table(frame, rows, None if lines is None else lines[keep], file, header_line)


def _header_names(names: list[Any], file: str | None, line: int | None) -> list[str]:
    out = []
    for i, name in enumerate(names):
        text = (
            ""
            if name is None or (isinstance(name, float) and np.isnan(name))
            else str(name).strip()
        )
        out.append(text or f"column {i + 1}")
    duplicated = {n for n in out if out.count(n) > 1}
    if duplicated:
        raise DataError(
            f"the header names the column(s) {sorted(duplicated)} more than once",
            file=file,
            line=line,
            hint="give every column its own name",
        )
    return out


_PANDAS_LINE = re.compile(r"line (\d+)")


def _read_csv(text: str, *, file, skiprows: int, sep: str) -> Table:
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            skiprows=skiprows,
            header=None,  # so that a long first row is an error, not an implicit index
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise DataError(
            "the file is empty", file=file, hint="check the path and skiprows="
        ) from None
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        found = _PANDAS_LINE.search(message)
        raise DataError(
            f"the file is not a regular CSV table ({message})",
            file=file,
            line=int(found.group(1)) if found else None,
            hint="every line needs the same number of fields as the header; quote cells "
            "that contain the separator",
        ) from None
    header_line = skiprows + 1
    names = frame.iloc[0].tolist()
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = _header_names(names, file, header_line)
    return _with_lines(frame, text, file, header_line)


def _read_csv_arrow(raw: bytes, *, file, skiprows: int, sep: str) -> Table | None:
    """Fast path: pyarrow's CSV reader, every column dictionary-encoded text (the codes are
    the distinct values the parsers need; they stay Arrow dictionaries in the frame, see
    :func:`dictionary_parts`). Returns None when the file needs the pandas path: text
    that is not UTF-8, blank lines and ragged rows (pandas' error message names the
    line), very many columns."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text_type = pa.dictionary(pa.int32(), pa.string())
    convert = pacsv.ConvertOptions(
        column_types={f"f{i}": text_type for i in range(_ARROW_COLUMNS)},
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    # First without newlines inside quoted values, which lets Arrow split the file into
    # blocks for its threads; a quoted newline at a block boundary makes Arrow report that
    # its parser got out of sync, and the file is read again allowing them.
    for newlines_in_values in (False, True):
        try:
            table = pacsv.read_csv(
                io.BytesIO(raw),
                read_options=pacsv.ReadOptions(skip_rows=skiprows, autogenerate_column_names=True),
                parse_options=pacsv.ParseOptions(
                    delimiter=sep,
                    newlines_in_values=newlines_in_values,
                    ignore_empty_lines=False,
                ),
                convert_options=convert,
            )
            break
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, UnicodeError):
            if newlines_in_values:
                return None
    if table.num_rows == 0 or table.num_columns >= _ARROW_COLUMNS:
        return None
    names = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    header_line = skiprows + 1
    chunked = table.columns
    del table
    columns = {}
    for i in range(len(chunked)):  # the header row goes; its text may stay in the dictionary
        columns[i] = pd.arrays.ArrowExtensionArray(_one_dictionary(chunked[i]).slice(1))
        chunked[i] = None  # free each Arrow column once converted
    pa.default_memory_pool().release_unused()  # give the parser's buffers back
    frame = pd.DataFrame(columns, copy=False)
    frame.columns = _header_names(names, file, header_line)
    return _with_lines(frame, raw, file, header_line)


def _one_dictionary(column):
    """A dictionary-encoded Arrow column's chunks as one array over one dictionary.

    The column stays dictionary-encoded in the frame (dtype ``ArrowDtype(dictionary)``):
    a pandas Categorical would hash every distinct text again to check that the
    categories are unique, which the Arrow dictionary already guarantees.
    """
    import pyarrow as pa

    column = column.unify_dictionaries()
    if column.num_chunks == 1:
        return column.chunk(0)
    indices = pa.concat_arrays([chunk.indices for chunk in column.chunks])
    return pa.DictionaryArray.from_arrays(indices, column.chunk(0).dictionary)


def dictionary_parts(values: pd.Series) -> tuple[np.ndarray, Any] | None:
    """Codes (-1: missing) and the Arrow dictionary of a dictionary-encoded column, else None.

    Examples
    --------
    >>> t = read_table(io.BytesIO(b"brand\\nHTC\\n\\nApple\\nHTC\\n"), format="csv")
    >>> codes, dictionary = dictionary_parts(t.frame["brand"])
    >>> codes.tolist(), dictionary.to_pylist()
    ([1, 2, 1], ['brand', 'HTC', 'Apple'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = values.dtype
    if not (isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(dtype.pyarrow_dtype)):
        return None
    array = pa.array(values.array)
    indices = array.indices if array.null_count == 0 else pc.fill_null(array.indices, -1)
    return indices.to_numpy(zero_copy_only=False), array.dictionary


def as_objects(values: pd.Series) -> np.ndarray:
    """Cells as an object array, missing cells as NaN (as the other readers give them)."""
    if isinstance(values.dtype, pd.ArrowDtype):
        return values.to_numpy(dtype=object, na_value=np.nan)
    return values.to_numpy(dtype=object)


_ARROW_COLUMNS = 256


def _with_lines(frame: pd.DataFrame, raw: bytes | str, file, header_line: int) -> Table:
    lines = header_line + 1 + np.arange(len(frame), dtype=np.int64)
    if ('"' if isinstance(raw, str) else b'"') in raw:
        # quoted cells may span lines: shift every later row by the newlines they hold
        extra = np.zeros(len(frame), dtype=np.int64)
        for column in frame.columns:
            values = frame[column]
            parts = dictionary_parts(values)
            if parts is not None:  # count in the distinct values
                import pyarrow.compute as pc

                codes, dictionary = parts
                per_value = pc.count_substring(dictionary, "\n").to_numpy(zero_copy_only=False)
                if per_value.any():
                    extra += np.append(per_value, 0)[codes]  # code -1: the appended 0
                continue
            values = values.astype("string")
            if values.str.contains("\n", regex=False).any():
                extra += values.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
        lines[1:] += np.cumsum(extra)[:-1]
    return _drop_blank(frame, lines, file, header_line)


def _cell_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(data: bytes, worksheet_path: str) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of the merged cells of a sheet (read-only
    openpyxl does not report them; they sit in the sheet's XML as <mergeCell ref=...>)."""
    import zipfile

    from openpyxl.utils import range_boundaries

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(worksheet_path)
    return [range_boundaries(ref.decode()) for ref in _MERGE_CELL.findall(xml)]


def _read_xlsx(data: bytes, *, file, sheet, skiprows: int) -> Table:
    import openpyxl

    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataError(
            f"cannot open the file as an Excel workbook ({type(exc).__name__}: {exc})",
            file=file,
            hint="save it as .xlsx from Excel, or pass format= if it is another format",
        ) from None
    names = values.sheetnames
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise DataError(
                f"the workbook has no sheet {sheet}", file=file, hint=f"its sheets are {names}"
            )
        sheet = names[sheet]
    if sheet not in names:
        raise DataError(
            f"the workbook has no sheet {sheet!r}", file=file, hint=f"its sheets are {names}"
        )
    from openpyxl.utils import get_column_letter

    cells: list[tuple] = []
    pairs = zip(
        formulas[sheet].iter_rows(min_row=1, values_only=True),
        values[sheet].iter_rows(min_row=1, values_only=True),
        strict=True,
    )
    for number, (written, cached) in enumerate(pairs, start=1):
        for col, (w, v) in enumerate(zip(written, cached, strict=True), start=1):
            if v is None and isinstance(w, str) and w.startswith("="):
                place = f"{sheet}!{get_column_letter(col)}{number}"
                raise DataError(
                    f"cell {place} holds the formula {w!r} with no saved value",
                    file=file,
                    line=number,
                    value=w,
                    hint="open and save the file in Excel (which stores formula results), or "
                    "paste the values; formulas are never evaluated here",
                )
        if number > skiprows:
            cells.append(tuple(_cell_text(v) for v in cached))
    merged = _merged_ranges(data, values[sheet]._worksheet_path)
    formulas.close()
    values.close()
    if not cells:
        raise DataError(f"sheet {sheet!r} is empty", file=file, hint="check sheet= and skiprows=")
    width = max([len(r) for r in cells] + [c for _, _, c, _ in merged])
    cells = [r + (None,) * (width - len(r)) for r in cells]
    filled = []
    for min_col, min_row, max_col, max_row in merged:
        # a merged cell shows its value over the whole range (a brand spanning the rows of
        # its quarters): every cell of the range gets it, none reads as empty
        top = min_row - skiprows - 1
        if top < 0 or top >= len(cells) or (min_row, min_col) == (max_row, max_col):
            continue  # above the table (a title): skipped with skiprows
        filled.append(
            f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        )
        value = cells[top][min_col - 1]
        for i in range(top, min(max_row - skiprows, len(cells))):
            row = list(cells[i])
            row[min_col - 1 : max_col] = [value] * (max_col - min_col + 1)
            cells[i] = tuple(row)
    if filled:
        warnings.warn(
            f"{file or 'the workbook'}: sheet {sheet!r} has merged cells {filled}; each cell of "
            "a range took the range's value (check that a merged number is meant for every "
            "row, or unmerge it)",
            DataWarning,
            stacklevel=4,
        )
    header, body = cells[0], cells[1:]
    header_line = skiprows + 1
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    unnamed = [i for i, h in enumerate(header) if h is None and frame[i].isna().all()]
    frame = frame.drop(columns=unnamed)
    names_ = [
        header[i] if header[i] is not None else get_column_letter(i + 1) for i in frame.columns
    ]
    frame.columns = _header_names(names_, file, header_line)
    lines = header_line + 1 + np.arange(len(frame), dtype=np.int64)
    return _drop_blank(frame, lines, file, header_line)


def _read_json(text: str, *, file) -> Table:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"the file is not valid JSON ({exc.msg})",
            file=file,
            line=exc.lineno,
            hint='give a JSON list of records: [{"brand": ..., "units": ...}, ...]',
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError(
            "the JSON is not a list of records",
            file=file,
            hint='give a JSON list of objects, one per figure: [{"brand": ..., "units": ...}]',
        )
    if not records:
        raise DataError("the JSON list is empty", file=file, hint="give at least one record")
    frame = pd.DataFrame.from_records(records).astype(object)
    frame.columns = _header_names(list(frame.columns), file, None)
    return _drop_blank(frame, None, file, None)


def _read_parquet(data: bytes, *, file) -> Table:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises its own error types for damaged files
        raise DataError(
            f"cannot read the file as Parquet ({type(exc).__name__})",
            file=file,
            hint="check the file, or pass format= if it is another format",
        ) from None
    frame = frame.reset_index(drop=True)
    frame.columns = _header_names(list(frame.columns), file, None)
    return _drop_blank(frame, None, file, None)


def read_table(
    source: Any,
    *,
    format: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    skiprows: int = 0,
    sep: str | None = None,
) -> Table:
    """Read ``source`` into a :class:`Table` of raw cells.

    Examples
    --------
    >>> t = read_table(io.BytesIO(b"brand,units\\n\\nXiaomi,3M\\n"), format="csv")
    >>> t.frame["units"].tolist(), t.rows.tolist(), t.lines.tolist()
    (['3M'], [2], [3])
    """
    if not isinstance(skiprows, int) or isinstance(skiprows, bool) or skiprows < 0:
        raise ValueError(f"skiprows must be a whole number >= 0, got {skiprows!r}")
    file, data = _name_and_bytes(source)
    kind = _format_of(file, data, format)
    if kind in ("xlsx", "parquet"):
        if isinstance(data, str):
            raise TypeError(f"a {kind} file must be read in binary mode")
        return (
            _read_xlsx(data, file=file, sheet=sheet, skiprows=skiprows)
            if kind == "xlsx"
            else _read_parquet(data, file=file)
        )
    sep = sep or ("\t" if kind == "tsv" else ",")
    utf8 = encoding is None or codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    if (
        kind != "json"
        and isinstance(data, bytes)
        and utf8
        and len(sep) == 1
        and b"\x00" not in data
    ):
        # pyarrow checks that the bytes are UTF-8 as it reads: no decoded copy is needed
        raw = data[3:] if data.startswith(codecs.BOM_UTF8) else data
        fast = _read_csv_arrow(raw, file=file, skiprows=skiprows, sep=sep)
        if fast is not None:
            return fast
    if isinstance(data, str):
        text, used = data, "str"
    else:
        text, used = decode(data, encoding=encoding, file=file)
    if "\x00" in text:
        raise DataError(
            "the file holds NUL characters: it is not a text table",
            file=file,
            hint="check the format",
        )
    if kind == "json":
        return _read_json(text, file=file)
    if used not in ("utf-8-sig", "utf-8") and len(sep) == 1:
        fast = _read_csv_arrow(text.encode("utf-8"), file=file, skiprows=skiprows, sep=sep)
        if fast is not None:
            return fast
    return _read_csv(text, file=file, skiprows=skiprows, sep=sep)
