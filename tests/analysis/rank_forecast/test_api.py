"""The shared API of the rank forecasts: argument names and order, seeds, progress bars."""

import inspect
import io
import sys
import warnings

import numpy as np
import pytest

from analysis import project_rank, sensitivity, units_for_rank_probability
from analysis._validation import seed_int
from analysis.rank_forecast import _progress
from marketdata.errors import DataWarning
from tests.analysis.rank_forecast.helpers import figures

SHARED = ("market", "end", "seed", "draws", "progress")


@pytest.mark.parametrize("function", [project_rank, sensitivity, units_for_rank_probability])
def test_figures_first_then_shared_options_in_order(function):
    parameters = inspect.signature(function).parameters
    names = list(parameters)
    assert names[0] == "figures"
    keyword_only = [n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY]
    shared = [n for n in keyword_only if n in SHARED]
    assert shared == list(SHARED)  # market, end, seed, draws, progress: one order everywhere


def test_a_generator_seeds_like_the_integer_it_gives():
    market = figures({"A": 1000, "B": 900, "C": 500}, size=3000)
    options = dict(cv=0.3, draws=5000)
    by_generator = project_rank(market, "X", 700, seed=np.random.default_rng(1), **options)
    by_integer = project_rank(market, "X", 700, seed=seed_int(np.random.default_rng(1)), **options)
    assert by_generator.counts.tolist() == by_integer.counts.tolist()
    assert by_generator.seed == by_integer.seed


@pytest.mark.parametrize(("seed", "error"), [(True, TypeError), (1.5, TypeError), (-1, ValueError)])
def test_bad_seeds_are_refused(seed, error):
    with pytest.raises(error, match="seed"):
        project_rank(figures({"A": 10}), "X", 5, seed=seed, draws=10)


class _Bar:
    """Records what a tqdm bar is told."""

    bars: list = []

    def __init__(self, total, **_):
        self.total, self.n, self.closed = total, 0, False
        _Bar.bars.append(self)

    def update(self, n):
        self.n += n

    def close(self):
        self.closed = True


@pytest.fixture
def bars(monkeypatch):
    _Bar.bars = []
    monkeypatch.setattr(_progress, "progress_bar", lambda total, *, show, **o: _Bar(total))
    for module in ("analysis.rank_forecast.api", "analysis.rank_forecast.sensitivity"):
        monkeypatch.setattr(
            sys.modules[module], "progress_bar", lambda total, *, show, **o: _Bar(total)
        )
    return _Bar.bars


def test_the_rank_forecast_bar_covers_the_tail_runs_too(bars):
    # 1000 units of residual over brands of at most 100: 10 unlisted brands by default, so
    # the tail sensitivity reruns (10, geometric), (20, equal), (20, geometric): 4 runs
    market = figures({"A": 1000, "B": 100}, size=2100)
    forecast = project_rank(market, "X", 300, draws=4096, progress=True)
    assert forecast.unlisted == 10 and len(forecast.tail_sensitivity) == 4
    (bar,) = bars
    assert bar.total == 4 * 4096 and bar.n == bar.total and bar.closed


def test_the_sensitivity_bar_counts_every_run(bars):
    market = figures({"A": 1000, "B": 100}, size=2000)
    table = sensitivity(market, "X", 300, draws=1000, unlisted=0, progress=True)
    (bar,) = bars
    # the base run and two per input (units, market size, A, B)
    assert len(table) == 4
    assert bar.total == (1 + 2 * 4) * 1000 and bar.n == bar.total and bar.closed


def test_without_ipywidgets_the_bar_is_text_and_warns_nothing(monkeypatch):
    # as in a Jupyter kernel where ipywidgets is not installed
    monkeypatch.setitem(sys.modules, "ipykernel", type(sys)("ipykernel"))
    monkeypatch.setattr(_progress.importlib.util, "find_spec", lambda name: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bar = _progress.progress_bar(10, show=True, file=io.StringIO())
    assert type(bar).__module__ == "tqdm.std"
    bar.close()


def test_progress_must_be_a_flag():
    with pytest.raises(TypeError, match="progress"):
        project_rank(figures({"A": 10}), "X", 5, draws=10, progress="yes")


def test_a_clamped_market_size_range_is_said():
    # listed brands sell 1,000 + 700 = 1,700 of a 2,000 market: -20% would be 1,600,
    # below what they already sell, so the low end stops at 1,700, with a warning
    market = figures({"A": 1000, "B": 700}, size=2000)
    with pytest.warns(DataWarning, match="low end is 1,700, not 1,600"):
        table = sensitivity(market, "X", 300, draws=1000, unlisted=0)
    row = table[table["input"] == "market_size"].iloc[0]
    assert (row["low"], row["high"]) == (1700.0, 2400.0)
