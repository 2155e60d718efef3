"""CSV: rows with too many fields, old-Mac line ends, wide files, lines of every row."""

import io
import warnings

import pytest

import marketdata
from marketdata import DataError
from marketdata.io import read_table
from marketdata.io.encodings import line_of


def _read(text: str | bytes, **kwargs):
    data = text.encode() if isinstance(text, str) else text
    return read_table(io.BytesIO(data), format="csv", **kwargs)


LONG = "brand,period,market,units\nHTC,2012Q1,TW,1M\nSony,2012Q1,TW,2M,extra\nLG,2012Q1,TW,3M\n"


def test_a_row_with_too_many_fields_is_a_rejected_row_with_its_line():
    t = _read(LONG, errors="collect")
    assert t.frame["brand"].tolist() == ["HTC", "LG"]
    assert t.rows.tolist() == [1, 3] and t.lines.tolist() == [2, 4]  # row 2 is the rejected
    rejected = t.rejected
    assert rejected[["row", "line"]].values.tolist() == [[2, 3]]
    assert rejected["value"].tolist() == ["Sony,2012Q1,TW,2M,extra"]
    assert "5 fields, the header 4" in rejected["reason"].iloc[0]


def test_a_row_with_too_many_fields_raises_naming_its_line():
    with pytest.raises(DataError, match="not a regular CSV table: line 3 has 5 fields") as err:
        _read(LONG)
    assert (err.value.row, err.value.line) == (2, 3)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_are_right_whatever_ends_them(newline):
    # a quoted cell holding a line break pushes the later rows down by one line
    text = newline.join(["brand,units", 'HTC,"3M', 'more"', "", "Sony,lots", "LG,1M,x", ""])
    t = _read(text, errors="collect")
    # header 1; HTC on 2-3; blank 4; Sony 5; LG (too long) 6
    assert t.frame["brand"].tolist() == ["HTC", "Sony"]
    assert t.lines.tolist() == [2, 5] and t.rows.tolist() == [1, 3]
    assert t.rejected["line"].tolist() == [6]


def test_old_mac_files_load_with_their_lines():
    text = "brand,period,market,units\rHTC,2012Q1,TW,1M\rSony,2012Q1,TW,lots\r"
    got = marketdata.read(io.BytesIO(text.encode()), format="csv", source="s", errors="collect")
    assert got.figures["units"].tolist() == [1_000_000]
    assert got.rejected[["row", "line"]].values.tolist() == [[2, 3]]
    assert line_of(text.encode(), text.index("Sony")) == 3


def test_a_short_row_has_its_missing_cells_empty():
    t = _read("brand,period,units\nHTC,2012Q1\nSony,2012Q2,2M\n")
    assert t.frame["units"].isna().tolist() == [True, False]


def test_columns_with_neither_name_nor_value_are_left_out():
    # trailing separators: 4,000 empty columns, read in time linear in the columns
    width = 4000
    text = "brand,units" + "," * width + "\n" + "HTC,3M" + "," * width + "\n"
    t = _read(text)
    assert list(t.frame.columns) == ["brand", "units"]
    named = "brand,units," + ",".join(f"c{i}" for i in range(width)) + "\nHTC,3M\n"
    assert _read(named).frame.shape == (1, width + 2)  # named columns stay, empty


def test_text_and_encodings_reach_the_same_cells():
    text = "廠牌,出貨量\n宏達電,700萬\n"
    for data in (text.encode("utf-8"), text.encode("big5"), b"\xef\xbb\xbf" + text.encode()):
        assert _read(data).frame.to_dict("list") == {"廠牌": ["宏達電"], "出貨量": ["700萬"]}
    assert read_table(io.StringIO(text), format="csv").frame["廠牌"].tolist() == ["宏達電"]


def test_a_lone_surrogate_in_text_is_a_data_error():
    with pytest.raises(DataError, match="lone surrogate") as err:
        read_table(io.StringIO("brand,units\nHTC,3M\n\ud800,1M\n"), format="csv")
    assert err.value.line == 3


def test_nul_bytes_are_refused():
    with pytest.raises(DataError, match="NUL"):
        _read(b"brand,units\nHT\x00C,3M\n")


