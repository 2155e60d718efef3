"""Build .xlsx files by hand (the zip of XML parts), to write what no spreadsheet would."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def cell(ref: str, value) -> str:
    """One <c> element: text as an inline string, numbers as numbers."""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def sheet_xml(cells: dict[str, object], *, extra: str = "", head: str = "") -> str:
    """A worksheet part holding ``cells`` ({"A1": value}), grouped into rows."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells.items():
        number = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(number, []).append(cell(ref, value))
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    return f"<worksheet {_NS}>{head}<sheetData>{body}</sheetData>{extra}</worksheet>"


def workbook(sheets: list[tuple[str, str, str]]) -> bytes:
    """An .xlsx of ``(name, state, sheet XML)`` triples."""
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
        + ("" if state == "visible" else f' state="{state}"')
        + "/>"
        for i, (name, state, _) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        for i in range(1, len(sheets) + 1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml", f"<workbook {_NS} {_R}><sheets>{entries}</sheets></workbook>"
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for i, (_, _, xml) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return buffer.getvalue()


def one_sheet(cells: dict[str, object], **kwargs) -> bytes:
    return workbook([("Data", "visible", sheet_xml(cells, **kwargs))])


TABLE = {
    "A1": "brand",
    "B1": "period",
    "C1": "units",
    "A2": "HTC",
    "B2": "2012Q1",
    "C2": 3,
    "A3": "Sony",
    "B3": "2012Q1",
    "C3": 4,
}
