"""``sensitivity``: how much P(top N) moves when each input moves over its range."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.rank_forecast._progress import progress_bar, wants_progress
from analysis.rank_forecast.api import _check_run, _check_top
from analysis.rank_forecast.model import BUILD_KEYS, build_model
from analysis.rank_forecast.samplers import Draws, Fixed, FromProjection, Frozen, Pert
from analysis.rank_forecast.simulate import DEFAULT_CHUNK, rank_counts
from marketdata.errors import DataWarning

__all__ = ["sensitivity"]

BRAND_INPUT = "units"
MARKET_INPUT = "market_size"
UNLISTED_INPUT = "unlisted"
OPTION_INPUTS = ("cv", "market_cv", "common_cv", "tail_ratio")


def _brand_range(sampler, spread: float, draws: int, seed: int) -> tuple[float, float]:
    if isinstance(sampler, Pert):
        return sampler.low, sampler.high
    if isinstance(sampler, Fixed):
        return sampler.base * (1 - spread), sampler.base * (1 + spread)
    if isinstance(sampler, Frozen):
        return float(sampler.dist.ppf(0.1)), float(sampler.dist.ppf(0.9))
    if isinstance(sampler, Draws):
        return tuple(float(x) for x in np.quantile(sampler.values, [0.1, 0.9]))
    if isinstance(sampler, FromProjection):
        sampler.prepare(min(draws, 10_000), seed)
        return tuple(float(x) for x in np.quantile(sampler.values, [0.1, 0.9]))
    raise TypeError(f"cannot find a range for {sampler!r}; pass ranges={{'units': (lo, hi)}}")


def sensitivity(
    figures: pd.DataFrame,
    brand: str,
    units: Any = None,
    *,
    market: str | None = None,
    end: str | pd.Timestamp | None = None,
    seed: int | np.random.Generator = 0,
    draws: int = 100_000,
    progress: bool | None = None,
    top: int = 10,
    spread: float = 0.2,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of P(top ``top``), for a tornado chart.

    Each input is set to its low and then its high value, every other input staying as
    given; all runs share the seed (common random numbers), so the differences come from
    the inputs, not from Monte Carlo noise.

    Inputs and default ranges: ``"units"`` (the brand's volume: a triple's low and high,
    a distribution's 10% and 90% quantiles, a number +-``spread``), ``"market_size"``
    (+-``spread``, but not below the total of brands listed in units), each competitor with a
    figure (+-``spread``), ``"unlisted"`` (half and twice the number of unlisted brands). ``ranges`` overrides these and may add
    ``"cv"``, ``"market_cv"``, ``"common_cv"`` or ``"tail_ratio"``.

    Parameters
    ----------
    figures, brand, units, market, end, seed, draws
        As for :func:`analysis.project_rank`; every run uses the same seed.
    progress : bool, optional
        One progress bar over all the runs; default: on for 2,000,000 draws or more in
        all (runs x draws).
    top : int, default 10
        The place whose probability is measured.
    spread : float, default 0.2
        Relative half-width of the default ranges.
    ranges : mapping input -> (low, high), optional
        Explicit ranges.
    **options
        The model, as for :func:`analysis.project_rank` (``cv``, ``market_size``, ...).

    Returns
    -------
    DataFrame
        [input, low, high, prob_low, prob_high, prob_base], largest swing first.

    Examples
    --------
    >>> import pandas as pd
    >>> figures = pd.DataFrame({"brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "units": [500.0, 300.0]})
    >>> t = sensitivity(figures, "New", 320, top=2, draw=None, draws=1000, spread=0.1)
    >>> t[["input", "low", "high", "prob_low", "prob_high"]]
       input    low   high  prob_low  prob_high
    0  units  288.0  352.0       0.0        1.0
    1      B  270.0  330.0       1.0        0.0
    2      A  450.0  550.0       1.0        1.0
    """
    top = _check_top(top)
    if not 0 <= float(spread) < 1:
        raise ValueError(f"spread must lie in [0, 1), got {spread!r}")
    draws, seed, chunk_size = _check_run(draws, seed, options.pop("chunk_size", DEFAULT_CHUNK))
    options = {k: v for k, v in options.items() if k != "tail_sensitivity"}
    unknown = sorted(set(options) - BUILD_KEYS)
    if unknown:
        raise TypeError(f"sensitivity() got unexpected options {unknown}")
    options.update(market=market, end=end)
    built = build_model(figures, brand, units, **options)
    ranges = _ranges(built, spread, draws, seed, ranges)

    incumbents = dict(options.get("incumbents") or {})
    changes = [{}]
    for name, (low, high) in ranges.items():
        for value in (low, high):
            if name == BRAND_INPUT:
                changes.append({"units": float(value)})
            elif name == MARKET_INPUT:
                changes.append({"market_size": float(value)})
            elif name == UNLISTED_INPUT:
                changes.append({"unlisted": int(round(value))})
            elif name in OPTION_INPUTS:
                changes.append({name: float(value)})
            else:
                changes.append({"incumbents": dict(incumbents, **{name: float(value)})})
    total = draws * len(changes)
    bar = progress_bar(total, show=wants_progress(progress, total), desc="sensitivity")
    try:
        probs = [
            _prob_top(figures, brand, units, options, change, top, draws, seed, chunk_size, bar)
            for change in changes
        ]
    finally:
        if bar is not None:
            bar.close()
    base_prob = probs[0]
    rows = [
        {
            "input": name,
            "low": float(low),
            "high": float(high),
            "prob_low": probs[1 + 2 * i],
            "prob_high": probs[2 + 2 * i],
            "prob_base": base_prob,
        }
        for i, (name, (low, high)) in enumerate(ranges.items())
    ]
    frame = pd.DataFrame(
        rows, columns=["input", "low", "high", "prob_low", "prob_high", "prob_base"]
    )
    swing = (frame["prob_high"] - frame["prob_low"]).abs()
    order = np.argsort(-swing.to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _prob_top(figures, brand, units, options, change, top, draws, seed, chunk_size, bar):
    """P(top ``top``) with one input changed (same seed: common random numbers)."""
    merged = dict(options, **{k: v for k, v in change.items() if k != "units"})
    built = build_model(figures, brand, change.get("units", units), **merged)
    counts = rank_counts(built.model, draws=draws, seed=seed, chunk_size=chunk_size, bar=bar)
    return float(counts[:top].sum() / draws)


def _ranges(built, spread, draws, seed, ranges) -> dict[str, tuple[float, float]]:
    """Each input's (low, high): the defaults, overridden or extended by ``ranges``."""
    model = built.model
    defaults: dict[str, tuple[float, float]] = {}
    defaults[BRAND_INPUT] = _brand_range(model.entrant, spread, draws, seed)
    names = list(model.listed_names) + list(model.custom_names)
    base_units = built.base_units[: len(names)]
    if model.market is not None:
        base = model.market.base
        # a market smaller than the brands listed in units cannot be: the low end stops at
        # their total (brands listed as shares scale with the market)
        window = built.window
        listed = float(np.sum(window.values[~window.is_share]))
        low = max(base * (1 - spread), listed)
        if low > base * (1 - spread):
            warnings.warn(
                f"the market size's low end is {low:,.0f}, not {base * (1 - spread):,.0f} "
                f"(-{spread:.0%}): the brands listed in units already sell {listed:,.0f}",
                DataWarning,
                stacklevel=3,
            )
        defaults[MARKET_INPUT] = (min(low, base), base * (1 + spread))
    for name, value in zip(names, base_units, strict=True):
        defaults[name] = (value * (1 - spread), value * (1 + spread))
    if built.unlisted:
        defaults[UNLISTED_INPUT] = (max(1, built.unlisted // 2), 2 * built.unlisted)
    ranges = dict(ranges or {})
    unknown = sorted(set(ranges) - set(defaults) - set(OPTION_INPUTS))
    if unknown:
        raise ValueError(
            f"ranges names unknown inputs {unknown}; use {sorted(defaults) + list(OPTION_INPUTS)}"
        )
    defaults.update(ranges)
    for name, (low, high) in defaults.items():
        if not np.isfinite([low, high]).all() or low > high:
            raise ValueError(
                f"range of {name!r} must be finite with low <= high, got {(low, high)}"
            )
    return defaults
