"""The known-2012 files load by name with every figure's provenance."""

from importlib import resources

import pandas as pd
import pytest

from marketdata import datasets
from marketdata.datasets import known_2012


@pytest.mark.parametrize("name", known_2012.NAMES)
def test_every_known_file_loads_with_its_provenance(name):
    frame = datasets.load(name)
    raw = pd.read_csv(resources.files("marketdata.datasets").joinpath("known_2012", f"{name}.csv"))
    assert len(frame) == len(raw)  # rows in = rows loaded
    for column in ("source", "source_url", "evidence", "confidence", "quantity", "measure"):
        assert column in frame.columns
    assert frame["source"].notna().all() and frame["evidence"].notna().all()
    # exactly one value column per row, equal to the file's value
    values = frame[["units", "share", "exposure"]]
    assert (values.notna().sum(axis=1) == 1).all()
    assert values.sum(axis=1).tolist() == pytest.approx(raw["value"].tolist())
    assert (frame["start"] <= frame["end"]).all()


def test_htc_and_taiwan_figures_as_published():
    dep = datasets.load("htc_us_dependence_to_2012h1")
    canalys = dep[(dep["quantity"] == "shipment_share") & (dep["brand"] == "HTC")]
    assert canalys["share"].tolist() == [0.229]  # HTC led the US with 22.9% (Canalys)
    assert canalys["metric"].tolist() == ["shipments"]
    rim = dep[dep["name_as_reported"] == "RIM"]
    assert rim["brand"].unique().tolist() == ["BlackBerry"]
    top5 = dep[dep["name_as_reported"] == "Top 5 combined"]
    assert top5["brand"].isna().all()  # a share of the market, not a brand
    tw = datasets.load("taiwan_vendor_share_2012")
    q2 = tw[tw["end"] == "2012-06-30"].set_index("brand")["share"]
    assert q2.to_dict() == {"Apple": 0.107, "HTC": 0.281, "Samsung": 0.358}
    assert (tw["metric"] == "sales").all()  # retail sales volume
    size = datasets.load("taiwan_market_size_to_2012")
    y2012 = size[(size["end"] == "2012-12-31") & size["units"].notna()]
    assert y2012["units"].tolist() == [5.65e6] and y2012["metric"].tolist() == ["sales"]
    comscore = datasets.load("us_vendor_share_comscore_to_2012h1")
    first = comscore.iloc[0]  # 3 months ending August 2011
    assert (first["start"], first["end"]) == (
        pd.Timestamp("2011-06-01"),
        pd.Timestamp("2011-08-31"),
    )
    assert (comscore["metric"] == "installed_base").all()


def test_unknown_names_list_the_known_files():
    with pytest.raises(ValueError, match="htc_us_dependence_to_2012h1"):
        datasets.load("htc_us")
