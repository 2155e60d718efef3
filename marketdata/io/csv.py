"""Read CSV (and TSV) text into a :class:`~marketdata.io.table.Table` of text cells.

Every cell is read as text (nothing is converted here), with the line of every row.
Lines end with ``\\n`` or ``\\r\\n``, or in a file with no ``\\n`` at all (old Mac files)
with a bare ``\\r``; a quoted cell may hold line breaks, and the rows after it get their
true line numbers.

Title lines (Statista's "Smartphone shipments ... (in million units)") may come above the
header, as in an Excel export: with ``skiprows=0``, the lines before the first line with
two or more filled fields hold one filled field each (or none) and are kept as
``Table.title``; the header is that line, or the line just above it if that holds one
field over a column other than the first (a header whose first cell is empty, over one
column of figures). See :mod:`marketdata.io.csvhead`; with ``skiprows=N`` the text of
the lines skipped is the title.

The header row sets the number of columns; a column with neither a header nor a value
(trailing separators) holds nothing and is left out. A shorter row has its missing cells empty; a
row with more fields than the header cannot be placed: with ``errors="raise"`` it is a
``DataError`` naming its line, with ``errors="collect"`` it is left out of the table and
listed in ``Table.rejected`` with its line and reason.

Two engines give the same cells: pyarrow's CSV reader (UTF-8 bytes, one-character
separator, one thread; every column dictionary-encoded text, so later steps parse each distinct text
once, see :func:`~marketdata.io.table.dictionary_parts`), and pandas' C parser otherwise.
"""

from __future__ import annotations

import codecs
import csv as _csv
import io
import re
import sys
import warnings
from typing import Any

import numpy as np
import pandas as pd

from marketdata.errors import DataError
from marketdata.io.csvhead import header_below_titles
from marketdata.io.encodings import newline_of
from marketdata.io.table import (
    REJECTED,
    Table,
    dictionary_parts,
    drop_blank,
    header_names,
    is_unnamed,
)

__all__ = ["read_csv"]

_HINT = "quote cells that contain the separator, or remove the extra fields"


