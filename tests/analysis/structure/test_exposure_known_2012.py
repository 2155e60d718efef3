"""HTC's dependence on the US from what was public by mid-2012 (issue 13)."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import exposure  # noqa: E402
from analysis._summary import Summary  # noqa: E402
from marketdata import DataError, datasets  # noqa: E402


def _htc() -> pd.DataFrame:
    dep = datasets.load("htc_us_dependence_to_2012h1")
    ww = datasets.load("htc_worldwide_shipments_to_2012h1")
    # Canalys: 5.77M HTC smartphones in the US in 2011Q3 (own brand + T-Mobile-branded);
    # HTC's own worldwide total for the quarter: 13.2M
    us_units = dep[(dep["quantity"] == "shipments") & (dep["units"] == 5.77e6)]
    total = ww[(ww["quantity"] == "shipments") & (ww["end"] == "2011-09-30")]
    given = dep[dep["quantity"].str.endswith("_share_of_company")]
    return pd.concat([us_units, total, given], ignore_index=True)


def test_htc_us_dependence_against_the_published_figures():
    result = exposure(_htc(), brand="HTC")
    us = result.estimates("US").set_index(["window", "how", "metric"])["exposure"]
    # computed from units: 5.77M / 13.2M = 0.4371
    assert us.loc[("2011Q3", "units", "shipments")] == pytest.approx(5.77 / 13.2)
    # as the sources gave them: Canalys ~43% (2011Q3), analysts ~40% of 2011 shipments
    # and ~50% of 2011 revenue
    assert us.loc[("2011Q3", "given", "shipments")] == 0.43
    assert us.loc[("2011", "given", "shipments")] == 0.40
    assert us.loc[("2011", "given", "revenue")] == 0.50
    assert len(us) == 4
    # the unit estimate cites both of its sources
    frame = result.frame()
    row = frame[(frame["how"] == "units") & (frame["market"] == "US")].iloc[0]
    assert row["source"].startswith("Canalys") and "brand total: HTC (company)" in row["source"]
    assert row["brand_units"] == 13.2e6
    # 56.3% of HTC's 2011Q3 volume is in markets no figure names
    dep = result.dependence().set_index(["how", "metric", "end"])
    unlisted = dep.loc[("units", "shipments", pd.Timestamp("2011-09-30")), "unlisted_exposure"]
    assert unlisted == pytest.approx(1 - 5.77 / 13.2)


def test_htc_summary_states_the_range_sources_and_what_the_data_cannot_say():
    summary = exposure(_htc(), brand="HTC").summary()
    assert isinstance(summary, Summary)
    facts = summary.facts_dict()
    # lowest 40% (analysts, 2011 shipments), highest 50% (analysts, 2011 revenue)
    assert facts["HTC on US"] == "40%–50% (4 estimate(s); revenue: 50%, shipments: 40%–43.7%)"
    assert facts["HTC on CN"] == "10% (1 estimate(s))"  # under 10% in 2009 (HTC)
    assert "43.7%" in summary.as_text()  # 5.77M / 13.2M, to the decimal the figures give
    text = summary.as_text()
    assert "HTC published no split of its volume by market" in text
    assert "never averaged" in text  # revenue and shipments side by side
    assert "Canalys" in text and "unnamed analysts" in text  # the sources are named
    # China 2009 comes from HTC itself ("HTC (as reported)"): no such caveat for CN
    assert "dependence on CN is a third party's" not in text
    assert "marketshare-summary" in exposure(_htc(), brand="HTC")._repr_html_()


def test_a_duplicate_in_the_whole_file_names_the_rows_of_the_file():
    dep = datasets.load("htc_us_dependence_to_2012h1")
    # rows 23 and 24 of the file: 5.77M (with T-Mobile-branded units) and 5.7M (own brand)
    with pytest.raises(DataError, match=r"^row 23, .* rows 23, 24"):
        exposure(dep, brand="HTC")


def test_exposure_plot_draws_the_house_heat_map():
    figures = _htc()
    units_only = figures[figures["units"].notna()]
    ax = exposure(units_only).plot()
    assert ax.images[0].get_array().shape == (1, 1)  # HTC x US
