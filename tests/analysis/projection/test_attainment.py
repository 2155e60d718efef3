"""target_attainment: readings of a target whose window starts after the last actual."""

from __future__ import annotations

import pytest

from analysis import fit, target_attainment

from .conftest import milestones


def test_period_window_after_the_last_actual_starts_from_zero():
    # review: for "2013 alone" with actuals ending 2012-06-12, "achieved" was
    # C(2012-06-12) - C(2012-12-31) < 0 and the needed rate counted from 2012-06-12.
    # Nothing of 2013 is achieved at the last actual: achieved = 0, and the 5M must come
    # within the window, 2013-01-01 to 2013-12-31 = 365 days = 365 / 365.25 years:
    # required rate = 5e6 / (365 / 365.25) = 5,003,424.66 units/year.
    p = fit(milestones("X", ["2011-12-31", "2012-06-12"], [3e5, 3e6]), "runrate")
    row = target_attainment(p, 5e6, "2013-12-31", basis="period").frame().iloc[0]
    assert row["achieved"] == 0.0
    assert row["required_rate"] == pytest.approx(5e6 / (365 / 365.25))
    # current run-rate: (3M - 0.3M) / (164 days / 365.25) = 6,013,262.2 units/year
    assert row["current_rate"] == pytest.approx(2.7e6 / (164 / 365.25))
    assert row["rate_ratio"] == pytest.approx((5e6 / (365 / 365.25)) / (2.7e6 / (164 / 365.25)))
