import io
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import market_share, share_change, shares_to_units
from marketdata import DataError, DataWarning, DoubleCountWarning, datasets, read
from tests.factories import Q1, Q2, Y2012, figures


def test_denominator_is_market_size_and_remainder_is_an_explicit_others_row():
    f = figures(["A", "B", None], [3e6, 1e6, 5e6])
    out = market_share(f)
    # 3M / 5M = 0.6, 1M / 5M = 0.2, remainder 5M - 4M = 1M -> 0.2
    assert out["brand"].tolist() == ["A", "B", "Others"]
    assert out["units"].tolist() == [3e6, 1e6, 1e6]
    assert out["share"].tolist() == pytest.approx([0.6, 0.2, 0.2])
    assert (out["market_units"] == 5e6).all()


def test_without_market_size_the_denominator_is_the_sum_of_rows():
    out = market_share(figures(["A", "B", "Others"], [6, 3, 1]))
    # 6 / 10, 3 / 10, 1 / 10
    assert out["share"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert out["brand"].tolist() == ["A", "B", "Others"]


def test_remainder_is_added_to_an_existing_others_row():
    # a complete listing (it has Others) 3 short of its Total: reported, then added
    with pytest.warns(DataWarning, match="add up to 7, the market size .Total. is 10"):
        out = market_share(figures(["A", "Others", None], [5, 2, 10]))
    # Others: 2 given + (10 - 7) remainder = 5 -> 0.5
    assert out.set_index("brand")["units"].to_dict() == {"A": 5.0, "Others": 5.0}


def test_market_size_argument_number_and_frame():
    f = figures(["A", "B"], [2, 2])
    assert market_share(f, market_size=8)["share"].tolist() == pytest.approx([0.25, 0.25, 0.5])
    size = figures([None], [10])
    assert market_share(f, market_size=size)["share"].tolist() == pytest.approx([0.2, 0.2, 0.6])


def test_overcount_raises_naming_rows_or_warns_and_uses_the_sum():
    f = figures(["A", "B", None], [6, 6, 10])
    with pytest.raises(DataError, match=r"more than the market size.*rows 1, 2"):
        market_share(f)
    with pytest.warns(DoubleCountWarning, match="list more units than the market size"):
        out = market_share(f, overcount="warn")
    assert out["share"].tolist() == pytest.approx([0.5, 0.5])  # 6 / 12
    assert out["double_count"].all()


def test_share_data_passes_through_with_others_for_the_rest():
    out = market_share(figures(["A", "B"], [0.5, 0.3], column="share"))
    assert out["share"].tolist() == pytest.approx([0.5, 0.3, 0.2])  # 1 - 0.8
    assert out["units"].isna().all()


def test_input_is_not_modified():
    f = figures(["A", "B", None], [3e6, 1e6, 5e6])
    before = f.copy()
    market_share(f)
    pd.testing.assert_frame_equal(f, before)


@pytest.mark.parametrize(
    "brands, values, column, fragment, rows",
    [
        (["A", "B"], [1, -1], "units", "negative", "row 2"),
        (["A", "B"], [1, np.nan], "units", "missing or not finite", "row 2"),
        (["A", "B"], [0.5, 1.5], "share", "share is above 1", "row 2"),
        (["A", "B"], [0.7, 0.5], "share", "add up to 1.2", "rows 1, 2"),
        (["A", "A"], [1, 2], "units", "more than once", "rows 1, 2"),
    ],
)
def test_bad_figures_raise_data_error_naming_rows(brands, values, column, fragment, rows):
    with pytest.raises(DataError, match=fragment) as info:
        market_share(figures(brands, values, column=column))
    assert rows in str(info.value)


def test_mixed_metrics_in_one_window_are_refused():
    f = pd.concat([figures(["A"], [1]), figures(["B"], [1], metric="sales")], ignore_index=True)
    with pytest.raises(DataError, match="mixes metrics.*rows 1, 2"):
        market_share(f)


def test_quarter_and_year_of_one_market_are_refused_not_summed():
    f = pd.concat(
        [figures(["A"], [4], window=Y2012), figures(["A"], [1], window=Q1)], ignore_index=True
    )
    with pytest.raises(DataError, match="overlapping windows 2012Q1 and 2012"):
        market_share(f)
    # two quarters side by side are fine, each its own window
    g = pd.concat(
        [figures(["A", "B"], [1, 3], window=Q1), figures(["A"], [2], window=Q2)], ignore_index=True
    )
    out = market_share(g)
    assert out.groupby("end")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_size_row_with_another_metric_is_refused_unless_passed_explicitly():
    f = pd.concat([figures(["A"], [1]), figures([None], [10], metric="demand")], ignore_index=True)
    with pytest.raises(DataError, match="different metric.*row 2"):
        market_share(f)
    out = market_share(f[f["brand"].notna()], market_size=f[f["brand"].isna()])
    assert out["share"].tolist() == pytest.approx([0.1, 0.9])


def test_bad_arguments():
    f = figures(["A"], [1])
    with pytest.raises(ValueError, match="overcount"):
        market_share(f, overcount="ignore")
    with pytest.raises(ValueError, match="positive"):
        market_share(f, market_size=-5)
    with pytest.raises(TypeError, match="DataFrame"):
        market_share([1, 2])


# ---------------------------------------------------------------- shares_to_units, real data
def test_founding_table_taiwan_2013_with_7m_market():
    tw = datasets.load("taiwan_vendor_share")
    out = shares_to_units(tw[tw["end"] == "2013-12-31"], 7_000_000)
    units = out.set_index("brand")["units"]
    # 0.28 x 7M = 1.96M, 0.21 x 7M = 1.47M, 0.16 x 7M = 1.12M, 0.13 x 7M = 0.91M,
    # 0.03 x 7M = 0.21M, Others (1 - 0.81) x 7M = 1.33M
    expected = {
        "Samsung": 1.96e6,
        "HTC": 1.47e6,
        "Sony": 1.12e6,
        "Apple": 0.91e6,
        "LG": 0.21e6,
        "Others": 1.33e6,
    }
    assert units.to_dict() == pytest.approx(expected)
    assert (out["status"] == "estimate").all()
    assert out["note"].str.contains("7,000,000").all()


def test_shares_to_units_refuses_a_size_of_another_window():
    tw = datasets.load("taiwan_vendor_share")
    x = datasets.load("xiaomi_2011_2012")  # TW 7M is for 2012, the shares for 2013
    with pytest.raises(DataError, match="no market size for the window"):
        shares_to_units(tw[tw["end"] == "2013-12-31"], x)


def test_shares_to_units_carries_the_size_qualifier():
    x = datasets.load("xiaomi_2011_2012")
    size = x[x["brand"].isna()]  # TW 2012, 7M, qualifier "over", metric demand
    shares = figures(["HTC", "Samsung"], [0.3, 0.2], column="share")
    out = shares_to_units(shares, size)
    assert out["units"].tolist() == pytest.approx([2.1e6, 1.4e6, 3.5e6])  # 0.3, 0.2, 0.5 x 7M
    assert (out["qualifier"] == "over").all()
    # each figure cites the size row it used
    assert out["note"].str.contains("news report on Xiaomi's plans for Taiwan").all()
    assert out["source"].iloc[-1].startswith("1 minus the listed shares; market size: news")


def test_quarterly_worldwide_shares_match_an_independent_pandas_computation():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DoubleCountWarning)  # no total: nothing to flag
        out = market_share(ww)
    expected = ww.assign(share=ww["units"] / ww.groupby("end")["units"].transform("sum"))
    merged = out.merge(expected[["end", "brand", "share"]], on=["end", "brand"])
    assert len(merged) == len(ww) == len(out)
    np.testing.assert_allclose(merged["share_x"], merged["share_y"], rtol=1e-12)


