"""The raw Statista export (statistics 271490) read in one call, checked cell by cell
against an independent openpyxl read of its Data sheet; and a made-up export of the same
shape (other vendors, a typo, no cover sheet, a hidden sheet, an empty period header)."""

import io
import re
import warnings
from importlib import resources

import numpy as np
import openpyxl
import pandas as pd
import pytest

import marketdata
from marketdata import DataWarning
from marketdata.io import UNNAMED, read_table

RAW = resources.files("marketdata.datasets").joinpath(
    "raw", "statista-271490-smartphone-shipments-by-vendor-2009-2024.xlsx"
)
QUARTER = re.compile(r"Q([1-4])\s*'\s*(\d\d)$")


def _quarter_start(label: str) -> pd.Timestamp:
    # "Q4 '09", "Q2' 17", "Q4'22": quarter q of 20yy starts on month 3(q-1)+1
    q, yy = QUARTER.match(label.strip()).groups()
    return pd.Timestamp(2000 + int(yy), 3 * (int(q) - 1) + 1, 1)


def _oracle(data: bytes, sheet: str, header_row: int) -> pd.DataFrame:
    """Every numeric cell under the header, straight from openpyxl: period, vendor, value."""
    ws = openpyxl.load_workbook(io.BytesIO(data), data_only=True)[sheet]
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    header = rows[0]
    out = []
    for row in rows[1:]:
        label = row[1]
        if not isinstance(label, str) or not QUARTER.match(label.strip()):
            continue  # the footnote row
        for name, value in zip(header[2:], row[2:], strict=True):
            if isinstance(value, (int, float)):
                out.append((_quarter_start(label), name, value * 1e6))
    return pd.DataFrame(out, columns=["start", "vendor", "units"])


def test_the_raw_export_reads_in_one_call_and_every_figure_is_the_sheets():
    data = RAW.read_bytes()
    with pytest.warns(DataWarning) as caught:
        got = marketdata.read(RAW, scale="millions", market="WW", errors="collect")
    said = " ".join(str(w.message) for w in caught)
    assert "read sheet 'Data'" in said and "passed over sheet 'Overview'" in said
    assert "row 65: 'Please note that the grayed-out values" in said
    expected = _oracle(data, "Data", header_row=5)
    # 58 quarters (Q4 2009 .. Q1 2024); the cells that hold a number: one figure each
    assert expected["start"].nunique() == 58 and len(expected) == 383
    assert len(got.figures) == len(expected) and len(got.rejected) == 0  # in = loaded + rejected
    figures = got.figures
    assert (figures["market"] == "WW").all()
    for start, block in expected.groupby("start"):
        window = figures[figures["start"] == start]
        assert (window["end"] == start + pd.offsets.QuarterEnd(0)).all()
        np.testing.assert_allclose(
            np.sort(window["units"].to_numpy()), np.sort(block["units"].to_numpy()), rtol=1e-12
        )
    # vendors whose header has no footnote mark, figure by figure
    for vendor in ["Apple", "Samsung", "Xiaomi", "OPPO", "vivo", "HTC", "Transsion", "Others"]:
        mine = figures[figures["brand"] == vendor].sort_values("start")["units"].to_numpy()
        theirs = expected[expected["vendor"] == vendor].sort_values("start")["units"].to_numpy()
        np.testing.assert_allclose(mine, theirs, rtol=1e-12)
    # Q1 2024: Samsung 60.1 M, Apple 50.1 M (the export's last row)
    q1 = figures[figures["start"] == pd.Timestamp("2024-01-01")].set_index("brand")["units"]
    assert q1["Samsung"] == pytest.approx(60.1e6) and q1["Apple"] == pytest.approx(50.1e6)


def test_the_raw_export_table_keeps_its_title_for_the_unit():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_table(RAW)
    assert t.sheet == "Data" and t.header_line == 5 and t.lines.tolist() == list(range(6, 64))
    assert "(in million units)" in t.title[1]
    assert t.frame.columns[0] == "quarter" and "Huawei*" in t.frame.columns


