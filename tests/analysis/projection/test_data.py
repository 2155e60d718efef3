"""Degenerate inputs raise DataError naming the problem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, fit_many
from marketdata import DataError

from .conftest import milestones, quarterly


def test_one_point():
    with pytest.raises(DataError, match="only one figure of X in CN") as err:
        fit(milestones("X", ["2012-06-12"], [3e6]))
    assert err.value.row == 1 and err.value.column == "units"


def test_all_zeros():
    with pytest.raises(DataError, match="all figures of X in WW are zero"):
        fit(quarterly("X", [0, 0, 0, 0]))


def test_decreasing_cumulative_figures_name_the_row():
    f = milestones("X", ["2012-01-31", "2012-03-31", "2012-06-30"], [1e6, 2e6, 1.5e6])
    with pytest.raises(DataError, match="decrease over time") as err:
        fit(f)
    assert err.value.row == 3 and err.value.value == 1.5e6


def test_dates_out_of_order_start_after_end():
    f = quarterly("X", [1, 2, 3])
    f.loc[1, "start"] = pd.Timestamp("2010-09-30")  # after its end 2010-06-30
    with pytest.raises(DataError, match="start is after end"):
        fit(f)


def test_row_order_does_not_matter():
    f = quarterly("X", [100, 200, 300, 400])
    a = fit(f, "runrate")
    b = fit(f.iloc[::-1].reset_index(drop=True), "runrate")
    assert a.params == b.params


def test_duplicates():
    f = quarterly("X", [1, 2, 3])
    f = pd.concat([f, f.iloc[[1]]], ignore_index=True)
    with pytest.raises(DataError, match="duplicate figures of X in WW") as err:
        fit(f)
    assert err.value.row in (2, 4)


def test_overlapping_periods():
    f = quarterly("X", [1, 2, 3])
    half = f.iloc[[0]].assign(end=pd.Timestamp("2010-06-30"), units=3.0)
    with pytest.raises(DataError, match="overlap"):
        fit(pd.concat([f, half], ignore_index=True), "runrate")


def test_unclear_basis_of_an_actual():
    f = milestones("X", ["2012-01-31", "2012-03-31"], [1e6, 2e6]).assign(
        basis=["cumulative", "unclear"]
    )
    with pytest.raises(DataError, match="basis of an actual figure of X in CN is 'unclear'"):
        fit(f)


def test_shares_are_refused():
    f = quarterly("X", [1, 2]).drop(columns="units").assign(share=[0.1, 0.2])
    with pytest.raises(DataError, match="these figures are shares, and units are needed"):
        fit(f)


def test_unknown_brand():
    with pytest.raises(DataError, match="no figures for brand='Y'"):
        fit(quarterly("X", [1, 2, 3]), brand="Y")


def test_input_frame_is_not_modified():
    f = quarterly("X", [100, 200, 300, 400])
    before = f.copy()
    fit(f, "runrate")
    pd.testing.assert_frame_equal(f, before)


def test_several_brands_need_a_brand_or_fit_many_and_skip_residuals():
    f = pd.concat(
        [
            quarterly("A", [1, 2, 3, 4]),
            quarterly("B", [4, 3, 3, 3]),
            quarterly("Others", [9, 9, 9, 9]),
        ]
    )
    # fit returns one Projection only: several series are refused with the way out
    with pytest.raises(ValueError, match="fit_many"):
        fit(f, "runrate")
    out = fit_many(f, model="runrate")
    assert sorted(out) == [("A", "WW"), ("B", "WW")]
    # B's last quarter pace: 3 units over 92 days (2010Q4)
    assert out[("B", "WW")].params["rate"] == pytest.approx(3 / (92 / 365.25))
    assert fit(f, "runrate", brand="B").params == out[("B", "WW")].params


def test_autos_holdout_names_the_quarter_end_it_was_fitted_to():
    # 13 quarters from 2015Q1: the holdout's five origins start at 2016Q4, whose end is
    # 2016-12-31; the reason said 2016-12-30
    units = 1e6 * (1 + 0.03 * np.arange(13)) * np.tile([0.9, 1.0, 1.0, 1.2], 4)[:13]
    p = fit(quarterly("Acme", units, start="2015Q1"), "auto")
    assert "figures up to 2016-12-31" in p.reason


def test_an_end_of_day_instant_reads_back_as_its_day():
    # 13 quarters from 2015Q1: every quarter end read back through the float instants
    # (2016-12-31 came back as 2016-12-30: -455.00000000000006 days floored)
    from analysis.projection.data import prepare, select

    units = [1e6 + 1e4 * k for k in range(13)]
    frame, _ = select(quarterly("Acme", units, start="2015Q1"), None, None)
    series = prepare(frame, "Acme", "WW")
    ends = pd.period_range("2015Q1", periods=13, freq="Q").end_time.normalize()
    got = [series.date(t) for t in series.flow_end]
    assert got == list(ends)
