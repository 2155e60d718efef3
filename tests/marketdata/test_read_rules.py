"""read()/from_frame(): totals, one-brand files, wide columns of one brand, percent shares,
all-zero windows, headers, reserved column names, metrics and hostile frames."""

import io
import warnings

import numpy as np
import pandas as pd
import pytest

from marketdata import DataError, DataWarning, UnknownNameWarning, schema
from marketdata.names import register_aliases, reset_aliases
from marketdata.read import Loaded, ReadOptions, from_frame, read


@pytest.fixture(autouse=True)
def _no_user_aliases():
    reset_aliases()
    yield
    reset_aliases()


def _csv(text: str, **kwargs):
    return read(io.StringIO(text), source="test", **kwargs)


# ---------------------------------------------------------------- 2. Total is the market


@pytest.mark.parametrize(
    "total", ["Total", "Market", "All vendors", "Industry", "合計", "總計", "总计"]
)
def test_a_total_row_is_the_market_size_never_a_brand(total):
    text = f"vendor,quarter,units\nSamsung,2012Q1,40\nApple,2012Q1,30\nOthers,2012Q1,30\n{total},2012Q1,100\n"
    f = _csv(text, market="WW", scale="millions")
    assert f["brand"].tolist()[:3] == ["Samsung", "Apple", "Others"]
    assert pd.isna(f["brand"].iloc[3]) and f["units"].iloc[3] == 100e6
    assert f["name_as_reported"].iloc[3] == total  # kept as the file wrote it


