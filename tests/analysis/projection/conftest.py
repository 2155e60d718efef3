"""Synthetic figures for the projection tests (illustrative data, made here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def quarterly(brand, units, *, start="2010Q1", market="WW", source="synthetic (illustrative)"):
    """A figures frame of per-quarter flows."""
    q = pd.period_range(start, periods=len(units), freq="Q")
    return pd.DataFrame(
        {
            "brand": brand,
            "market": market,
            "start": q.start_time,
            "end": q.end_time.normalize(),
            "units": np.asarray(units, dtype=float),
            "basis": "period",
            "status": "actual",
            "metric": "shipments",
            "source": source,
        }
    )


def milestones(brand, ends, units, *, qualifier=None, market="CN"):
    """A figures frame of cumulative milestones."""
    n = len(units)
    return pd.DataFrame(
        {
            "brand": brand,
            "market": market,
            "start": pd.NaT,
            "end": pd.to_datetime(ends),
            "units": np.asarray(units, dtype=float),
            "basis": "cumulative",
            "status": "actual",
            "metric": "shipments",
            "source": "synthetic (illustrative)",
            "qualifier": qualifier if qualifier is not None else [pd.NA] * n,
        }
    )


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
