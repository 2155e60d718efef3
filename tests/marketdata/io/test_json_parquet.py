"""JSON and Parquet: hostile files give a DataError for the file or a rejected row, never
another exception, with errors="raise" and errors="collect" alike."""

import io
import warnings

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import marketdata
from marketdata import DataError
from marketdata.io import read_table

RECORD = '{"brand": "%s", "period": "2012Q1", "market": "TW", "units": %s}'


def _load(text: str, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown names
        return marketdata.read(io.StringIO(text), format="json", source="j", **kwargs)


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_json_nested_50000_deep_is_a_data_error(errors):
    with pytest.raises(DataError, match="nested too deeply"):
        _load("[" * 50_000 + "]" * 50_000, errors=errors)
    deep_cell = "[" + RECORD % ("HTC", "[" * 50_000 + "1" + "]" * 50_000) + "]"
    with pytest.raises(DataError, match="nested too deeply"):
        _load(deep_cell, errors=errors)


def test_json_5000_digit_integer_is_a_rejected_row():
    text = "[" + RECORD % ("HTC", "9" * 5000) + ", " + RECORD % ("Sony", "5") + "]"
    got = _load(text, errors="collect")
    assert got.figures["brand"].tolist() == ["Sony"] and got.figures["units"].tolist() == [5]
    assert got.rejected["row"].tolist() == [1]  # rows in (2) = loaded (1) + rejected (1)
    with pytest.raises(DataError) as err:
        _load(text)
    assert err.value.row == 1


@pytest.mark.parametrize("errors", ["raise", "collect"])
@pytest.mark.parametrize("escape", [r"\ud800", r"\udc00x", r"x\udbff"])
def test_json_lone_surrogate_is_a_data_error_naming_the_line(errors, escape):
    text = "[\n" + RECORD % ("HTC", "1") + ",\n" + RECORD % (escape, "2") + "\n]"
    with pytest.raises(DataError, match="lone surrogate") as err:
        _load(text, errors=errors)
    assert err.value.line == 3


def test_json_surrogate_pairs_and_constants_are_fine():
    text = "[" + RECORD % (r"\ud83d\ude00", "1") + ", " + RECORD % ("Sony", "NaN") + "]"
    t = read_table(io.StringIO(text), format="json")
    assert t.frame["brand"].tolist() == ["😀", "Sony"]
    assert t.frame["units"].tolist() == [1, "NaN"]  # the constant kept as text


def _parquet_with_bad_text() -> bytes:
    # a writer that put raw bytes in a string column: view binary as string, unvalidated
    bad = pa.array([b"HTC", b"\xff\xfeSony"], type=pa.binary()).view(pa.string())
    table = pa.table(
        {"brand": bad, "period": ["2012Q1"] * 2, "market": ["TW"] * 2, "units": [1.0, 2.0]}
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_parquet_text_that_is_not_utf8_is_a_data_error_naming_the_cell(errors):
    with pytest.raises(DataError, match="not valid UTF-8") as err:
        marketdata.read(io.BytesIO(_parquet_with_bad_text()), format="parquet", source="p",
                        errors=errors)  # fmt: skip
    assert (err.value.row, err.value.column) == (2, "brand")


def test_parquet_keeps_its_types():
    buffer = io.BytesIO()
    pd.DataFrame({"brand": ["HTC", None], "units": [3e6, None]}).to_parquet(buffer)
    t = read_table(io.BytesIO(buffer.getvalue()), format="parquet")
    assert t.frame["units"].tolist() == [3e6] and t.rows.tolist() == [1]  # blank row 2 left out


def test_damaged_parquet_is_a_data_error():
    with pytest.raises(DataError, match="Parquet"):
        read_table(io.BytesIO(b"PAR1 not really"), format="parquet")
