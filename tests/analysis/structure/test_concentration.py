import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import concentration
from analysis.structure.concentration import band
from marketdata import DoubleCountWarning, datasets
from tests.factories import figures


def test_hhi_30_30_20_20_is_2600():
    out = concentration(figures(["A", "B", "C", "D"], [30, 30, 20, 20])).iloc[0]
    # 30^2 + 30^2 + 20^2 + 20^2 = 900 + 900 + 400 + 400 = 2,600
    assert out["hhi"] == pytest.approx(2600)
    assert out["hhi_lower"] == out["hhi_upper"] == pytest.approx(2600)
    assert out["cr4"] == pytest.approx(1.0)
    assert out["equivalent_firms"] == pytest.approx(10_000 / 2600)  # 3.846
    assert out["band"] == "highly concentrated"
    assert out["brands"] == 4


def test_cr_n_is_configurable():
    out = concentration(figures(["A", "B", "C", "D"], [40, 30, 20, 10]), n=2).iloc[0]
    assert out["cr2"] == pytest.approx(0.7)  # 0.4 + 0.3
    assert "cr4" not in out.index


def test_bands_follow_the_2023_guidelines():
    assert band([0, 999.99]).tolist() == ["unconcentrated"] * 2
    assert band([1000, 1799.99]).tolist() == ["moderately concentrated"] * 2
    assert band([1800, 10_000]).tolist() == ["highly concentrated"] * 2
    # ten equal firms: 10 x 10^2 = 1,000 -> moderately concentrated
    out = concentration(figures([f"B{i}" for i in range(10)], [1] * 10)).iloc[0]
    assert out["hhi"] == pytest.approx(1000)
    assert out["band"] == "moderately concentrated"


def test_taiwan_2013_gives_bounds_not_one_number():
    tw = datasets.load("taiwan_vendor_share")
    out = concentration(tw[tw["end"] == "2013-12-31"]).iloc[0]
    # listed: 28^2 + 21^2 + 16^2 + 13^2 + 3^2 = 784 + 441 + 256 + 169 + 9 = 1,659
    # Others 19% as one firm adds 19^2 = 361 -> 2,020
    assert np.isnan(out["hhi"])
    assert out["hhi_lower"] == pytest.approx(1659)
    assert out["hhi_upper"] == pytest.approx(2020)
    assert out["residual_share"] == pytest.approx(0.19)
    assert out["cr4"] == pytest.approx(0.78)  # 0.28 + 0.21 + 0.16 + 0.13
    assert out["band"] == "moderately concentrated to highly concentrated"
    assert out["equivalent_firms_min"] == pytest.approx(10_000 / 2020)
    assert out["equivalent_firms_max"] == pytest.approx(10_000 / 1659)


def test_cr_n_unknown_when_fewer_brands_listed_and_a_residual():
    out = concentration(figures(["A", "Others"], [40, 60])).iloc[0]
    assert np.isnan(out["cr4"])  # the 60% residual may hold the 2nd to 4th firms


def test_worldwide_quarterly_matches_an_independent_pandas_computation():
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DoubleCountWarning)  # no total: nothing to flag
        out = concentration(ww).set_index("end")
    share = ww["units"] / ww.groupby("end")["units"].transform("sum")
    named = ww.assign(share=share)[ww["brand"] != "Others"]
    others = ww.assign(share=share)[ww["brand"] == "Others"].set_index("end")["share"]
    lower = named.groupby("end")["share"].apply(lambda x: 10_000 * (x**2).sum())
    cr4 = named.groupby("end")["share"].apply(lambda x: x.nlargest(4).sum())
    np.testing.assert_allclose(out["hhi_lower"], lower.loc[out.index], rtol=1e-12)
    np.testing.assert_allclose(
        out["hhi_upper"], (lower + 10_000 * others**2).loc[out.index], rtol=1e-12
    )
    np.testing.assert_allclose(out["cr4"], cr4.loc[out.index], rtol=1e-12)
    assert out["hhi"].isna().all()  # every quarter has an Others row


def test_bad_n():
    with pytest.raises(ValueError, match="n must be >= 1"):
        concentration(figures(["A"], [1]), n=0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.001, 1e6, allow_nan=False), min_size=1, max_size=20))
def test_property_hhi_between_10000_over_n_and_10000(units):
    out = concentration(figures([f"B{i}" for i in range(len(units))], units)).iloc[0]
    n = len(units)
    assert 10_000 / n * (1 - 1e-9) <= out["hhi"] <= 10_000 * (1 + 1e-9)
    shares = np.array(units) / np.sum(units)
    assert out["hhi"] == pytest.approx(10_000 * np.sum(shares**2))
    assert out["cr4"] == pytest.approx(np.sort(shares)[::-1][:4].sum())


def test_empty_market_size_windows_are_not_reported():
    f = pd.concat([figures(["A"], [1]), figures(["B"], [1], market="US")], ignore_index=True)
    out = concentration(f)
    assert out["market"].tolist() == ["TW", "US"]
    assert out["hhi"].tolist() == [10_000.0, 10_000.0]
