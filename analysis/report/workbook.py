"""The report as an Excel workbook: every result table and the data behind every chart.

One sheet per table (named after its section), numbers kept as numbers with Excel number
formats (units ``#,##0``, shares and probabilities ``0.0%``), a ``Sources`` sheet and an
``About`` sheet with the inputs. Text is written as text: a cell that would start with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is prefixed with ``'`` so Excel never
reads it as a formula. openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis._format import kind_of_column
from analysis.report.content import Section
from analysis.report.inputs import Inputs
from analysis.report.sources import sources_lines

__all__ = ["FORMATS", "safe_text", "sheet_frames", "write_workbook"]

#: Excel number formats by column kind (see :func:`analysis._format.kind_of_column`).
FORMATS = {
    "units": "#,##0",
    "share": "0.0%",
    "probability": "0.0%",
    "share_pp": '+0.0" pp";-0.0" pp";0.0" pp"',  # points already: Excel's % would x100
    "hhi": "#,##0",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
# a fixed time for the workbook's properties: the same inputs give the same bytes
_EPOCH = dt.datetime(2000, 1, 1)


def safe_text(value: str) -> str:
    """Text that Excel shows as written, never as a formula.

    Examples
    --------
    >>> safe_text("=HYPERLINK(\\"http://x\\")"), safe_text("-76 to -62"), safe_text("HTC")
    ('\\'=HYPERLINK("http://x")', "'-76 to -62", 'HTC')
    """
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _kind(column: str, series: pd.Series) -> str | None:
    kind = kind_of_column(column)
    if kind is None and str(column) in ("lower", "median", "upper", "achieved", "target"):
        return "units"
    if kind is None and str(column) in ("required_rate", "current_rate"):
        return "units"
    if kind is None and (
        str(column).startswith("prob") or str(column) in ("cumulative_probability", "level")
    ):
        return "probability"
    if kind is None and str(column).startswith("delta_hhi"):
        return "hhi"
    return kind


def sheet_frames(secs: Sequence[Section]) -> list[tuple[str, pd.DataFrame]]:
    """(sheet name, frame) for every result table and chart data of the sections.

    Sheet names are unique, at most 31 characters and free of the characters Excel refuses.
    """
    out: list[tuple[str, pd.DataFrame]] = []
    used: set[str] = set()
    for sec in secs:
        for caption, frame in sec.data:
            name = _BAD_SHEET.sub(" ", f"{sec.title} - {caption}")[:31].strip()
            base, n = name, 2
            while name.casefold() in used:
                suffix = f" ({n})"
                name, n = base[: 31 - len(suffix)] + suffix, n + 1
            used.add(name.casefold())
            out.append((name, frame.reset_index(drop=True)))
    return out


def _cell_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    return safe_text(value)


def _write_frame(sheet, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Font  # lazy: openpyxl

    sheet.append([safe_text(str(c)) for c in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    formats = [FORMATS.get(_kind(str(c), frame[c])) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell_value(v) for v in row])
    for j, number_format in enumerate(formats, start=1):
        column = frame.columns[j - 1]
        values = frame[column].dropna()
        is_date = pd.api.types.is_datetime64_any_dtype(frame[column].dtype) or (
            len(values) > 0 and all(isinstance(v, (dt.date, pd.Timestamp)) for v in values)
        )
        for i in range(2, len(frame) + 2):
            cell = sheet.cell(row=i, column=j)
            if is_date:
                cell.number_format = "yyyy-mm-dd"
            elif number_format and isinstance(cell.value, (int, float)):
                cell.number_format = number_format
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].tolist()[:200]])
        sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = min(
            60, max(8, width + 2)
        )
    sheet.freeze_panes = "A2"


def write_workbook(
    path: str | Path, case: Inputs, secs: Sequence[Section], *, seed: int, draws: int
) -> Path:
    """Write the report's tables, chart data, sources and inputs to one ``.xlsx``.

    Returns
    -------
    pathlib.Path
    """
    from openpyxl import Workbook  # lazy: openpyxl

    book = Workbook()
    about = book.active
    about.title = "About"
    rows = [
        ("report", case.title),
        ("brand", case.brand),
        ("market", case.market_name),
        ("target", case.target.label if case.target else ""),
        (
            "target basis",
            {None: "not stated: both readings"}.get(case.target.basis, case.target.basis)
            if case.target
            else "",
        ),
        ("draws", draws),
        ("seed", seed),
    ]
    rows += [(f"question {i}", q) for i, q in enumerate(case.questions, start=1)]
    rows += [(f"assumption {i}", a) for i, a in enumerate(case.assumptions, start=1)]
    for sec in secs:
        if sec.omitted:
            rows.append((f"left out: {sec.title}", sec.omitted))
        rows += [(f"chart left out: {name}", why) for name, why in sec.left_out]
    _write_frame(about, pd.DataFrame(rows, columns=["item", "value"]))
    for name, frame in sheet_frames(secs):
        _write_frame(book.create_sheet(name), frame)
    sources = book.create_sheet("Sources")
    _write_frame(sources, pd.DataFrame({"source": sources_lines(case, secs)}))
    book.properties.creator = "marketshare"
    book.properties.created = _EPOCH
    book.properties.modified = _EPOCH
    path = Path(path)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue()))
    return path


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _reproducible(data: bytes) -> bytes:
    """The workbook's zip with fixed entry times and a fixed "modified" property.

    openpyxl stamps both with the clock; the same inputs must give the same bytes.
    """
    out = io.BytesIO()
    stamp = _EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
