"""The shared argument checks, number formats and summary object."""

import numpy as np
import pandas as pd
import pytest

from analysis import _format as f
from analysis import share_change
from analysis._summary import Summary
from analysis._validation import (
    check_columns,
    check_draws,
    check_integer,
    check_option,
    check_probability,
    check_scalar,
    check_seed,
    make_rng,
    seed_int,
)
from marketdata import DataError, datasets


@pytest.mark.parametrize("bad", [True, False, 1.0, "3", None, np.bool_(True)])
def test_integers_refuse_bool_float_text(bad):
    with pytest.raises(TypeError, match="draws must be a whole number"):
        check_draws(bad)


def test_integers_accept_numpy_and_check_bounds():
    assert check_integer(np.int64(4), "top", minimum=1, maximum=4) == 4
    assert type(check_integer(np.int32(2), "top")) is int
    with pytest.raises(ValueError, match="top must be <= 4, got 5"):
        check_integer(5, "top", maximum=4)
    with pytest.raises(ValueError, match="draws must be >= 1, got 0"):
        check_draws(0)


def test_seed_one_rule():
    assert check_seed(np.int64(3)) == 3
    rng = np.random.default_rng(1)
    assert check_seed(rng) is rng
    for bad in (True, 1.5, None, "0"):
        with pytest.raises(TypeError, match="seed must be a whole number >= 0"):
            check_seed(bad)
    with pytest.raises(ValueError, match="seed must be a whole number >= 0, got -1"):
        check_seed(-1)
    # make_rng(int) is numpy's default_rng(int); a Generator passes through.
    assert make_rng(5).random() == np.random.default_rng(5).random()
    assert make_rng(rng) is rng
    assert seed_int(np.random.default_rng(9)) == seed_int(np.random.default_rng(9))


def test_scalars_and_probabilities():
    assert check_scalar(np.float32(0.5), "cv", minimum=0) == 0.5
    with pytest.raises(ValueError, match="finite"):
        check_scalar(float("nan"), "cv")
    with pytest.raises(TypeError):
        check_scalar(True, "cv")
    assert check_probability(1, "p") == 1.0
    with pytest.raises(ValueError, match="write 0.95 for 95%"):
        check_probability(95, "level", open_interval=True)
    with pytest.raises(ValueError, match="level must be > 0"):
        check_probability(0, "level", open_interval=True)


def test_options_and_columns():
    with pytest.raises(ValueError, match="compare must be one of 'year', 'previous'; got 'y'"):
        check_option("y", "compare", ("year", "previous"))
    with pytest.raises(ValueError):
        check_option(["year"], "compare", {"year"})
    with pytest.raises(DataError, match="data lacks the columns 'end', 'units'"):
        check_columns(pd.DataFrame({"brand": []}), ["brand", "end", "units"])
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        check_columns([1, 2], ["brand"])


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (999, "999"), (1000, "1k"), (299_990, "300k"), (6_930_348, "6.93M"),
     (999_600, "1M"), (1.234e9, "1.23B"), (float("nan"), ""), (None, "")],
)  # fmt: skip
def test_units_labels(value, text):
    assert f.units_label(value) == text


def test_other_labels():
    assert f.percent_label(0.2734) == "27%"
    assert f.pp_label(-0.04) == "0.0 pp"  # -0.04 points rounds to zero, unsigned
    assert f.pp_label(2.1) == "+2.1 pp"  # points in, points out: share_pp is in points
    assert f.hhi_label(1659.5) == "1,660"
    assert [f.probability_label(p) for p in (0.0049, 0.005, 0.995, 0.5)] == [
        "<1%", "1%", ">99%", "50%"]  # fmt: skip
    # Same scale and decimals at both ends: 8.11M has 3 significant digits -> 2 decimals.
    assert f.range_label(5.6e6, 8.11e6) == "5.60M–8.11M"
    assert f.range_label(120_000, 1_450_000) == "0.12M–1.45M"
    assert f.range_label(12e6, 150e6) == "12M–150M"
    assert f.window_label("2012-01-01", "2012-06-30") == "H1 2012"
    assert f.window_label(pd.NaT, "2012-06-12") == "..2012-06-12"


def test_summary_text_and_html():
    table = pd.DataFrame({"brand": ["HTC", "Apple"], "units": [1.47e6, 0.91e6], "rank": [2, 4]})
    s = Summary("T", facts=[("p", 0.5, "probability"), ("n", 100_000)], tables=[("U", table)],
                notes=["assumed"])  # fmt: skip
    text = str(s)
    assert "p  50%" in text and "n  100,000" in text
    assert "HTC    1.47M     2" in text  # numbers right-aligned under their headers
    assert text.endswith("Note: assumed")
    page = s._repr_html_()
    assert page == s.as_html() and "marketshare-summary" in page
    assert '<td class="num">1.47M</td>' in page and "<td>HTC</td>" in page
    assert "e+06" not in text + page
    assert "&lt;b&gt;" in Summary("<b>").as_html()  # escaped


def test_summary_formats_share_pp_columns_as_points():
    # share_pp columns hold percentage points (share_change: 100 * (share_to - share_from));
    # a Summary formats them as points, never multiplied by 100 again.
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    change = share_change(ww, from_="2023Q4", to="2024Q1")
    apple = change.loc[change["brand"] == "Apple"]
    # IDC: Apple 80.5M of 326.1M in 2023Q4 (24.7%), 50.1M of 289.4M in 2024Q1 (17.3%)
    points = 100 * (float(apple["share_to"].iloc[0]) - float(apple["share_from"].iloc[0]))
    assert points == pytest.approx(-7.38, abs=0.01)
    text = str(Summary("change", tables=[("", apple[["brand", "share_pp"]])]))
    assert "-7.4 pp" in text and "-738" not in text
    assert f.format_value(2.1, f.kind_of_column("share_pp")) == "+2.1 pp"
