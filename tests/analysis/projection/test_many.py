"""fit_many: every brand x market in one call, the same projections as fit, one frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, fit_many
from marketdata import DataError

from .conftest import quarterly

A = [10.0, 11, 12, 20] * 3
B = [5.0, 6, 7, 9] * 3


def test_each_projection_is_fits_and_the_frame_stacks_them():
    f = pd.concat([quarterly("A", A), quarterly("B", B), quarterly("C", [1.0])])
    many = fit_many(f, model="snaive", errors="skip")
    assert sorted(many) == [("A", "WW"), ("B", "WW")]
    assert ("C", "WW") in many.skipped and "only one figure" in many.skipped[("C", "WW")]
    ends = pd.date_range("2013-03-31", periods=4, freq="QE")
    for brand in ("A", "B"):
        one = fit(f, "snaive", brand=brand)
        np.testing.assert_array_equal(
            many[(brand, "WW")].predict(ends, basis="period"), one.predict(ends, basis="period")
        )
    fr = many.frame(ends, basis="period")
    fc = fr[fr["status"] == "forecast"]
    # seasonal naive: 2013's quarters are 2012's
    np.testing.assert_array_equal(fc[fc["brand"] == "A"]["units"], A[-4:])
    np.testing.assert_array_equal(fc[fc["brand"] == "B"]["units"], B[-4:])
    assert set(fr["model"]) == {"snaive"} and len(fr) == 2 * (12 + 4)
    assert "2 series" in repr(many) and "1 skipped" in repr(many)


def test_errors_raise_by_default():
    f = pd.concat([quarterly("A", A), quarterly("C", [1.0])])
    with pytest.raises(DataError, match="only one figure"):
        fit_many(f, model="snaive")
    with pytest.raises(ValueError, match="errors"):
        fit_many(f, model="snaive", errors="ignore")


def test_summary_counts_models_and_lists_skipped():
    f = pd.concat([quarterly("A", A), quarterly("B", B), quarterly("C", [1.0])])
    text = str(fit_many(f, model="snaive", errors="skip").summary())
    assert "Projections of 2 series" in text
    assert "snaive       2" in text  # the models table: model, number of series
    assert "C in WW" in text and "only one figure" in text


def _years(brand, units, market="TW"):
    ends = pd.to_datetime([f"{2021 + i}-12-31" for i in range(len(units))])
    return pd.DataFrame(
        {
            "brand": pd.array([brand] * len(units), dtype="string"),
            "market": market,
            "start": ends - pd.offsets.YearBegin(1),
            "end": ends,
            "units": units,
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "synthetic (illustrative)",
        }
    )


def test_a_market_size_row_caps_each_brand_as_fit_does():
    # a 7M market in 2023 (a row without a brand): fit bounds Newco's exponential by it;
    # fit_many fitted each series on its own rows only and projected 16M and 40M a year
    f = pd.concat(
        [
            _years("Newco", [1e6, 3e6, 6e6]),
            _years(None, [7e6]).assign(
                end=pd.Timestamp("2023-12-31"), start=pd.Timestamp("2023-01-01")
            ),
        ],
        ignore_index=True,
    )
    d = ["2024-12-31", "2025-12-31"]
    one = fit(f, "exponential", brand="Newco", market="TW")
    many = fit_many(f, model="exponential", errors="skip")[("Newco", "TW")]
    assert one.predict(d, basis="period").tolist() == pytest.approx([7e6, 7e6])  # the cap
    assert many.predict(d, basis="period").tolist() == one.predict(d, basis="period").tolist()
    assert many.warnings == one.warnings
    # and cap= is passed on as fit takes it: 5M a year
    capped = fit_many(f, model="exponential", errors="skip", cap=5e6)[("Newco", "TW")]
    assert capped.predict(d, basis="period").tolist() == pytest.approx([5e6, 5e6])