def test_double_counts_are_found_by_arithmetic_against_idc_totals():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DoubleCountWarning)
        out = market_share(ww)  # no totals: nothing can be said, notes are no verdict
    assert not out["double_count"].any()
    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    totals = datasets.load("country_market_size")
    with pytest.raises(DataError, match=r"WW 2020: listed 1,403,500,000 > market 1,292,200,000"):
        market_share(annual, market_size=totals)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = market_share(annual, market_size=totals, overcount="warn")
    assert any(issubclass(c.category, DoubleCountWarning) for c in caught)
    y2020 = out[out["start"].dt.year == 2020]
    assert y2020["double_count"].all()
    assert y2020["market_units"].iloc[0] == pytest.approx(1_403.5e6)  # the listed sum
    flagged = sorted(set(out.loc[out["double_count"], "start"].dt.year))
    # listed against IDC: 2013 1,019.5M > 1,004.2M; 2015 1,437.2M > 1,432.9M (OPPO and
    # vivo listed beside a top-5 Others); 2020 1,403.5M > 1,292.2M (SOURCES.md)
    assert flagged == [2013, 2015, 2020]
    y2019 = out[out["start"].dt.year == 2019]
    # listed 295.7 + 240.6 + 191.0 + 125.6 + 114.3 + Others 403.6 = 1,370.8M < IDC 1,372.6M:
    # a complete listing 1.8M short of the Total is reported, the 1.8M go to Others
    assert any("WW 2019" in str(c.message) and "1,372,600,000" in str(c.message) for c in caught)
    assert not y2019["double_count"].any()
    assert y2019["market_units"].iloc[0] == pytest.approx(1_372.6e6)
    assert y2019["share"].sum() == pytest.approx(1.0)


def test_share_change_in_percentage_points_absent_brands_are_nan():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    out = share_change(ww, from_="2023Q4", to="2024Q1").set_index("brand")
    # Apple 2023Q4 80.5M of 326.0M, 2024Q1 50.1M of 289.4M
    apple = 100 * (50.1e6 / 289.4e6 - 80.5e6 / 326.0e6)
    assert out.loc["Apple", "share_pp"] == pytest.approx(apple)
    assert np.isnan(out.loc["vivo", "share_to"])  # not listed in 2024Q1
    assert np.isnan(out.loc["vivo", "share_pp"])
    with pytest.raises(ValueError, match="2031Q1 is not a window"):
        share_change(ww, from_="2031Q1", to="2024Q1")


