"""The growth-stage model: growth that decays the way brands' growth decayed at IDC.

On a few annual or half-year figures of a brand that is growing fast, neither a constant pace
(``runrate``) nor an unbounded exponential is what happened to such brands. The packaged IDC
worldwide vendor history says how fast a brand growing ``k``-fold a year slowed in the
following year; this module estimates that as a *decay law* on log growth,

    g_next = a + b * g_this + e,

where ``g = log(units in a year / units in the year before)``, fitted by least squares on
every (this year, next year) pair of the history, and draws ``e`` from the residuals of the
pairs nearest in ``g_this`` (growth spreads more at some stages than at others). Paths are
simulated year by year (each year's growth feeds the next), so draws are joint across years;
within a year the flow grows at that year's rate.

The history (:func:`pairs`):

- ``worldwide_annual_shipments_by_vendor``: calendar years, three in a row listed;
- ``worldwide_quarterly_shipments_by_vendor``: years ending at every quarter (sums of four
  listed quarters), three such years in a row; a year ending in December that the annual
  dataset already gives is not counted twice.

Monte Carlo error. The ``PATHS`` (2000) paths are the distribution, drawn evenly
(:class:`BalancedLibrary`: ``predict`` and ``interval`` take each path once), and each
year's residual ranks are dealt out rather than drawn at random (:func:`simulate`). Before,
the per-year medians of seeds 0..9 spread by 2.3%, 3.6% and 5.1% (Samsung 2008-2012, next
three years): the first year has only 40 outcomes and its median sat between two of them.
Now years 1-2 are exact (the same outcomes whatever the seed: 0.0% and under 0.01%), and the
third year, still a Monte Carlo estimate of a wide distribution, spreads 1.3% (Apple
2007-2010: 1.6%), at the same cost (about 0.1 s a fit and predict).

A pair is known at the end of its second year: :func:`decay_law` with ``before`` uses only
the pairs known by then, so a backtest for year ``Y`` uses nothing from ``Y`` on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._format import count_label
from marketdata import datasets
from marketdata import schema as s
from marketdata.errors import DataError

from . import uncertainty
from .data import PERIODS_PER_YEAR, CumulativeSeries

__all__ = ["BalancedLibrary", "DecayLaw", "decay_law", "pairs", "stage", "simulate", "cumulative"]

ANNUAL = "worldwide_annual_shipments_by_vendor"
QUARTERLY = "worldwide_quarterly_shipments_by_vendor"
NEAREST = 40  # residuals drawn from the pairs nearest in this year's growth
MIN_PAIRS = 20  # fewer pairs known before a date: no law
YEARS = 10  # years simulated; beyond, the last year's pace is held
STEP = 1.0 / 12.0  # months: the grid of the error library the paths make
PATHS = 2000  # = Projection's N_DRAWS: predict and interval take each path once


@dataclass(frozen=True)
class BalancedLibrary(uncertainty.Library):
    """The growth model's simulated paths, drawn evenly: ``n`` draws take every path
    ``n // K`` times and ``n % K`` of them once more (in random order), not ``n`` at
    random. The paths *are* the distribution (stratified, see :func:`simulate`), so a
    draw of ``K`` (``predict``, ``interval``: 2000) is the library itself."""

    def indices(self, rng: np.random.Generator, n: int) -> np.ndarray:
        K = self.errors.shape[0]
        extra = rng.choice(K, size=n % K, replace=False)
        return rng.permutation(np.r_[np.tile(np.arange(K), n // K), extra])


@functools.cache
def pairs() -> pd.DataFrame:
    """Every (this year, next year) growth pair of the packaged IDC vendor history.

    Returns
    -------
    DataFrame
        [brand, source, end, g_this, g_next, known]: ``end`` is the last day of "this
        year", ``known`` the last day of the next year (when the pair is known),
        ``source`` "annual" or "quarterly".

    Examples
    --------
    >>> p = pairs()
    >>> row = p[(p["brand"] == "Samsung") & (p["end"] == "2010-12-31")].iloc[0]
    >>> # IDC via Statista: 5.5M (2009), 22.9M (2010), 94.2M (2011)
    >>> round(float(row["g_this"]), 3), round(float(row["g_next"]), 3)
    (1.426, 1.414)
    """
    annual = datasets.load(ANNUAL)
    annual = annual[~annual[s.BRAND].isin(s.RESIDUAL_BRANDS)]
    years = annual.groupby([s.BRAND, annual[s.END].dt.year])[s.UNITS].sum()
    rows = []
    for brand, g in years.groupby(level=0):
        u = g.droplevel(0)
        for y in u.index:
            if y - 1 in u.index and y + 1 in u.index:
                rows.append((brand, "annual", pd.Timestamp(y, 12, 31), u[y - 1], u[y], u[y + 1]))
    quarterly = datasets.load(QUARTERLY)
    quarterly = quarterly[~quarterly[s.BRAND].isin(s.RESIDUAL_BRANDS)]
    qi = quarterly[s.END].dt.year * 4 + (quarterly[s.END].dt.month - 1) // 3
    quarterly = quarterly.assign(_q=qi.to_numpy())
    for brand, g in quarterly.groupby(s.BRAND):
        f = g.groupby("_q")[s.UNITS].sum()
        f = f.reindex(range(int(f.index.min()), int(f.index.max()) + 1))
        year = f.rolling(4).sum()  # NaN unless four listed quarters
        for i in year.index:
            prev, this, nxt = year.get(i - 4), year.get(i), year.get(i + 4)
            if not all(v is not None and np.isfinite(v) for v in (prev, this, nxt)):
                continue
            y, q = divmod(i, 4)
            end = pd.Timestamp(y, 3 * q + 3, 1) + pd.offsets.MonthEnd(0)
            if q == 3 and (brand, y) in years.index:
                continue
            rows.append((brand, "quarterly", end, prev, this, nxt))
    out = pd.DataFrame(rows, columns=["brand", "source", "end", "prev", "this", "next"])
    out = out[(out[["prev", "this", "next"]] > 0).all(axis=1)]
    return pd.DataFrame(
        {
            "brand": out["brand"].astype(str).to_numpy(),
            "source": out["source"].to_numpy(),
            "end": pd.DatetimeIndex(out["end"]),
            "g_this": np.log(out["this"] / out["prev"]).to_numpy(),
            "g_next": np.log(out["next"] / out["this"]).to_numpy(),
            "known": pd.DatetimeIndex(out["end"]) + pd.DateOffset(years=1),
        }
    )


@dataclass(frozen=True)
class DecayLaw:
    """``g_next = a + b * g_this + e``, with the residuals ``e`` of the pairs it was fitted on.

    Examples
    --------
    >>> law = DecayLaw(a=0.0, b=0.5, g_this=np.array([0.0, 1.0]), residuals=np.array([0.1, -0.1]))
    >>> float(law.expected(np.log(4.0)))  # a brand growing 4x a year: 2x next year
    0.6931471805599453
    """

    a: float
    b: float
    g_this: np.ndarray
    residuals: np.ndarray
    before: pd.Timestamp | None = None

    @property
    def n(self) -> int:
        return int(self.g_this.size)

    @property
    def spread(self) -> float:
        """Standard deviation of the residuals."""
        return float(np.std(self.residuals, ddof=2)) if self.n > 2 else float("nan")

    def expected(self, g: np.ndarray | float) -> np.ndarray:
        return self.a + self.b * np.asarray(g, dtype=float)

    def ranked_residuals(self, g: np.ndarray) -> np.ndarray:
        """(len(g), k) the residuals of the ``k = min(NEAREST, n)`` pairs nearest in growth
        to each entry of ``g``, sorted by value (a path draws one of them: its rank)."""
        g = np.asarray(g, dtype=float)
        k = min(NEAREST, self.n)
        if k < self.n:
            dist = np.abs(g[:, None] - self.g_this[None, :])
            near = self.residuals[np.argpartition(dist, k - 1, axis=1)[:, :k]]
        else:
            near = np.broadcast_to(self.residuals, (g.size, self.n))
        return np.sort(near, axis=1)

    def describe(self) -> str:
        when = "" if self.before is None else f" known by {self.before.date()}"
        return (
            f"growth decays as in the packaged IDC vendor history: log growth next year = "
            f"{self.a:+.3f} + {self.b:.3f} x log growth this year, from {self.n} brand-year "
            f"pairs{when}; residual spread {self.spread:.3f}, drawn from the {min(NEAREST, self.n)} "
            "pairs nearest in growth; paths simulated year by year"
        )


@functools.cache
def _law(before: pd.Timestamp | None, exclude: str | None) -> DecayLaw:
    p = pairs()
    keep = np.ones(len(p), dtype=bool)
    if before is not None:
        keep &= (p["known"] <= before).to_numpy()
    if exclude is not None:
        keep &= (p["brand"] != exclude).to_numpy()
    p = p[keep]
    if len(p) < MIN_PAIRS:
        raise ValueError(
            f"only {count_label(len(p), 'growth pair')} in the packaged IDC history"
            + (f" known by {before.date()}" if before is not None else "")
            + f" (the decay law needs {MIN_PAIRS}); use another model or pass scenarios="
        )
    x, y = p["g_this"].to_numpy(), p["g_next"].to_numpy()
    b, a = np.polyfit(x, y, 1)
    return DecayLaw(float(a), float(b), x, y - (a + b * x), before)


def decay_law(*, before=None, exclude: str | None = None) -> DecayLaw:
    """The decay law from the pairs known by ``before`` (all when None).

    Parameters
    ----------
    before : date-like, optional
        Use only pairs whose second year ended on or before this day.
    exclude : str, optional
        Leave out one brand's pairs.

    Examples
    --------
    >>> law = decay_law()
    >>> bool(0 < law.b < 1)  # growth persists, but decays
    True
    """
    when = None if before is None else pd.Timestamp(before).normalize()
    return _law(when, exclude)


def stage(series: CumulativeSeries, fixed_growth: float | None = None) -> tuple[float, float, str]:
    """(units in the year to the last figure, log growth of that year, how it was read).

    Regular flows (annual, half-year, quarterly, monthly) give both from whole periods; a
    cumulative path gives the units of the last year by interpolation and the growth from
    the paces of its last two intervals. Raises DataError when the figures do not show the
    growth and ``fixed_growth`` is not given.
    """
    per = PERIODS_PER_YEAR.get(series.freq or "", 0)
    f = series.flows
    if per and not series.has_levels and f.size >= per:
        units = float(f[-per:].sum())
        if f.size >= 2 * per:
            g = np.log(units / f[-2 * per : -per].sum()) if f[-2 * per : -per].sum() > 0 else np.nan
            how = "the last two years of figures"
        elif f.size > per:
            # years ending one period apart: annualise the growth over that period
            g = (
                np.log(units / f[-per - 1 : -1].sum()) * per
                if f[-per - 1 : -1].sum() > 0
                else np.nan
            )
            how = "years ending one period apart, annualised"
        else:
            g, how = np.nan, ""
    else:
        t, c = series.known_t, np.sqrt(series.known_lo * series.known_hi)
        span = t[-1] - t[0]
        pace = (c[-1] - c[-2]) / (t[-1] - t[-2])
        g, how = np.nan, ""
        if t.size >= 3:
            p1 = (c[-2] - c[-3]) / (t[-2] - t[-3])
            if p1 > 0 and pace > 0:
                g = np.log(pace / p1) / (0.5 * (t[-1] - t[-3]))
                how = "the paces of the last two intervals of the cumulative figures"
        if fixed_growth is not None:
            g = fixed_growth
        if span >= 1.0:
            units = float(c[-1] - np.interp(t[-1] - 1.0, t, c))
        elif np.isfinite(g) and pace > 0:
            # a flow growing at g whose mean over the last interval is the pace
            dt = t[-1] - t[-2]
            gg = g if abs(g) > 1e-9 else 1e-9
            mid = pace * gg * dt / np.expm1(gg * dt)  # the flow at the start of the interval
            units = float(mid * np.exp(gg * dt) * (-np.expm1(-gg)) / gg)
        else:
            units = np.nan
    if fixed_growth is not None:
        g, how = float(fixed_growth), "fixed by the analyst"
    if not (np.isfinite(g) and np.isfinite(units) and units > 0):
        raise DataError(
            f"the figures of {series.brand or 'the market'} in {series.market} do not show its "
            "growth (the growth model needs the units of two successive years, or three "
            "cumulative figures)",
            hint="give another figure, or set the current log growth a year, e.g. "
            "fixed={'growth': 1.1} for 3x a year",
        )
    return units, float(g), how


def _deal(groups: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Ranks 0..k-1 dealt evenly within each group: a group of ``m`` paths takes every rank
    ``m // k`` times and ``m % k`` ranks once more, spread evenly over the ranks (systematic
    sampling, its offset fixed by the group so that the extra ranks rotate across groups),
    in random order within the group."""
    P = groups.size
    order = np.lexsort((rng.random(P), groups))
    sg = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sg)) + 1]
    sizes = np.diff(np.r_[starts, P])
    pos = np.arange(P) - np.repeat(starts, sizes)
    offset = np.repeat((np.arange(starts.size) * 0.6180339887498949) % 1.0, sizes)
    out = np.empty(P, dtype=int)
    out[order] = np.floor((pos + offset) * k / np.repeat(sizes, sizes)).astype(int)
    return np.minimum(out, k - 1)


