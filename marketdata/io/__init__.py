"""File formats: turn the bytes of a file into a :class:`Table` of raw cells.

:func:`read_table` reads CSV/TSV (:mod:`~marketdata.io.csv`), Excel ``.xlsx``
(:mod:`~marketdata.io.xlsx`), JSON records (:mod:`~marketdata.io.json`) and Parquet
(:mod:`~marketdata.io.parquet`), chosen by ``format=``, the file extension or the first
bytes (:mod:`~marketdata.io.files`); text encodings are told by
:mod:`~marketdata.io.encodings`. Nothing is evaluated: JSON is parsed with
:func:`json.loads`, and an Excel formula is read as the value Excel cached for it.

Every table says where its rows came from (file, line or Excel row, sheet, column
letters), so that an error can point at the cell.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from marketdata.errors import DataError
from marketdata.io.csv import read_csv
from marketdata.io.encodings import decode, line_of
from marketdata.io.files import FORMATS, format_of, name_and_bytes
from marketdata.io.json import read_json
from marketdata.io.parquet import read_parquet
from marketdata.io.table import (
    REJECTED,
    UNNAMED,
    Table,
    as_objects,
    dictionary_parts,
    is_unnamed,
)
from marketdata.io.xlsx import read_xlsx

__all__ = [
    "FORMATS",
    "REJECTED",
    "UNNAMED",
    "Table",
    "as_objects",
    "decode",
    "dictionary_parts",
    "is_unnamed",
    "read_table",
]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(data: bytes | str, encoding: str | None, file: str | None) -> str:
    if isinstance(data, str):
        text = data
        bad = _SURROGATE.search(text)
        if bad is not None:
            raise DataError(
                f"the text holds {bad.group()!r}, half of a character (a lone surrogate)",
                file=file,
                line=line_of(text, bad.start()),
                value=bad.group(),
                hint="read the file in binary mode, or fix the text that made it",
            )
    else:
        text, _ = decode(data, encoding=encoding, file=file)
    if "\x00" in text:
        raise DataError(
            "the file holds NUL characters: it is not a text table",
            file=file,
            line=line_of(text, text.index("\x00")),
            hint="check the format",
        )
    return text


def read_table(
    source: Any,
    *,
    format: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    skiprows: int = 0,
    sep: str | None = None,
    errors: str = "raise",
) -> Table:
    """Read ``source`` into a :class:`Table` of raw cells.

    Parameters
    ----------
    source : str, path-like, bytes or file-like
        The file.
    format : {"csv", "tsv", "xlsx", "json", "parquet"}, optional
        Overrides the extension and the first bytes.
    encoding : str, optional
        Text encoding of a CSV/JSON file; detected when not given.
    sheet : str or int, optional
        Excel sheet by name or 0-based index; by default the first visible sheet that
        holds a table.
    skiprows : int, default 0
        Lines (CSV) or rows (Excel) above the header; 0 lets an Excel sheet's title rows
        be found.
    sep : str, optional
        CSV field separator (default ``,``; tab for .tsv).
    errors : {"raise", "collect"}, default "raise"
        A CSV row with more fields than the header: raise, or list it in
        ``Table.rejected``.

    Returns
    -------
    Table

    Raises
    ------
    DataError
        For a file that cannot be read as a table, naming where.

    Examples
    --------
    >>> import io
    >>> t = read_table(io.BytesIO(b"brand,units\\n\\nXiaomi,3M\\n"), format="csv")
    >>> t.frame["units"].tolist(), t.rows.tolist(), t.lines.tolist()
    (['3M'], [2], [3])
    """
    if not isinstance(skiprows, int) or isinstance(skiprows, bool) or skiprows < 0:
        raise ValueError(f"skiprows must be a whole number >= 0, got {skiprows!r}")
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', got {errors!r}")
    file, data = name_and_bytes(source)
    kind = format_of(file, data, format)
    if kind in ("xlsx", "parquet"):
        if isinstance(data, str):
            raise TypeError(f"a {kind} file must be read in binary mode")
        if kind == "xlsx":
            return read_xlsx(data, file=file, sheet=sheet, skiprows=skiprows)
        return read_parquet(data, file=file)
    sep = sep or ("\t" if kind == "tsv" else ",")
    if kind == "csv" or kind == "tsv":
        utf8 = encoding is None or codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
        if isinstance(data, bytes) and utf8 and b"\x00" not in data:
            try:  # pyarrow checks that the bytes are UTF-8 as it reads: no decoded copy
                return read_csv(data, file=file, skiprows=skiprows, sep=sep, errors=errors)
            except UnicodeDecodeError:
                pass  # not UTF-8 after all: detect the encoding below
    text = _text(data, encoding, file)
    if kind == "json":
        return read_json(text, file=file)
    return read_csv(text, file=file, skiprows=skiprows, sep=sep, errors=errors)
