"""The parts of an ``.xlsx`` zip that hold cells, parsed with bounded work.

An ``.xlsx`` file is a zip of XML parts: ``xl/workbook.xml`` (the sheets, their names and
whether they are hidden), ``xl/sharedStrings.xml`` (the text of text cells),
``xl/styles.xml`` (which cells are dates) and one ``xl/worksheets/sheetN.xml`` per sheet.
Each part is streamed through expat: the work and memory are bounded by the bytes of the
part and by the cells that hold values, never by the sizes the file declares
(``<dimension ref="A1:XFD1048576"/>`` is ignored, and a cell reference beyond Excel's
1,048,576 rows or 16,384 columns is refused). Limits, each a ``DataError`` naming it:

- :data:`MAX_PART_BYTES` uncompressed bytes per part (a zip of 1 GB of whitespace stops
  there, after reading that much, never more);
- :data:`MAX_CELLS` cells holding a value per sheet;
- no DTD (``<!DOCTYPE``), so no entity expansion.

Nothing is evaluated: a formula's value is the one Excel cached when it saved the file,
and a formula without one is refused.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import numpy as np

from marketdata.errors import DataError

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_PART_BYTES",
    "MAX_ROWS",
    "Cells",
    "SheetInfo",
    "column_letter",
    "read_cells",
    "read_workbook",
]

MAX_PART_BYTES = 256 * 2**20
MAX_CELLS = 5_000_000
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_CHUNK = 2**20
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")


def column_letter(index: int) -> str:
    """The Excel letters of a 1-based column number.

    Examples
    --------
    >>> column_letter(1), column_letter(28), column_letter(16384)
    ('A', 'AB', 'XFD')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _no_dtd(*_: Any) -> None:
    raise DataError("the workbook's XML declares a DTD, which no Excel file has")


def _parse(archive: zipfile.ZipFile, part: str, start, end=None, text=None, *, file) -> None:
    """Stream one part through expat with the handlers given, bounded by MAX_PART_BYTES."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    read = 0
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > MAX_PART_BYTES:
                    raise DataError(
                        f"the workbook part {part} holds over {MAX_PART_BYTES // 2**20} MiB of "
                        "XML, beyond what is read",
                        file=file,
                        hint="save the sheet alone, or as CSV",
                    )
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise DataError(
            f"the workbook part {part} is not well-formed XML ({exc})",
            file=file,
            hint="open and save the file in Excel",
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise DataError(
            f"cannot read the workbook part {part} ({type(exc).__name__}: {exc})",
            file=file,
            hint="the file is damaged: save it again from Excel",
        ) from None


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of the workbook: its name, state (visible, hidden, veryHidden), zip part."""

    name: str
    state: str
    part: str


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.rsplit("/", 1)[0].split("/") if "/" in base else []
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def read_workbook(archive: zipfile.ZipFile, *, file) -> tuple[list[SheetInfo], bool, str | None]:
    """The sheets, whether dates count from 1904, and the shared-strings part if any."""
    sheets: list[tuple[str, str, str]] = []
    flags = {"1904": False}

    def on_book(name, attrs):
        name = _local(name)
        if name == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif name == "workbookPr":
            flags["1904"] = attrs.get("date1904", "0").lower() in ("1", "true")

    book = "xl/workbook.xml"
    names = set(archive.namelist())
    if book not in names:
        raise DataError(
            "the file is a zip but not an Excel workbook (no xl/workbook.xml)",
            file=file,
            hint="save it as .xlsx from Excel, or pass format=",
        )
    _parse(archive, book, on_book, file=file)
    targets: dict[str, str] = {}
    strings = None

    def on_rels(name, attrs):
        nonlocal strings
        if _local(name) == "Relationship":
            path = _target(book, attrs.get("Target", ""))
            targets[attrs.get("Id", "")] = path
            if attrs.get("Type", "").endswith("/sharedStrings"):
                strings = path

    rels = "xl/_rels/workbook.xml.rels"
    if rels in names:
        _parse(archive, rels, on_rels, file=file)
    out = []
    for name, state, rid in sheets:
        part = targets.get(rid)
        if part in names:  # (a chart sheet or a missing part holds no cells)
            out.append(SheetInfo(name, state, part))
    if strings is None and "xl/sharedStrings.xml" in names:
        strings = "xl/sharedStrings.xml"
    return out, flags["1904"], strings if strings in names else None


def read_strings(archive: zipfile.ZipFile, part: str | None, *, file) -> list[str]:
    """The shared strings (rich text runs joined; phonetic guides left out)."""
    if part is None:
        return []
    out: list[str] = []
    state = {"in_t": False, "skip": 0}
    buffer: list[str] = []

    def start(name, attrs):
        name = _local(name)
        if name == "si":
            buffer.clear()
        elif name == "rPh":
            state["skip"] += 1
        elif name == "t" and not state["skip"]:
            state["in_t"] = True

    def end(name):
        name = _local(name)
        if name == "si":
            out.append("".join(buffer))
        elif name == "rPh":
            state["skip"] -= 1
        elif name == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            buffer.append(data)

    _parse(archive, part, start, end, text, file=file)
    return out


def read_date_styles(archive: zipfile.ZipFile, *, file) -> np.ndarray:
    """For each cell style index, whether its number format shows a date or time."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return np.zeros(0, dtype=bool)
    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"xfs": False}

    def start(name, attrs):
        name = _local(name)
        if name == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif name == "cellXfs":
            depth["xfs"] = True
        elif name == "xf" and depth["xfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            depth["xfs"] = False

    _parse(archive, "xl/styles.xml", start, end, file=file)
    codes = {**BUILTIN_FORMATS, **custom}
    return np.array([is_date_format(codes.get(i, "General")) for i in formats], dtype=bool)


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
    """Every cell of ``sheet`` holding a value (empty text is no value), with merges."""
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
        name = _local(name)
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
        name = _local(name)
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

    _parse(archive, sheet.part, start, end, text, file=file)
    return Cells(
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(values + [None], dtype=object)[:-1],
        merged,
    )