def test_share_change_refuses_sales_against_shipments():
    tw = datasets.load("taiwan_vendor_share")
    with pytest.raises(DataError, match="different metrics"):
        share_change(tw, from_="2016", to="2016-07")


@settings(max_examples=40, deadline=None)
@given(
    units=st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=12),
    extra=st.floats(0, 1e9, allow_nan=False),
)
def test_property_shares_in_a_window_sum_to_one_with_others(units, extra):
    if sum(units) == 0:
        units = units + [1.0]
    brands = [f"B{i}" for i in range(len(units))]
    f = figures(brands + [None], units + [sum(units) + extra])
    out = market_share(f)
    assert out["share"].sum() == pytest.approx(1.0)
    assert (out["share"] >= 0).all()
    assert out["brand"].isin(brands + ["Others"]).all()


def test_quarterly_double_counts_show_against_idc_totals_from_the_note():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    # the note gives IDC's totals: 2013Q1 216.2M, 2013Q3 261.7M
    totals = pd.DataFrame(
        {
            "brand": pd.array([None, None], dtype="string"),
            "market": "WW",
            "start": pd.to_datetime(["2013-01-01", "2013-07-01"]),
            "end": pd.to_datetime(["2013-03-31", "2013-09-30"]),
            "units": [216.2e6, 261.7e6],
            "metric": "shipments",
            "source": "IDC totals (note)",
        }
    )
    # listed 2013Q1: 69.7 + 37.4 + 10.3 + 9.3 + 9.1 + 7.9 + 6.1 + 72.8 = 222.6M > 216.2M
    with pytest.raises(DataError, match=r"WW 2013Q1: listed 222,600,000 > market 216,200,000"):
        market_share(ww, market_size=totals)
    with pytest.warns(DoubleCountWarning, match=r"2013Q1.*2013Q3: listed 276,600,000"):
        out = market_share(ww, market_size=totals, overcount="warn")
    flagged = sorted({str(p) for p in out.loc[out["double_count"], "start"].dt.to_period("Q")})
    assert flagged == ["2013Q1", "2013Q3"]  # the two windows IDC's totals can check


def test_a_window_of_zeros_has_no_shares():
    with pytest.raises(DataError, match="add up to zero.*rows 1, 2"):
        market_share(figures(["A", "B"], [0, 0]))


def test_start_after_end_is_refused():
    f = figures(["A"], [1], window=(pd.Timestamp("2013-01-01"), pd.Timestamp("2012-12-31")))
    with pytest.raises(DataError, match="start is after end"):
        market_share(f)


def test_share_change_ignores_other_windows_that_end_on_the_same_day():
    # review: rows were picked by end date only, so the year 2013 (ending 2013-12-31 like
    # 2013Q4) was kept and refused as overlapping, though neither window asked is the year
    q3 = (pd.Timestamp("2013-07-01"), pd.Timestamp("2013-09-30"))
    q4 = (pd.Timestamp("2013-10-01"), pd.Timestamp("2013-12-31"))
    year = (pd.Timestamp("2013-01-01"), pd.Timestamp("2013-12-31"))
    f = pd.concat(
        [
            figures(["A", "B"], [3, 1], window=q3),
            figures(["A", "B"], [4, 1], window=q4),
            figures(["A", "B"], [20, 5], window=year),
        ],
        ignore_index=True,
    )
    out = share_change(f, from_="2013Q3", to="2013Q4").set_index("brand")
    # A: 3/4 = 0.75 -> 4/5 = 0.80, +5.0 pp; B: 1/4 = 0.25 -> 1/5 = 0.20, -5.0 pp
    assert out.loc["A", "share_pp"] == pytest.approx(5.0)
    assert out.loc["B", "share_pp"] == pytest.approx(-5.0)


def test_shares_to_units_accepts_text_dates_like_market_share():
    # review: dates given as text passed market_share but crashed shares_to_units with
    # pandas' "merge on datetime64[ns] and str columns"
    shares = figures(["A", "B"], [0.5, 0.3], column="share").assign(
        start="2012-01-01", end="2012-12-31"
    )
    out = shares_to_units(shares, 1_000)
    # 0.5 x 1,000 = 500, 0.3 x 1,000 = 300, Others (1 - 0.8) x 1,000 = 200
    assert out.set_index("brand")["units"].to_dict() == pytest.approx(
        {"A": 500.0, "B": 300.0, "Others": 200.0}
    )
    assert (out["basis"] == "period").all()  # the share rows' columns are carried


def test_a_loaded_result_is_refused_saying_to_pass_its_figures():
    # read(..., errors="collect") returns Loaded(figures, rejected): say what to pass
    loaded = read(
        io.StringIO("brand,period,units\nHTC,2012,5\n"), market="TW", source="t", errors="collect"
    )
    with pytest.raises(TypeError, match=r"got Loaded; pass its \.figures"):
        market_share(loaded)