def test_a_total_that_disagrees_with_a_complete_listing_is_reported():
    # 40 + 30 + 30 = 100 listed (with Others), Total says 120: 20M apart, more than the
    # rounding of whole millions (half of 1M x 4 figures = 2M)
    text = "vendor,quarter,units\nSamsung,2012Q1,40\nApple,2012Q1,30\nOthers,2012Q1,30\nTotal,2012Q1,120\n"
    with pytest.warns(
        DataWarning,
        match=r"total of line 5 for WW 2012Q1 \(120,000,000\) disagrees .* \(100,000,000\)",
    ):
        _csv(text, market="WW", scale="millions")
    # 40.1 + 30 + 30 = 100.1 against 100.2: 0.1M apart, within half of 0.1M x 4 = 0.2M
    agree = text.replace("120", "100.2").replace("40\n", "40.1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        _csv(agree, market="WW", scale="millions")


def test_a_total_column_of_a_wide_table_is_the_market_size():
    text = "Date,Samsung,Apple,Total\n2012Q1,40,30,70\n"
    f = _csv(text, market="WW")
    assert f["brand"].isna().tolist() == [False, False, True]
    assert f["units"].tolist() == [40.0, 30.0, 70.0]


# ---------------------------------------------------------------- 3. all-zero windows


def test_an_all_zero_window_is_rejected_with_its_reason():
    text = "Date,Samsung,Apple,Other\n2010-04,60,39.5,0.5\n2010-03,0,0,0\n"
    got = _csv(text, market="WW", value="share", percent=True, errors="collect")
    assert len(got.figures) == 3 and len(got.rejected) == 3  # 6 figures in
    assert got.rejected["line"].tolist() == [3, 3, 3]
    assert got.rejected["reason"].str.contains("every figure of this window is zero").all()
    with pytest.warns(DataWarning, match="3 figure.s. dropped: 3 on line 3: every figure"):
        f = _csv(text, market="WW", value="share", percent=True)
    assert f["share"].tolist() == [0.6, 0.395, 0.005]


def test_one_zero_figure_is_not_a_placeholder():
    f = _csv("brand,period,units\nXiaomi,2010,0\n", market="CN")
    assert f["units"].tolist() == [0.0]


# ---------------------------------------------------------------- 4. one-brand files


def test_a_file_without_a_brand_column_says_it_holds_market_sizes():
    text = "period,units\n2012Q1,1M\n2012Q2,2M\n"
    with pytest.warns(DataWarning, match="read as whole-market sizes .*pass brand="):
        f = _csv(text, market="CN")
    assert f["brand"].isna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        f = _csv(text, market="CN", brand="XIAOMI Inc.")
    assert f["brand"].tolist() == ["Xiaomi", "Xiaomi"] and f["units"].tolist() == [1e6, 2e6]


def test_brand_never_overrides_a_brand_column():
    # an empty brand cell is the market's size; brand= is for files with no brand column
    text = "brand,period,units\n,2012Q1,10M\nXiaomi,2012Q1,1M\n"
    f = _csv(text, market="CN", brand="Samsung")
    assert pd.isna(f["brand"].iloc[0]) and f["brand"].iloc[1] == "Xiaomi"


# ---------------------------------------------------------------- 5. wide columns of one brand


def test_wide_columns_naming_one_brand_are_summed_with_a_warning():
    register_aliases("brand", {"Sumsung": "Samsung"})
    text = "Date,Samsung,Sumsung,Apple\n2012Q1,10,2,5\n2012Q2,11,,6\n"
    with pytest.warns(DataWarning, match=r"summed row by row \(Samsung: 'Samsung', 'Sumsung'\)"):
        got = _csv(text, market="WW", errors="collect")
    assert got.rejected.empty
    f = got.figures
    by = f.set_index([f["start"].dt.strftime("%Y-%m"), "brand"])["units"]
    assert by[("2012-01", "Samsung")] == 12.0  # 10 + 2
    assert by[("2012-04", "Samsung")] == 11.0
    assert len(f) == 4  # the Sumsung cell became part of Samsung's figure


def test_long_form_conflicts_are_still_rejected():
    register_aliases("brand", {"Sumsung": "Samsung"})
    text = "brand,period,units\nSamsung,2012Q1,10\nSumsung,2012Q1,2\n"
    got = _csv(text, market="WW", errors="collect")
    assert got.figures.empty and len(got.rejected) == 2
    assert got.rejected["reason"].str.contains("disagree").all()


# ---------------------------------------------------------------- 6. percent shares


def test_a_wide_table_of_percentages_read_as_units_warns():
    text = "Date,Samsung,Apple,Other\n2010-04,33.15,37.58,29.27\n2010-05,30.01,40,29.99\n"
    with pytest.warns(DataWarning, match="pass value='share', percent=True"):
        f = _csv(text, market="WW")
    assert f["units"].iloc[0] == 33.15


def test_shares_above_one_are_percent_only_when_every_window_sums_to_100():
    ok = "Date,Samsung,Apple,Other\n2010-04,33.15,37.58,29.28\n2010-05,30.01,40,30.03\n"
    with pytest.warns(DataWarning, match="read as percent"):
        f = _csv(ok, market="WW", value="share")
    # 33.15 / 100; sums 100.01 and 100.04 are within 0.5 (the floor of "about")
    assert f["share"].round(6).tolist() == [0.3315, 0.3758, 0.2928, 0.3001, 0.4, 0.3003]
    top5 = "Date,Samsung,Apple\n2010-04,33.15,37.58\n"  # 70.73: not a complete listing
    with pytest.raises(DataError, match="do not sum to about 100.*pass percent=True"):
        _csv(top5, market="WW", value="share")


# ---------------------------------------------------------------- 7. headers and names


@pytest.mark.parametrize(
    "header", ["Date", "Month", "Quarter", "Year", "Period", "日期", "時間", "年份", "季度"]
)
def test_period_headers(header):
    f = _csv(f"{header},Samsung\n2012,3\n", market="WW")
    assert f["start"].tolist() == [pd.Timestamp("2012-01-01")]


@pytest.mark.parametrize("blank", ["", "B", "unnamed: B", "Unnamed: 0", "column 1"])
def test_a_blank_header_over_periods_is_the_period_column(blank):
    text = f"{blank},Apple,Samsung\nQ4 '09,8.7,1.8\nQ1 '10,8.7,2.4\n"
    with pytest.warns(DataWarning, match="has no header but holds periods"):
        f = _csv(text, market="WW", scale="millions")
    assert f["start"].dt.strftime("%Y-%m").tolist() == ["2009-10"] * 2 + ["2010-01"] * 2
    assert f["units"].tolist() == [8.7e6, 1.8e6, 8.7e6, 2.4e6]


def test_a_layout_error_names_the_columns_it_could_not_place_and_what_to_pass():
    text = "Smartphone shipments (in millions),C,D\nquarter,Apple,Samsung\nQ4 '09,8.7,1.8\n"
    with pytest.raises(DataError) as err:
        _csv(text, market="WW")
    message = str(err.value)
    assert "'Smartphone shipments (in millions)'" in message and "'D'" in message
    assert "skiprows=" in message and "sheet=" in message and "columns=" in message


def test_footnote_asterisks_resolve_to_the_brand_keeping_the_name_as_written():
    f = _csv("quarter,Huawei*,Nokia**,Apple\n2012Q1,1,2,3\n", market="WW")
    assert f["brand"].tolist() == ["Huawei", "Nokia", "Apple"]
    assert f["name_as_reported"].tolist()[:2] == ["Huawei*", "Nokia**"]
    assert pd.isna(f["name_as_reported"].iloc[2])


# ---------------------------------------------------------------- 8. reserved names


def test_a_basis_column_of_other_text_is_kept_not_parsed():
    text = "vendor,period,share,basis\nSamsung,2015-01,0.3,retail sales volume\nHTC,2015-01,0.2,retail sales volume\n"
    with pytest.warns(DataWarning, match="column 'basis' holds no basis values"):
        got = _csv(text, market="TW", errors="collect")
    assert got.rejected.empty and len(got.figures) == 2
    assert got.figures["basis"].tolist() == ["period", "period"]
    assert got.figures["basis_as_reported"].tolist() == ["retail sales volume"] * 2


def test_a_basis_column_mapped_explicitly_is_parsed():
    text = "vendor,period,share,basis\nSamsung,2015-01,0.3,retail\n"
    with pytest.raises(DataError, match="basis must be one of"):
        _csv(text, market="TW", columns={"basis": "basis"})


def test_unknown_columns_of_a_wide_table_that_are_kept_are_not_brands():
    text = "Date,Samsung,Apple,metric\n2015-01,30,20,sell-through\n"
    with pytest.warns(DataWarning, match="holds no metric values"):
        f = _csv(text, market="TW")
    assert f["brand"].tolist() == ["Samsung", "Apple"]
    assert f["metric_as_reported"].tolist() == ["sell-through"] * 2


# ---------------------------------------------------------------- 9. metrics


@pytest.mark.parametrize("metric", [schema.USAGE, schema.INSTALLED_BASE])
def test_usage_and_installed_base_are_metrics(metric):
    f = _csv("brand,period,share\nApple,2012-01,0.3\n", market="US", metric=metric)
    assert f["metric"].tolist() == [metric]
    assert list(f["metric"].cat.categories) == list(schema.METRICS)


# ---------------------------------------------------------------- fuzz: hostile frames


def test_negative_numeric_units_are_rejected_rows_not_an_abort():
    df = pd.DataFrame({"brand": ["HTC", "Sony"], "period": ["2012", "2012"], "units": [-1.0, 2.0]})
    got = from_frame(df, market="TW", source="x", errors="collect")
    assert got.figures["units"].tolist() == [2.0]
    assert got.rejected[["row", "reason"]].values.tolist() == [[1, "units is negative"]]
    ints = df.assign(units=[-1, 2])
    assert from_frame(ints, market="TW", source="x", errors="collect").rejected["row"].tolist() == [
        1
    ]


@pytest.mark.parametrize("unit", ["s", "ms", "us"])
def test_datetimes_outside_1678_2261_are_rejected_rows_never_wrapped(unit):
    dates = np.array(["1500-01-01", "2012-03-04", "2300-01-01"], dtype=f"datetime64[{unit}]")
    df = pd.DataFrame({"brand": ["HTC", "Sony", "LG"], "period": dates, "units": [1.0, 2.0, 3.0]})
    got = from_frame(df, market="TW", source="x", errors="collect")
    assert got.figures["start"].tolist() == [pd.Timestamp("2012-03-04")]
    assert got.rejected["row"].tolist() == [1, 3]
    assert got.rejected["reason"].str.contains("outside the years 1678-2261").all()
    with pytest.raises(DataError, match="row 1, column 'period'"):
        from_frame(df, market="TW", source="x")


def test_python_datetimes_outside_the_range_are_rejected_rows():
    import datetime as dt

    df = pd.DataFrame(
        {"brand": ["HTC", "Sony"], "period": [dt.datetime(1500, 1, 1), dt.datetime(2012, 1, 1)],
         "units": [1.0, 2.0]}
    )  # fmt: skip
    got = from_frame(df, market="TW", source="x", errors="collect")
    assert got.figures["brand"].tolist() == ["Sony"] and got.rejected["row"].tolist() == [1]


# ---------------------------------------------------------------- options


def test_read_options_are_checked_once_and_spelled_for_the_caller():
    with pytest.raises(ValueError, match="scale"):
        ReadOptions(scale=-1)
    with pytest.raises(TypeError, match="brand="):
        ReadOptions(brand=3)
    cli = ReadOptions(spelling="cli")
    assert cli.advise("pass percent=True") == "pass --percent"
    assert cli.advise("pass value='share', percent=True") == "pass --value share --percent"
    assert cli.advise("pass sheet= or skiprows=") == "pass --sheet or --skiprows"
    assert (
        cli.advise("map it with columns={'Date': 'period'}") == "map it with --column 'Date=period'"
    )
    assert ReadOptions().advise("pass percent=True") == "pass percent=True"


def test_read_returns_loaded_only_when_collecting():
    got = _csv("brand,period,units\nHTC,2012,1\n", market="TW", errors="collect")
    assert isinstance(got, Loaded)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownNameWarning)
        assert isinstance(_csv("brand,period,units\nHTC,2012,1\n", market="TW"), pd.DataFrame)


