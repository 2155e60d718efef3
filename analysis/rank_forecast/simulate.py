"""The chunked Monte Carlo engine behind :func:`project_rank`.

Reproducibility whatever the chunk size: draws are generated in fixed blocks of
``BLOCK`` draws; block ``j`` always uses the generator
``Generator(PCG64(SeedSequence(seed, spawn_key=(j,))))`` and always draws the same
variates in the same order, so a chunk (a whole number of blocks, processed at once to
bound memory) never changes what any draw is.

Rank of the brand in a draw: ``1 + the number of competitors with strictly more
volume``. Ties share the better rank (competition ranking, "min"). Counting is O(brands)
per draw; nothing is sorted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from analysis.rank_forecast.samplers import Sampler, lognormal_factor

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "RankModel",
    "block_generator",
    "rank_counts",
    "rank_thresholds",
]

BLOCK = 4096  # draws per generator block; chunk sizes are whole numbers of blocks
DEFAULT_CHUNK = 16384


@dataclass
class RankModel:
    """Everything a run needs; built by :func:`analysis.rank_forecast.api.build_model`."""

    brand: str
    entrant: Sampler
    listed_names: tuple[str, ...]
    listed_base: np.ndarray  # units, or shares where listed_share
    listed_share: np.ndarray  # bool
    listed_cv: np.ndarray
    custom_names: tuple[str, ...]
    custom: tuple[Sampler, ...]
    market: Sampler | None  # market size in units (its own CV included)
    common_cv: float
    unlisted_weights: np.ndarray  # sums to 1; len = number of unlisted brands
    unlisted_cv: float
    proportional: bool
    entrant_scale: str | None = None  # "share": brand's own share x market; "units": x common
    market_base: float | None = None
    own_figure: float | None = None  # the ranked brand's figure (units or share), if listed
    own_is_share: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> tuple[str, ...]:
        unlisted = tuple(f"unlisted {i + 1}" for i in range(len(self.unlisted_weights)))
        return self.listed_names + self.custom_names + unlisted

    @property
    def n_competitors(self) -> int:
        return len(self.listed_names) + len(self.custom_names) + len(self.unlisted_weights)

    def samplers(self) -> list[Sampler]:
        out = [self.entrant, *self.custom]
        if self.market is not None:
            out.append(self.market)
        return out


def _sigma(cv: np.ndarray) -> np.ndarray:
    return np.sqrt(np.log1p(np.asarray(cv, dtype=float) ** 2))


def block_generator(seed: int, j: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(j,))))


class _Chunk:
    """Draws of one chunk: entrant volume and competitor volumes."""

    __slots__ = ("u", "market_total", "parts")


def _draw_chunk(model: RankModel, seed: int, first_block: int, start: int, stop: int) -> _Chunk:
    n = stop - start
    nl = len(model.listed_names)
    k = len(model.unlisted_weights)
    listed_sigma = _sigma(model.listed_cv)
    noisy_listed = bool(nl) and bool((listed_sigma > 0).any())
    noisy_unlisted = k > 0 and model.unlisted_cv > 0
    width = (nl if noisy_listed else 0) + (k if noisy_unlisted else 0)

    u = np.empty(n)
    market = np.empty(n) if model.market is not None else None
    common = np.empty(n) if model.common_cv > 0 else None
    custom = np.empty((n, len(model.custom)))
    z = np.empty((n, width)) if width else None

    j, pos = first_block, start
    while pos < stop:
        end = min(stop, (j + 1) * BLOCK)
        gen = block_generator(seed, j)
        sl = slice(pos - start, end - start)
        u[sl] = model.entrant.draw(gen, pos, end)
        if market is not None:
            market[sl] = model.market.draw(gen, pos, end)
        if common is not None:
            common[sl] = lognormal_factor(gen, model.common_cv, end - pos)
        for c, sampler in enumerate(model.custom):
            custom[sl, c] = sampler.draw(gen, pos, end)
        if z is not None:
            gen.standard_normal(out=z[sl])
        pos, j = end, j + 1

    if common is not None:
        if market is not None:
            market *= common
        custom *= common[:, None]
    if model.entrant_scale == "share":
        u *= market
    elif model.entrant_scale == "units" and common is not None:
        u *= common

    # listed brands: base * exp(sigma z - sigma^2 / 2), times the market size for shares
    if nl:
        if noisy_listed:
            listed = z[:, :nl]
            listed *= listed_sigma
            np.exp(listed, out=listed)
            listed *= model.listed_base * np.exp(-0.5 * listed_sigma**2)
        else:
            listed = np.broadcast_to(model.listed_base, (n, nl)).copy()
        share = model.listed_share
        if share.all():
            listed *= market[:, None]
        elif share.any():
            listed[:, share] *= market[:, None]
            if common is not None:
                listed[:, ~share] *= common[:, None]
        elif common is not None:
            listed *= common[:, None]
    else:
        listed = np.empty((n, 0))

    taken = listed.sum(axis=1) + custom.sum(axis=1)
    if model.own_figure is not None:  # the residual leaves out the ranked brand's figure
        if model.own_is_share:
            taken += model.own_figure * market
        else:
            taken += model.own_figure * (common if common is not None else 1.0)
    if k:
        residual = np.maximum(market - taken, 0.0)  # unlisted brands need a market size
        if noisy_unlisted:
            unlisted = z[:, width - k :]
            sigma = math.sqrt(math.log1p(model.unlisted_cv**2))
            unlisted *= sigma
            np.exp(unlisted, out=unlisted)
            unlisted *= model.unlisted_weights * math.exp(-0.5 * sigma * sigma)
        else:
            unlisted = np.broadcast_to(model.unlisted_weights, (n, k)).copy()
        unlisted *= residual[:, None]
    else:
        unlisted = np.empty((n, 0))

    out = _Chunk()
    out.u = u
    out.market_total = market if market is not None else taken
    out.parts = (listed, custom, unlisted)
    return out


def _effective_entrant(model: RankModel, chunk: _Chunk) -> np.ndarray:
    """The entrant's volume measured against competitors before any proportional draw:
    with ``draw="proportional"`` competitors shrink by (M - u) / M, and beating
    ``v (M - u) / M`` is beating ``v`` with ``u M / (M - u)``."""
    u = chunk.u
    if not model.proportional:
        return u
    total = chunk.market_total
    with np.errstate(divide="ignore", invalid="ignore"):
        eff = np.where(total > u, u * total / (total - u), np.inf)
    eff[u == 0] = 0.0
    return eff


def _chunks(draws: int, chunk_size: int):
    step = max(BLOCK, -(-int(chunk_size) // BLOCK) * BLOCK)
    for start in range(0, draws, step):
        yield start // BLOCK, start, min(draws, start + step)


def _prepare(model: RankModel, draws: int, seed: int) -> None:
    for sampler in model.samplers():
        sampler.prepare(draws, seed)


def rank_counts(
    model: RankModel, *, draws: int, seed: int, chunk_size: int = DEFAULT_CHUNK, bar=None
) -> np.ndarray:
    """Counts of each rank 1..n_competitors+1 over ``draws`` draws (index 0 = rank 1).

    ``bar``, a tqdm bar owned by the caller, advances by the draws done.
    """
    _prepare(model, draws, seed)
    counts = np.zeros(model.n_competitors + 2, dtype=np.int64)
    for block, start, stop in _chunks(draws, chunk_size):
        chunk = _draw_chunk(model, seed, block, start, stop)
        eff = _effective_entrant(model, chunk)[:, None]
        above = np.zeros(stop - start, dtype=np.int64)
        for part in chunk.parts:
            if part.shape[1]:
                above += np.count_nonzero(part > eff, axis=1)
        counts += np.bincount(above + 1, minlength=len(counts))
        if bar is not None:
            bar.update(stop - start)
    return counts[1:]


def rank_thresholds(
    model: RankModel,
    rank: int,
    *,
    draws: int,
    seed: int,
    chunk_size: int = DEFAULT_CHUNK,
    bar=None,
) -> np.ndarray:
    """Per draw, the least volume of the brand that gives it rank <= ``rank``: the
    ``rank``-th largest competitor volume (0 when there are fewer competitors), adjusted
    for a proportional draw (``t M / (M + t)``). Ignores the brand's own volume."""
    _prepare(model, draws, seed)
    out = np.empty(draws)
    m = model.n_competitors
    for block, start, stop in _chunks(draws, chunk_size):
        chunk = _draw_chunk(model, seed, block, start, stop)
        if rank > m:
            t = np.zeros(stop - start)
        else:
            allv = np.concatenate(chunk.parts, axis=1)
            t = np.partition(allv, m - rank, axis=1)[:, m - rank]
        if model.proportional:
            total = chunk.market_total
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(total + t > 0, t * total / (total + t), 0.0)
        out[start:stop] = t
        if bar is not None:
            bar.update(stop - start)
    return out
