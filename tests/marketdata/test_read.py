"""read / from_frame: formats, encodings, layouts, options, and exact error locations."""

import io
import json
import warnings
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from marketdata import DataError, DataWarning
from marketdata.read import Loaded, from_frame, read

T = pd.Timestamp


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------- CSV and encodings

CHINESE_TRAD = '廠牌,期間,市場,出貨量\n小米,2012Q2,台灣,700萬\n宏達電,2012Q2,台灣,"1,234,567"\n'
CHINESE_SIMP = "厂牌,期间,市场,出货量\n小米,2012Q2,台灣,700万\n三星,2012Q2,台灣,3.2M\n"
MAP_TRAD = {"廠牌": "brand", "期間": "period", "市場": "market", "出貨量": "units"}
MAP_SIMP = {"厂牌": "brand", "期间": "period", "市场": "market", "出货量": "units"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "big5", "cp950"])
def test_traditional_chinese_csv_in_each_encoding(tmp_path, encoding):
    path = _write(tmp_path, "tw.csv", CHINESE_TRAD, encoding)
    f = read(path, columns=MAP_TRAD)
    assert f["brand"].tolist() == ["Xiaomi", "HTC"]
    assert f["market"].tolist() == ["TW", "TW"]
    # 700萬 = 700 × 10,000 = 7,000,000; "1,234,567" = 1,234,567
    assert f["units"].tolist() == [7_000_000, 1_234_567]
    assert f["start"].tolist() == [T("2012-04-01")] * 2
    assert f["end"].tolist() == [T("2012-06-30")] * 2
    assert (f["source"] == "tw.csv").all()  # default source: the file name


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_simplified_chinese_csv_detected(tmp_path, encoding):
    path = _write(tmp_path, "cn.csv", CHINESE_SIMP, encoding)
    f = read(path, columns=MAP_SIMP)
    # 700万 = 7,000,000; 3.2M = 3,200,000
    assert f["units"].tolist() == [7_000_000, 3_200_000]
    assert f["brand"].tolist() == ["Xiaomi", "Samsung"]


def test_encoding_can_be_given_and_a_wrong_one_is_reported_with_its_line(tmp_path):
    path = _write(tmp_path, "tw.csv", CHINESE_TRAD, "big5")
    assert read(path, columns=MAP_TRAD, encoding="big5")["units"].sum() == 7_000_000 + 1_234_567
    with pytest.raises(DataError) as err:
        read(path, columns=MAP_TRAD, encoding="utf-8")
    assert err.value.line == 1  # the first non-UTF-8 byte is in the header line
    assert err.value.file == "tw.csv"


def test_csv_with_title_lines_above_the_header(tmp_path):
    text = "Smartphone shipments\n(in millions)\nbrand,period,units\nHTC,2012Q1,3.2\n"
    f = read(_write(tmp_path, "t.csv", text), skiprows=2, market="TW", scale="millions")
    assert f["units"].tolist() == [3_200_000]  # 3.2 × 1,000,000


# ---------------------------------------------------------------- error locations


def test_bad_cell_names_row_line_column_value(tmp_path):
    text = "brand,period,market,units\nHTC,2012Q1,TW,1M\nSony,2012Q1,TW,2M\nLG,2012Q1,TW,lots\n"
    with pytest.raises(DataError) as err:
        read(_write(tmp_path, "s.csv", text))
    e = err.value
    # header on line 1; the third data row is on line 4
    assert (e.file, e.row, e.line, e.column, e.value) == ("s.csv", 3, 4, "units", "lots")
    assert "row 3 (line 4 of s.csv), column 'units'" in str(e)