def _blocks(state: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Ranks 0..k-1 in random order within each block of ``k`` paths consecutive in
    ``state``: balanced given the state, independent of it in distribution."""
    P = state.size
    order = np.lexsort((rng.random(P), state))
    n_blocks = -(-P // k)
    dealt = rng.permuted(np.broadcast_to(np.arange(k), (n_blocks, k)), axis=1).ravel()[:P]
    out = np.empty(P, dtype=int)
    out[order] = dealt
    return out


def simulate(
    law: DecayLaw, units: float, g0: float, rng: np.random.Generator, paths: int = PATHS
) -> tuple[np.ndarray, np.ndarray]:
    """Annual units (paths, YEARS) and their log growths, the first year after the anchor first.

    Each year every path draws one of the residuals of the pairs nearest its growth, by
    rank (:meth:`DecayLaw.ranked_residuals`), and the ranks are stratified rather than
    drawn at random: in year 1 every rank is dealt to ``paths / k`` paths; in year 2, within
    each year-1 rank, every rank again (so the multiset of two-year outcomes is fixed and
    the medians of years 1-2 do not depend on the seed); from year 3, within each block
    of ``k`` paths consecutive in their expected next log units. Draws stay joint across
    years (each year's growth feeds the next).
    """
    g = np.full(paths, float(g0))
    gs = np.empty((paths, YEARS))
    c = np.zeros(paths)
    rank = np.zeros(paths, dtype=int)
    rows = np.arange(paths)
    for year in range(YEARS):
        ranked = law.ranked_residuals(g)
        k = ranked.shape[1]
        rank = _deal(rank, k, rng) if year < 2 else _blocks(c + law.b * g, k, rng)
        g = law.expected(g) + ranked[rows, rank]
        gs[:, year] = g
        c = c + g
    return units * np.exp(np.cumsum(gs, axis=1)), gs


def deterministic(law: DecayLaw, units: float, g0: float) -> tuple[np.ndarray, np.ndarray]:
    """The path with every residual zero: (1, YEARS) units and growths."""
    gs = np.empty(YEARS)
    g = float(g0)
    for k in range(YEARS):
        g = float(law.expected(g))
        gs[k] = g
    return (units * np.exp(np.cumsum(gs)))[None, :], gs[None, :]


def cumulative(units: np.ndarray, growth: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Cumulative units (P, D) from the anchor at ``tau`` years, for annual units and growths
    (P, YEARS): within year ``k`` the flow grows at that year's rate; past the last year
    simulated, its pace is held.

    Examples
    --------
    >>> u, g = np.array([[2.0, 4.0]]), np.log(np.array([[2.0, 2.0]]))
    >>> # a year and a half: 2 + 4 * (2**0.5 - 1) / (2 - 1)
    >>> round(float(cumulative(u, g, np.array([1.5]))[0, 0]), 4)
    3.6569
    """
    P, K = units.shape
    tau = np.broadcast_to(np.asarray(tau, dtype=float), (P, np.shape(tau)[-1]))
    done = np.concatenate([np.zeros((P, 1)), np.cumsum(units, axis=1)], axis=1)
    k = np.clip(np.floor(tau).astype(int), 0, K - 1)
    x = np.clip(tau - k, 0.0, None)
    uk = np.take_along_axis(units, k, axis=1)
    gk = np.take_along_axis(growth, k, axis=1)
    small = np.abs(gk) < 1e-9
    gsafe = np.where(small, 1.0, gk)
    inside = np.where(
        small, np.minimum(x, 1.0), np.expm1(gsafe * np.minimum(x, 1.0)) / np.expm1(gsafe)
    )
    inside = inside + np.maximum(x - 1.0, 0.0)  # beyond the last year: its pace held
    return np.take_along_axis(done, k, axis=1) + uk * inside


def error_paths(law: DecayLaw, units: float, g0: float, rng, paths: int = PATHS):
    """The simulated paths as log errors against the deterministic path on a monthly grid:
    (errors (paths, H), step) for :class:`analysis.projection.uncertainty.Library`."""
    grid = np.arange(1, int(round(YEARS / STEP)) + 1) * STEP
    u, g = simulate(law, units, g0, rng, paths)
    du, dg = deterministic(law, units, g0)
    return np.log(cumulative(u, g, grid) / cumulative(du, dg, grid)), STEP
