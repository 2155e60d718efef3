import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marketdata import DataError, InterpolationWarning
from marketdata.convert import to_cumulative, to_periods

T = pd.Timestamp


def _flows(units, brand="Xiaomi", first="2012-01-01", freq="Q"):
    periods = pd.period_range(first, periods=len(units), freq=freq)
    return pd.DataFrame(
        {
            "brand": brand,
            "market": "CN",
            "start": periods.start_time.normalize(),
            "end": periods.end_time.normalize(),
            "units": [float(u) for u in units],
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "test",
        }
    )


def _milestones(ends, units, start=pd.NaT):
    return pd.DataFrame(
        {
            "brand": "Xiaomi",
            "market": "CN",
            "start": start,
            "end": pd.to_datetime(ends),
            "units": [float(u) for u in units],
            "basis": "cumulative",
            "status": "actual",
            "metric": "shipments",
            "source": ["web page", "news", "news"][: len(ends)],
        }
    )


def test_to_cumulative_adds_up_each_series_separately():
    f = pd.concat([_flows([1e6, 2e6, 4e6]), _flows([5, 7], brand="HTC")], ignore_index=True)
    before = f.copy()
    out = to_cumulative(f)
    pd.testing.assert_frame_equal(f, before)  # input untouched
    xiaomi = out[out["brand"] == "Xiaomi"]
    # 1M; 1M + 2M = 3M; 3M + 4M = 7M
    assert xiaomi["units"].tolist() == [1e6, 3e6, 7e6]
    assert (xiaomi["start"] == T("2012-01-01")).all()
    assert xiaomi["end"].tolist() == [T("2012-03-31"), T("2012-06-30"), T("2012-09-30")]
    # 5; 5 + 7 = 12
    assert out[out["brand"] == "HTC"]["units"].tolist() == [5, 12]
    assert set(out["basis"]) == {"cumulative"}


def test_to_cumulative_running_total_keeps_an_earlier_qualifier():
    # Q1 "over 1M", Q2 exactly 2M: the total by June is over 1M + 2M = over 3M, but it
    # used to keep Q2's own (empty) qualifier and read as exactly 3M
    f = _flows([1e6, 2e6, 4e6])
    f["qualifier"] = pd.Series(["over", None, "under"], dtype="string")
    out = to_cumulative(f)
    # 1M; 1M + 2M = 3M; 3M + 4M = 7M
    assert out["units"].tolist() == [1e6, 3e6, 7e6]
    # over; over + exact = over; over + under = either way: approx
    assert out["qualifier"].tolist() == ["over", "over", "approx"]
    f["qualifier"] = pd.Series([None, None, None], dtype="string")
    assert to_cumulative(f)["qualifier"].isna().all()


def test_to_cumulative_sorts_periods_first():
    f = _flows([1, 2, 4]).iloc[[2, 0, 1]]
    out = to_cumulative(f).sort_values("end")
    assert out["units"].tolist() == [1, 3, 7]


def test_to_cumulative_refuses_a_gap_and_an_overlap():
    gap = _flows([1, 2, 4]).drop(index=1)
    with pytest.raises(DataError, match="gap"):
        to_cumulative(gap)
    overlap = pd.concat([_flows([1, 2]), _flows([3], first="2012-02-01", freq="M")])
    with pytest.raises(DataError, match="overlaps"):
        to_cumulative(overlap)


def test_to_periods_interpolates_linearly_in_days_and_says_so():
    # 300k by 2011-12-31, 3M by 2012-06-12: 2.7M over 164 days
    # (Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 12 = 164)
    m = _milestones(["2011-12-31", "2012-06-12"], [300_000, 3_000_000])
    with pytest.warns(InterpolationWarning, match="5 per-period"):
        out = to_periods(m, freq="M")
    # only Jan..May lie wholly between the milestones (June ends after 2012-06-12)
    assert out["start"].tolist() == [T(f"2012-0{k}-01") for k in range(1, 6)]
    days = np.array([31, 29, 31, 30, 31])
    np.testing.assert_allclose(out["units"], days * 2_700_000 / 164)
    assert (out["status"] == "interpolated").all()
    assert (out["basis"] == "period").all()
    # the flows of Jan..May add up to 152/164 of 2.7M = 2,502,439.02...
    assert out["units"].sum() == pytest.approx(2_502_439.024, abs=1e-3)
    assert out["source"].iloc[0] == "web page; news"


def test_to_periods_is_exact_on_milestones():
    m = _milestones(["2011-12-31", "2012-03-31", "2012-06-30"], [0.3e6, 1.2e6, 3.0e6])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no InterpolationWarning
        out = to_periods(m, freq="Q")
    # 1.2M - 0.3M = 0.9M; 3.0M - 1.2M = 1.8M
    assert out["units"].tolist() == [900_000, 1_800_000]
    assert (out["status"] == "actual").all()


def test_to_periods_qualifier_and_text_come_from_the_flow_own_milestones():
    # only the last milestone is "over 3 million"; every flow used to copy the last
    # milestone's qualifier and sentence, so Q1 (1.2M - 0.3M, both exact) read "over"
    m = _milestones(["2011-12-31", "2012-03-31", "2012-06-30"], [0.3e6, 1.2e6, 3.0e6])
    m["qualifier"] = pd.Series([None, None, "over"], dtype="string")
    m["text"] = ["0.3M in 2011", "1.2M by March", "over 3M by June"]
    out = to_periods(m, freq="Q")
    # Q1: 1.2M - 0.3M = 0.9M, exact; Q2: (over 3M) - 1.2M = over 1.8M
    assert out["units"].tolist() == [900_000, 1_800_000]
    assert out["qualifier"].tolist() == [pd.NA, "over"]
    assert out["text"].tolist() == ["0.3M in 2011; 1.2M by March", "1.2M by March; over 3M by June"]
    # an exact count minus "over 0.3M" is under: 1.2M - (over 0.3M) < 0.9M
    m["qualifier"] = pd.Series(["over", None, None], dtype="string")
    assert to_periods(m, freq="Q")["qualifier"].tolist() == ["under", pd.NA]


def test_to_periods_refuses_a_falling_count_and_twin_days():
    with pytest.raises(DataError, match="falls from 3,000,000 to 2,000,000") as err:
        to_periods(_milestones(["2012-01-31", "2012-06-30"], [3e6, 2e6]))
    assert err.value.row == 2
    with pytest.raises(DataError, match="same day"):
        to_periods(_milestones(["2012-01-31", "2012-01-31"], [1e6, 2e6]))


def test_unclear_basis_and_shares_are_refused():
    m = _milestones(["2012-12-31"], [5e6]).assign(basis="unclear")
    with pytest.raises(DataError, match="unclear"):
        to_cumulative(m)
    shares = _flows([1]).drop(columns="units").assign(share=0.2)
    with pytest.raises(DataError, match="shares"):
        to_periods(shares)


def test_mixed_bases_in_one_series_are_refused():
    mixed = pd.concat([_flows([1]), _milestones(["2012-12-31"], [5])], ignore_index=True)
    with pytest.raises(DataError, match="mixes"):
        to_cumulative(mixed)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12))
def test_cumulative_and_back_is_the_identity(units):
    flows = _flows(units)
    back = to_periods(to_cumulative(flows), freq="Q")
    np.testing.assert_allclose(back["units"], flows["units"], rtol=1e-9, atol=1e-6)
    assert back["start"].tolist() == flows["start"].tolist()
    assert (back["status"] == "actual").all()
