"""The raw table every format reader returns, and what all of them share.

A :class:`Table` holds cells as read, before any interpretation: the header's column
names, one row per data row, and where each row came from (its line in a CSV file or its
row in an Excel sheet). Blank rows (every cell empty or whitespace) carry no figure and
are left out; the others are kept and numbered as the user counts them (1 = first row
under the header), so that a row number in an error message points at the right place.

Header cells left empty get a placeholder name, :data:`UNNAMED` followed by the Excel
column letter (``"unnamed: B"``) or, for formats without letters, the 1-based position
(``"unnamed: 3"``): the layout step can tell them from real names with :func:`is_unnamed`
(Statista leaves the header of its period column empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from marketdata.errors import DataError

__all__ = [
    "UNNAMED",
    "REJECTED",
    "Table",
    "as_objects",
    "blank_rows",
    "dictionary_parts",
    "drop_blank",
    "header_names",
    "is_unnamed",
]

UNNAMED = "unnamed: "
REJECTED = ("row", "line", "column", "value", "reason")


@dataclass(frozen=True)
class Table:
    """Cells as read, before any interpretation.

    Attributes
    ----------
    frame : DataFrame
        One column per header cell, one row per data row (blank rows left out).
    rows : ndarray of int
        The data row of each frame row as the user counts it (1 = first under the header).
    lines : ndarray of int or None
        The line of the file (CSV) or the Excel row number; None for JSON, Parquet, frames.
    file : str or None
        The file's name, for messages.
    header_line : int or None
        The line (Excel row) of the column names.
    sheet : str or None
        The Excel sheet read.
    letters : tuple of str
        The Excel column letter of each column (empty for other formats).
    title : tuple of str
        Text of the rows above the header (an Excel title, "in million units"), in order.
    notes : tuple of str
        Text of the rows below the table that were left out (footnotes), in order.
    rejected : DataFrame or None
        Rows that could not be read as rows of the table (a CSV line with more fields than
        the header), with the columns of :data:`REJECTED`; only with ``errors="collect"``.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    lines: np.ndarray | None
    file: str | None
    header_line: int | None = None
    sheet: str | None = None
    letters: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rejected: pd.DataFrame | None = field(default=None, compare=False)


def is_unnamed(name: Any) -> bool:
    """Whether a column name is the placeholder of an empty header cell.

    Examples
    --------
    >>> is_unnamed("unnamed: B"), is_unnamed("Apple")
    (True, False)
    """
    return isinstance(name, str) and name.startswith(UNNAMED)


def _name_text(name: Any) -> str:
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    if isinstance(name, float) and name.is_integer():
        return str(int(name))
    return str(name).strip()


def header_names(
    names: list[Any],
    *,
    file: str | None,
    line: int | None,
    letters: tuple[str, ...] = (),
) -> list[str]:
    """Column names from header cells: stripped text, placeholders for empty cells.

    Raises
    ------
    DataError
        If two columns have the same name.

    Examples
    --------
    >>> header_names(["brand", None, " units "], file=None, line=1)
    ['brand', 'unnamed: 2', 'units']
    >>> header_names([None, "Apple"], file=None, line=5, letters=("B", "C"))
    ['unnamed: B', 'Apple']
    """
    out = []
    for i, name in enumerate(names):
        text = _name_text(name)
        out.append(text or UNNAMED + (letters[i] if letters else str(i + 1)))
    counts = pd.Series(out, dtype=object).value_counts()
    duplicated = sorted(counts.index[counts.to_numpy() > 1])
    if duplicated:
        raise DataError(
            f"the header names the column(s) {duplicated} more than once",
            file=file,
            line=line,
            hint="give every column its own name (or pass skiprows= if this is not the header)",
        )
    return out


