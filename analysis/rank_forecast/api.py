"""``project_rank`` and ``units_for_rank_probability``: the public entry points."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis._validation import check_draws, check_integer, check_probability, seed_int
from analysis.rank_forecast._progress import progress_bar, wants_progress
from analysis.rank_forecast.model import BUILD_KEYS, build_model, deterministic_rank
from analysis.rank_forecast.result import RankForecast
from analysis.rank_forecast.samplers import Fixed, Frozen
from analysis.rank_forecast.simulate import DEFAULT_CHUNK, rank_counts, rank_thresholds
from analysis.rank_forecast.tails import tail_runs, tail_table
from marketdata import schema as s

__all__ = ["project_rank", "units_for_rank_probability", "units_for_rank_table"]


def _check_run(draws, seed, chunk_size) -> tuple[int, int, int]:
    """Checked draws, an integer seed for the block streams (a Generator gives one draw of
    63 bits, see :func:`analysis._validation.seed_int`) and the chunk size."""
    draws = check_draws(draws)
    chunk_size = check_integer(chunk_size, "chunk_size", minimum=1)
    return draws, seed_int(seed), chunk_size


def _check_top(top, name: str = "top") -> int:
    return check_integer(top, name, minimum=1)


def project_rank(
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
    cv: float | Mapping[str, float] = 0.0,
    incumbents: Mapping | None = None,
    market_size: Any = None,
    market_cv: float = 0.0,
    common_cv: float = 0.0,
    unlisted: int | None = None,
    split: str = "equal",
    tail_ratio: float | None = None,
    draw: str | None = "proportional",
    tail_sensitivity: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
) -> RankForecast:
    """The probability of each rank ``brand`` may take in a market window.

    A vectorised, seeded Monte Carlo: each draw gives every competitor and the brand a
    volume; the brand's rank is 1 + the number of competitors with strictly more volume
    (ties share the better rank). ``Others``/``Unknown`` rows are never ranked: the
    residual of the market is split among ``unlisted`` modelled brands.

    Parameters
    ----------
    figures : DataFrame
        A figures frame for one market window: brand rows with ``units`` or ``share``
        (a fraction), optionally a brand-NA row (the market size, units) and an
        ``Others`` row. Shares need a market size. A market-size row for another window
        is used when it is the only one, with a warning.
    brand : str
        The brand to rank: a new entrant, or a brand of the figures.
    units : number, (low, base, high), frozen scipy.stats distribution, array, or Projection
        The brand's volume in the window (see :mod:`analysis.rank_forecast.samplers`:
        triples are Beta-PERT; a Projection's joint draws at the window are used, sampled
        once with ``seed``). Omit for a brand of the figures to use its own figure.
    market, end : optional
        Pick the market and the window's end date out of a frame holding several.
    seed : int or numpy.random.Generator, default 0
        Same seed, same answer, whatever ``chunk_size`` (a Generator gives one integer
        seed from its stream).
    draws : int, default 100,000
        Monte Carlo draws.
    progress : bool, optional
        A progress bar over the whole computation (the tail-sensitivity runs included);
        default: on for 2,000,000 draws or more in all. A text bar where Jupyter cannot
        draw a widget.
    top : int, default 10
        The top-N place the summary and ``repr`` report.
    cv : float or mapping brand -> float, default 0
        Coefficient of variation of log-normal noise (mean 1) on the incumbents' volumes;
        one for all, or per brand (missing brands: 0; key ``"Others"``: the unlisted
        brands; the brand's own key: its own figure's noise).
    incumbents : mapping brand -> volume, optional
        Incumbents with their own distributions (any form ``units`` accepts, including a
        Projection); they replace those brands' figures (a new name adds a competitor).
    market_size : volume, optional
        The market's size in units (any form ``units`` accepts); default: the figures'
        brand-NA row, or the listed brands plus ``Others``.
    market_cv : float, default 0
        CV of log-normal noise on a fixed market size.
    common_cv : float, default 0
        CV of a market-wide factor (mean 1) multiplying every competitor and the market
        size together: the correlation all brands share when the market moves.
    unlisted : int, optional
        How many brands share the residual (market size minus the listed brands).
        Default: the fewest that keep each at or below the smallest listed brand under an
        equal split (``ceil(residual / smallest)``); the result's assumptions say so.
    split : {"equal", "geometric"}, default "equal"
        How the residual is split among the unlisted brands. "geometric": each has
        ``tail_ratio`` times the one above; by default the ratio is solved so the
        largest equals the smallest listed brand (the ranking carries on below it).
    tail_ratio : float, optional
        The geometric ratio in (0, 1].
    draw : {"proportional", None}, default "proportional"
        For a new brand: its volume is taken from the competitors in proportion to their
        volumes (a market of fixed size); None: the market grows by its volume.
    tail_sensitivity : bool, default True
        Also run equal and geometric splits with ``unlisted`` and twice as many brands,
        reported in ``RankForecast.tail_sensitivity``.
    chunk_size : int, default 16384
        Draws processed at once (rounded up to whole blocks of 4096): bounds memory.

    Returns
    -------
    RankForecast

    Raises
    ------
    DataError
        An empty market, several windows, shares without a market size, negative or
        duplicate figures.
    ValueError, TypeError
        Bad options: negative volumes or CVs, a bad split, draws < 1.

    Examples
    --------
    >>> import pandas as pd
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B", "C"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "units": [500.0, 300.0, 100.0]})
    >>> f = project_rank(figures, "New", 200, draw=None, top=2)
    >>> f.prob_top(2), f.probabilities.to_dict()   # 200 < 300: third, for certain
    (0.0, {1: 0.0, 2: 0.0, 3: 1.0, 4: 0.0})
    >>> g = project_rank(figures, "New", (100, 300, 500), draw=None, top=2, seed=1)
    >>> round(g.prob_top(2), 2)   # P(PERT(100, 300, 500) > 300) = 0.5 by symmetry
    0.5
    """
    top = _check_top(top)
    draws, seed, chunk_size = _check_run(draws, seed, chunk_size)
    options = dict(
        market=market,
        end=end,
        market_size=market_size,
        market_cv=market_cv,
        cv=cv,
        common_cv=common_cv,
        incumbents=incumbents,
        unlisted=unlisted,
        split=split,
        tail_ratio=tail_ratio,
        draw=draw,
    )
    built = build_model(figures, brand, units, **options)
    runs = tail_runs(built, split) if tail_sensitivity else []
    total = draws * (1 + sum(1 for k, rule in runs if (k, rule) != (built.unlisted, split)))
    bar = progress_bar(total, show=wants_progress(progress, total), desc="rank forecast")
    run = dict(draws=draws, seed=seed, chunk_size=chunk_size, bar=bar)
    try:
        counts = rank_counts(built.model, **run)
        tails = tail_table(figures, brand, units, built, counts, runs, options, run, top)
    finally:
        if bar is not None:
            bar.close()
    notes = list(built.warnings)
    for sampler in built.model.samplers():
        if isinstance(sampler, Frozen) and sampler.clipped:
            notes.append(
                f"{sampler.clipped:,} of {draws:,} draws of a {sampler.label} were negative "
                "and were set to 0; use a distribution on [0, inf)"
            )
    win = built.window
    return RankForecast(
        brand=brand,
        market=win.market,
        start=win.start,
        end=win.end,
        counts=counts,
        draws=draws,
        seed=seed,
        top=top,
        inputs=built.inputs,
        unlisted=built.unlisted,
        split=split,
        deterministic_rank=deterministic_rank(built),
        tail_sensitivity=tails,
        warnings=tuple(notes),
        assumptions=tuple(built.assumptions),
        source="; ".join(win.sources),
    )


def units_for_rank_probability(
    figures: pd.DataFrame,
    rank: int,
    *,
    prob: float,
    brand: str = "new brand",
    market: str | None = None,
    end: str | pd.Timestamp | None = None,
    seed: int | np.random.Generator = 0,
    draws: int = 100_000,
    progress: bool | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    **options: Any,
) -> float:
    """The least volume that gives at least ``prob`` probability of a rank <= ``rank``.

    Under the same uncertainty as :func:`project_rank` (the ``options``: ``cv``,
    ``market_size``, ``common_cv``, ``unlisted``, ``draw``, ...). Exact for the draws: in
    each draw the brand ranks <= ``rank`` exactly when its volume is at least the
    ``rank``-th largest competitor's (adjusted for a proportional draw), so the answer is
    the ``prob`` quantile (inverted CDF) of that threshold over the draws, and
    ``project_rank(..., units=answer, seed=seed, draws=draws)`` gives
    ``prob_top(rank) >= prob``.

    Parameters
    ----------
    figures : DataFrame
        As for :func:`project_rank`.
    rank : int
        The place wanted: 1 .. number of competitors + 1.
    prob : float
        Probability in [0, 1].
    brand : str, default "new brand"
        The brand; a brand of the figures is taken out of the competitors.
    market, end, seed, draws, progress
        As for :func:`project_rank`.
    **options
        The uncertainty, as for :func:`project_rank` (``cv``, ``market_size``, ...).

    Returns
    -------
    float
        Units.

    Examples
    --------
    >>> import pandas as pd
    >>> figures = pd.DataFrame({"brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "units": [500.0, 300.0]})
    >>> units_for_rank_probability(figures, 2, prob=0.9, draw=None)  # tie B: ties share
    300.0
    """
    prob = check_probability(prob, "prob")
    rank = _check_top(rank, "rank")
    draws, seed, chunk_size = _check_run(draws, seed, chunk_size)
    options.pop("units", None)
    built = build_model(figures, brand, 0.0, market=market, end=end, **options)
    built.model.entrant = Fixed(0.0)
    limit = built.model.n_competitors + 1
    if rank > limit:
        raise ValueError(
            f"rank {rank} is impossible: the market has {limit - 1} competitors, so the "
            f"lowest rank is {limit}; ask for a rank from 1 to {limit}"
        )
    bar = progress_bar(draws, show=wants_progress(progress, draws), desc="units for rank")
    try:
        thresholds = rank_thresholds(
            built.model, rank, draws=draws, seed=seed, chunk_size=chunk_size, bar=bar
        )
    finally:
        if bar is not None:
            bar.close()
    if float(prob) == 0:
        return 0.0
    return float(np.quantile(thresholds, float(prob), method="inverted_cdf"))


def units_for_rank_table(
    figures: pd.DataFrame,
    rank: int | Sequence[int],
    *,
    prob: float,
    market_size: Any = None,
    others: str = s.OTHERS,
    **options: Any,
) -> pd.DataFrame:
    """:func:`units_for_rank_probability` for one or several ranks, as a tidy frame in the
    shape of ``analysis.units_for_rank``: the market growing by the brand's volume
    (``draw=None``) and the market of fixed size (``draw="proportional"``), both on the
    same draws.

    Parameters
    ----------
    figures : DataFrame
        As for :func:`project_rank`.
    rank : int or sequence of int
        The rank(s) wanted.
    prob : float
        The probability wanted, in [0, 1].
    market_size : volume or DataFrame, optional
        The market size in any form :func:`project_rank` takes, or figures holding a
        brand-NA row (added to ``figures``).
    others : str, default "Others"
        The name of the residual row in ``figures``.
    **options
        As for :func:`units_for_rank_probability` (``cv``, ``market_cv``, ``draws``, ...).

    Returns
    -------
    DataFrame
        [market, start, end, rank, prob, units_market_grows, units_market_fixed,
        share_needed]; ``share_needed`` is the fixed-market units over the market's base
        size (NaN without a market size).

    Examples
    --------
    >>> import pandas as pd
    >>> figures = pd.DataFrame({"brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "units": [600.0, 300.0]})
    >>> t = units_for_rank_table(figures, [1, 2], prob=0.5, market_size=1000, unlisted=0)
    >>> t[["rank", "units_market_grows", "units_market_fixed", "share_needed"]]
       rank  units_market_grows  units_market_fixed  share_needed
    0     1               600.0               375.0         0.375
    1     2               300.0               230.769231    0.230769
    """
    if isinstance(market_size, pd.DataFrame):
        figures = pd.concat([figures, market_size], ignore_index=True)
        market_size = None
    if others not in s.RESIDUAL_BRANDS and s.BRAND in figures.columns:
        brand = figures[s.BRAND].astype("string")
        figures = figures.assign(**{s.BRAND: brand.replace(others, s.OTHERS)})
    ranks = [rank] if np.ndim(rank) == 0 else list(rank)
    options.pop("draw", None)
    built = build_model(
        figures,
        options.get("brand", "new brand"),
        0.0,
        market_size=market_size,
        **{k: v for k, v in options.items() if k in BUILD_KEYS and k != "draw"},
    )
    total = built.model.market_base
    rows = []
    for k in ranks:
        grows = units_for_rank_probability(
            figures, k, prob=prob, market_size=market_size, draw=None, **options
        )
        fixed = units_for_rank_probability(
            figures,
            k,
            prob=prob,
            market_size=market_size,
            draw="proportional",
            **options,
        )
        rows.append(
            {
                s.MARKET: built.window.market,
                s.START: built.window.start,
                s.END: built.window.end,
                "rank": k,
                "prob": float(prob),
                "units_market_grows": grows,
                "units_market_fixed": fixed,
                "share_needed": fixed / total if total else np.nan,
            }
        )
    out = pd.DataFrame(rows)
    out[s.MARKET] = out[s.MARKET].astype("string")
    return out
