"""Where the intervals come from: libraries of historical forecast-error paths.

An *error path* is, for one forecast origin, ``e_h = log(actual units over the next h
periods / forecast units over them)`` for ``h = 1..H``. A projection's sample paths are
``anchor + forecast(t) * exp(e(t))`` with ``e`` drawn as a whole path (so draws are joint
across dates), interpolated between whole periods and extended in proportion beyond ``H``.
Draws are smoothed (each path moves by ``z`` times Silverman's bandwidth per horizon), so a
library of a few dozen paths does not give too-narrow tails.

Libraries, in order of preference:

- ``self``: rolling-origin forecasts of the same model on the series' own history (each
  origin fitted only on the figures up to it, :mod:`.rolling`), their spread rescaled by
  :func:`spread_factor` (errors that grow over time, as an S-curve's do when its ceiling
  moves, make the past spread understate the next error);
- ``pooled``: run-rate forecast errors of the brands in the packaged IDC worldwide quarterly
  history (``worldwide_quarterly_shipments_by_vendor``), the origins nearest in stage
  (year-on-year growth of the flow) to the series; centred on zero for models other than
  ``runrate`` so that only their spread is borrowed;
- ``scenario``: the analyst's range for the growth of the pace, ``e = log(1 + g)`` with
  ``g`` uniform.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from marketdata import datasets
from marketdata import schema as s

from .data import PERIODS_PER_YEAR, CumulativeSeries
from .rolling import H

__all__ = [
    "Library",
    "choose_library",
    "pooled",
    "pooled_library",
    "scenario_library",
    "spread_factor",
    "stage_growth",
]

POOL_STEP = 0.25  # the IDC library is quarterly
MIN_SELF = 8  # paths with >= 4 horizons before the self library is used alone
POOL_SIZE = 40  # paths taken from the pooled library
CENTRE_SELF = False  # keep the model's own median error (its bias) in the library
SMOOTH = True
SELF_RECENT = 0  # use only the most recent origins of the self library (0: all)
RECAL_START = MIN_SELF  # errors before the first sequential check of the library's spread
RECAL_HORIZONS = 4  # horizons the spread factor is measured on
RECAL_PERMUTATIONS = 64  # random orders for the exchangeable reference
DATASET = "worldwide_quarterly_shipments_by_vendor"


@dataclass(frozen=True)
class Library:
    """Error paths E (K, H) on a time step (years), and how they were made."""

    errors: np.ndarray
    step: float
    kind: str  # "self", "pooled", "self+pooled", "scenario", "growth"
    description: str
    scenario: tuple[float, float] | None = None
    smooth: bool = SMOOTH  # False: the paths are the distribution (simulated, not observed)

    def draw(self, rng: np.random.Generator, n: int, tau: np.ndarray) -> np.ndarray:
        """Log error factors (n, D) at ``tau`` years after the anchor (tau > 0)."""
        if self.scenario is not None:
            g = rng.uniform(self.scenario[0], self.scenario[1], size=n)
            return np.broadcast_to(np.log1p(g)[:, None], (n, tau.size)).copy()
        E = self.errors
        k = self.indices(rng, n)
        Hn = E.shape[1]
        full = np.concatenate([np.zeros((E.shape[0], 1)), E], axis=1)[k]  # (n, H+1)
        if self.smooth and E.shape[0] > 1:
            # smoothed bootstrap: each drawn path moves by z * Silverman's bandwidth per
            # horizon (one z per path keeps it coherent); widens the tails of a small library
            full = full + rng.standard_normal(n)[:, None] * np.r_[0.0, _bandwidth(E)][None, :]
        x = np.maximum(tau / self.step, 0.0)
        i = np.minimum(np.floor(x).astype(int), Hn - 1)
        frac = np.minimum(x - i, 1.0)
        inside = full[:, i] + frac * (full[:, i + 1] - full[:, i])
        beyond = full[:, [Hn]] * (x / Hn)
        return np.where(x <= Hn, inside, beyond)

    def indices(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Which paths the ``n`` draws take: at random, with replacement."""
        return rng.integers(self.errors.shape[0], size=n)


