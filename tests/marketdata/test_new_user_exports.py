"""Exports the team did not write, read as a new user would: one documented call each,
then shares, ranks and HHI checked against plain pandas on the same numbers.

Every file is generated here, in the shapes the services export: a StatCounter
vendor-share CSV of another country (other vendors, a typo, rounding to 99.93-100.07%),
a Statista annual workbook (cover sheet, title rows, an empty or ``B`` period header,
footnote asterisks, a footnote row), IDC press-release tables with ``Total``/``Market``
rows and Chinese headers, a company's own cumulative series and a Big5 CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import analysis
import marketdata as md
from marketdata import DataError, DataWarning, UnknownNameWarning
from marketdata.names import reset_aliases


@pytest.fixture(autouse=True)
def _no_user_aliases():
    reset_aliases()
    yield
    reset_aliases()


def _quiet_read(path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = md.read(path, **kwargs)
    return out, [str(w.message) for w in caught]


# ------------------------------------------------------- StatCounter, another country

# 20 vendors to two decimals: the rounding they carry is 20 x 0.005 = 0.1 percentage points.
_SC_VENDORS = [
    "Samsung", "Apple", "Xiaomi", "Oppo", "Vivo", "Huawei", "Sumsung", "Realme", "Motorola",
    "Nokia", "Unknown", "Asus", "Sony", "Google", "OnePlus", "LG", "HTC", "Lenovo", "ZTE",
    "Meizu",
]  # fmt: skip
_SC_ROWS = {
    # 27.01+24.99+... sums to 99.93 and 100.07 (within 0.1 of 100)
    "2019-01": [27.01, 24.99, 12.0, 8.5, 7.5, 5.0, 0.02, 3.0, 2.5, 2.0,
                1.9, 1.5, 1.0, 0.9, 0.8, 0.5, 0.3, 0.2, 0.2, 0.11],
    "2019-02": [27.5, 24.5, 12.1, 8.4, 7.6, 5.1, 0.01, 3.1, 2.4, 2.0,
                1.9, 1.5, 1.0, 0.9, 0.8, 0.5, 0.3, 0.2, 0.16, 0.1],
}  # fmt: skip


def _statcounter_csv() -> str:
    head = ",".join(f'"{c}"' for c in ["Date", *_SC_VENDORS])
    body = "".join(f"{d},{','.join(str(v) for v in vs)}\n" for d, vs in _SC_ROWS.items())
    zero = "2018-12," + ",".join("0" for _ in _SC_VENDORS) + "\n"  # the trailing placeholder
    return head + "\n" + body + zero


def test_statcounter_rows_sum_as_the_test_says():
    sums = {d: round(sum(v), 2) for d, v in _SC_ROWS.items()}
    assert sums == {"2019-01": 99.93, "2019-02": 100.07}


def test_a_statcounter_export_of_another_country_in_one_call(tmp_path):
    path = tmp_path / "statcounter-vendor-tw-monthly.csv"
    path.write_text(_statcounter_csv())
    loaded, said = _quiet_read(
        path, value="share", percent=True, market="TW", metric="usage", errors="collect"
    )
    f = loaded.figures
    # rows in = loaded + rejected: 3 rows x 20 vendors, the all-zero one rejected
    assert len(f) + len(loaded.rejected) == 3 * 20
    assert len(f) == 40 and set(loaded.rejected["line"]) == {4}
    assert any("Sumsung" in m for m in said)  # the typo is named, kept as written
    raw = pd.read_csv(io.StringIO(_statcounter_csv()))
    raw = raw[raw["Date"] != "2018-12"].set_index("Date") / 100
    shares = analysis.market_share(f)
    for month, row in raw.iterrows():
        got = shares[shares["start"] == pd.Timestamp(month + "-01")]
        listed = got[got["brand"] != "Others"].set_index("brand")["share"]
        expect = {b if b == "Sumsung" else md.brand_name(b): v for b, v in row.items()}
        assert listed.to_dict() == pytest.approx(expect, abs=1e-12)  # as given, not rescaled
    hhi = analysis.concentration(f).set_index("start")
    for month, row in raw.iterrows():
        # every share is listed (Unknown is a residual), so HHI is bounded around it
        named = row.drop("Unknown")
        lower = (named**2).sum() * 10_000
        assert hhi.loc[pd.Timestamp(month + "-01"), "hhi_lower"] >= lower - 1e-6
    ranks = analysis.rank_brands(f)
    first = ranks[ranks["start"] == pd.Timestamp("2019-01-01")]
    assert first.loc[first["rank"] == 1, "brand"].tolist() == ["Samsung"]
    assert first.loc[first["rank"] == 2, "brand"].tolist() == ["Apple"]


# ------------------------------------------------------------- Statista annual workbook


def _statista(path, *, header, years_as_text=True, mark="*"):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Overview"
    cover["B2"] = "Smartphone shipments worldwide by vendor"
    cover.merge_cells("B2:F3")
    cover["B5"] = "Source: IDC"
    data = wb.create_sheet("Data")
    data["B2"] = "Global smartphone shipments by vendor 2018-2020 (in million units)"
    data["B4"] = header
    for col, name in zip("CDEF", ["Samsung", "Apple*", "Huawei**", "Others"], strict=True):
        data[f"{col}4"] = name
    rows = [(2018, 292.3, 208.8, 206.0, 688.1), (2019, 295.1, 191.0, 240.6, 644.3),
            (2020, 266.7, 206.1, 189.0, 630.7)]  # fmt: skip
    for r, (year, *values) in enumerate(rows, start=5):
        label = str(year) + (mark if year == 2020 else "") if years_as_text else year
        data.cell(r, 2, label)
        for c, v in enumerate(values, start=3):
            data.cell(r, c, v)
    data["B9"] = "* Apple: estimates; 2020: preliminary"
    data["B10"] = "** incl. Honor"
    hidden = wb.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "brand"
    wb.save(path)
    return pd.DataFrame(
        [v for _, *v in rows], index=[y for y, *_ in rows], columns=["Samsung", "Apple",
                                                                     "Huawei", "Others"]
    ) * 1e6  # fmt: skip


@pytest.mark.parametrize("header", [None, "B", "Year"])
def test_a_statista_annual_workbook_in_one_call(tmp_path, header):
    path = tmp_path / "statista-annual.xlsx"
    expect = _statista(path, header=header)
    loaded, said = _quiet_read(path, scale="millions", market="WW", errors="collect")
    assert loaded.rejected.empty, loaded.rejected.to_dict("records")
    f = loaded.figures
    assert len(f) == 12
    assert any("'Overview'" in m and "'Data'" in m for m in said)  # cover page passed over
    assert any("2020: preliminary" in m for m in said)  # the footnote row is named
    got = f.pivot(index="start", columns="brand", values="units")
    got.index, got.columns = got.index.year, got.columns.astype(object)
    pd.testing.assert_frame_equal(
        got[list(expect.columns)], expect, check_names=False, check_index_type=False
    )
    assert any("'2020*'" in m for m in said)  # the mark is left out, and said
    shares = analysis.market_share(f)
    by_pandas = expect.div(expect.sum(axis=1), axis=0)
    s2019 = shares[shares["start"].dt.year == 2019].set_index("brand")["share"]
    assert s2019.to_dict() == pytest.approx(by_pandas.loc[2019].to_dict())
    hhi = analysis.concentration(f).set_index(f["start"].drop_duplicates().dt.year)
    named = by_pandas.drop(columns="Others") ** 2 * 10_000
    # Others as one firm bounds the HHI from above; spread over many small firms, below
    upper = named.sum(axis=1) + by_pandas["Others"] ** 2 * 10_000
    assert hhi["hhi_upper"].to_numpy() == pytest.approx(upper.to_numpy())
    assert hhi["hhi_lower"].to_numpy() == pytest.approx(named.sum(axis=1).to_numpy())


def test_statista_years_as_numbers_read_the_same(tmp_path):
    path = tmp_path / "statista-annual.xlsx"
    expect = _statista(path, header=None, years_as_text=False)
    f, _ = _quiet_read(path, scale="millions", market="WW")
    assert f["units"].sum() == pytest.approx(expect.to_numpy().sum())


# ------------------------------------------------------- IDC press-release tables


def test_an_idc_wide_table_with_a_market_row(tmp_path):
    text = (
        "Vendor,1Q20,2Q20\nSamsung,58.3,54.2\nHuawei,49.0,55.8\nApple,36.7,45.1\n"
        "Others,131.0,123.6\nMarket,275.0,278.7\n"
    )
    path = tmp_path / "idc.csv"
    path.write_text(text)
    f, said = _quiet_read(path, market="WW", scale="millions")
    assert said == []  # 58.3 + 49.0 + 36.7 + 131.0 = 275.0: the Market row agrees
    ranks = analysis.rank_brands(f)
    assert "Market" not in set(ranks["brand"].astype(str))
    q2 = ranks[ranks["start"] == pd.Timestamp("2020-04-01")].set_index("brand")
    assert q2.loc["Huawei", "rank"] == 1 and q2.loc["Samsung", "rank"] == 2  # 55.8 > 54.2
    assert q2.loc["Huawei", "share"] == pytest.approx(55.8 / 278.7)  # Market is the size


def test_an_idc_table_with_chinese_headers_and_total(tmp_path):
    text = "季度,廠牌,出貨量\n2020Q1,Samsung,583\n2020Q1,Apple,367\n2020Q1,其他,1310\n2020Q1,合計,2260\n"
    path = tmp_path / "idc-tw.csv"
    path.write_text(text)
    loaded, said = _quiet_read(path, market="TW", scale="thousands", errors="collect")
    assert loaded.rejected.empty, loaded.rejected.to_dict("records")
    f = loaded.figures
    assert f["brand"].tolist()[:3] == ["Samsung", "Apple", "Others"]
    assert pd.isna(f["brand"].iloc[3]) and f["units"].iloc[3] == 2_260_000
    shares = analysis.market_share(f).set_index("brand")["share"]
    assert shares["Samsung"] == pytest.approx(583 / 2260)


def test_a_big5_csv_in_one_call(tmp_path):
    text = "日期,廠商,出貨量\n2020-01,三星,583\n2020-01,蘋果,367\n2020-01,總計,950\n"
    path = tmp_path / "big5.csv"
    path.write_bytes(text.encode("big5"))
    loaded, _ = _quiet_read(path, market="TW", errors="collect")
    assert loaded.rejected.empty, loaded.rejected.to_dict("records")
    f = loaded.figures
    assert f["units"].tolist() == [583, 367, 950]
    assert pd.isna(f["brand"].iloc[2])


# --------------------------------------------------- a company's own cumulative series


@pytest.mark.parametrize("header", ["Shipments", "Units", "出貨量"])
def test_a_one_brand_series_takes_brand_from_the_call(tmp_path, header):
    text = f"Date,{header}\n2011-12-31,300000\n2012-06-12,3M\n"
    path = tmp_path / "xiaomi.csv"
    path.write_text(text)
    f, said = _quiet_read(path, market="CN", basis="cumulative", brand="Xiaomi")
    assert f["brand"].tolist() == ["Xiaomi", "Xiaomi"]
    assert f["units"].tolist() == [300_000, 3_000_000]
    assert not any("unknown brand" in m for m in said)
    f, said = _quiet_read(path, market="CN", basis="cumulative")
    assert f["brand"].isna().all()
    assert any("market size" in m for m in said)


def test_units_with_a_date_in_the_text_are_loud_not_silent(tmp_path):
    text = 'Date,Units\n2011-12-31,300000\n2012-06-12,"3M by June 12, 2012"\n'
    path = tmp_path / "xiaomi.csv"
    path.write_text(text)
    with pytest.raises(DataError, match=r"line 3.*3M by June 12, 2012"):
        md.read(path, market="CN", basis="cumulative", brand="Xiaomi")


def test_a_wide_table_never_takes_a_value_column_for_a_brand_silently(tmp_path):
    # no brand column and a column that is no brand: the warning names it
    path = tmp_path / "one.csv"
    path.write_text("Date,Volume\n2012Q1,5\n")
    with pytest.warns(UnknownNameWarning, match="Volume"):
        md.read(path, market="CN")


def test_rounded_statcounter_sums_beyond_their_rounding_are_refused():
    # 3 vendors to two decimals carry 3 x 0.005 = 0.015 pp; 100.07 is beyond it
    text = "Date,Samsung,Apple,Xiaomi\n2019-01,50.03,30.02,20.02\n"
    f = md.read(io.StringIO(text), value="share", percent=True, market="TW", source="t")
    with pytest.raises(DataError, match=r"TW.*2019-01.*1\.0007"):
        analysis.market_share(f)


def test_statcounter_year_month_dates_are_months():
    f = md.read(
        io.StringIO('"Date","Samsung"\n2019-01,100\n'),
        value="share",
        percent=True,
        source="t",
        market="TW",
    )
    assert (f["start"].iloc[0], f["end"].iloc[0]) == (
        pd.Timestamp("2019-01-01"),
        pd.Timestamp("2019-01-31"),
    )
    assert np.isclose(f["share"].iloc[0], 1.0)


# ------------------------------------------------------------------- fuzzing the shapes

NO_BREAK = st.characters(blacklist_characters="\r\n")  # one line per row: lines are rows + 1
HEADS = st.sampled_from(
    ["Samsung", "Apple*", "Huawei**", "Xiaomi", "Sumsung", "Others", "Total", "合計", "Unknown"]
)
PERIOD_HEADS = st.sampled_from(["Date", "", "B", "Year", "季度", "日期"])
CELLS = st.one_of(
    st.sampled_from(["0", "12.5", "3.2M", "700萬", "", "-", "n/a", "1e400", "99.99", "1,234"]),
    st.text(NO_BREAK, max_size=5),
)
PERIOD_CELLS = st.one_of(
    st.sampled_from(["2019-01", "2020*", "2012Q2", "Q4 '09", "2012年6月", "", "2021**"]),
    st.text(NO_BREAK, max_size=6),
)
OPTIONS = st.sampled_from(
    [
        {},
        {"value": "share", "percent": True, "metric": "usage"},
        {"value": "share"},
        {"scale": "millions"},
        {"brand": "Xiaomi"},
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    PERIOD_HEADS,
    st.lists(HEADS, min_size=1, max_size=4, unique=True),
    st.lists(st.tuples(PERIOD_CELLS, st.lists(CELLS, min_size=4, max_size=4)), max_size=6),
    OPTIONS,
)
def test_wide_exports_every_cell_is_loaded_or_rejected(period, heads, rows, options):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([period, *heads])
    for label, values in rows:
        writer.writerow([label, *values[: len(heads)]])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = md.read(
                io.StringIO(buffer.getvalue()),
                format="csv",
                market="TW",
                source="fuzz",
                errors="collect",
                **options,
            )
    except DataError:
        event("refused")
        return
    event("read")
    filled = {
        (line, head)
        for line, (_, values) in enumerate(rows, start=2)
        for head, v in zip(heads, values, strict=False)
        if v.strip()
    }
    rejected = got.rejected
    cells = set(zip(rejected["line"], rejected["column"], strict=True))
    whole_rows = set(rejected.loc[~rejected["column"].isin(heads), "line"])  # its period
    accounted = {(line, head) for line, head in filled if (line, head) in cells}
    accounted |= {(line, head) for line, head in filled if line in whole_rows}
    # each filled value cell is one figure: loaded, or rejected with its row or alone
    assert len(got.figures) + len(accounted) == len(filled)


# ------------------------------------------- 6. shares as fractions, read 100 times too small


def _percent_workbook(path):
    # a StatCounter-style sheet saved from Excel: shares stored as fractions, shown as 40.00%
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Samsung", "Apple", "Other"])
    for month, values in [("2019-01", [0.4, 0.35, 0.25]), ("2019-02", [0.41, 0.34, 0.25])]:
        ws.append([month, *values])
        for cell in ws[ws.max_row][1:]:
            cell.number_format = "0.00%"
    wb.save(path)


def test_percent_true_on_fractions_warns(tmp_path):
    # 0.4 + 0.35 + 0.25 = 1 a month: fractions; percent=True would make Samsung 0.4%
    path = tmp_path / "pct.xlsx"
    _percent_workbook(path)
    with pytest.warns(DataWarning, match=r"sums to about 1 .*drop percent=True"):
        f = md.read(path, market="TW", value="share", percent=True)
    assert f["share"].iloc[0] == pytest.approx(0.004)  # as asked, but said
    text = "Date,Samsung,Apple,Other\n2019-01,0.4,0.35,0.25\n"
    with pytest.warns(DataWarning, match=r"sums to about 1 "):
        md.read(io.StringIO(text), market="TW", value="share", percent=True, source="t")


def test_a_wide_table_of_fractions_read_as_units_warns(tmp_path):
    path = tmp_path / "pct.xlsx"
    _percent_workbook(path)
    with pytest.warns(DataWarning, match=r"sums to about 1 .*pass value='share'"):
        f = md.read(path, market="TW")
    assert f["units"].iloc[0] == 0.4
    # shares that are percent, and small brands' percents, are not warned about
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        md.read(path, market="TW", value="share")
        md.read(
            io.StringIO("Date,Sony,HTC\n2019-01,0.2,0.3\n"),
            market="TW", value="share", percent=True, source="t",
        )  # fmt: skip


def test_years_across_with_footnote_marks(tmp_path):
    # Statista's vendors-down export: 2023* (preliminary), 2024** (forecast) as headers
    text = (
        "Vendor,2022,2023*,2024**\nSamsung,260.9,226.6,223.4\nApple,226.3,234.6,232.1\n"
        "Others,718.9,705.0,768.4\n"
    )
    path = tmp_path / "years.csv"
    path.write_text(text)
    with pytest.warns(DataWarning, match=r"footnote mark.*'2023\*', '2024\*\*'"):
        f = md.read(path, market="WW", scale="millions")
    got = f.pivot(index="brand", columns="start", values="units")
    assert got.loc["Apple"].tolist() == [226.3e6, 234.6e6, 232.1e6]
    assert [d.year for d in got.columns] == [2022, 2023, 2024]


def test_a_total_of_100_percent_among_shares_is_left_out_and_said():
    # IDC's share table ends each quarter with Total 100.0%: no figure, the shares are of it
    text = (
        "Quarter,Vendor,Market Share\n2020Q1,Samsung,21.2%\n2020Q1,Huawei,17.8%\n"
        "2020Q1,Apple,13.3%\n2020Q1,Others,47.7%\n2020Q1,Total,100.0%\n"
    )
    with pytest.warns(DataWarning, match=r"1 figure\(s\) dropped: 1 on line 6: a Total among"):
        f = md.read(io.StringIO(text), market="WW", source="t")
    assert f["brand"].notna().all() and len(f) == 4
    shares = analysis.market_share(f).set_index("brand")["share"]
    assert shares.to_dict() == pytest.approx(
        {"Samsung": 0.212, "Huawei": 0.178, "Apple": 0.133, "Others": 0.477}
    )
    loaded = md.read(io.StringIO(text), market="WW", source="t", errors="collect")
    assert len(loaded.figures) + len(loaded.rejected) == 5  # rows in = loaded + rejected


def test_blank_vendor_cells_of_an_export_are_not_market_sizes_in_silence():
    # vendors down with the name only on a vendor's first row (merged cells in Excel):
    # the blank cell would make Samsung's 54M the whole market and HTC 83% of it
    text = "Vendor,Quarter,Units\nSamsung,2020Q1,58\n,2020Q2,54\nApple,2020Q1,36\nHTC,2020Q2,45\n"
    with pytest.warns(DataWarning, match=r"1 row\(s\) with an empty 'Vendor' cell .*line\(s\) 3;"):
        f = md.read(io.StringIO(text), market="WW", source="t", scale="millions")
    assert pd.isna(f["brand"].iloc[1])  # read as documented, but said
    # the figures frame's own files (a 'brand' column, blank for the market) say nothing
    own = "brand,period,units\nSamsung,2020Q1,58\n,2020Q1,100\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        md.read(io.StringIO(own), market="WW", source="t", scale="millions")


JSON_CELLS = st.one_of(
    CELLS,
    st.none(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(HEADS, min_size=1, max_size=3, unique=True),
    st.lists(st.tuples(PERIOD_CELLS, st.lists(JSON_CELLS, min_size=3, max_size=3)), max_size=5),
    OPTIONS,
)
def test_json_exports_of_the_shapes_give_figures_or_a_data_error(heads, rows, options):
    records = [{"Date": label, **dict(zip(heads, values, strict=False))} for label, values in rows]
    text = json.dumps(records, allow_nan=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = md.read(
                io.StringIO(text),
                format="json",
                market="TW",
                source="fuzz",
                errors="collect",
                **options,
            )
    except DataError:
        return
    assert isinstance(got.figures, pd.DataFrame)
    # no figure is invented: at most one per record and brand column
    assert len(got.figures) <= len(records) * len(heads)


def test_figures_with_a_footnote_mark_read_as_the_figure_and_are_said():
    # a press-release table marks estimates: "45.1*" with "* IDC estimate" under it
    text = "Vendor,2Q20\nSamsung,54.2\nApple,45.1*\nOthers,179.4\n\n* IDC estimate\n"
    f, said = _quiet_read(io.StringIO(text), market="WW", source="t", scale="millions")
    assert any(re.search(r"footnote mark.*'45\.1\*'", m) for m in said)
    assert any("line 6: no figures in this row" in m for m in said)  # the note, left out
    assert f.set_index("brand")["units"].to_dict() == {
        "Samsung": 54.2e6,
        "Apple": 45.1e6,  # scaled like the bare numbers beside it
        "Others": 179.4e6,
    }


@pytest.mark.xfail(
    strict=True,
    reason="marketdata/units (owned by 'parse'): a lone '-' (not available) is refused as "
    "'cannot be negative', a reason that misleads; '–' and 'n/a' say 'not a form of number'",
)
def test_a_lone_dash_is_not_called_negative():
    with pytest.raises(DataError) as caught:
        md.parse_units("-")
    assert "negative" not in str(caught.value)
