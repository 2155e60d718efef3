import numpy as np
import pandas as pd
import pytest

from analysis import exposure
from marketdata import DataError
from tests.factories import Q1, figures


def _htc():
    return pd.concat(
        [
            figures(["HTC"], [40], market="US"),
            figures(["HTC"], [35], market="TW"),
            figures(["HTC"], [25], market="GB"),
            figures(["Samsung"], [10], market="US"),
            figures(["Samsung"], [10], market="TW"),
            figures([None], [700], market="TW"),
            figures(["Others"], [700], market="GB"),
        ],
        ignore_index=True,
    )


def test_us_exposure_40_of_100_is_0_40():
    result = exposure(_htc())
    htc = result.frame().query("brand == 'HTC'").set_index("market")["exposure"]
    assert htc.to_dict() == pytest.approx({"US": 0.40, "TW": 0.35, "GB": 0.25})
    summary = result.dependence().set_index("brand")
    assert summary.loc["HTC", "largest_market"] == "US"
    assert summary.loc["HTC", "largest_exposure"] == pytest.approx(0.40)
    # 40^2 + 35^2 + 25^2 = 1600 + 1225 + 625 = 3,450
    assert summary.loc["HTC", "dependence_hhi"] == pytest.approx(3450)
    assert summary.loc["HTC", "units"] == 100
    # Samsung: 10 and 10 -> tie broken alphabetically (TW before US); 50^2 + 50^2 = 5,000
    assert summary.loc["Samsung", "largest_market"] == "TW"
    assert summary.loc["Samsung", "dependence_hhi"] == pytest.approx(5000)
    assert "Others" not in set(summary.index)  # residuals and market sizes are not brands
    assert "HTC" in repr(result)
    assert (result.frame()["source"] == "test").all()


def test_worldwide_beside_countries_is_the_brands_total():
    f = pd.concat(
        [figures(["HTC"], [40], market="US"), figures(["HTC"], [100], market="WW")],
        ignore_index=True,
    )
    result = exposure(f)
    # 40 of the brand's 100 worldwide: 0.40 in the US, 0.60 in markets not listed
    assert result.frame()[["market", "exposure"]].values.tolist() == [["US", 0.4]]
    dep = result.dependence().iloc[0]
    assert dep["unlisted_exposure"] == pytest.approx(0.6)
    assert np.isnan(dep["dependence_hhi"])  # the unlisted 60% may be one market or many
    # bounds: 40^2 = 1,600 (the 60% spread thin) to 1,600 + 60^2 = 5,200 (one market)
    assert (dep["dependence_hhi_lower"], dep["dependence_hhi_upper"]) == pytest.approx((1600, 5200))


def test_countries_above_the_worldwide_total_are_refused():
    f = pd.concat(
        [figures(["HTC"], [43], market="US"), figures(["HTC"], [30], market="WW")],
        ignore_index=True,
    )
    with pytest.raises(DataError, match="add up to 43, more than its worldwide total 30.*row 1"):
        exposure(f)


def test_mixed_windows_for_one_brand_are_refused():
    f = pd.concat(
        [figures(["HTC"], [40], market="US"), figures(["HTC"], [10], market="TW", window=Q1)],
        ignore_index=True,
    )
    with pytest.raises(DataError, match="overlapping windows"):
        exposure(f)


def test_shares_are_refused_with_a_hint():
    with pytest.raises(DataError, match="shares_to_units"):
        exposure(figures(["HTC"], [0.2], column="share"))