def _bandwidth(E: np.ndarray) -> np.ndarray:
    """Silverman's rule-of-thumb bandwidth of each horizon's errors."""
    sd = E.std(axis=0, ddof=1)
    q75, q25 = np.percentile(E, [75, 25], axis=0)
    spread = np.minimum(sd, (q75 - q25) / 1.34)
    spread = np.where(spread > 0, spread, sd)
    return 0.9 * spread * E.shape[0] ** (-0.2)


def _complete(E: np.ndarray) -> np.ndarray:
    """Fill missing later horizons in proportion to the last known one; drop empty paths."""
    known = np.isfinite(E)
    keep = known[:, 0]
    E = E[keep]
    known = known[keep]
    last = known.sum(axis=1)  # horizons present (a prefix)
    h = np.arange(1, E.shape[1] + 1)
    e_last = E[np.arange(E.shape[0]), np.maximum(last - 1, 0)]
    fill = e_last[:, None] * h[None, :] / np.maximum(last, 1)[:, None]
    return np.where(known, E, fill)


def _centre(E: np.ndarray) -> np.ndarray:
    """Shift each horizon's errors to median zero (only when CENTRE_SELF is set).

    Off by default: centring hides a model's bias (the IDC backtests of ``exponential``
    covered 25-36% with centred errors, 78-88% without).
    """
    if not CENTRE_SELF or E.shape[0] == 0:
        return E
    return E - np.median(E, axis=0, keepdims=True)


def scenario_library(growth: tuple[float, float]) -> Library:
    lo, hi = (float(x) for x in growth)
    if not (-1 < lo <= hi):
        raise ValueError(f"scenario growth must be (low, high) with -1 < low <= high, got {growth}")
    return Library(
        np.zeros((1, 1)),
        1.0,
        "scenario",
        f"analyst scenario: the future pace is the model's times (1 + g), g uniform in "
        f"[{lo:+.0%}, {hi:+.0%}]",
        (lo, hi),
    )