def _newlines(texts: Any, newline: str) -> np.ndarray:
    """Line breaks inside each text, vectorised over an Arrow or string array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = texts if isinstance(texts, (pa.Array, pa.ChunkedArray)) else pa.array(texts)
    count = pc.count_substring(array, newline)
    return pc.fill_null(count, 0).to_numpy(zero_copy_only=False).astype(np.int64)


def _extra_lines(frame: pd.DataFrame, newline: str) -> np.ndarray:
    """Line breaks held in quoted cells, per row of ``frame``."""
    extra = np.zeros(len(frame), dtype=np.int64)
    for _, values in frame.items():
        parts = dictionary_parts(values)
        if parts is not None:  # count in the distinct values
            codes, dictionary = parts
            per_value = _newlines(dictionary, newline)
            if per_value.any():
                extra += np.append(per_value, 0)[codes]  # code -1: the appended 0
            continue
        texts = values.astype("string")
        if texts.str.contains(newline, regex=False).any():
            extra += _newlines(texts.to_numpy(dtype=object, na_value=None), newline)
    return extra


def _finish(
    frame: pd.DataFrame,
    names: list[Any],
    *,
    file: str | None,
    header_line: int,
    quoted: bool,
    newline: str,
    bad: dict[int, tuple[str, int]],
    width: int,
    errors: str,
    title: tuple[str, ...] = (),
) -> Table:
    """Name the columns, give every row its line, place the rejected long rows.

    ``bad`` maps the record number (0 = the header, 1 = the first row under it) of each
    row that had too many fields to its text and field count.
    """
    n = len(frame) + len(bad)  # data records
    is_bad = np.zeros(n + 1, dtype=bool)
    is_bad[list(bad)] = True
    kept = np.flatnonzero(~is_bad[1:]) + 1  # record number of each frame row
    extra = np.zeros(n + 1, dtype=np.int64)
    if quoted:  # (only a quoted cell can hold a line break)
        extra[kept] = _extra_lines(frame, newline)
        extra[0] = sum(x.count(newline) for x in names if isinstance(x, str))
        for k, (text, _) in bad.items():
            extra[k] = text.count(newline)
    lines = header_line + np.arange(n + 1, dtype=np.int64)
    lines[1:] += np.cumsum(extra)[:-1]
    if bad and errors == "raise":
        k = min(bad)
        raise DataError(
            f"the file is not a regular CSV table: line {lines[k]} has {bad[k][1]} fields, "
            f"the header {width}",
            file=file,
            row=int(k),
            line=int(lines[k]),
            value=bad[k][0][:200],
            hint=_HINT + "; pass errors='collect' to read the other rows",
        )
    frame.columns = header_names(names, file=file, line=header_line)
    empty = [c for c in frame.columns if is_unnamed(c) and frame[c].isna().all()]
    if empty:  # a column with neither a name nor a value (trailing separators) holds nothing
        frame = frame.drop(columns=empty)
    rejected = None
    if errors == "collect":
        order = sorted(bad)
        rejected = pd.DataFrame(
            {
                "row": np.array(order, dtype=np.int64),
                "line": pd.array([lines[k] for k in order], dtype="Int64"),
                "column": None,
                "value": [bad[k][0][:200] for k in order],
                "reason": [
                    f"the row has {bad[k][1]} fields, the header {width}; {_HINT}" for k in order
                ],
            },
            columns=list(REJECTED),
        )
    table = drop_blank(
        frame, lines[kept], file=file, header_line=header_line, rejected=rejected, title=title
    )
    if bad:  # row numbers count the rejected rows too
        table = Table(
            table.frame,
            kept[table.rows - 1],
            table.lines,
            file,
            header_line,
            title=title,
            rejected=rejected,
        )
    return table


def _width(raw: bytes, skiprows: int, sep: str) -> int | None:
    """Fields of the header line (for Arrow's column types), None if it cannot be told."""
    head = raw[: 1 << 20].decode("utf-8", errors="replace")
    try:
        reader = _csv.reader(io.StringIO(head, newline=""), delimiter=sep)
        for i, row in enumerate(reader):
            if i == skiprows:
                return len(row)
    except _csv.Error:
        return None
    return None


def _quiet_decode_errors(unraisable) -> None:
    if not isinstance(unraisable.exc_value, UnicodeDecodeError):
        sys.__unraisablehook__(unraisable)


def _read_arrow(
    raw: bytes, *, file, skiprows: int, sep: str, errors: str, title: tuple[str, ...]
) -> Table | None:
    """pyarrow's reader; None when the file needs the pandas path (text that is not
    UTF-8, a row shorter than the header, a header over a megabyte)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    width = _width(raw, skiprows, sep)
    if not width:
        return None
    text_type = pa.dictionary(pa.int32(), pa.string())
    convert = pacsv.ConvertOptions(
        column_types={f"f{i}": text_type for i in range(width)},
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    bad: dict[int, tuple[str, int]] = {}

    def invalid(row) -> str:
        if row.actual_columns < row.expected_columns or row.number is None:
            return "error"  # pandas pads short rows (and a row must have its number)
        bad[row.number - skiprows - 1] = (row.text, row.actual_columns)
        return "skip"

    # One thread, allowing line breaks inside quoted values: on the machines this runs on
    # as fast as Arrow's parallel reader, with half its peak memory, one pass even when a
    # quoted line break falls on a block boundary, and the number of every long row.
    hook = sys.unraisablehook  # a long row that is not UTF-8 cannot reach ``invalid``:
    sys.unraisablehook = _quiet_decode_errors  # Arrow reports it and fails the read
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(
                skip_rows=skiprows, autogenerate_column_names=True, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=convert,
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, UnicodeError):
        return None  # the pandas path (after the text is decoded) reads it
    finally:
        sys.unraisablehook = hook
    if table.num_rows == 0 or table.num_columns != width:
        return None
    names = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    rows = table.num_rows
    chunked = table.columns
    del table
    keep = [  # a column with neither a name nor a value holds nothing (see _finish)
        i
        for i, name in enumerate(names)
        if (name is not None and name.strip()) or chunked[i].null_count < rows
    ]
    names = [names[i] for i in keep]
    columns = {}
    for j, i in enumerate(keep):  # the header row goes; its text may stay in the dictionary
        columns[j] = pd.arrays.ArrowExtensionArray(_one_dictionary(chunked[i]).slice(1))
        chunked[i] = None  # free each Arrow column once converted
    pa.default_memory_pool().release_unused()  # give the parser's buffers back
    frame = pd.DataFrame(columns, copy=False)
    newline = newline_of(raw)
    lines = raw.count(newline) + 1 - raw.endswith(newline)
    return _finish(
        frame,
        names,
        file=file,
        header_line=skiprows + 1,
        quoted=lines > skiprows + 1 + len(frame) + len(bad),  # line breaks inside cells
        newline=newline.decode(),
        bad=bad,
        width=width,
        errors=errors,
        title=title,
    )


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


_SKIPPING = re.compile(
    r"Skipping line (\d+): expected (\d+) fields(?: in line \d+)?, saw (\d+)", re.I
)


def _read_pandas(
    text: str, *, file, skiprows: int, sep: str, errors: str, title: tuple[str, ...]
) -> Table:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=sep if len(sep) == 1 else re.escape(sep),  # (longer: a regex to pandas)
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                skiprows=skiprows,
                header=None,  # so that a long first row is an error, not an implicit index
                engine="c" if len(sep) == 1 else "python",
                on_bad_lines="warn",
            )
        except pd.errors.EmptyDataError:
            raise DataError(
                "the file is empty", file=file, hint="check the path and skiprows="
            ) from None
        except (pd.errors.ParserError, ValueError, OverflowError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
            raise DataError(
                f"the file is not a regular CSV table ({message})", file=file, hint=_HINT
            ) from None
    bad = {}
    for warning in caught:
        found = _SKIPPING.findall(str(warning.message))
        if not found and issubclass(warning.category, pd.errors.ParserWarning):
            raise DataError(  # a row skipped that cannot be placed: never lose it silently
                f"the file is not a regular CSV table ({str(warning.message).strip()})",
                file=file,
                hint=_HINT,
            )
        for line, _, saw in found:
            bad[int(line) - 1] = ("", int(saw))
    if frame.empty:
        raise DataError("the file is empty", file=file, hint="check the path and skiprows=")
    names = frame.iloc[0].tolist()
    frame = frame.iloc[1:].reset_index(drop=True)
    return _finish(
        frame,
        names,
        file=file,
        header_line=skiprows + 1,
        quoted='"' in text,
        newline=newline_of(text),
        bad=bad,
        width=len(names),
        errors=errors,
        title=title,
    )


def read_csv(
    data: bytes | str,
    *,
    file: str | None,
    skiprows: int = 0,
    sep: str = ",",
    errors: str = "raise",
) -> Table:
    """Read CSV ``data`` (UTF-8 bytes, or decoded text) into a :class:`Table`.

    Parameters
    ----------
    data : bytes or str
        UTF-8 bytes (a BOM is dropped), or text already decoded.
    file : str or None
        For messages.
    skiprows : int, default 0
        Lines above the header.
    sep : str, default ","
        Field separator.
    errors : {"raise", "collect"}, default "raise"
        What a row with too many fields does: raise, or go to ``Table.rejected``.

    Examples
    --------
    >>> t = read_csv(b"brand,units\\nHTC,3M\\nSony,1M,x\\n", file=None, errors="collect")
    >>> t.frame["brand"].tolist(), t.rejected[["row", "line"]].values.tolist()
    (['HTC'], [[2, 3]])
    """
    if isinstance(data, bytes):
        raw = data[3:] if data.startswith(codecs.BOM_UTF8) else data
        skiprows, title = header_below_titles(
            raw[: 1 << 20].decode("utf-8", errors="replace"), skiprows, sep
        )
        encoded, data = raw, None
    else:
        skiprows, title = header_below_titles(data[: 1 << 20], skiprows, sep)
        encoded = data.encode("utf-8") if len(sep) == 1 and "\x00" not in data else None
    options = dict(file=file, skiprows=skiprows, sep=sep, errors=errors, title=title)
    if encoded is not None and len(sep) == 1 and b"\x00" not in encoded:
        fast = _read_arrow(encoded, **options)
        if fast is not None:
            return fast
    if data is None:
        data = encoded.decode("utf-8")
    return _read_pandas(data, **options)
