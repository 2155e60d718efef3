"""reconcile: brands add up to the market on every draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import fit, reconcile

from .conftest import quarterly


@pytest.fixture(scope="module")
def parts():
    rng = np.random.default_rng(5)
    a = 10e6 * np.exp(0.04 * np.arange(20) + rng.normal(0, 0.05, 20))
    b = 6e6 * np.exp(-0.02 * np.arange(20) + rng.normal(0, 0.05, 20))
    m = (a + b) * 1.3  # the market also holds units of other brands
    pa = fit(quarterly("A", a), "exponential")
    pb = fit(quarterly("B", b), "exponential")
    pm = fit(quarterly(pd.NA, m), "exponential")
    return pa, pb, pm


def test_brands_add_up_to_the_market_draw_by_draw(parts):
    pa, pb, pm = parts
    rec = reconcile({"A": pa, "B": pb}, pm)
    dates = ["2014-12-31", "2015-06-30", "2015-12-31", "2016-12-31"]
    x = rec.sample(dates, draws=500)
    base = {k: v[:, 0] for k, v in x.items()}  # 2014-12-31 is the last actual (the base)
    for j in range(1, 4):
        after = {k: x[k][:, j] - base[k] for k in x}
        np.testing.assert_allclose(after["A"] + after["B"], after["market"], rtol=1e-9)
    for k in ("A", "B"):
        assert (np.diff(x[k], axis=1) >= 0).all()
    # proportional: A's share of the reconciled flows equals its share of the raw draws'
    # flows. Raw medians: A grows, B shrinks, so A's share of the market growth is > 1/2
    fr = rec.frame(["2016-12-31"])
    share = fr.set_index("brand")["share_after_base"]
    assert share["A"] + share["B"] == pytest.approx(1.0, abs=0.02)  # medians of shares
    assert share["A"] > 0.5


def test_mixed_markets_refused(parts):
    pa, _, pm = parts
    other = fit(quarterly("C", np.arange(1.0, 9.0), market="TW"), "runrate")
    with pytest.raises(ValueError, match="several markets"):
        reconcile({"A": pa, "C": other}, pm)
    with pytest.raises(TypeError):
        reconcile(pa, pm)


def test_duplicate_brands_in_a_list_are_refused_not_dropped(parts):
    # review: a list was turned into {brand: projection}, so a second projection of the
    # same brand silently replaced the first
    pa, _, pm = parts
    with pytest.raises(ValueError, match="more than once"):
        reconcile([pa, pa], pm)


def test_brands_add_up_when_a_brand_ends_before_the_base():
    # review: B's last actual (2014-09-30) is before the base (2014-12-31). Its value at
    # the base came from other draws than its path after the base, so the brands' units
    # after the base missed the market's by up to ~0.8M (of ~134M) in a draw
    rng = np.random.default_rng(5)
    a = 10e6 * np.exp(0.04 * np.arange(20) + rng.normal(0, 0.05, 20))
    b = 6e6 * np.exp(-0.02 * np.arange(20) + rng.normal(0, 0.05, 20))
    m = (a + b) * 1.3
    pa = fit(quarterly("A", a), "exponential")
    pb = fit(quarterly("B", b[:19]), "exponential")
    pm = fit(quarterly(pd.NA, m), "exponential")
    rec = reconcile({"A": pa, "B": pb}, pm)
    x = rec.sample(["2015-12-31", "2014-12-31", "2014-06-30"], draws=300)  # unsorted on purpose
    # units of 2015 (after the base), draw by draw: A + B = market
    after = {k: v[:, 0] - v[:, 1] for k, v in x.items()}
    np.testing.assert_allclose(after["A"] + after["B"], after["market"], rtol=1e-9)
    # every path is non-decreasing in time: 2014-06-30 <= 2014-12-31 <= 2015-12-31
    for v in x.values():
        assert (v[:, 2] <= v[:, 1]).all() and (v[:, 1] <= v[:, 0]).all()


def test_summary_names_the_base_and_every_series(parts):
    pa, pb, pm = parts
    rec = reconcile({"A": pa, "B": pb}, pm)
    text = str(rec.summary())
    assert "2 brand projections reconciled" in text and "base date  2014-12-31" in text
    assert all(name in text for name in ("A ", "B ", "market"))
    assert rec._repr_html_() == rec.summary().as_html()