def _sequential_ratio(E: np.ndarray) -> np.ndarray:
    """Median over j >= RECAL_START of |e_j - median(e_<j)| / MAD(e_<j); E (P, K, h) -> (P, h).

    Each error against the spread of the errors before it: what a library built at origin
    j would have had to cover. A loop over prefix lengths, vectorised over orders and
    horizons.
    """
    K = E.shape[1]
    ratios = []
    for j in range(RECAL_START, K):
        past = E[:, :j]
        med = np.median(past, axis=1)
        mad = np.median(np.abs(past - med[:, None, :]), axis=1)
        ok = mad > 1e-12
        ratios.append(np.where(ok, np.abs(E[:, j] - med) / np.where(ok, mad, 1.0), np.nan))
    r = np.stack(ratios, axis=1)
    r = np.sort(r, axis=1)  # NaN last
    n = np.isfinite(r).sum(axis=1)  # (P, h)
    lo = np.take_along_axis(r, np.maximum((n - 1) // 2, 0)[:, None, :], axis=1)[:, 0]
    hi = np.take_along_axis(r, np.maximum(n // 2, 0)[:, None, :], axis=1)[:, 0]
    return np.where(n >= 4, 0.5 * (lo + hi), np.nan)


def spread_factor(errors: np.ndarray | None) -> float:
    """How much wider the next error is than a library of past errors suggests (1: as wide).

    ``errors`` (K, H) are a model's rolling-origin log errors in the order of their
    origins. For each error from the ``RECAL_START``-th on, the ratio of its distance from
    the median of the errors before it to their median absolute deviation is taken, and
    the median of those ratios (per horizon 1..``RECAL_HORIZONS``) is compared with the same
    statistic for the errors in random orders (``RECAL_PERMUTATIONS`` fixed permutations,
    seed 0): if errors were exchangeable (their order did not matter) the two would agree
    and the factor would be 1, whatever the number of errors. The factor is the geometric
    mean over the horizons of the two; the library's deviations from its median are
    multiplied by it. It uses only the errors given (for a backtest, those known by the
    origin), and is 1 when there are too few (fewer than ``RECAL_START + 4`` complete
    paths) to say.

    Why: refitting an S-curve on more figures moves its ceiling, so its errors are not
    exchangeable: later ones are larger and one-sided, and the plain library of past
    errors covered only 67-71% of actuals with 80% intervals for ``logistic`` and ``bass``
    on the IDC vendor backtests. The rescaling is the same rule for every model (it also
    narrows libraries whose errors shrank).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> steady = rng.normal(0, 0.1, size=(40, 4))
    >>> growing = steady * np.linspace(0.5, 3.0, 40)[:, None]  # errors widening over time
    >>> bool(0.7 < spread_factor(steady) < 1.3), bool(spread_factor(growing) > 1.3)
    (True, True)
    >>> spread_factor(steady[:10])  # too few errors to say
    1.0
    """
    if errors is None:
        return 1.0
    E = np.asarray(errors, dtype=float)[:, :RECAL_HORIZONS]
    E = E[np.isfinite(E).all(axis=1)]
    K = E.shape[0]
    if K < RECAL_START + 4:
        return 1.0
    observed = _sequential_ratio(E[None])[0]
    order = np.argsort(np.random.default_rng(0).random((RECAL_PERMUTATIONS, K)), axis=1)
    reference = np.nanmedian(_sequential_ratio(E[order]), axis=0)
    ratio = observed / reference
    ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
    if ratio.size == 0:
        return 1.0
    return float(np.exp(np.mean(np.log(ratio))))


# --------------------------------------------------------------------------- pooled library


@functools.cache
def pooled_library() -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Run-rate error paths of the packaged IDC brands: (E (K, H), stage (K,), origin instant
    as days since 1970 (K,), brand per path)."""
    frame = datasets.load(DATASET)
    frame = frame[~frame[s.BRAND].isin(s.RESIDUAL_BRANDS)]
    paths, stages, when, brands = [], [], [], []
    for brand, g in frame.groupby(s.BRAND, sort=True):
        g = g.sort_values(s.START)
        q = g[s.START].dt.year.to_numpy() * 4 + (g[s.START].dt.month.to_numpy() - 1) // 3
        f = g[s.UNITS].to_numpy(dtype=float)
        end_days = g[s.END].to_numpy().astype("datetime64[D]").astype(np.int64) + 1
        for o in range(4, f.size):
            if q[o] - q[o - 4] != 4 or f[o - 4] <= 0 or f[o] <= 0:
                continue
            e = np.full(H, np.nan)
            total = 0.0
            for h in range(1, H + 1):
                if o + h >= f.size or q[o + h] != q[o] + h:
                    break
                total += f[o + h]
                e[h - 1] = np.log(total / (h * f[o])) if total > 0 else np.nan
            if np.isnan(e[0]):
                continue
            paths.append(e)
            stages.append(np.log(f[o] / f[o - 4]))
            when.append(end_days[o])
            brands.append(str(brand))
    return np.array(paths), np.array(stages), np.array(when), tuple(brands)


def pooled(
    stage: float | None, *, centred: bool, before_days: float | None = None, exclude=None
) -> np.ndarray:
    """The POOL_SIZE pooled paths nearest in stage (all when stage is None)."""
    E, st, when, brands = pooled_library()
    E = E.copy()
    keep = np.ones(E.shape[0], dtype=bool)
    if exclude is not None:
        keep &= np.array([b != exclude for b in brands])
    if before_days is not None:
        h_days = (np.arange(1, H + 1) * POOL_STEP * 365.25)[None, :]
        E = np.where(when[:, None] + h_days <= before_days + 1, E, np.nan)
        keep &= np.isfinite(E[:, 0])
    E, st = E[keep], st[keep]
    if E.shape[0] == 0:
        return np.zeros((0, H))
    if stage is not None and np.isfinite(stage) and E.shape[0] > POOL_SIZE:
        near = np.argsort(np.abs(st - stage), kind="stable")[:POOL_SIZE]
        E = E[near]
    E = _complete(E)
    if centred and E.shape[0]:
        E = E - np.median(E, axis=0, keepdims=True)
    return E


def stage_growth(series: CumulativeSeries) -> float | None:
    """Year-on-year log growth of the pace at the last figure, when the figures show it."""
    if series.freq is not None and series.flows.size > PERIODS_PER_YEAR[series.freq]:
        per = PERIODS_PER_YEAR[series.freq]
        f = series.flows
        if f[-1] > 0 and f[-1 - per] > 0:
            return float(np.log(f[-1] / f[-1 - per]) * (1 if per > 1 else 1))
        return None
    t, c = series.known_t, np.sqrt(series.known_lo * series.known_hi)
    if t.size < 3:
        return None
    p1 = (c[-2] - c[-3]) / (t[-2] - t[-3])
    p2 = (c[-1] - c[-2]) / (t[-1] - t[-2])
    if p1 <= 0 or p2 <= 0:
        return None
    gap = 0.5 * (t[-1] - t[-3])
    return float(np.log(p2 / p1) / gap)


def choose_library(
    spec, series, errors_self, *, scenarios=None, before_days=None, exclude=None
) -> Library:
    """The error library a projection uses, with its description."""
    if scenarios is not None:
        if set(scenarios) - {"growth"}:
            raise ValueError(
                f"scenarios takes {{'growth': (low, high)}}, got keys {sorted(scenarios)}"
            )
        return scenario_library(scenarios["growth"])
    centred = spec.model.name != "runrate"
    stage = stage_growth(series)
    step_self = 1.0 / PERIODS_PER_YEAR[series.freq] if series.freq else POOL_STEP
    if errors_self is not None and SELF_RECENT:
        errors_self = errors_self[-SELF_RECENT:]
    have = (
        0
        if errors_self is None
        else int((np.isfinite(errors_self[:, : min(4, errors_self.shape[1])]).all(axis=1)).sum())
    )
    if errors_self is not None and have >= MIN_SELF:
        E = _centre(_complete(errors_self))
        c = spread_factor(errors_self)
        if c != 1.0:
            med = np.median(E, axis=0, keepdims=True)
            E = med + c * (E - med)
        return Library(
            E,
            step_self,
            "self",
            f"empirical: {E.shape[0]} rolling-origin forecast errors of "
            f"this model on this series' own history, resampled as whole paths"
            + (
                f", spread x{c:.2f} (errors in the order they came against the same errors "
                "in random order)"
                if c != 1.0
                else ""
            ),
        )
    P = pooled(stage, centred=centred, before_days=before_days, exclude=exclude)
    how = (
        "nearest in year-on-year growth"
        if stage is not None
        else "all stages (growth not known from the figures)"
    )
    if errors_self is not None and have > 0 and series.freq == "Q":
        E = np.concatenate([_centre(_complete(errors_self)), P[: max(POOL_SIZE - have, 0)]])
        return Library(
            E,
            POOL_STEP,
            "self+pooled",
            f"empirical: {have} rolling-origin errors on this series "
            f"plus {E.shape[0] - have} run-rate errors of packaged IDC brands ({how})",
        )
    if P.shape[0] == 0:
        raise ValueError(
            "no pooled history before this date to make intervals from; pass scenarios="
        )
    return Library(
        P,
        POOL_STEP,
        "pooled",
        f"empirical: {P.shape[0]} run-rate forecast-error paths of brands "
        f"in the packaged IDC quarterly history ({how})"
        + (", centred on this model" if centred else ""),
    )
