"""Every packaged dataset loads, validates, and its totals match the source files."""

import pandas as pd
import pytest

from marketdata import datasets, validate


@pytest.mark.parametrize("name", datasets.names())
def test_every_dataset_loads_validates_and_has_sources(name):
    frame = datasets.load(name)
    assert len(frame) > 0
    validate(frame)  # raises on a bad frame
    assert frame["source"].notna().all()


def test_row_counts_match_the_files():
    # data rows per file, counted with `wc -l` minus the header line
    expected = {
        "xiaomi_2011_2012": 4,
        "worldwide_quarterly_shipments_by_vendor": 383,
        "worldwide_annual_shipments_by_vendor": 109,
        "taiwan_vendor_share": 99,
        "country_market_size": 38,
    }
    assert {n: len(datasets.load(n)) for n in datasets.names()} == expected


def test_worldwide_quarter_total_matches_source():
    # 2009Q4 rows of the source file: 20.8 + 10.7 + 8.7 + 2.4 + 1.8 + 9.5 = 53.9 million
    q = datasets.load("worldwide_quarterly_shipments_by_vendor")
    rows = q[q["start"] == pd.Timestamp("2009-10-01")]
    assert rows["units"].sum() == 53_900_000
    assert (rows["end"] == pd.Timestamp("2009-12-31")).all()


def test_taiwan_2013_shares_are_idc_figures():
    tw = datasets.load("taiwan_vendor_share")
    y2013 = tw[tw["start"].dt.year.eq(2013)].set_index("brand")["share"]
    assert y2013.to_dict() == {"Samsung": 0.28, "HTC": 0.21, "Sony": 0.16, "Apple": 0.13, "LG": 0.03}


def test_xiaomi_figures_keep_their_sentences():
    x = datasets.load("xiaomi_2011_2012")
    assert x["text"].notna().all()
    assert x.loc[1, "units"] == 3_000_000 and x.loc[1, "qualifier"] == "over"


def test_load_returns_a_copy():
    a = datasets.load("xiaomi_2011_2012")
    a.loc[0, "units"] = -1
    assert datasets.load("xiaomi_2011_2012").loc[0, "units"] == 300_000


def test_unknown_dataset_is_refused_with_the_names():
    with pytest.raises(ValueError, match="choose one of"):
        datasets.load("nope")
