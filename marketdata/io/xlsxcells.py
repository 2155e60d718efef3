"""The cells of one worksheet part of an ``.xlsx`` zip, streamed with bounded work.

Only cells that hold a value are kept (an empty text is no value), with their Excel row
and column, and the sheet's merged ranges. A reference outside Excel's 1,048,576 rows and
16,384 columns, or more than :data:`MAX_CELLS` cells with values, is a ``DataError``; the
other limits are those of :mod:`marketdata.io.xlsxml`. Values: shared and inline strings
as text, numbers as numbers (whole numbers as ``int``), cells styled as dates as
datetimes, booleans as ``bool``, errors (``#N/A``) as their text; a formula's value is the
one Excel cached, and a formula without one is refused.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np

from marketdata.errors import DataError
from marketdata.io.xlsxml import MAX_COLUMNS, MAX_ROWS, SheetInfo, column_letter, local, parse

__all__ = ["MAX_CELLS", "Cells", "read_cells"]

MAX_CELLS = 5_000_000
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


@dataclass
class Cells:
    """The cells of a sheet that hold a value, in file order, and its merged ranges."""

    row: np.ndarray  # Excel row numbers
    col: np.ndarray  # column numbers (1 = A)
    value: np.ndarray  # object: str, float, int, bool, datetime
    merged: list[tuple[int, int, int, int]]  # (min_col, min_row, max_col, max_row)


def _number(text: str, date: bool, epoch) -> Any:
    from openpyxl.utils.datetime import from_excel

    try:
        value = float(text)
    except ValueError:
        return text  # not a number: kept as written
    if not np.isfinite(value):
        return text.strip()
    if date:
        try:
            return from_excel(value, epoch)
        except (ValueError, OverflowError):
            return value
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _ref(ref: str, sheet: str, *, file) -> tuple[int, int]:
    match = _REF.match(ref)
    row = int(match.group(2)) if match else 0
    col = _column_number(match.group(1)) if match else 0
    if not match or not 1 <= row <= MAX_ROWS or not 1 <= col <= MAX_COLUMNS:
        raise DataError(
            f"sheet {sheet!r} refers to cell {ref!r}, outside Excel's {MAX_ROWS:,} rows and "
            f"{MAX_COLUMNS:,} columns",
            file=file,
            value=ref,
            hint="the file is damaged or was not written by a spreadsheet: save it again",
        )
    return row, col


def _merge(ref: str, sheet: str, *, file) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    if not last:
        return None
    (r1, c1), (r2, c2) = _ref(first, sheet, file=file), _ref(last, sheet, file=file)
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def read_cells(
    archive: zipfile.ZipFile,
    sheet: SheetInfo,
    *,
    strings: list[str],
    dates: np.ndarray,
    date1904: bool,
    file,
) -> Cells:
    """Every cell of ``sheet`` holding a value (empty text is no value), with merges.

    Examples
    --------
    >>> import io, zipfile, openpyxl
    >>> from marketdata.io.xlsxml import read_date_styles, read_strings, read_workbook
    >>> wb = openpyxl.Workbook()
    >>> for row in (["brand", "units"], ["HTC", 3], ["", 4.5]):
    ...     wb.active.append(row)
    >>> wb.active.merge_cells("A2:A3")
    >>> buffer = io.BytesIO()
    >>> wb.save(buffer)
    >>> z = zipfile.ZipFile(buffer)
    >>> (sheet,), date1904, part = read_workbook(z, file=None)
    >>> cells = read_cells(z, sheet, strings=read_strings(z, part, file=None),
    ...                    dates=read_date_styles(z, file=None), date1904=date1904, file=None)
    >>> cells.row.tolist(), cells.col.tolist(), cells.value.tolist(), cells.merged
    ([1, 1, 2, 2, 3], [1, 2, 1, 2, 2], ['brand', 'units', 'HTC', 3, 4.5], [(1, 2, 1, 3)])
    """
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    rows: list[int] = []
    cols: list[int] = []
    values: list[Any] = []
    merged: list[tuple[int, int, int, int]] = []
    cell: dict[str, Any] = {}
    position = {"row": 0, "col": 0}
    buffer: list[str] = []
    grab = {"on": False}

    def start(name, attrs):
        name = local(name)
        if name in ("v", "f") or (name == "t" and "runs" not in cell):
            buffer.clear()  # (the runs of an inline string keep adding to it)
            cell["runs"] = name == "t"
            grab["on"] = True
        elif name == "t":
            grab["on"] = True
        elif name == "c":
            cell.clear()
            ref = attrs.get("r")
            if ref:
                row, col = _ref(ref, sheet.name, file=file)
                position["row"], position["col"] = row, col
            else:  # no reference: the next cell of the row
                position["col"] += 1
            cell.update(type=attrs.get("t", "n"), style=attrs.get("s", "0"))
        elif name == "row":
            number = attrs.get("r")
            position["row"] = int(number) if number and number.isdigit() else position["row"] + 1
            position["col"] = 0
            if not 1 <= position["row"] <= MAX_ROWS:
                raise DataError(
                    f"sheet {sheet.name!r} has a row {number!r} outside Excel's {MAX_ROWS:,}",
                    file=file,
                    hint="the file is damaged: save it again from Excel",
                )
        elif name == "mergeCell":
            box = _merge(attrs.get("ref", ""), sheet.name, file=file)
            if box is not None:
                merged.append(box)

    def text(data):
        if grab["on"]:
            buffer.append(data)

    def end(name):
        name = local(name)
        if name in ("v", "f", "t"):
            cell[name] = "".join(buffer)
            grab["on"] = False
        elif name == "c":
            value = _value(cell)
            if value is not None:
                if len(values) >= MAX_CELLS:
                    raise DataError(
                        f"sheet {sheet.name!r} holds over {MAX_CELLS:,} cells with values, "
                        "beyond what is read",
                        file=file,
                        hint="save the table as CSV, or split it",
                    )
                rows.append(position["row"])
                cols.append(position["col"])
                values.append(value)

    def _value(c: dict[str, Any]) -> Any:
        kind = c.get("type")
        raw = c.get("v")
        if "f" in c and not raw and kind != "str":
            place = f"{sheet.name}!{column_letter(position['col'])}{position['row']}"
            raise DataError(
                f"cell {place} holds the formula {'=' + c['f']!r} with no saved value",
                file=file,
                line=position["row"],
                value="=" + c["f"],
                hint="open and save the file in Excel (which stores formula results), or "
                "paste the values; formulas are never evaluated here",
            )
        if kind == "inlineStr":
            value = c.get("t")
        elif raw is None:
            return None
        elif kind == "s":
            try:
                value = strings[int(raw)]
            except (ValueError, IndexError):
                raise DataError(
                    f"cell {column_letter(position['col'])}{position['row']} of sheet "
                    f"{sheet.name!r} refers to shared string {raw!r}, which the file lacks",
                    file=file,
                    line=position["row"],
                    hint="the file is damaged: save it again from Excel",
                ) from None
        elif kind in ("str", "e"):
            value = raw
        elif kind == "b":
            return raw.strip() in ("1", "true")
        elif kind == "d":
            value = raw.strip()
        else:
            try:
                style = int(c.get("style", "0"))
            except ValueError:
                style = 0
            return _number(raw, bool(0 <= style < dates.size and dates[style]), epoch)
        if value is None or not value.strip():
            return None
        return value

    parse(archive, sheet.part, start, end, text, file=file)
    return Cells(
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(values + [None], dtype=object)[:-1],
        merged,
    )