def test_line_numbers_count_title_lines_blank_lines_and_multiline_cells(tmp_path):
    text = (
        "title\n"  # line 1 (skipped)
        "brand,period,market,units,note\n"  # line 2: header
        'HTC,2012Q1,TW,1M,"two\nlines"\n'  # lines 3-4: data row 1
        "\n"  # line 5: blank
        "Sony,2012Q1,TW,bad,\n"  # line 6: data row 3 (the blank line is row 2)
    )
    got = read(_write(tmp_path, "m.csv", text), skiprows=1, errors="collect")
    assert got.rejected[["row", "line", "column", "value"]].values.tolist() == [
        [3, 6, "units", "bad"]
    ]
    assert got.figures["note"].tolist() == ["two\nlines"]


def test_multiline_cells_across_arrow_blocks_read_whole(tmp_path):
    # ~1.9 MB: more than one of Arrow's 1 MB blocks, with a quoted newline in every third
    # row, so some fall on a block boundary; the reader must not cut a cell there.
    brands = ["HTC", "Samsung", "Apple", "Sony", "LG", "Asus"]
    months = pd.period_range("1700-01", periods=6_000, freq="M").strftime("%Y-%m")
    keys = [(b, m) for m in months for b in brands]  # 36,000 distinct figures
    notes = [
        f"note {i}\nsecond line of the note" if i % 3 == 0 else f"note {i}, one line only"
        for i in range(len(keys))
    ]  # with these lengths a block boundary falls inside a quoted cell (checked by hand)
    body = "".join(
        f'{b},{m},TW,{i + 1},"{note}"\n'
        for i, ((b, m), note) in enumerate(zip(keys, notes, strict=True))
    )
    path = _write(tmp_path, "long.csv", "brand,period,market,units,note\n" + body)
    got = read(path, errors="collect")
    assert got.rejected.empty and len(got.figures) == len(keys)
    assert got.figures["note"].tolist() == notes
    assert got.figures["units"].tolist() == [float(i + 1) for i in range(len(keys))]


def test_a_ragged_line_is_a_data_error(tmp_path):
    text = "brand,period,market,units\nHTC,2012Q1,TW,1M,extra,cells\n"
    with pytest.raises(DataError, match="not a regular CSV"):
        read(_write(tmp_path, "r.csv", text))


def test_missing_market_and_period_columns(tmp_path):
    with pytest.raises(DataError, match="market is missing") as err:
        read(_write(tmp_path, "a.csv", "brand,period,units\nHTC,2012Q1,1M\n"))
    assert err.value.line == 2
    with pytest.raises(DataError, match="no period"):
        read(_write(tmp_path, "b.csv", "brand,units\nHTC,1M\n"), market="TW")


# ---------------------------------------------------------------- Excel


