"""The Excel workbook: every table and chart's data, number formats, sources, no formulas."""

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from analysis.cli import main
from analysis.report import build_report
from analysis.report.workbook import _write_frame, safe_text

DRAWS = 200


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx")
    report = build_report(out=out, draws=DRAWS, formats="xlsx")
    return report, load_workbook(report.xlsx)


def _frame(sheet) -> pd.DataFrame:
    rows = list(sheet.values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_one_sheet_per_table_and_chart_data_plus_sources(book):
    report, wb = book
    expected = ["About"]
    for sec in report.sections:
        expected += [f"{sec.title} - {caption}"[:31].strip() for caption, _ in sec.data]
    assert wb.sheetnames == expected + ["Sources"]
    assert "Rank forecast - rank by volume" in wb.sheetnames
    assert "Rank forecast - sensitivity cha" in wb.sheetnames  # 31 characters at most


def test_numbers_are_numbers_with_formats(book):
    report, wb = book
    sheet = wb["The market - market shares"]
    frame = _frame(sheet)
    samsung = frame[frame["brand"] == "Samsung"].iloc[0]
    # 0.358 x 5.65M = 2,022,700 units, kept as a number
    assert samsung["units"] == pytest.approx(2_022_700)
    assert samsung["share"] == pytest.approx(0.358)
    header = [c.value for c in sheet[1]]
    units_cell = sheet.cell(row=2, column=header.index("units") + 1)
    share_cell = sheet.cell(row=2, column=header.index("share") + 1)
    assert units_cell.number_format == "#,##0"
    assert share_cell.number_format == "0.0%"
    rank = _frame(wb["Rank forecast - rank by volume"])
    sec = [s for s in report.sections if s.title == "Rank forecast"][0]
    assert rank["probability_top"].tolist() == pytest.approx(sec.values["prob_top"])
    assert rank["units"].tolist() == [28_250, 56_500, 113_000, 226_000]


def test_sources_sheet_lists_outlets_and_addresses(book):
    _, wb = book
    sources = [r[0] for r in list(wb["Sources"].values)[1:]]
    assert any("taipeitimes.com" in s for s in sources)
    assert any("statista.com/statistics/271490" in s for s in sources)


def test_no_cell_is_a_formula(book):
    _, wb = book
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x"])
def test_text_that_looks_like_a_formula_is_escaped(text):
    assert safe_text(text) == "'" + text


def test_a_formula_in_the_data_is_written_as_text(tmp_path):
    xiaomi = build_report.__globals__["prepare"]().brand_figures
    hostile = xiaomi.assign(source=pd.array(['=HYPERLINK("http://evil")'] * len(xiaomi)))
    report = build_report(
        hostile,
        brand="Xiaomi",
        market="CN",
        target="5M",
        by="2012",
        out=tmp_path,
        draws=DRAWS,
        formats="xlsx",
    )
    wb = load_workbook(report.xlsx)
    values = [c.value for s in wb.worksheets for r in s.iter_rows() for c in r]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_cli_writes_the_workbook(tmp_path, capsys):
    status = main(["report", "--format", "xlsx", "--out", str(tmp_path), "--draws", "200"])
    assert status == 0
    assert "xiaomi-taiwan-2012.xlsx" in capsys.readouterr().out
    assert load_workbook(tmp_path / "xiaomi-taiwan-2012.xlsx").sheetnames[0] == "About"


def test_cli_basis_and_market_size(tmp_path, capsys):
    status = main(["report", "--target", "five", "--by", "2012", "--out", str(tmp_path)])
    assert status == 2
    assert "reads as 5 units" in capsys.readouterr().err


def test_the_workbook_is_byte_identical_across_time_zones_locales_and_runs(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = (
        "from analysis.report import build_report; "
        "build_report(out={out!r}, draws=200, formats='xlsx')"
    )
    files = []  # each build takes seconds, so the two runs see different clocks
    for i, (tz, hash_seed) in enumerate([("UTC", "1"), ("America/Los_Angeles", "2")]):
        out = tmp_path / str(i)
        env = dict(
            os.environ, PYTHONPATH=str(root), TZ=tz, PYTHONHASHSEED=hash_seed, LC_ALL="C.UTF-8"
        )
        subprocess.run([sys.executable, "-c", code.format(out=str(out))], check=True, env=env)
        files.append((out / "xiaomi-taiwan-2012.xlsx").read_bytes())
    assert files[0] == files[1]


def test_share_pp_cells_stay_points():
    # share_pp holds percentage points (-7.38 = -7.4 pp); a "%" format would show -738%
    sheet = Workbook().active
    _write_frame(sheet, pd.DataFrame({"brand": ["Apple"], "share_pp": [-7.38]}))
    cell = sheet.cell(row=2, column=2)
    assert cell.value == pytest.approx(-7.38)
    assert "%" not in cell.number_format and '" pp"' in cell.number_format
