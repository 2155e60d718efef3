"""The README's market-structure section runs as written and gives the numbers it states."""

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis import concentration, exposure, market_share
from marketdata import DoubleCountWarning, datasets

README = Path(__file__).resolve().parents[3] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Market structure", 1)[1].split("\n## ", 1)[0]


def test_market_structure_example_runs_and_gives_its_numbers():
    code = re.search(r"```python\n(.*?)```", _section(), re.S).group(1)
    ns: dict = {}
    exec(compile(code, str(README), "exec"), ns)  # our own README, not user input
    units = ns["tw2013"].set_index("brand")["units"]
    assert units.round().to_dict() == {
        "Samsung": 1_960_000, "HTC": 1_470_000, "Sony": 1_120_000, "Apple": 910_000,
        "LG": 210_000, "Others": 1_330_000,
    }  # fmt: skip
    hhi = ns["hhi"].iloc[0]
    assert round(hhi["hhi_lower"]) == 1_659 and round(hhi["hhi_upper"]) == 2_020
    assert ns["need"]["units_market_grows"].iloc[0] == pytest.approx(210_000)
    assert len(ns["hhi_by_month"]) == 170
    samsung = ns["league"].frame().set_index("brand").loc["Samsung"]
    assert samsung["units"] == 84.4e6 and round(100 * samsung["growth"], 1) == 32.5


def test_the_double_counts_and_the_htc_range_the_section_states():
    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    totals = datasets.load("country_market_size")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = market_share(annual, market_size=totals, overcount="warn")
    assert sorted(set(out.loc[out["double_count"], "start"].dt.year)) == [2013, 2015, 2020]
    with pytest.warns(DoubleCountWarning):
        concentration(annual, market_size=totals, overcount="warn")
    dep = datasets.load("htc_us_dependence_to_2012h1")
    ww = datasets.load("htc_worldwide_shipments_to_2012h1")
    rows = [
        dep[(dep["quantity"] == "shipments") & (dep["units"] == 5.77e6)],
        ww[(ww["quantity"] == "shipments") & (ww["end"] == "2011-09-30")],
        dep[dep["quantity"].str.endswith("_share_of_company")],
    ]
    facts = exposure(pd.concat(rows, ignore_index=True), brand="HTC").summary().facts_dict()
    assert facts["HTC on US"].startswith("40%–50%")
    assert "StatCounter" in _section() and "99.93–100.04%" in _section()
    usage = datasets.load("statcounter_vendor_ww_monthly")
    sums = usage.groupby("end")["share"].sum()
    assert (round(100 * sums.min(), 2), round(100 * sums.max(), 2)) == (99.93, 100.04)
    assert usage["brand"].nunique() == 70 and len(concentration(usage)) == len(sums) == 170