def _other_export() -> bytes:
    """Another export of the same service: annual, other vendors, a typo, no cover sheet,
    a hidden scratch sheet first, the period header left empty, a two-line note."""
    wb = openpyxl.Workbook()
    scratch = wb.active
    scratch.title = "calc"
    scratch.append(["brand", "period", "units"])
    scratch.append(["Nobody", "2012", 1])
    scratch.sheet_state = "hidden"
    ws = wb.create_sheet("Data")
    rows = [
        [],
        [None, "Smartphone shipments in India by vendor (in million units)"],
        [None, "India, 2019 to 2021"],
        [],
        [None, None, "Xiaomi", "Sumsung", "vivo*", "realme", "Others"],
        [None, 2019, 43.6, 32.3, 23.1, 14.5, 44.4],
        [None, 2020, 40.9, 30.6, "", 16.7, 39.7],
        [None, 2021, 40.5, 28.2, 26.6, None, 40.0],
        [],
        [None, "* vivo includes iQOO."],
        [None, "Note: figures are rounded."],
    ]
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_another_export_of_the_same_shape():
    data = _other_export()
    with pytest.warns(DataWarning) as caught:
        t = read_table(io.BytesIO(data))
    said = " ".join(str(w.message) for w in caught)
    assert "read sheet 'Data'" in said and "hidden sheet(s) ['calc'] are not read" in said
    assert "2 row(s) below the table read as notes" in said
    assert t.header_line == 5 and t.lines.tolist() == [6, 7, 8]
    assert list(t.frame.columns) == [
        UNNAMED + "B",
        "Xiaomi",
        "Sumsung",
        "vivo*",
        "realme",
        "Others",
    ]
    assert t.notes == ("* vivo includes iQOO.", "Note: figures are rounded.")
    # through the loader in one call: the placeholder column holds the periods
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = marketdata.read(
            io.BytesIO(data),
            format="xlsx",
            scale="millions",
            market="IN",
            source="made-up",
            errors="collect",
        )
    # 3 years x 5 vendors = 15 cells, of which 2 are empty ("" and None): 13 figures
    assert len(got.figures) == 13 and len(got.rejected) == 0
    f = got.figures.set_index(["brand", "start"])["units"]
    assert f[("Xiaomi", pd.Timestamp("2019-01-01"))] == pytest.approx(43.6e6)
    assert f[("Others", pd.Timestamp("2021-01-01"))] == pytest.approx(40.0e6)
    assert got.figures["units"].sum() == pytest.approx(
        1e6
        * (43.6 + 32.3 + 23.1 + 14.5 + 44.4 + 40.9 + 30.6 + 16.7 + 39.7 + 40.5 + 28.2 + 26.6 + 40.0)
    )


def test_the_raw_export_without_scale_reads_the_unit_its_title_states():
    data = RAW.read_bytes()
    with pytest.warns(DataWarning) as caught:
        got = marketdata.read(RAW, market="WW", errors="collect")
    (told,) = [str(w.message) for w in caught if "scale" in str(w.message)]
    assert RAW.name in told and "(in million units)" in told and "1e+06" in told
    assert "scale=1" in told  # how to keep the numbers as written
    expected = _oracle(data, "Data", header_row=5)  # openpyxl's cells x 1e6
    assert len(got.figures) == len(expected) == 383 and len(got.rejected) == 0
    mine = got.figures.assign(vendor=got.figures["name_as_reported"].fillna(got.figures["brand"]))
    mine = mine.set_index(["vendor", "start"])["units"].sort_index()
    theirs = expected.set_index(["vendor", "start"])["units"].sort_index()
    assert mine.index.tolist() == theirs.index.tolist()
    np.testing.assert_allclose(mine.to_numpy(), theirs.to_numpy(), rtol=1e-12)
    # Apple 2009Q4: 8.7 million, not 8.7
    apple = got.figures.set_index(["brand", "start"])["units"]
    assert apple[("Apple", pd.Timestamp("2009-10-01"))] == pytest.approx(8.7e6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same = marketdata.read(RAW, market="WW", scale="millions")
    pd.testing.assert_frame_equal(same, got.figures)
