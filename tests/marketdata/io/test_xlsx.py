"""Excel: title rows, blank headers, notes below the table, cover and hidden sheets, and
workbooks written to exhaust a reader (each built by hand as the zip of XML parts)."""

import io
import warnings

import openpyxl
import pytest

import marketdata
from marketdata import DataError, DataWarning
from marketdata.io import UNNAMED, is_unnamed, read_table, xlsxcells, xlsxml
from marketdata.io import xlsx as xlsx_module
from tests.marketdata.io._workbooks import TABLE, one_sheet, sheet_xml, workbook


def _read(data: bytes, **kwargs):
    return read_table(io.BytesIO(data), format="xlsx", **kwargs)


def _saved(rows, *, title="Data", merge=(), more=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merge:
        ws.merge_cells(ref)
    for name, state, sheet_rows in more:
        extra = wb.create_sheet(name)
        extra.sheet_state = state
        for row in sheet_rows:
            extra.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


STATISTA_LIKE = [
    [None, "Smartphone shipments by vendor (in million units)"],
    [None, "Worldwide, 2011 to 2012"],
    [None, "quarter", "Apple", "Samsung*"],
    [None, "Q1 '12", 35.1, 44],
    [None, "Q2' 12", 26, None],
    [],
    [None, "* Figures for Samsung include tablets."],
]


# ---------------------------------------------------------------- finding the table


def test_title_rows_are_found_without_skiprows():
    with pytest.warns(DataWarning, match="notes"):
        t = _read(_saved(STATISTA_LIKE))
    assert t.header_line == 3 and t.sheet == "Data"
    assert list(t.frame.columns) == ["quarter", "Apple", "Samsung*"]
    assert t.title == (
        "Smartphone shipments by vendor (in million units)",
        "Worldwide, 2011 to 2012",
    )
    # rows 4 and 5 of the sheet are data rows 1 and 2; the note on row 7 is not a row
    assert t.lines.tolist() == [4, 5] and t.rows.tolist() == [1, 2]
    assert t.frame["Apple"].tolist() == [35.1, 26]
    assert t.letters == ("B", "C", "D")


def test_a_note_below_the_table_is_left_out_and_named():
    with pytest.warns(DataWarning, match=r"row 7: '\* Figures for Samsung"):
        t = _read(_saved(STATISTA_LIKE))
    assert t.notes == ("* Figures for Samsung include tablets.",)
    assert len(t.frame) == 2


def test_a_last_row_holding_only_a_period_stays_a_row():
    # a period label alone after a gap is a data row with no figures, never a note: the
    # loader reports it, nothing is dropped
    rows = STATISTA_LIKE[:5] + [[], [None, "Q3 '12"]]
    t = _read(_saved(rows))
    assert t.notes == () and t.frame["quarter"].tolist() == ["Q1 '12", "Q2' 12", "Q3 '12"]
    assert t.lines.tolist() == [4, 5, 7]


def test_a_note_right_under_the_table_needs_a_note_marker():
    rows = STATISTA_LIKE[:5] + [[None, "Source: IDC, as published"]]
    with pytest.warns(DataWarning, match="notes"):
        assert _read(_saved(rows)).notes == ("Source: IDC, as published",)
    rows = STATISTA_LIKE[:5] + [[None, "Samsung Galaxy figures"]]  # no gap, no marker: a row
    assert _read(_saved(rows)).frame["quarter"].tolist()[-1] == "Samsung Galaxy figures"


def test_an_empty_header_cell_over_the_periods_gets_the_placeholder():
    rows = [["Shipments (in millions)"], [None, "Apple", "Samsung"], [2011, 93.2, 94.0]]
    t = _read(_saved(rows))
    assert list(t.frame.columns) == [UNNAMED + "A", "Apple", "Samsung"]
    assert is_unnamed(t.frame.columns[0]) and not is_unnamed("Apple")
    # one column of figures: the header row holds one cell, over the second column
    rows = [["Xiaomi shipments (in millions)"], [None, "Xiaomi"], [2011, 0.3], [2012, 7.2]]
    t = _read(_saved(rows))
    assert t.header_line == 2 and list(t.frame.columns) == ["unnamed: A", "Xiaomi"]
    assert t.frame["Xiaomi"].tolist() == [0.3, 7.2]


def test_an_ambiguous_header_is_refused_asking_for_skiprows():
    # the first row with two cells leaves column C empty, which the rows below fill
    rows = [["Title"], ["Source", "IDC"], ["brand", "period", "units"], ["HTC", "2012Q1", 3]]
    with pytest.raises(DataError, match=r"which row .* is the header.*column\(s\) C") as err:
        _read(_saved(rows))
    assert "skiprows=" in str(err.value) and err.value.line == 2
    assert _read(_saved(rows), skiprows=2).frame["units"].tolist() == [3]


def test_skiprows_puts_the_header_where_it_says():
    rows = [["a", "b"], ["brand", "units"], ["HTC", 3]]
    t = _read(_saved(rows), skiprows=1)
    assert list(t.frame.columns) == ["brand", "units"] and t.lines.tolist() == [3]


# ---------------------------------------------------------------- which sheet


def test_a_cover_sheet_is_passed_over_for_the_sheet_holding_the_table():
    cover = [["Statistic as Excel data file"], ["Source", "IDC"], ["Published by", "IDC"]]
    data = _saved(cover, title="Overview", more=[("Data", "visible", STATISTA_LIKE[:5])])
    with pytest.warns(DataWarning, match=r"read sheet 'Data' \(passed over sheet 'Overview'"):
        t = _read(data)
    assert t.sheet == "Data" and t.frame["Apple"].tolist() == [35.1, 26]


def test_a_merged_text_block_cover_is_passed_over():
    cover = [["Overview"], ["Description"], [None, None, "Long text"]]
    data = _saved(
        cover, title="Overview", merge=["C3:F9"], more=[("Data", "visible", STATISTA_LIKE[:5])]
    )
    with pytest.warns(DataWarning, match="read sheet 'Data'"):
        assert _read(data).sheet == "Data"


def test_hidden_sheets_are_read_only_by_name():
    hidden = [["brand", "period", "units"], ["Secret", "2012Q1", 1]]
    data = _saved(
        [["brand", "period", "units"], ["HTC", "2012Q1", 3]],
        more=[("Scratch", "hidden", hidden)],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the first sheet is visible and holds the table
        assert _read(data).frame["brand"].tolist() == ["HTC"]
    assert _read(data, sheet="Scratch").frame["brand"].tolist() == ["Secret"]
    with pytest.raises(DataError, match="hidden.*sheet='Scratch'"):
        _read(data, sheet=1)
    # a hidden first sheet is passed over, and the warning says so
    first_hidden = workbook(
        [("Old", "hidden", sheet_xml(TABLE)), ("Data", "visible", sheet_xml(TABLE))]
    )
    with pytest.warns(DataWarning, match=r"hidden sheet\(s\) \['Old'\] are not read"):
        assert _read(first_hidden).sheet == "Data"


def test_sheet_by_index_and_errors():
    data = _saved([["brand", "units"], ["HTC", 3]], more=[("Two", "visible", [["x", "y"]])])
    assert _read(data, sheet=-1).sheet == "Two"
    with pytest.raises(DataError, match="no sheet 5"):
        _read(data, sheet=5)
    with pytest.raises(TypeError):
        _read(data, sheet=1.5)


# ---------------------------------------------------------------- cells


def test_dates_booleans_shared_and_inline_strings():
    wb = openpyxl.Workbook()
    ws = wb.active
    import datetime as dt

    ws.append(["brand", "end", "flag", "units"])
    ws.append(["HTC", dt.date(2012, 6, 30), True, 3.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    t = _read(buffer.getvalue())
    assert t.frame.iloc[0].tolist() == ["HTC", dt.datetime(2012, 6, 30), True, 3.5]


def test_a_missing_shared_string_is_a_data_error():
    xml = sheet_xml({}).replace(
        "<sheetData></sheetData>",
        '<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>',
    )
    with pytest.raises(DataError, match="shared string '7'"):
        _read(workbook([("Data", "visible", xml)]))


# ---------------------------------------------------------------- bounded work


def test_a_declared_dimension_is_ignored():
    data = one_sheet(TABLE, head='<dimension ref="A1:XFD1048576"/>')
    assert _read(data).frame.shape == (2, 3)


def test_a_cell_at_the_last_excel_cell_costs_one_cell():
    # A1:C3 plus one value at XFD1048576: the table spans the rows and columns holding
    # values (4 rows x 4 columns), not 1,048,576 x 16,384
    data = one_sheet({**TABLE, "XFD1048576": 9})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = _read(data)
    assert t.frame.shape == (3, 4) and t.letters == ("A", "B", "C", "XFD")
    assert t.lines.tolist() == [2, 3, 1048576] and t.frame[UNNAMED + "XFD"].tolist()[-1] == 9


@pytest.mark.parametrize("ref", ["XFE1", "A1048577", "A0", "1A"])
def test_a_cell_outside_excel_is_refused(ref):
    with pytest.raises(DataError, match="outside Excel"):
        _read(one_sheet({**TABLE, ref: 1}))


def test_a_merged_range_over_every_column_fills_only_the_table():
    data = one_sheet(TABLE, extra='<mergeCells><mergeCell ref="C2:XFD1048576"/></mergeCells>')
    with pytest.warns(DataWarning, match=r"merged cells \['C2:XFD1048576'\]"):
        t = _read(data)
    assert t.frame["units"].tolist() == [3, 3]  # C2's value over the range's cells in the table


def test_too_many_merged_cells_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_GRID", 10)
    merges = "".join('<mergeCell ref="A2:C3"/>' for _ in range(3))  # 3 x 6 = 18 cells
    with pytest.raises(DataError, match="merged cells .* cover over 10 cells"):
        _read(one_sheet(TABLE, extra=f"<mergeCells>{merges}</mergeCells>"))


def test_a_table_over_the_grid_limit_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx_module, "MAX_GRID", 1000)
    diagonal = {f"{xlsxml.column_letter(i)}{i}": i for i in range(1, 40)}  # 39 x 39 = 1521
    with pytest.raises(DataError, match="spans 39 rows by 39 columns"):
        _read(one_sheet(diagonal))


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(xlsxcells, "MAX_CELLS", 8)
    with pytest.raises(DataError, match="over 8 cells with values"):
        _read(one_sheet(TABLE))  # 9 cells


def test_a_part_of_whitespace_stops_at_the_byte_limit(monkeypatch):
    # the 1 GB whitespace zip, scaled down: reading stops once the limit is passed
    monkeypatch.setattr(xlsxml, "MAX_PART_BYTES", 2**20)
    xml = sheet_xml(TABLE).replace("<sheetData>", "<sheetData>" + " " * (3 * 2**20))
    with pytest.raises(DataError, match="over 1 MiB of XML"):
        _read(workbook([("Data", "visible", xml)]))


def test_a_dtd_is_refused():
    xml = '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + sheet_xml(TABLE)
    with pytest.raises(DataError, match="DTD"):
        _read(workbook([("Data", "visible", xml)]))


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04broken", one_sheet(TABLE).replace(b"xl/workbook.xml", b"xl/workbook.xmX")],
)
def test_a_damaged_workbook_is_a_data_error(data):
    with pytest.raises(DataError):
        _read(data)


def test_broken_xml_in_a_sheet_is_a_data_error():
    with pytest.raises(DataError, match="not well-formed"):
        _read(workbook([("Data", "visible", sheet_xml(TABLE)[:-5])]))


def test_read_loads_a_titled_sheet_in_one_call():
    # through the loader: title rows, a blank-named period column left as the placeholder
    rows = [["Shipments (in millions)"], ["brand", "period", "units"], ["HTC", "2012Q1", 3.2]]
    f = marketdata.read(io.BytesIO(_saved(rows)), format="xlsx", market="TW", source="s",
                        scale="millions")  # fmt: skip
    assert f["units"].tolist() == [3_200_000]  # 3.2 x 1e6


def test_rows_skipped_with_skiprows_are_kept_as_the_title():
    data = _saved([["Shipments (in millions)"], ["brand", "period", "units"], ["HTC", "2012Q1", 3]])
    t = read_table(io.BytesIO(data), skiprows=1)
    assert t.title == ("Shipments (in millions)",) and t.header_line == 2
