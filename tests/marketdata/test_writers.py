import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketdata.writers import write_csv


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


def test_text_numbers_stay_numbers_and_headers_are_escaped(tmp_path):
    # Regression: "-5" in an object column was written "'-5", no longer a number.
    frame = pd.DataFrame(
        {"=evil": ["-5", "-3.5", "+2", "1e-3", "-"], "mixed": [-1.5, "x", None, 2, "-1+2"]}
    )
    rows = _read_back(write_csv(frame, tmp_path / "out.csv"))
    assert rows == [
        ["'=evil", "mixed"],
        ["-5", "-1.5"],
        ["-3.5", "x"],
        ["+2", ""],
        ["1e-3", "2"],
        ["'-", "'-1+2"],
    ]


# Each form a spreadsheet evaluates (regression: all but the plain ASCII ones, and those
# after skipped characters, were written unescaped).
SKIPPED = [" ", "  ", "\xa0", "\u3000", "\u200b", "\ufeff", "\n", "\r\n", "\t", "\u2009"]
TRIGGERS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62"]


@pytest.mark.parametrize("trigger", TRIGGERS)
@pytest.mark.parametrize("skipped", ["", *SKIPPED])
def test_every_formula_form_is_escaped(tmp_path, skipped, trigger):
    cell = skipped + trigger + 'HYPERLINK("http://x")'
    rows = _read_back(write_csv(pd.DataFrame({"note": [cell]}), tmp_path / "out.csv"))
    assert rows[1] == ["'" + cell]


@pytest.mark.parametrize("cell", ["|cmd", "\tx", "\rx", "=cmd|' /C calc'!A0"])
def test_tab_cr_and_dde_cells_are_escaped(tmp_path, cell):
    rows = _read_back(write_csv(pd.DataFrame({"note": [cell]}), tmp_path / "out.csv"))
    assert rows[1] == ["'" + cell]


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


def _strip_skipped(text):
    while text and (text[0] in "".join(SKIPPED) or text[0].isspace()):
        text = text[1:]
    return text


NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers().map(str),
    st.integers().map(lambda i: f"+{abs(i)}"),
)
CELL = st.one_of(
    st.text(max_size=8),
    st.tuples(
        st.lists(st.sampled_from(SKIPPED), max_size=3).map("".join),
        st.sampled_from(TRIGGERS + ["|", "x", "1"]),
        st.text(max_size=4),
    ).map("".join),
    NUMBER_TEXT,
)


@settings(max_examples=80, deadline=None)
@given(
    cells=st.lists(CELL, min_size=1, max_size=6),
    numbers=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=6),
)
def test_no_written_cell_starts_a_formula_and_numbers_round_trip(tmp_path_factory, cells, numbers):
    path = tmp_path_factory.mktemp("w") / "out.csv"
    write_csv(pd.DataFrame({"text": cells}), path)
    written = [row[0] for row in _read_back(path)][1:]
    for original, cell in zip(cells, written, strict=True):
        if cell.startswith("'"):
            assert cell == "'" + original
            continue
        assert cell == original
        is_number = original.strip() == original and _is_number(original)
        starts = _strip_skipped(cell)[:1]
        assert is_number or not (starts in TRIGGERS or cell[:1] in ("\t", "\r", "|"))
    path = tmp_path_factory.mktemp("w") / "numbers.csv"
    write_csv(pd.DataFrame({"units": numbers}), path)
    assert [float(row[0]) for row in _read_back(path)[1:]] == numbers


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return text.lstrip("+-")[:1].isdigit() or text.lstrip("+-")[:1] == "."
