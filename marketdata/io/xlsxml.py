"""The parts of an ``.xlsx`` zip around its cells, parsed with bounded work.

An ``.xlsx`` file is a zip of XML parts: ``xl/workbook.xml`` (the sheets, their names and
whether they are hidden), ``xl/sharedStrings.xml`` (the text of text cells),
``xl/styles.xml`` (which cells are dates) and one ``xl/worksheets/sheetN.xml`` per sheet.
Each part is streamed through expat: the work and memory are bounded by the bytes of the
part and by the cells that hold values, never by the sizes the file declares
(``<dimension ref="A1:XFD1048576"/>`` is ignored, and a cell reference beyond Excel's
1,048,576 rows or 16,384 columns is refused). Limits, each a ``DataError`` naming it:

- :data:`MAX_PART_BYTES` uncompressed bytes per part (a zip of 1 GB of whitespace stops
  there, after reading that much, never more);
- :data:`~marketdata.io.xlsxcells.MAX_CELLS` cells holding a value per sheet;
- no DTD (``<!DOCTYPE``), so no entity expansion.

The cells of a sheet are read by :mod:`marketdata.io.xlsxcells`.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

import numpy as np

from marketdata.errors import DataError

__all__ = [
    "MAX_COLUMNS",
    "MAX_PART_BYTES",
    "MAX_ROWS",
    "SheetInfo",
    "column_letter",
    "local",
    "parse",
    "read_date_styles",
    "read_strings",
    "read_workbook",
]

MAX_PART_BYTES = 256 * 2**20
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_CHUNK = 2**20


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


def local(name: str) -> str:
    """An XML element name without its namespace prefix.

    Examples
    --------
    >>> local("x:c"), local("row")
    ('c', 'row')
    """
    return name.rpartition(":")[2]


def _no_dtd(*_: Any) -> None:
    raise DataError("the workbook's XML declares a DTD, which no Excel file has")


def parse(archive: zipfile.ZipFile, part: str, start, end=None, text=None, *, file) -> None:
    """Stream one part through expat with the handlers given, bounded by MAX_PART_BYTES.

    ``start(name, attributes)``, ``end(name)`` and ``text(data)`` are expat's handlers;
    a DTD, XML that is not well-formed and a damaged zip entry are ``DataError``.

    Examples
    --------
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("a.xml", "<a><b n='1'/><b n='2'/></a>")
    >>> seen = []
    >>> parse(zipfile.ZipFile(buffer), "a.xml", lambda n, a: seen.append(a.get("n")), file=None)
    >>> seen
    [None, '1', '2']
    """
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
    """The sheets, whether dates count from 1904, and the shared-strings part if any.

    Examples
    --------
    >>> import io, zipfile, openpyxl
    >>> wb = openpyxl.Workbook()
    >>> wb.create_sheet("Notes").sheet_state = "hidden"
    >>> buffer = io.BytesIO()
    >>> wb.save(buffer)
    >>> sheets, date1904, strings = read_workbook(zipfile.ZipFile(buffer), file=None)
    >>> [(s.name, s.state, s.part) for s in sheets], date1904
    ([('Sheet', 'visible', 'xl/worksheets/sheet1.xml'), ('Notes', 'hidden', 'xl/worksheets/sheet2.xml')], False)
    """
    sheets: list[tuple[str, str, str]] = []
    flags = {"1904": False}

    def on_book(name, attrs):
        name = local(name)
        if name == "sheet":
            rid = next((v for k, v in attrs.items() if local(k) == "id"), "")
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
    parse(archive, book, on_book, file=file)
    targets: dict[str, str] = {}
    strings = None

    def on_rels(name, attrs):
        nonlocal strings
        if local(name) == "Relationship":
            path = _target(book, attrs.get("Target", ""))
            targets[attrs.get("Id", "")] = path
            if attrs.get("Type", "").endswith("/sharedStrings"):
                strings = path

    rels = "xl/_rels/workbook.xml.rels"
    if rels in names:
        parse(archive, rels, on_rels, file=file)
    out = []
    for name, state, rid in sheets:
        part = targets.get(rid)
        if part in names:  # (a chart sheet or a missing part holds no cells)
            out.append(SheetInfo(name, state, part))
    if strings is None and "xl/sharedStrings.xml" in names:
        strings = "xl/sharedStrings.xml"
    return out, flags["1904"], strings if strings in names else None


def read_strings(archive: zipfile.ZipFile, part: str | None, *, file) -> list[str]:
    """The shared strings (rich text runs joined; phonetic guides left out).

    Examples
    --------
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("s.xml", "<sst><si><t>HTC</t></si><si><r><t>Sam</t></r><r><t>sung</t>"
    ...                "</r><rPh><t>x</t></rPh></si></sst>")
    >>> read_strings(zipfile.ZipFile(buffer), "s.xml", file=None)
    ['HTC', 'Samsung']
    """
    if part is None:
        return []
    out: list[str] = []
    state = {"in_t": False, "skip": 0}
    buffer: list[str] = []

    def start(name, attrs):
        name = local(name)
        if name == "si":
            buffer.clear()
        elif name == "rPh":
            state["skip"] += 1
        elif name == "t" and not state["skip"]:
            state["in_t"] = True

    def end(name):
        name = local(name)
        if name == "si":
            out.append("".join(buffer))
        elif name == "rPh":
            state["skip"] -= 1
        elif name == "t":
            state["in_t"] = False

    def text(data):
        if state["in_t"]:
            buffer.append(data)

    parse(archive, part, start, end, text, file=file)
    return out


def read_date_styles(archive: zipfile.ZipFile, *, file) -> np.ndarray:
    """For each cell style index, whether its number format shows a date or time.

    Examples
    --------
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("xl/styles.xml", '<styleSheet><numFmts><numFmt numFmtId="164" '
    ...                'formatCode="yyyy-mm"/></numFmts><cellXfs><xf numFmtId="0"/>'
    ...                '<xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')
    >>> read_date_styles(zipfile.ZipFile(buffer), file=None).tolist()
    [False, True, True]
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return np.zeros(0, dtype=bool)
    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"xfs": False}

    def start(name, attrs):
        name = local(name)
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
        if local(name) == "cellXfs":
            depth["xfs"] = False

    parse(archive, "xl/styles.xml", start, end, file=file)
    codes = {**BUILTIN_FORMATS, **custom}
    return np.array([is_date_format(codes.get(i, "General")) for i in formats], dtype=bool)
