"""Batch: every series of a frame, sorted once, is what prepare gives it alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis.projection.batch import Batch
from analysis.projection.data import checked, prepare
from marketdata import DataError

from .conftest import milestones, quarterly


def _assert_same_series(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        elif isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, f.name
            np.testing.assert_array_equal(x, y, err_msg=f.name)
        else:
            assert x == y, f.name


def _clean_frame() -> pd.DataFrame:
    """Series that pass every check: quarters (one with a target, an estimate and a gap),
    milestones with "over" and "under" figures followed by a quarter, the market's own
    annual rows, and an extra column."""
    q = quarterly("A", np.arange(1.0, 13.0)).assign(note="x")
    q.loc[3, "status"] = "estimate"
    target = quarterly("A", [50.0], start="2013Q1").assign(status="target", note="y")
    gap = quarterly("B", [3.0, 4, 5, 6, 7, 8], start="2011Q1").drop(index=[2])
    cum = milestones(
        "C",
        ["2011-12-31", "2012-03-31", "2012-06-30"],
        [1e5, 4e5, 9e5],
        qualifier=[pd.NA, "over", "under"],
    )
    after = quarterly("C", [3e5], start="2012Q3", market="CN")
    market = pd.DataFrame(
        {
            "brand": None,
            "market": "WW",
            "start": pd.to_datetime(["2010-01-01", "2011-01-01"]),
            "end": pd.to_datetime(["2010-12-31", "2011-12-31"]),
            "units": [3e8, 4e8],
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": "illustrative",
        }
    )
    f = pd.concat([q, target, gap, cum, after, market], ignore_index=True)
    return f.sample(frac=1.0, random_state=1).reset_index(drop=True)


def test_every_series_is_what_prepare_gives_and_the_fast_path_made_it():
    frame = checked(_clean_frame())
    batch = Batch(frame, slack=0.2)
    pairs = [("A", "WW"), ("B", "WW"), ("C", "CN"), (None, "WW")]
    assert sorted(batch.slices, key=str) == sorted(pairs, key=str)
    for b, m in pairs:
        i, k, _ = batch.slices[(b, m)]
        assert batch._clean(i, k), (b, m)  # sliced, not handed to prepare
        _assert_same_series(batch.series(b, m), prepare(frame, b, m, slack=0.2))
    c = batch.series("C", "CN")
    # "over 400,000" lies in [400,000, 480,000] with slack 0.2, "under 900,000" in
    # [750,000, 900,000]; the quarter after the last milestone adds 300,000
    assert c.known_lo.tolist() == [1e5, 4e5, 7.5e5, 1.05e6]
    assert c.known_hi.tolist() == pytest.approx([1e5, 4.8e5, 9e5, 1.2e6])
    # 2011Q3 is missing: the last run starts in 2011Q4
    assert batch.series("B", "WW").since == pd.Timestamp("2011-10-01")
    assert batch.source("A", "WW") == "synthetic (illustrative)"


def test_the_same_dates_on_two_bases_go_to_prepare_and_come_back_the_same():
    # a cumulative figure with a start and a quarter with the same dates: not duplicates
    # (their bases differ), but the slices cannot tell, so prepare decides
    q = quarterly("A", [1.0, 2, 3, 4, 5, 6, 7, 8])
    level = q.iloc[[7]].assign(basis="cumulative", units=40.0)
    frame = checked(pd.concat([level, q], ignore_index=True))
    batch = Batch(frame, slack=0.15)
    i, k, _ = batch.slices[("A", "WW")]
    assert not batch._clean(i, k)
    _assert_same_series(batch.series("A", "WW"), prepare(frame, "A", "WW"))


def _bad(kind: str) -> pd.DataFrame:
    q = quarterly("A", [1.0, 2, 3, 4])
    if kind == "duplicate":
        return pd.concat([q, q.iloc[[2]]], ignore_index=True)
    if kind == "overlap":
        return pd.concat([q, q.iloc[[1]].assign(end=q["end"].iloc[2])], ignore_index=True)
    if kind == "unclear":
        return q.assign(basis=["period", "unclear", "period", "period"])
    if kind == "metrics":
        return q.assign(metric=["shipments", "sales", "shipments", "shipments"])
    if kind == "one":
        return q.iloc[:1]
    if kind == "zeros":
        return q.assign(units=0.0)
    if kind == "targets":
        return q.assign(status="target")
    if kind == "falling":
        return milestones("A", ["2012-01-31", "2012-06-30"], [5e5, 4e5], market="WW")
    if kind == "zero run":  # the last unbroken run of quarters is all zeros
        return pd.concat([q.iloc[:1], q.iloc[2:].assign(units=0.0)], ignore_index=True)
    raise AssertionError(kind)


KINDS = [
    "duplicate",
    "overlap",
    "unclear",
    "metrics",
    "one",
    "zeros",
    "targets",
    "falling",
    "zero run",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_series_that_fails_a_check_raises_what_prepare_raises(kind):
    frame = checked(pd.concat([_bad(kind), quarterly("Z", [1.0, 2, 3])], ignore_index=True))
    with pytest.raises(DataError) as alone:
        prepare(frame, "A", "WW")
    with pytest.raises(DataError) as batched:
        Batch(frame, slack=0.15).series("A", "WW")
    assert str(batched.value) == str(alone.value)
    assert batched.value.row == alone.value.row and batched.value.column == alone.value.column
    # the other series of the frame is unaffected
    _assert_same_series(Batch(frame, slack=0.15).series("Z", "WW"), prepare(frame, "Z", "WW"))
