import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketdata.writers import FORMULA_STARTS, write_csv


def _read_back(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_formula_cells_are_quoted_and_numbers_are_not(tmp_path):
    frame = pd.DataFrame(
        {
            "brand": ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "Xiaomi", "小米"],
            "units": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        }
    )
    before = frame.copy()
    rows = _read_back(write_csv(frame, tmp_path / "out.csv"))
    pd.testing.assert_frame_equal(frame, before)
    assert rows[0] == ["brand", "units"]
    assert [r[0] for r in rows[1:]] == [
        "'=1+1",
        "'+cmd",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "Xiaomi",
        "小米",
    ]
    assert rows[1][1] == "-5.0"  # a negative number in a numeric column stays a number


def test_text_that_looks_negative_is_escaped_and_headers_too(tmp_path):
    frame = pd.DataFrame({"=evil": ["-5"], "note": [None]})
    rows = _read_back(write_csv(frame, tmp_path / "out.csv"))
    assert rows == [["'=evil", "note"], ["'-5", ""]]


def test_dates_are_iso_and_file_is_utf8(tmp_path):
    frame = pd.DataFrame({"end": pd.to_datetime(["2012-06-12"]), "brand": ["蘋果"]})
    path = write_csv(frame, tmp_path / "out.csv")
    assert path.read_bytes() == "end,brand\r\n2012-06-12,蘋果\r\n".encode()


def test_bad_arguments(tmp_path):
    with pytest.raises(TypeError):
        write_csv([1, 2], tmp_path / "x.csv")
    with pytest.raises(TypeError):
        write_csv(pd.DataFrame(), 42)
    with pytest.raises(IsADirectoryError):
        write_csv(pd.DataFrame({"a": [1]}), tmp_path)
    with pytest.raises(FileNotFoundError):
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "missing" / "x.csv")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=8), min_size=1, max_size=5))
def test_no_written_text_cell_starts_a_formula(tmp_path_factory, cells):
    path = tmp_path_factory.mktemp("w") / "out.csv"
    write_csv(pd.DataFrame({"text": cells}), path)
    with open(path, newline="", encoding="utf-8") as handle:
        written = [row[0] for row in csv.reader(handle)][1:] if cells else []
    for original, cell in zip(cells, written, strict=False):
        assert not cell.startswith(FORMULA_STARTS)
        if original.startswith(FORMULA_STARTS):
            assert cell == "'" + original
