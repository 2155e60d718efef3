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