def _workbook(path, rows, title="Shipments", above=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for line in above:
        ws.append(line)
    for row in rows:
        ws.append(row)
    wb.create_sheet("Other").append(["nothing"])
    wb.save(path)
    return path


def test_xlsx_with_header_rows_above_and_sheet_by_name_or_index(tmp_path):
    path = _workbook(
        tmp_path / "s.xlsx",
        [["Vendor", "Quarter", "Units (M)"], ["HTC", "2012Q1", 3.2], ["Samsung", "2012Q1", 2]],
        above=[["IDC, Taiwan"], [None]],
    )
    options = dict(skiprows=2, columns={"Units (M)": "units"}, scale=1e6, market="TW")
    by_name = read(path, sheet="Shipments", **options)
    by_index = read(path, sheet=0, **options)
    pd.testing.assert_frame_equal(by_name, by_index)
    # 3.2 × 1e6 and 2 × 1e6
    assert by_name["units"].tolist() == [3_200_000, 2_000_000]
    with pytest.raises(DataError, match="no sheet 'Nope'"):
        read(path, sheet="Nope", **options)


def test_xlsx_errors_name_the_excel_row(tmp_path):
    path = _workbook(
        tmp_path / "s.xlsx",
        [["brand", "period", "units"], ["HTC", "2012Q1", 3], ["Sony", "2012Q9", 4]],
        above=[["title"]],
    )
    with pytest.raises(DataError) as err:
        read(path, skiprows=1, market="TW")
    # title on Excel row 1, header on 2, HTC on 3, Sony on 4
    assert (err.value.row, err.value.line, err.value.column, err.value.value) == (
        2,
        4,
        "period",
        "2012Q9",
    )


def test_xlsx_merged_cells_give_their_value_to_the_whole_range(tmp_path):
    # a brand merged over the rows of its quarters (A3:A4) and a title merged over the
    # columns above the table (A1:C1). The merged-away cell A4 used to read as empty, so
    # Samsung's 2012Q2 figure loaded as the whole market's size (NA brand), silently.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Shipments"
    for row in (
        ["IDC, Taiwan", None, None],
        ["brand", "period", "units"],
        ["Samsung", "2012Q1", 3],
        [None, "2012Q2", 4],
    ):
        ws.append(row)
    ws.merge_cells("A1:C1")
    ws.merge_cells("A3:A4")
    wb.save(tmp_path / "m.xlsx")
    with pytest.warns(DataWarning, match=r"merged cells \['A3:A4'\]"):
        f = read(tmp_path / "m.xlsx", skiprows=1, market="TW")
    assert f["brand"].tolist() == ["Samsung", "Samsung"]
    assert f["units"].tolist() == [3, 4]


def test_xlsx_formula_without_saved_value_is_refused(tmp_path):
    path = _workbook(tmp_path / "f.xlsx", [["brand", "period", "units"], ["HTC", "2012Q1", "=1+2"]])
    with pytest.raises(DataError, match=r"Shipments!C2.*never evaluated"):
        read(path, market="TW")


def test_xlsx_formula_with_saved_value_reads_the_saved_value(tmp_path):
    path = _workbook(tmp_path / "f.xlsx", [["brand", "period", "units"], ["HTC", "2012Q1", "=1+2"]])
    # store a cached result as Excel would, but a different one: proves nothing is evaluated
    patched = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>5000000</v>")
                assert b"<v>5000000</v>" in data
            dst.writestr(item, data)
    assert read(patched, market="TW")["units"].tolist() == [5_000_000]


# ---------------------------------------------------------------- JSON, Parquet, buffers


def test_json_records(tmp_path):
    records = [
        {"brand": "Xiaomi", "end": "2012-06-12", "units": "over 3 million", "market": "CN"},
        {"brand": "Xiaomi", "end": "2011-12-31", "units": 300000, "market": "CN"},
    ]
    path = _write(tmp_path, "x.json", json.dumps(records))
    f = read(path)
    assert f["units"].tolist() == [3_000_000, 300_000]
    assert f["qualifier"].tolist()[0] == "over"
    # no start column: to-date figures
    assert f["start"].isna().all() and (f["basis"] == "cumulative").all()
    assert f["end"].tolist() == [T("2012-06-12"), T("2011-12-31")]


def test_json_must_be_records(tmp_path):
    with pytest.raises(DataError, match="list of records"):
        read(_write(tmp_path, "x.json", '{"a": 1}'))
    with pytest.raises(DataError, match="not valid JSON") as err:
        read(_write(tmp_path, "y.json", '[{"a": 1},\n oops]'))
    assert err.value.line == 2


def test_share_over_100_percent_hint_does_not_ask_for_percent_again(tmp_path):
    # with percent=True, "120" is 120 / 100 = 1.2 > 1; the hint used to say "pass
    # percent=True", which the caller had done
    path = _write(tmp_path, "s.csv", "brand,period,share\nHTC,2012Q1,30\nSony,2012Q1,120\n")
    got = read(path, market="TW", percent=True, errors="collect")
    assert got.figures["share"].tolist() == [0.3]  # 30 / 100
    (reason,) = got.rejected["reason"].tolist()
    assert "between 0 and 100" in reason and "percent=True" not in reason
    plain = read(path, market="TW", errors="collect")  # 30 > 1 and 120 > 1: both refused
    assert plain.rejected["hint"].str.contains("pass percent=True").tolist() == [True, True]


def test_start_after_end_is_a_rejected_row_naming_file_and_line(tmp_path):
    # used to escape from validate() after loading: no file, no line, and raised even
    # with errors="collect"
    text = "brand,start,end,units\nSony,2012-01-01,2012-03-31,4\nHTC,2012-03-31,2012-01-01,3\n"
    path = _write(tmp_path, "se.csv", text)
    with pytest.raises(DataError, match="start is after the end") as err:
        read(path, market="TW")
    assert (err.value.file, err.value.row, err.value.line, err.value.column) == (
        "se.csv",
        2,
        3,
        "start",
    )
    got = read(path, market="TW", errors="collect")
    # 2 rows in = 1 loaded (Sony) + 1 rejected (HTC, line 3)
    assert got.figures["brand"].tolist() == ["Sony"]
    assert got.rejected[["row", "line", "value"]].values.tolist() == [[2, 3, "2012-03-31"]]
    frame = pd.DataFrame({
        "brand": ["HTC"], "start": [T("2012-03-31")], "end": [T("2012-01-01")], "units": [3.0]})  # fmt: skip
    assert len(from_frame(frame, market="TW", source="f", errors="collect").rejected) == 1


def test_qualifier_column_contradicting_the_units_text_is_rejected(tmp_path):
    # "over 3M" with "under" in the qualifier column: the column silently won
    text = (
        "brand,period,units,qualifier\n"
        "HTC,2012Q1,over 3M,under\n"  # clash: rejected
        "HTC,2012Q2,over 3M,over\n"  # agree: over
        "HTC,2012Q3,3M,approx\n"  # only the column says: approx
        "HTC,2012Q4,~3M,\n"  # only the text says: approx
    )
    got = read(_write(tmp_path, "q.csv", text), market="TW", errors="collect")
    # 4 rows in = 3 loaded + 1 rejected (line 2)
    assert got.figures["qualifier"].tolist() == ["over", "approx", "approx"]
    assert got.rejected[["line", "column", "value"]].values.tolist() == [[2, "qualifier", "under"]]


def test_semicolon_file_read_as_one_column_says_to_pass_sep(tmp_path):
    # the error used to suggest only columns= and layout=, not the separator
    path = _write(tmp_path, "semi.csv", "brand;period;units\nHTC;2012Q1;3\n")
    with pytest.raises(DataError, match=r"pass sep=';'"):
        read(path, market="TW")
    # and with it: HTC 2012Q1 = 3 units
    assert read(path, market="TW", sep=";")["units"].tolist() == [3.0]


def test_a_directory_is_not_reported_as_a_missing_file(tmp_path):
    # read(tmp_path) said "no such file", which sends the user looking for a typo
    with pytest.raises(IsADirectoryError, match="is a directory"):
        read(tmp_path, market="TW")
    with pytest.raises(FileNotFoundError, match="no such file"):
        read(tmp_path / "missing.csv", market="TW")


def test_json_nested_values_are_rejected_not_crashing(tmp_path):
    # a list or an object where a number or text belongs used to escape as a pandas
    # TypeError (unhashable type); it is a bad cell: DataError / a rejected row
    records = [
        {"brand": "HTC", "market": "TW", "period": "2012Q2", "units": 3},
        {"brand": "HTC", "market": "TW", "period": "2012Q3", "units": [3]},
        {"brand": "HTC", "market": "TW", "period": {"q": 4}, "units": 5},
    ]
    path = _write(tmp_path, "x.json", json.dumps(records))
    with pytest.raises(DataError) as err:
        read(path)
    assert err.value.row == 2 and err.value.column == "units"
    got = read(path, errors="collect")
    # 3 records in = 1 loaded + 2 rejected
    assert got.figures["units"].tolist() == [3.0]
    assert got.rejected["row"].tolist() == [2, 3]
    assert got.rejected["column"].tolist() == ["units", "period"]


def test_parquet_list_column_is_rejected_not_crashing(tmp_path):
    # a Parquet list column arrives as numpy arrays (unhashable): it used to escape as a
    # TypeError. 2 rows in = 0 loaded + 2 rejected (the list; the missing value)
    frame = pd.DataFrame({"brand": ["HTC", "HTC"], "period": ["2012Q1", "2012Q2"]})
    frame["units"] = pd.Series([[3], None], dtype=object)
    frame.to_parquet(tmp_path / "l.parquet")
    got = read(tmp_path / "l.parquet", market="TW", errors="collect")
    assert len(got.figures) == 0
    assert got.rejected["row"].tolist() == [1, 2]
    assert got.rejected["column"].tolist() == ["units", "units"]


def test_parquet_with_typed_columns(tmp_path):
    frame = pd.DataFrame(
        {
            "brand": ["HTC", "Sony"],
            "market": ["TW", "TW"],
            "start": pd.to_datetime(["2012-01-01", "2012-01-01"]),
            "end": pd.to_datetime(["2012-03-31", "2012-03-31"]),
            "units": [1.5, 2.0],
        }
    )
    path = tmp_path / "p.parquet"
    frame.to_parquet(path)
    f = read(path, scale="thousands")
    assert f["units"].tolist() == [1_500, 2_000]  # 1.5 × 1,000 and 2 × 1,000
    assert f["end"].tolist() == [T("2012-03-31")] * 2
    with pytest.raises(DataError, match="Parquet"):
        read(_write(tmp_path, "bad.parquet", "not parquet"))


def test_buffers_need_a_source_or_a_name():
    text = "brand,period,market,units\nHTC,2012Q1,TW,1M\n"
    with pytest.raises(ValueError, match="source="):
        read(io.StringIO(text))
    assert read(io.BytesIO(text.encode()), source="memo")["source"].tolist() == ["memo"]


# ---------------------------------------------------------------- layouts and options


def test_wide_brands_layout_auto_detected(tmp_path):
    text = "quarter,HTC,Samsung,Apple\n2012Q1,1M,2M,\n2012Q2,,,\n2012Q3,3M,4M,5M\n"
    got = read(_write(tmp_path, "w.csv", text), market="TW", errors="collect")
    f = got.figures
    assert list(zip(f["brand"], f["units"], strict=True)) == [
        ("HTC", 1e6),
        ("Samsung", 2e6),
        ("HTC", 3e6),
        ("Samsung", 4e6),
        ("Apple", 5e6),
    ]
    # the 2012Q2 row has no figure at all: rejected as a row (line 3)
    assert got.rejected[["row", "line"]].values.tolist() == [[2, 3]]
    # figures in: 5 filled cells + 1 empty row = 5 loaded + 1 rejected
    assert len(f) + len(got.rejected) == 6


def test_wide_periods_layout_and_bad_header(tmp_path):
    text = "brand,2012Q1,2012Q2\nHTC,1M,2M\nSony,3M,\n"
    f = read(_write(tmp_path, "w.csv", text), market="TW")
    assert f["start"].tolist() == [T("2012-01-01"), T("2012-04-01"), T("2012-01-01")]
    assert f["units"].tolist() == [1e6, 2e6, 3e6]
    bad = "brand,2012Q1,Q9 2012\nHTC,1M,2M\n"
    with pytest.raises(DataError) as err:
        read(_write(tmp_path, "b.csv", bad), market="TW", layout="wide_periods")
    assert (err.value.column, err.value.line) == ("Q9 2012", 2)


def test_layout_that_cannot_be_told_is_refused():
    with pytest.raises(DataError, match="layout="):
        from_frame(pd.DataFrame({"a": [1], "b": [2]}), source="x", market="TW")
    with pytest.raises(ValueError, match="unknown layout"):
        from_frame(pd.DataFrame({"units": [1]}), source="x", layout="tall")


def test_column_mapping_and_unknown_mapping():
    df = pd.DataFrame({"Vendor": ["HTC"], "When": ["2012Q1"], "Shipments": ["1M"]})
    f = from_frame(df, columns={"When": "period", "Shipments": "units"}, market="TW", source="x")
    assert f[["brand", "units"]].values.tolist() == [["HTC", 1e6]]
    with pytest.raises(DataError, match="does not have"):
        from_frame(df, columns={"Nope": "units"}, market="TW", source="x")
    with pytest.raises(ValueError, match="unknown names"):
        from_frame(df, columns={"When": "time"}, market="TW", source="x")


def test_scale_applies_to_bare_numbers_only():
    df = pd.DataFrame(
        {
            "brand": ["HTC", "Sony", "Asus", "Acer"],
            "period": "2012",
            "units": ["3.2", "3.2M", "over 2", "1,234"],
        }
    )
    f = from_frame(df, market="TW", source="x", scale="millions")
    # 3.2 × 1e6; 3.2M stays 3.2e6; "over 2" × 1e6 (qualifier kept); 1,234 × 1e6
    assert f["units"].tolist() == [3_200_000, 3_200_000, 2_000_000, 1_234_000_000]
    assert f["qualifier"].tolist()[2] == "over"
    with pytest.raises(ValueError, match="scale"):
        from_frame(df, market="TW", source="x", scale="lakhs")


def test_percent_shares():
    df = pd.DataFrame(
        {"brand": ["Samsung", "HTC", "Sony"], "period": "2013", "share": [28, 21, 16.5]}
    )
    f = from_frame(df, market="TW", source="IDC", percent=True)
    np.testing.assert_allclose(f["share"], [0.28, 0.21, 0.165])  # 28/100, 21/100, 16.5/100
    assert "units" not in f.columns
    with pytest.raises(DataError, match="percent=True"):
        from_frame(df, market="TW", source="IDC")


def test_defaults_and_given_categories():
    df = pd.DataFrame(
        {
            "brand": ["Xiaomi", "Xiaomi"],
            "start": ["", "2012Q1"],
            "end": ["2012-06-12", "2012Q2"],
            "units": ["3M", "1M"],
            "status": ["", "Estimate"],
        }
    )
    before = df.copy()
    f = from_frame(df, market="China", source="x", metric="sales")
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert f["market"].tolist() == ["CN", "CN"]
    assert f["basis"].tolist() == ["cumulative", "period"]  # empty start: to date
    assert f["start"].tolist()[1] == T("2012-01-01") and f["end"].tolist()[1] == T("2012-06-30")
    assert f["status"].tolist() == ["actual", "estimate"]
    assert (f["metric"] == "sales").all()
    with pytest.raises(ValueError, match="status="):
        from_frame(df, market="CN", source="x", status="guess")


def test_bad_category_value_is_rejected():
    df = pd.DataFrame(
        {"brand": ["HTC", "LG"], "period": ["2012"] * 2, "units": ["1"] * 2,
         "basis": ["period", "yearly"]}
    )  # fmt: skip
    with pytest.raises(DataError, match="basis must be one of"):
        from_frame(df, market="TW", source="x")


# ---------------------------------------------------------------- duplicates and collect


def test_conflicting_duplicates_are_all_rejected_never_summed(tmp_path):
    text = "brand,period,market,units\nHTC,2012Q1,TW,1M\nHTC,2012Q1,TW,2M\nSony,2012Q1,TW,3M\n"
    got = read(_write(tmp_path, "d.csv", text), errors="collect")
    assert got.figures["brand"].tolist() == ["Sony"]
    assert got.rejected["line"].tolist() == [2, 3]
    assert "line 2 (1,000,000), line 3 (2,000,000)" in got.rejected["reason"][0]
    with pytest.raises(DataError, match="disagree"):
        read(_write(tmp_path, "d.csv", text))


def test_exact_duplicates_keep_the_first_and_say_so(tmp_path):
    text = "brand,period,market,units\nHTC,2012Q1,TW,1M\nHTC,2012Q1,TW,1000000\n"
    path = _write(tmp_path, "e.csv", text)
    got = read(path, errors="collect")
    assert got.figures["units"].tolist() == [1e6]
    assert got.rejected[["line", "reason"]].values.tolist() == [[3, "exact duplicate of line 2"]]
    with pytest.warns(DataWarning, match="exact duplicate"):
        assert len(read(path)) == 1


def test_collect_returns_loaded_and_accounts_for_every_row(tmp_path):
    text = (
        "brand,period,market,units\n"
        "HTC,2012Q1,TW,1M\n"
        "Sony,2012Q1,,2M\n"  # no market
        "LG,,TW,3M\n"  # no period
        "Apple,2012Q1,TW,\n"  # no units
        "Asus,2012Q1,TW,x\n"  # bad units
    )
    got = read(_write(tmp_path, "c.csv", text), errors="collect")
    assert isinstance(got, Loaded)
    assert len(got.figures) == 1 and len(got.rejected) == 4  # 5 rows in
    assert got.rejected["line"].tolist() == [3, 4, 5, 6]
    assert got.rejected["column"].tolist() == ["market", "period", "units", "units"]
    assert list(got.rejected.columns) == [
        "file", "row", "line", "column", "value", "reason", "hint"
    ]  # fmt: skip
    assert got.rejected["file"].tolist() == ["c.csv"] * 4
    assert got.rejected["hint"].tolist()[0] == "add a market column or pass market="


def test_errors_option_is_checked():
    with pytest.raises(ValueError, match="errors"):
        from_frame(pd.DataFrame({"units": [1]}), errors="ignore")


def test_from_frame_numbers_rows_by_position():
    df = pd.DataFrame(
        {"brand": ["HTC", "Sony"], "period": ["2012", "20xx"], "units": [1.0, 2.0]}, index=[10, 20]
    )
    got = from_frame(df, market="TW", source="x", errors="collect")
    assert got.rejected["row"].tolist() == [2] and got.rejected["line"].isna().all()


def test_unknown_brands_are_kept_with_a_warning():
    df = pd.DataFrame({"brand": ["Zorblax Mobile"], "period": ["2012"], "units": [1.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = from_frame(df, market="TW", source="x")
    assert f["brand"].tolist() == ["Zorblax Mobile"]
    assert any("Zorblax" in str(w.message) for w in caught)


# ---------------------------------------------------------------- round trip with write_csv


def test_a_dataset_written_with_write_csv_reads_back_the_same(tmp_path):
    import marketdata
    from marketdata import datasets

    original = datasets.load("worldwide_quarterly_shipments_by_vendor")
    path = marketdata.write_csv(original, tmp_path / "q.csv")
    back = marketdata.read(path)
    keys = ["brand", "market", "start", "end", "units", "basis", "status", "metric", "source"]
    pd.testing.assert_frame_equal(back[keys], original[keys])
    assert back["note"].fillna("").tolist() == original["note"].fillna("").tolist()


def test_csv_cells_read_as_arrow_dictionaries_come_out_as_before():
    # The CSV fast path keeps text columns dictionary-encoded: missing cells must still
    # come out as NaN (rejected values, extra columns) and lines count multi-line cells.
    text = (
        'brand,market,period,units,note\nXiaomi,TW,2012,,x\nHTC,TW,2012,2M,\n"A\nB",TW,2012,lots,\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'A\nB' is an unknown brand
        got = read(io.BytesIO(text.encode()), format="csv", source="x", errors="collect")
    rejected = got.rejected
    assert rejected["row"].tolist() == [1, 3] and rejected["line"].tolist() == [2, 4]
    assert pd.isna(rejected.loc[0, "value"]) and rejected.loc[0, "reason"] == "units is missing"
    assert rejected.loc[1, "value"] == "lots"
    assert got.figures["brand"].tolist() == ["HTC"] and got.figures["units"].tolist() == [2e6]
    assert pd.isna(got.figures.loc[0, "note"])
    assert str(got.figures["note"].dtype) in ("str", "object")  # pandas 3 / pandas 2
    assert str(got.figures["brand"].dtype) == "string"
    assert isinstance(got.figures["metric"].dtype, pd.CategoricalDtype)