@pytest.mark.parametrize(
    ("python", "cli"),
    [
        ("pass layout='long', 'wide_brands' or 'wide_periods'",
         "pass --layout long, wide_brands or wide_periods"),
        ("pass errors='collect' to list them all",
         "run marketshare validate on the file to list them all"),
        ("pass format= if it is another format", "pass --file-format if it is another format"),
        ("pass sep=';'", "pass --sep ';'"),
        ("pass decimal=','", "pass --decimal ','"),
        ("pass brand='...' if they are one brand's", "pass --brand '...' if they are one brand's"),
        ("map one with columns={'Vendor': ...}", "map one with --column 'Vendor=...'"),
        ("pass skiprows= (or sheet= for another Excel sheet)",
         "pass --skiprows (or --sheet for another Excel sheet)"),
    ],
)  # fmt: skip
def test_hints_are_spelled_as_command_line_flags(python, cli):
    assert ReadOptions(spelling="cli").advise(python) == cli


def test_the_last_decimal_the_figures_carry():
    from marketdata.read.windows import _last_unit

    assert _last_unit(np.array([28.35, 0.01, 100.0])) == pytest.approx(0.01)
    assert _last_unit(np.array([302.6e6, 10.5e6])) == pytest.approx(1e5)
    assert _last_unit(np.array([123456.7, 2.0])) == pytest.approx(0.1)  # not 1 (the 2)
    assert _last_unit(np.array([0.0])) == 1.0  # nothing to tell from


def test_a_press_release_table_with_a_total_row():
    # IDC's shape: vendors down, quarters across, a Total row; 53.5 + 45.2 + 186.6 = 285.3
    text = "Company,2Q24,2Q23\nSamsung,53.5,53.9\nApple,45.2,44.4\nOthers,186.6,170.5\nTotal,285.3,268.8\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # the totals agree: nothing to say
        f = _csv(text, market="WW", scale="millions")
    totals = f[f["brand"].isna()]
    assert totals["units"].tolist() == [285.3e6, 268.8e6]
    assert totals["name_as_reported"].tolist() == ["Total", "Total"]
    with pytest.warns(DataWarning, match=r"line 5 for WW 2024Q2 \(295,300,000\)"):
        _csv(text.replace("285.3", "295.3"), market="WW", scale="millions")