def _blank_cells(values: pd.Series) -> np.ndarray:
    parts = dictionary_parts(values)
    if parts is not None:  # Arrow dictionary: look at each distinct text once
        import pyarrow.compute as pc

        codes, dictionary = parts
        stripped = pc.utf8_trim_whitespace(dictionary)
        per_value = pc.equal(pc.utf8_length(stripped), 0).to_numpy(zero_copy_only=False)
        return np.append(per_value, True)[codes]  # code -1 (missing): the appended True
    empty = values.isna().to_numpy(dtype=bool)
    if values.dtype == object:  # Excel, JSON: cells may be whitespace
        where = np.flatnonzero(~empty)
        stripped = values.iloc[where].astype(str).str.strip() == ""
        empty[where[stripped.to_numpy(dtype=bool)]] = True
    return empty


def blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose cells are all missing or whitespace, as a boolean array.

    Columns are looked at one after the other on the rows still blank, so a table with
    no blank row costs one column's check.

    Examples
    --------
    >>> blank_rows(pd.DataFrame({"a": ["x", None, " "], "b": [None, None, None]})).tolist()
    [False, True, True]
    """
    blank = np.ones(len(frame), dtype=bool)
    for _, values in frame.items():
        rows = np.flatnonzero(blank)
        if rows.size == 0:
            break
        if rows.size == len(frame):
            blank = _blank_cells(values)
        else:
            blank[rows] = _blank_cells(values.iloc[rows])
    return blank


def drop_blank(
    frame: pd.DataFrame,
    lines: np.ndarray | None,
    *,
    file: str | None,
    header_line: int | None,
    **extra: Any,
) -> Table:
    """A :class:`Table` of ``frame`` without its blank rows, rows numbered from 1.

    Examples
    --------
    >>> t = drop_blank(pd.DataFrame({"brand": ["HTC", " ", "LG"]}), np.array([2, 3, 4]),
    ...                file=None, header_line=1)
    >>> t.rows.tolist(), t.lines.tolist()
    ([1, 3], [2, 4])
    """
    blank = blank_rows(frame)
    if blank.any():
        keep = ~blank
        frame = frame.loc[keep].reset_index(drop=True)
        rows = np.flatnonzero(keep) + 1
        lines = None if lines is None else lines[keep]
    else:
        rows = np.arange(1, len(frame) + 1)
    return Table(frame, rows, lines, file, header_line, **extra)


def dictionary_parts(values: pd.Series) -> tuple[np.ndarray, Any] | None:
    """Codes (-1: missing) and the Arrow dictionary of a dictionary-encoded column, else None.

    Examples
    --------
    >>> import io
    >>> from marketdata.io import read_table
    >>> t = read_table(io.BytesIO(b"brand\\nHTC\\n\\nApple\\nHTC\\n"), format="csv")
    >>> codes, dictionary = dictionary_parts(t.frame["brand"])
    >>> codes.tolist(), dictionary.to_pylist()
    ([1, 2, 1], ['brand', 'HTC', 'Apple'])
    """
    dtype = values.dtype
    if not isinstance(dtype, pd.ArrowDtype):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(dtype.pyarrow_dtype):
        return None
    array = pa.array(values.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    indices = array.indices if array.null_count == 0 else pc.fill_null(array.indices, -1)
    return indices.to_numpy(zero_copy_only=False), array.dictionary


def as_objects(values: pd.Series) -> np.ndarray:
    """Cells as an object array, missing cells as NaN (as the other readers give them).

    Examples
    --------
    >>> as_objects(pd.Series(["a", None], dtype=object)).tolist()
    ['a', None]
    >>> import pyarrow as pa
    >>> coded = pa.array(["HTC", None, "HTC"]).dictionary_encode()
    >>> as_objects(pd.Series(pd.arrays.ArrowExtensionArray(coded))).tolist()
    ['HTC', nan, 'HTC']
    """
    parts = dictionary_parts(values)
    if parts is not None:  # each distinct text made once, spread by the codes
        codes, dictionary = parts
        texts = np.empty(len(dictionary) + 1, dtype=object)
        texts[:-1] = dictionary.to_pylist()
        texts[-1] = np.nan  # code -1: missing
        return texts[codes]
    if isinstance(values.dtype, pd.ArrowDtype):
        return values.to_numpy(dtype=object, na_value=np.nan)
    return values.to_numpy(dtype=object)
