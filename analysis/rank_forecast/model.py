"""Build the simulation model from market figures and the analyst's options."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.rank_forecast.inputs import MarketWindow, read_window
from analysis.rank_forecast.samplers import Fixed, check_cv, make_sampler
from analysis.rank_forecast.simulate import RankModel
from marketdata import schema as s
from marketdata.errors import DataError, DoubleCountWarning

__all__ = ["BUILD_KEYS", "Built", "build_model", "deterministic_rank", "geometric_weights"]

SPLITS = ("equal", "geometric")
#: The options of :func:`build_model` (what the model is made of, not how it is run).
BUILD_KEYS = frozenset(
    {
        "market",
        "end",
        "market_size",
        "market_cv",
        "cv",
        "common_cv",
        "incumbents",
        "unlisted",
        "split",
        "tail_ratio",
        "draw",
    }
)


@dataclass
class Built:
    model: RankModel
    window: MarketWindow
    base_units: np.ndarray  # competitors' base volumes, in RankModel.names order
    brand_base: float
    unlisted: int
    split: str
    tail_ratio: float | None
    inputs: pd.DataFrame
    assumptions: list[str]
    warnings: list[str]


def geometric_weights(k: int, ratio: float) -> np.ndarray:
    """Weights ``ratio**j / sum`` for j = 0..k-1 (largest first)."""
    w = ratio ** np.arange(k, dtype=float)
    return w / w.sum()


def solve_tail_ratio(residual: float, k: int, cap: float) -> float | None:
    """The ratio r in (0, 1) whose geometric split of ``residual`` over ``k`` brands puts
    the largest at ``cap`` (continuing the ranking below the smallest listed brand):
    ``residual (1 - r) / (1 - r**k) = cap``. None when no such r exists (an equal split
    already reaches ``cap``, or the residual is below it)."""
    if k < 2 or residual <= cap or residual / k >= cap:
        return None
    lo, hi = 1e-12, 1.0 - 1e-12
    for _ in range(200):  # the largest share falls as r rises: bisect
        mid = 0.5 * (lo + hi)
        largest = residual * geometric_weights(k, mid)[0]
        lo, hi = (mid, hi) if largest > cap else (lo, mid)
    return 0.5 * (lo + hi)


def _cv_of(cv, names: list[str], brand: str) -> tuple[dict[str, float], float, float]:
    """(cv per listed name, cv for unlisted brands, cv of the brand itself)."""
    if isinstance(cv, Mapping):
        known = set(names) | {brand, s.OTHERS}
        unknown = sorted(set(cv) - known)
        if unknown:
            raise ValueError(
                f"cv names brands not in the market figures: {unknown}; use one of "
                f"{sorted(known)} ({s.OTHERS!r} = the unlisted brands)"
            )
        per = {n: check_cv(cv.get(n, 0.0), f"cv[{n!r}]") for n in names}
        return (
            per,
            check_cv(cv.get(s.OTHERS, 0.0), "cv['Others']"),
            check_cv(cv.get(brand, 0.0), f"cv[{brand!r}]"),
        )
    one = check_cv(cv, "cv")
    return dict.fromkeys(names, one), one, one


def build_model(
    figures: pd.DataFrame,
    brand: str,
    units,
    *,
    market: str | None = None,
    end=None,
    market_size=None,
    market_cv: float = 0.0,
    cv=0.0,
    common_cv: float = 0.0,
    incumbents: Mapping | None = None,
    unlisted: int | None = None,
    split: str = "equal",
    tail_ratio: float | None = None,
    draw: str | None = "proportional",
) -> Built:
    if not isinstance(brand, str) or not brand:
        raise TypeError(f"brand must be a brand name (str), got {brand!r}")
    if brand in s.RESIDUAL_BRANDS:
        raise ValueError(f"{brand!r} is a residual, never ranked as a brand")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if draw not in ("proportional", None, "none"):
        raise ValueError(f"draw must be 'proportional' or None, got {draw!r}")
    if tail_ratio is not None and not (0 < float(tail_ratio) <= 1):
        raise ValueError(f"tail_ratio must lie in (0, 1], got {tail_ratio!r}")
    market_cv = check_cv(market_cv, "market_cv")
    common_cv = check_cv(common_cv, "common_cv")
    win = read_window(figures, market=market, end=end)
    window = (win.start, win.end)
    notes = list(win.notes)
    assumptions: list[str] = []

    # market size
    market_sampler = None
    all_units = not win.is_share.any()
    if market_size is not None:
        market_sampler = make_sampler(market_size, what="market_size", cv=market_cv, window=window)
        if market_cv and not isinstance(market_sampler, Fixed):
            notes.append("market_cv is ignored: market_size is already a distribution")
    elif win.market_size is not None:
        market_sampler = Fixed(win.market_size, market_cv)
    elif win.residual is not None and all_units and not win.residual_is_share:
        total = float(win.values.sum() + win.residual)
        market_sampler = Fixed(total, market_cv)
        assumptions.append(
            f"market size = the listed brands plus {s.OTHERS} = {total:,.0f} (no market-size row)"
        )
    if market_sampler is not None and not np.isfinite(market_sampler.base):
        raise ValueError("market_size has no finite median; give a proper distribution")
    if market_sampler is not None and market_sampler.base <= 0 and not len(win.names):
        raise DataError(
            "the market is empty: its size is 0 and no brand is listed",
            column=s.UNITS,
            hint="give a market size above 0 or the brands' figures",
        )
    if win.is_share.any() and market_sampler is None:
        raise DataError(
            "the figures give shares but no market size to turn them into units",
            column=s.SHARE,
            hint="add a brand-NA row with the market's units, or pass market_size=",
        )
    if not len(win.names) and market_sampler is None:
        raise DataError(
            "the market is empty: no brand figures and no market size",
            hint="pass the figures of one market window (brands and/or a market size)",
        )
    m_base = market_sampler.base if market_sampler is not None else None

    names = list(win.names)
    base_units = np.where(win.is_share, win.values * (m_base or 0.0), win.values)
    figure_base = base_units.copy()  # every listed brand, the ranked one included
    incumbents = dict(incumbents or {})
    extra = [str(n) for n in incumbents if n not in names]
    cv_per, cv_unlisted, cv_brand = _cv_of(cv, names + extra, brand)

    # the brand itself
    entrant_scale = None
    proportional = False
    own_figure, own_is_share, own_base = None, False, 0.0
    if brand in names:
        i = names.index(brand)
        own_figure, own_is_share = float(win.values[i]), bool(win.is_share[i])
        own_base = float(base_units[i])
        if units is None:
            entrant = Fixed(float(win.values[i]), cv_brand)
            entrant_scale = "share" if win.is_share[i] else "units"
            brand_base = float(base_units[i])
        else:
            entrant = make_sampler(units, what="units", window=window)
            brand_base = entrant.base
            notes.append(f"{brand}'s figure in the market figures is replaced by units=")
        keep = [j for j in range(len(names)) if j != i]
        names = [names[j] for j in keep]
        listed_values, listed_share = win.values[keep], win.is_share[keep]
        base_units = base_units[keep]
    else:
        if units is None:
            raise ValueError(
                f"{brand!r} is not in the market figures (brands: {sorted(names)}); "
                "give its volume with units="
            )
        entrant = make_sampler(units, what="units", window=window)
        brand_base = entrant.base
        listed_values, listed_share = win.values, win.is_share
        proportional = draw == "proportional"
        if proportional and market_sampler is None and not len(names):
            proportional = False

    # incumbents with their own distributions
    custom_names: list[str] = []
    custom = []
    if brand in incumbents:
        raise ValueError(
            f"{brand!r} is the brand ranked; give its volume with units=, not incumbents="
        )
    for j, (name, spec) in enumerate(incumbents.items()):
        if name in s.RESIDUAL_BRANDS:
            raise ValueError(f"{name!r} is a residual, never ranked; set unlisted= instead")
        sampler = make_sampler(
            spec,
            what=f"incumbents[{name!r}]",
            cv=cv_per[str(name)],
            window=window,
            seed_offset=j + 1,
        )
        custom_names.append(str(name))
        custom.append(sampler)
        if name in names:
            i = names.index(name)
            names.pop(i)
            listed_values = np.delete(listed_values, i)
            listed_share = np.delete(listed_share, i)
            base_units = np.delete(base_units, i)
        else:
            notes.append(f"{name!r} is not in the market figures; added as a competitor")
    custom_base = np.array([c.base for c in custom], dtype=float)

    # the residual and the unlisted brands
    competitor_base = np.concatenate([base_units, custom_base])
    # the residual is what the figures leave out: the brand's own figure is not in it
    taken_base = competitor_base.sum() + own_base
    residual = (m_base - taken_base) if m_base is not None else 0.0
    if m_base is not None and residual < -1e-9 * max(m_base, 1.0):
        message = (
            f"the listed brands add up to {taken_base:,.0f}, more than the market "
            f"size {m_base:,.0f}; no room is left for unlisted brands"
        )
        warnings.warn(message, DoubleCountWarning, stacklevel=3)
        notes.append(message)
    residual = max(residual, 0.0)
    # the smallest listed brand (the ranked brand included when it is listed): unlisted
    # brands are the ones the source left out, so they sit below it
    listed_all = np.concatenate([figure_base, custom_base])
    positive = listed_all[listed_all > 0]
    smallest = float(positive.min()) if len(positive) else None
    if unlisted is None:
        if residual <= 0:
            k = 0
        elif smallest is None:
            raise ValueError(
                "no brand is listed, so the number of unlisted brands cannot be guessed; "
                "say how many there are with unlisted="
            )
        else:
            k = max(1, math.ceil(residual / smallest - 1e-9))
            assumptions.append(
                f"{k} unlisted brands share the residual {residual:,.0f} (default: the "
                f"fewest that keep each at or below the smallest listed brand, "
                f"{smallest:,.0f}, under an equal split; set unlisted= to change)"
            )
    else:
        if (
            isinstance(unlisted, bool)
            or not isinstance(unlisted, (int, np.integer))
            or unlisted < 0
        ):
            raise ValueError(f"unlisted must be a whole number >= 0, got {unlisted!r}")
        k = int(unlisted)
        if k and m_base is None:
            raise ValueError(
                "unlisted brands need a market size (or an Others row) to share; pass "
                "market_size= or add a brand-NA row"
            )
        if k:
            assumptions.append(f"{k} unlisted brands share the residual {residual:,.0f}")
    ratio = None
    if k:
        if split == "equal":
            weights = np.full(k, 1.0 / k)
        else:
            if tail_ratio is not None:
                ratio, why = float(tail_ratio), "as given"
            else:
                solved = solve_tail_ratio(residual, k, smallest) if smallest else None
                if solved is not None:
                    ratio, why = solved, "solved so the largest equals the smallest listed brand"
                elif smallest is not None and residual / k >= smallest:
                    ratio, why = 1.0, "an equal split: even that reaches the smallest listed brand"
                else:
                    ratio, why = 0.5, "default 0.5: the residual is below the smallest listed brand"
            weights = geometric_weights(k, ratio)
            assumptions.append(
                f"geometric tail: each unlisted brand has {ratio:.3f} times the one above ({why})"
            )
        largest = residual * weights[0]
        if smallest is not None and largest > smallest * (1 + 1e-9):
            notes.append(
                f"an unlisted brand gets {largest:,.0f}, more than the smallest listed brand "
                f"({smallest:,.0f}); if the source lists the top brands, raise unlisted="
            )
    else:
        weights = np.zeros(0)
        if residual > 0 and m_base is not None:
            notes.append(f"the residual {residual:,.0f} is not modelled as brands (unlisted=0)")

    for who, sampler in [(brand, entrant), ("market_size", market_sampler)] + list(
        zip(custom_names, custom, strict=True)
    ):
        other = getattr(getattr(sampler, "projection", None), "market", None)
        if isinstance(other, str) and win.market is not None and other != win.market:
            notes.append(
                f"the projection for {who} is for market {other}, the figures for {win.market}"
            )
    listed_cv = np.array([cv_per[n] for n in names], dtype=float)
    model = RankModel(
        brand=brand,
        entrant=entrant,
        listed_names=tuple(names),
        listed_base=np.asarray(listed_values, dtype=float),
        listed_share=np.asarray(listed_share, dtype=bool),
        listed_cv=listed_cv,
        custom_names=tuple(custom_names),
        custom=tuple(custom),
        market=market_sampler,
        common_cv=common_cv,
        unlisted_weights=weights,
        unlisted_cv=cv_unlisted,
        proportional=proportional,
        entrant_scale=entrant_scale,
        own_figure=own_figure,
        own_is_share=own_is_share,
        market_base=m_base,
    )
    all_base = np.concatenate([competitor_base, residual * weights])
    inputs = pd.DataFrame(
        {
            "brand": [brand, *model.names],
            "kind": ["brand"] + ["listed"] * len(names) + ["own"] * len(custom) + ["unlisted"] * k,
            "units": np.concatenate([[brand_base], all_base]),
            "cv": np.concatenate(
                [
                    [getattr(entrant, "cv", np.nan)],
                    listed_cv,
                    [getattr(c, "cv", np.nan) for c in custom],
                    np.full(k, cv_unlisted),
                ]
            ),
            "volume": [entrant.describe()]
            + [f"{v:,.0f}" for v in base_units]
            + [c.describe() for c in custom]
            + [f"{v:,.0f}" for v in residual * weights],
        }
    )
    assumptions.append(
        "uncertain volumes given as a CV are base x log-normal noise with mean 1; "
        "(low, base, high) triples are Beta-PERT"
    )
    if common_cv:
        assumptions.append(
            f"a common market-wide factor (CV {common_cv:g}) moves every competitor and the "
            "market size together"
        )
    if proportional:
        assumptions.append(
            f"{brand}'s volume is taken from the competitors in proportion to their volumes "
            "(draw='proportional'; draw=None lets the market grow instead)"
        )
    assumptions.append("ties share the better rank (rank = 1 + competitors with strictly more)")
    return Built(
        model=model,
        window=win,
        base_units=all_base,
        brand_base=brand_base,
        unlisted=k,
        split=split,
        tail_ratio=ratio,
        inputs=inputs,
        assumptions=assumptions,
        warnings=notes,
    )


def deterministic_rank(built: Built) -> int:
    """Rank with every input at its base value: 1 + competitors strictly above."""
    v = built.base_units
    u = built.brand_base
    if built.model.proportional:
        total = built.model.market_base if built.model.market_base is not None else v.sum()
        v = v * (max(total - u, 0.0) / total if total > 0 else 0.0)
    return int(1 + np.count_nonzero(v > u))
