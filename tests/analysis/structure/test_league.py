"""The league table against IDC's press-release figures, computed by hand with pandas."""

import inspect

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis import league_table
from analysis._summary import Summary
from marketdata import DataError, datasets
from tests.factories import figures


@pytest.fixture(scope="module")
def quarterly():
    return datasets.load("worldwide_quarterly_shipments_by_vendor")


def _by_hand(ww: pd.DataFrame, now: str, then: str, top: int) -> pd.DataFrame:
    """The press-release table with plain pandas: top brands of `now`, Others, Total."""
    a = ww[ww["start"] == now].set_index("brand")["units"]
    b = ww[ww["start"] == then].set_index("brand")["units"]
    leaders = a.drop("Others").sort_values(ascending=False).head(top).index
    rows = pd.DataFrame({"units": a[leaders], "units_compare": b.reindex(leaders)})
    rows.loc["Others"] = [a.sum() - a[leaders].sum(), b.sum() - b.reindex(leaders).sum()]
    rows.loc["Total"] = [a.sum(), b.sum()]
    rows["share"] = rows["units"] / a.sum()
    rows["share_compare"] = rows["units_compare"] / b.sum()
    rows["growth"] = rows["units"] / rows["units_compare"] - 1
    rows["share_pp"] = 100 * (rows["share"] - rows["share_compare"])
    return rows


def test_2013q4_against_2012q4_equals_the_hand_computation(quarterly):
    result = league_table(quarterly, "2013Q4", compare="year", top=5)
    out = result.frame().set_index("brand")
    expected = _by_hand(quarterly, "2013-10-01", "2012-10-01", 5)
    assert out.index.tolist() == ["Samsung", "Apple", "Huawei", "Lenovo", "LG", "Others", "Total"]
    for column in ("units", "units_compare", "share", "share_compare", "growth", "share_pp"):
        np.testing.assert_allclose(out[column], expected.loc[out.index, column], rtol=1e-12)
    # IDC 2013Q4: Samsung 84.4M against 63.7M, +32.5%; Apple 51.0M against 47.8M, +6.7%
    assert out.loc["Samsung", "growth"] == pytest.approx(84.4 / 63.7 - 1)
    assert out.loc["Apple", "growth"] == pytest.approx(51.0 / 47.8 - 1)
    assert out.loc["Total", "units"] == pytest.approx(292.7e6)
    assert out["rank"].tolist()[:5] == [1, 2, 3, 4, 5] and out["rank"].iloc[5:].isna().all()
    # Lenovo and LG were not listed in 2012Q4: NaN there, said in a note
    assert np.isnan(out.loc["Lenovo", "units_compare"]) and np.isnan(out.loc["LG", "growth"])
    assert "Lenovo, LG not listed in 2012Q4" in result.notes[0]


def test_previous_quarter_and_the_formatted_outputs(quarterly):
    result = league_table(quarterly, "2024Q1", compare="previous", top=3)
    out = result.frame().set_index("brand")
    expected = _by_hand(quarterly, "2024-01-01", "2023-10-01", 3)
    np.testing.assert_allclose(out["share_pp"], expected.loc[out.index, "share_pp"], rtol=1e-12)
    assert result.compare_label == "2023Q4"
    summary = result.summary()
    assert isinstance(summary, Summary)
    text = summary.as_text()
    # Samsung 60.1M of 289.4M = 20.8%; Apple 50.1M, -37.8% against 80.5M in 2023Q4
    assert "60.1M" in text and "-38%" in text and "Top 3 shipments in WW 2024Q1" in text
    # Samsung 20.8% against 16.3% (53.0M of 326.1M): +4.5 points, share_pp formatted as points
    assert "+4.5 pp" in text and "+450" not in text
    html = result.style().to_html()
    assert "60.1M" in html and "20.8%" in html and "+4.5 pp" in html
    assert "-37.8%" in html  # Apple's growth, signed: 50.1M / 80.5M - 1
    assert "e+07" not in html


def test_arguments_are_checked(quarterly):
    with pytest.raises(ValueError, match="compare must be one of"):
        league_table(quarterly, "2013Q4", compare="quarter")
    with pytest.raises(ValueError, match="top must be >= 1"):
        league_table(quarterly, "2013Q4", top=0)
    with pytest.raises(ValueError, match="not a window of the figures"):
        league_table(quarterly, "2009Q4")  # no 2008Q4 to compare with
    usage = figures(["A"], [0.5], column="share", metric="usage")
    year_ago = (pd.Timestamp("2011-01-01"), pd.Timestamp("2011-12-31"))
    ships = figures(["A"], [0.5], column="share", window=year_ago)
    with pytest.raises(DataError, match="different metrics"):
        league_table(pd.concat([usage, ships], ignore_index=True), "2012")


def test_public_functions_share_one_argument_vocabulary():
    # the figures frame first; everything after the first one or two arguments keyword-only
    for name, positional in {
        "market_share": 1,
        "rank_brands": 1,
        "concentration": 1,
        "exposure": 1,
        "share_change": 1,
        "shares_to_units": 2,
        "league_table": 2,
        "units_for_rank": 2,
        "entry_scenario": 2,
    }.items():
        params = list(inspect.signature(getattr(analysis, name)).parameters.values())
        assert params[0].name == "figures", name
        kinds = [p.kind for p in params[positional:]]
        assert all(k is inspect.Parameter.KEYWORD_ONLY for k in kinds), name


def test_share_data_taiwan_2012_retail_quarter_on_quarter():
    tw = datasets.load("taiwan_vendor_share_2012")  # rows of shares, the units column empty
    quarters = tw[tw["start"] != "2012-06-01"]  # 2012Q1 and 2012Q2, not the month of June
    out = league_table(quarters, "2012Q2", compare="previous", top=3).frame().set_index("brand")
    # Taipei Times (CNA): Samsung 28.4% -> 35.8% (+7.4 points), Apple 24.3% -> 10.7%
    assert out.loc["Samsung", "share_pp"] == pytest.approx(35.8 - 28.4)
    assert out.loc["Apple", "share_pp"] == pytest.approx(10.7 - 24.3)
    assert np.isnan(out.loc["HTC", "share_compare"])  # HTC's 2012Q1 share not given
    # Others: 1 - 0.358 - 0.281 - 0.107 = 0.254 now; 1 - 0.284 - 0.243 = 0.473 before
    assert out.loc["Others", "share"] == pytest.approx(0.254)
    assert out.loc["Others", "share_compare"] == pytest.approx(0.473)
    assert out["units"].isna().all()  # shares without a market size have no units


def test_league_plot_draws_the_house_chart(quarterly):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    result = league_table(quarterly, "2013Q4")
    ax = result.plot()
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "league-label"]
    # one bar per top-five brand and Others; Samsung first: 84.4M, 28.8% of 292.7M
    assert len(labels) == 6 and labels[0].startswith("84.4M · 29%")
    plt.close(ax.figure)