def test_bad_arguments():
    with pytest.raises(ValueError, match="errors"):
        _read(LONG, errors="ignore")
    with pytest.raises(ValueError, match="skiprows"):
        _read(LONG, skiprows=-1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _read(b"a;b\n1;2\n", sep=";").frame.to_dict("list") == {"a": ["1"], "b": ["2"]}


def test_read_collects_a_row_with_too_many_fields():
    got = marketdata.read(io.BytesIO(LONG.encode()), format="csv", source="s", errors="collect")
    assert got.figures["brand"].tolist() == ["HTC", "LG"]
    assert got.rejected[["row", "line"]].values.tolist() == [[2, 3]]


@pytest.mark.parametrize("sep", ["||", ";"])
def test_a_long_row_is_placed_with_any_separator(sep):
    # "||" is read by pandas' Python engine (a literal, not a regular expression)
    text = sep.join(["a", "b"]) + "\n1" + sep + "2\n3" + sep + "4" + sep + "5\n6" + sep + "7\n"
    t = read_table(io.StringIO(text), format="csv", sep=sep, errors="collect")
    assert t.frame.to_dict("list") == {"a": ["1", "6"], "b": ["2", "7"]}
    assert t.lines.tolist() == [2, 4] and t.rejected["line"].tolist() == [3]


STATISTA_CSV = (
    '"Smartphone shipments worldwide by vendor (in million units)",,\n'
    '"Worldwide; IDC",,\n'
    ",,\n"
    ",Apple,Samsung\n"
    "Q1 '12,35.1,44.5\n"
    "Q2 '12,26,50.2\n"
)


@pytest.mark.parametrize("encoding", [None, "big5"])
def test_title_lines_above_the_header_are_found_and_kept(encoding):
    data = STATISTA_CSV.encode(encoding or "utf-8")
    t = read_table(io.BytesIO(data), format="csv", encoding=encoding)
    assert t.title == (
        "Smartphone shipments worldwide by vendor (in million units)",
        "Worldwide; IDC",
    )
    assert t.header_line == 4 and t.lines.tolist() == [5, 6] and t.rows.tolist() == [1, 2]
    assert list(t.frame.columns) == ["unnamed: 1", "Apple", "Samsung"]
    assert t.frame["Apple"].tolist() == ["35.1", "26"]


def test_a_title_line_over_a_one_brand_header_whose_first_cell_is_empty():
    t = _read("Shipments (in thousands)\n\n,Apple\nQ1 '12,35\n")
    assert t.title == ("Shipments (in thousands)",) and t.header_line == 3
    assert list(t.frame.columns) == ["unnamed: 1", "Apple"] and t.lines.tolist() == [4]


def test_chinese_title_lines_in_big5():
    text = "台灣手機出貨量（千台）\n廠牌,季度,出貨量\nHTC,2012Q1,1200\n"
    t = read_table(io.BytesIO(text.encode("big5")), format="csv", encoding="big5")
    assert t.title == ("台灣手機出貨量（千台）",) and t.header_line == 2
    assert t.frame["廠牌"].tolist() == ["HTC"]


def test_skipped_lines_are_kept_as_the_title():
    t = _read("Shipments\n(in millions)\nbrand,period,units\nHTC,2012Q1,3.2\n", skiprows=2)
    assert t.title == ("Shipments", "(in millions)") and t.header_line == 3


def test_tables_without_title_lines_are_read_as_before():
    assert _read("brand,units\nHTC,3M\n").title == ()
    one = _read("units\n3M\n4M\n")  # one column: no line of two fields, no title
    assert one.title == () and one.header_line == 1 and one.frame["units"].tolist() == ["3M", "4M"]


def test_read_scales_a_titled_csv_export_in_one_call():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = marketdata.read(io.BytesIO(STATISTA_CSV.encode()), format="csv", market="WW",
                            source="t")  # fmt: skip
    said = " ".join(str(w.message) for w in caught)
    assert "'Smartphone shipments worldwide by vendor (in million units)'" in said
    got = f.set_index(["brand", "start"])["units"].sort_index()
    assert got.tolist() == pytest.approx([35.1e6, 26e6, 44.5e6, 50.2e6])  # millions x 1e6


def test_a_column_without_a_header_holding_one_value_is_kept():
    # pyarrow's path dropped it (a header-less column needed two values): the periods lost
    t = _read(",Apple\nQ1 '12,35\n")
    assert list(t.frame.columns) == ["unnamed: 1", "Apple"]
    assert t.frame["unnamed: 1"].tolist() == ["Q1 '12"] and t.title == ()
    assert list(_read("a,b,,\n1,2,,\n").frame.columns) == ["a", "b"]  # empty ones still go
