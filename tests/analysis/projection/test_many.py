"""fit_many: every brand x market in one call, the same projections as fit, one frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, fit_many
from marketdata import DataError

from .conftest import milestones, quarterly

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
    with pytest.raises(ValueError, match="slack"):  # as fit refuses it
        fit_many(f, model="snaive", slack=-0.1)


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


def _mixed() -> pd.DataFrame:
    """Several brands and markets, shuffled: quarterly brands in WW (capped by the packaged
    IDC totals) and in TW (capped by a market-size row), one with a gap in its quarters,
    cumulative milestones with an "over" figure in CN, a residual brand, a target (not
    fitted), and a brand with one figure (refused)."""
    rng = np.random.default_rng(7)
    season = np.tile([0.9, 1.0, 1.05, 1.2], 5)

    def flows(n, level, growth):
        return level * np.exp(growth * np.arange(n) / 4 + rng.normal(0, 0.05, n)) * season[:n]

    gap = quarterly("G", flows(18, 2e6, 0.2), start="2010Q1")
    parts = [
        quarterly("A", flows(16, 5e7, 0.3)),
        quarterly("B", flows(20, 2e7, -0.1), start="2009Q1").assign(
            source=["second source"] * 12 + ["synthetic (illustrative)"] * 8
        ),
        quarterly("Others", flows(16, 9e7, 0.0)),
        gap.drop(index=[5, 6]),  # 2011Q2 and Q3 missing: the last run starts in 2011Q4
        quarterly("T", flows(10, 3e6, 0.5), market="TW"),
        _years(None, [1.2e8, 1.3e8], market="TW").assign(
            start=pd.to_datetime(["2010-01-01", "2011-01-01"]),
            end=pd.to_datetime(["2010-12-31", "2011-12-31"]),
        ),
        quarterly("T", [9e6], start="2013Q1", market="TW").assign(status="target"),
        milestones(
            "Xiaomi",
            ["2011-12-31", "2012-03-31", "2012-06-30"],
            [3e5, 2e6, 3e6],
            qualifier=[pd.NA, "over", pd.NA],
        ),
        quarterly("Lone", [4e6], market="TW"),
    ]
    f = pd.concat(parts, ignore_index=True)
    return f.sample(frac=1.0, random_state=3).reset_index(drop=True)


def _alone(f: pd.DataFrame, brand, market, model):
    """``fit`` of one series of ``f``: the projection, or the DataError's message."""
    if brand is None:  # the market's own series: fit takes it from its rows alone
        f = f[f["brand"].isna()]
    try:
        return fit(f, model, brand=brand, market=market)
    except DataError as exc:
        return str(exc)


def _assert_same(many, one) -> None:
    for name in (
        "brand",
        "market",
        "model",
        "params",
        "warnings",
        "uncertainty",
        "source",
        "reason",
        "seed",
        "quality",
    ):
        a, b = getattr(many, name), getattr(one, name)
        assert a == b or (name == "quality" and str(a) == str(b)), name
    pd.testing.assert_frame_equal(many.data, one.data)
    pd.testing.assert_frame_equal(many.param_intervals, one.param_intervals)
    dates = pd.date_range(many.last_actual - pd.Timedelta(days=400), periods=9, freq="QE")
    for basis in ("cumulative", "period"):
        np.testing.assert_array_equal(
            many.sample(dates, draws=300, seed=5, basis=basis),
            one.sample(dates, draws=300, seed=5, basis=basis),
        )
        pd.testing.assert_frame_equal(
            many.interval(0.8, basis=basis), one.interval(0.8, basis=basis)
        )
    assert str(many.summary()) == str(one.summary())


@pytest.mark.parametrize("model", ["snaive", "ets", "seasonal", "runrate", "auto"])
def test_every_projection_is_the_one_fit_gives_that_series_alone(model):
    f = _mixed()
    many = fit_many(f, model=model, errors="skip")
    pairs = set(many) | set(many.skipped)
    assert ("Others", "WW") not in pairs
    assert pairs == {
        ("A", "WW"),
        ("B", "WW"),
        ("G", "WW"),
        ("T", "TW"),
        (None, "TW"),
        ("Xiaomi", "CN"),
        ("Lone", "TW"),
    }
    assert "only one figure" in many.skipped[("Lone", "TW")]
    assert many[("B", "WW")].source == "second source; synthetic (illustrative)"
    for (brand, market), p in many.items():
        one = _alone(f, brand, market, model)
        assert not isinstance(one, str), (brand, market, one)
        _assert_same(p, one)
    for (brand, market), why in many.skipped.items():
        assert why == _alone(f, brand, market, model)
    # the brands of TW are bounded by its market-size rows, those of WW by the IDC totals
    assert (model != "snaive") or "market-size figures of TW" in many[
        ("T", "TW")
    ]._engine.cap.description


def test_fit_takes_a_brand_whose_market_has_no_size_rows_when_another_market_has():
    # fit raised "no figures for brand=None, market='WW'" for a WW brand of a frame with a
    # market-size row in TW: it looked the brand's market up among the size rows with pick
    f = pd.concat([quarterly("A", A), _years(None, [7e6], market="TW")], ignore_index=True)
    p = fit(f, "snaive", brand="A", market="WW")
    # seasonal naive: 2013Q1 is 2012Q1's 10 units (far below the IDC worldwide cap)
    assert p.predict(["2013-03-31"], basis="period").tolist() == [10.0]
    assert "IDC worldwide totals" in p._engine.cap.description


@pytest.mark.parametrize("model", ["snaive", "runrate"])
def test_the_stacked_frame_is_the_projections_frames_concatenated(model):
    # Projections.frame is put together once from the projections' actuals and intervals;
    # it is what stacking each Projection.frame gives (dtypes, order, values)
    many = fit_many(_mixed(), model=model, errors="skip")
    ends = pd.date_range("2012-12-31", periods=3, freq="QE")
    for basis in (None, "cumulative", "period"):
        for dates in (ends, None):
            expected = pd.concat(
                [
                    p.frame(dates, level=0.9, basis=basis).assign(model=p.model)
                    for p in many.values()
                ],
                ignore_index=True,
            )
            pd.testing.assert_frame_equal(many.frame(dates, level=0.9, basis=basis), expected)
    empty = fit_many(quarterly("C", [1.0]), model=model, errors="skip").frame(ends)
    assert list(empty.columns) == list(expected.columns) and empty.empty
