"""The classical per-period models, with statsforecast as the engine: ``ets``, ``arima``,
``theta``, ``snaive``.

``ets`` is statsforecast's ``AutoETS``, ``arima`` ``AutoARIMA``, ``theta`` ``AutoTheta`` and
``snaive`` ``SeasonalNaive``, each with ``season_length`` = periods per year, fitted on the
per-period units of the series' last unbroken run of regular periods (quarters, months or
years). Their point forecast and intervals are statsforecast's.

Sample paths: a :class:`~analysis.projection.Projection` is a set of joint paths, so the
per-period predictive distribution of the model is turned into joint paths. At each horizon
``h`` the mean ``m_h`` is statsforecast's forecast and the spreads below and above it are
read from its 80% interval (``(m_h - lo_h) / z_0.9`` and ``(hi_h - m_h) / z_0.9``: equal for
the Gaussian intervals of ETS, ARIMA and seasonal naive; AutoTheta's simulated intervals
are slightly asymmetric, so each side keeps its own). The standardised error at horizon
``h`` is a chain of independent normal shocks: ``e_h = e_{h-p} + sqrt(s_h^2 - s_{h-p}^2)
z_h`` (``s_h`` the mean spread, increases clipped at 0, then rescaled to unit variance),
with ``p = 1`` for ``ets``, ``arima`` and ``theta`` (random-walk correlation across
horizons: ``corr(e_1, e_2) = s_1 / s_2``) and ``p`` = the season length for ``snaive``,
whose errors are independent across the seasons of one year and a random walk from year
to year (what a seasonal random walk is). A draw is ``m_h`` plus ``e_h`` times the spread
on its side, so each horizon's median and 80% interval are statsforecast's exactly (its
95% interval up to the Gaussian tails; Monte Carlo error aside). Draws come in antithetic
pairs (``z``, ``-z``), so the median of the paths is the model's mean forecast: exactly for
symmetric intervals, to about 1e-5 for AutoTheta's.
Draws below zero are set to zero units. statsforecast's own ``simulate`` was tried and not
used: for ``AutoETS`` its paths' medians drift away from the model's own forecast mean (by
6% at 4 quarters on a seasonal test series), which would make the returned forecast differ
from the model's.

A combination (``Combination``) averages the paths of its members drawn with the same
normals, so its median is close to the mean of their forecasts (within 0.1% on the IDC
series: the members' chains weight the shocks differently) and its interval about the
mean of their intervals.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from marketdata.errors import DataError

from .data import DAY_NS, PERIODS_PER_YEAR, CumulativeSeries, period_ends_ns
from .result import Projection

__all__ = [
    "AUTO_CLASSICAL",
    "CLASSICAL",
    "ClassicalEngine",
    "Combination",
    "check_classical",
    "classical_engine",
    "describe",
    "forecast_flows",
    "origin_flows",
    "projection",
    "spread_factor",
]

CLASSICAL = ("ets", "arima", "theta", "snaive")
#: the statsforecast models ``auto`` compares. AutoARIMA is left out: one fit takes ~0.5 s
#: on 58 quarters and it was the least calibrated on the IDC series. AutoETS is left out:
#: one fit costs 3x AutoTheta's (16.6 vs 5.4 ms on 36 quarters), and on the IDC backtest
#: (bench/bench_forecast.py, when the rule was set) the holdout without it scored about the
#: same: pooled MASE 0.679 vs 0.688 with it, 80% coverage 0.809 vs 0.806, MSIS 3.60 vs
#: 3.55 (a choice made after seeing that backtest). ``fit(model="ets")`` is
#: statsforecast's AutoETS as before.
AUTO_CLASSICAL = ("theta", "snaive")
Z80 = 1.2815515655446004  # standard normal quantile 0.9
Z90 = 1.6448536269514722  # standard normal quantile 0.95
Z95 = 1.959963984540054  # standard normal quantile 0.975
MIN_YEARS = 2  # a classical model needs two years of periods (8 quarters, 24 months)
#: and at least as many periods as statsforecast fits ("tiny datasets" below)
MIN_PERIODS = {"ets": 7, "theta": 4, "arima": 4, "snaive": 4}
_ALIAS = {
    "ets": "AutoETS",
    "arima": "AutoARIMA",
    "theta": "AutoTheta",
    "snaive": "SeasonalNaive",
}
_FREQ = {"Q": "QE", "M": "ME", "Y": "YE"}


def _model(name: str, per: int):
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    cls = {"ets": AutoETS, "arima": AutoARIMA, "theta": AutoTheta, "snaive": SeasonalNaive}
    return cls[name](season_length=per)


@functools.lru_cache(maxsize=20_000)
def _cached(name: str, per: int, y: bytes, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # AutoETS divides by the residual degrees of freedom of candidate models that cannot be
    # fitted on short histories (and drops them): numpy's warning about it is noise here
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _model(name, per).forecast(y=np.frombuffer(y, dtype=float), h=h, level=[80])
    return _mean_and_spreads(out)


def _mean_and_spreads(out: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """statsforecast's mean and the spreads below and above it read from its 80% interval."""
    mean = np.asarray(out["mean"], dtype=float)
    lo = (mean - np.asarray(out["lo-80"], dtype=float)) / Z80
    hi = (np.asarray(out["hi-80"], dtype=float) - mean) / Z80
    return mean, *(np.maximum(np.nan_to_num(v, nan=0.0), 0.0) for v in (lo, hi))


def forecast_flows(name: str, y: np.ndarray, h: int, per: int) -> tuple[np.ndarray, ...]:
    """statsforecast's mean forecast (h,) and the per-horizon spreads below and above it
    (h,) each, read from its 80% interval (equal for Gaussian intervals).

    Results are cached on the values, so rolling-origin scores and refits on the same
    history fit each model once.

    Examples
    --------
    >>> import numpy as np
    >>> mean, below, above = forecast_flows("snaive", np.array([1.0, 2, 3, 4, 2, 3, 4, 5]), 2, 4)
    >>> mean.tolist()  # the same quarter a year earlier
    [2.0, 3.0]
    """
    y = np.ascontiguousarray(y, dtype=float)
    reach = max(8, -(-int(h) // 8) * 8)  # one fit serves every horizon up to a multiple of 8
    return tuple(v[: int(h)].copy() for v in _cached(name, int(per), y.tobytes(), reach))


def _snaive_origins(y: np.ndarray, origins: np.ndarray, h: int, per: int):
    """SeasonalNaive's forecasts (O, h) and spreads (O, h) at every origin at once: what
    ``forecast_flows("snaive", y[: o + 1], h, per)`` gives, without a call per origin (the
    last season repeated; sigma = sqrt(sum of squared seasonal differences / (n - per)),
    times sqrt(1 + the whole years ahead), as statsforecast computes them)."""
    o = np.asarray(origins, dtype=int)[:, None]
    j = np.arange(h)[None, :]
    mean = y[o - per + 1 + j % per]
    d2 = np.r_[0.0, np.cumsum((y[per:] - y[:-per]) ** 2)]  # d2[k]: sum over the first k
    n = o[:, 0] + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.where(n > per, np.sqrt(d2[np.maximum(n - per, 0)] / (n - per)), 0.0)
    return mean, sigma[:, None] * np.sqrt(j // per + 1.0)


def _draws(name, y, h, per, lag, z, spread=1.0, tail=1.0) -> np.ndarray:
    """Per-period draws (n, h) of model ``name`` from standard normals ``z`` (n, h), the
    model's spreads multiplied by ``spread``, the shocks beyond the 80% interval stretched
    by ``tail`` (:func:`tail_factor`)."""
    mean, below, above = forecast_flows(name, y, h, per)
    below, above = spread * below, spread * above
    e = _stretch(_shocks(0.5 * (below + above), lag, z), tail)
    e = np.where(e < 0, e * below, e * above)
    return np.maximum(mean[None, :] + e, 0.0)


def check_classical(name: str, series: CumulativeSeries) -> int:
    """Periods per year of the series, or a DataError saying why ``name`` cannot fit it."""
    if series.freq not in _FREQ or series.has_levels:
        if series.has_levels:
            what = "cumulative milestones"
            hint = "use runrate, growth or an S-curve for milestones, or give per-period figures"
        elif series.freq == "H":
            what = "half-years"
            hint = "use growth, seasonal or runrate for half-years, or give quarters"
        else:
            what = "periods of irregular lengths"
            hint = "use runrate or an S-curve, or give quarters, months or years"
        raise DataError(
            f"{name} (statsforecast) fits regular per-period figures (quarters, months or "
            f"years); these figures are {what}",
            hint=hint,
        )
    per = PERIODS_PER_YEAR[series.freq]
    need = max(MIN_YEARS * per, MIN_PERIODS[name])
    if series.flows.size < need:
        raise DataError(
            f"{name} (statsforecast) needs {need} consecutive periods"
            + (" (two years)" if need == MIN_YEARS * per else "")
            + f"; the figures have {series.flows.size}",
            hint="give a longer run of periods, or use runrate",
        )
    return per


def _normals(rng: np.random.Generator, n: int, h: int) -> np.ndarray:
    """Standard normals (n, h), stratified and in antithetic pairs (z, -z).

    Each horizon's first half are the magnitudes ``ndtri(0.5 + (k + 0.5) / (2m))`` (k < m,
    ``m = ceil(n / 2)``: one per stratum of |z|), permuted and signed at random (so the
    horizons pair up at random, independently), the second half their negatives. So each
    horizon's draws are symmetric about zero (the median path is the model's mean forecast
    exactly) and their quantiles are the normal's up to the strata's width, not Monte
    Carlo error: with plain normals, 2000 draws and seed 0 the 80% interval of a model's
    next period came out 4% narrower than statsforecast's own, in every projection.
    """
    from scipy.special import ndtri

    m = (n + 1) // 2
    magnitudes = ndtri(0.5 + (np.arange(m) + 0.5) / (2 * m))
    order = rng.permuted(np.tile(np.arange(m)[:, None], (1, h)), axis=0)
    signs = np.where(rng.random((m, h)) < 0.5, -1.0, 1.0)
    half = magnitudes[order] * signs
    return np.concatenate([half, -half])[:n]


def _shocks(sigma: np.ndarray, lag: int, z: np.ndarray) -> np.ndarray:
    """Standardised errors (n, h), correlated across horizons as the module notes say: the
    chain of shocks of a random walk whose variance at horizon h is sigma[h] ** 2."""
    e = np.zeros_like(z)
    v = np.zeros(sigma.size)  # the variance the chain of shocks has reached at each horizon
    for j in range(sigma.size):
        prev = v[j - lag] if j >= lag else 0.0
        step = max(sigma[j] ** 2 - prev, 0.0)
        v[j] = prev + step
        e[:, j] = (e[:, j - lag] if j >= lag else 0.0) + np.sqrt(step) * z[:, j]
    # unit variance at each horizon (where the variance fell from one horizon to the next,
    # this scales back to the model's own spread)
    scale = np.divide(1.0, np.sqrt(v), out=np.zeros_like(sigma), where=v > 0)
    return e * scale[None, :]


@dataclass(frozen=True)
class ClassicalEngine:
    """Joint paths of a statsforecast model's per-period forecasts (internal)."""

    name: str
    series: CumulativeSeries
    per: int
    known: np.ndarray  # (1, n_known) cumulative units at series.known_t
    spread: float = 1.0  # multiplies statsforecast's spreads (1: its own intervals)
    tail: float = 1.0  # stretches the shocks beyond the 80% interval (1: Gaussian tails)

    @property
    def lag(self) -> int:
        return self.per if self.name == "snaive" else 1

    def period_ends(self, h: int) -> np.ndarray:
        """The instants (years) of the next ``h`` period ends after the last figure."""
        last = self.series.date(self.series.known_t[-1])
        return self.series.years_ns(period_ends_ns(last.value + DAY_NS, h, self.series.freq))

    def horizons_for(self, t_max: float) -> int:
        """Periods ahead needed to reach the instant ``t_max``."""
        tau = max(float(t_max) - self.series.known_t[-1], 0.0)
        return max(int(np.ceil(tau * self.per + 1e-9)) + 1, 1)

    def flows(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        """Per-period draws (n, h) for the next ``h`` periods."""
        z = _normals(rng, n, h)
        return _draws(
            self.name, self.series.flows, h, self.per, self.lag, z, self.spread, self.tail
        )

    def sample(self, t: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        """Cumulative units (n, len(t)) at instants ``t`` (years, any order)."""
        return _sample_paths(self, t, n, rng, lambda h: self.flows(h, n, rng))


@dataclass(frozen=True)
class Combination:
    """The equal-weight mean of classical models' paths, drawn with the same shocks."""

    members: tuple[ClassicalEngine, ...]

    @property
    def series(self) -> CumulativeSeries:
        return self.members[0].series

    @property
    def known(self) -> np.ndarray:
        return self.members[0].known

    @property
    def name(self) -> str:
        return "+".join(m.name for m in self.members)

    def sample(self, t: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        first = self.members[0]

        def flows(h):
            z = _normals(rng, n, h)
            out = np.zeros((n, h))
            for m in self.members:
                out += _draws(m.name, m.series.flows, h, m.per, m.lag, z, m.spread, m.tail)
            return out / len(self.members)

        return _sample_paths(first, t, n, rng, flows)


def _sample_paths(engine: ClassicalEngine, t, n, rng, flows) -> np.ndarray:
    ser = engine.series
    kt, known = ser.known_t, engine.known[0]
    t = np.asarray(t, dtype=float)
    out = np.empty((n, t.size))
    past = t <= kt[-1]
    out[:, past] = np.interp(t[past], kt, known, left=0.0)[None, :]
    fut = ~past
    if fut.any():
        h = engine.horizons_for(float(t[fut].max()))
        ends = np.r_[kt[-1], engine.period_ends(h)]
        cum = known[-1] + np.concatenate([np.zeros((n, 1)), np.cumsum(flows(h), axis=1)], axis=1)
        i = np.clip(np.searchsorted(ends, t[fut], side="right") - 1, 0, h - 1)
        frac = np.clip((t[fut] - ends[i]) / (ends[i + 1] - ends[i]), 0.0, 1.0)
        out[:, fut] = cum[:, i] + frac[None, :] * (cum[:, i + 1] - cum[:, i])
    return out


def classical_engine(
    name: str, series: CumulativeSeries, spread: float = 1.0, tail: float = 1.0
) -> ClassicalEngine:
    """The engine of classical model ``name`` on ``series`` (checked)."""
    per = check_classical(name, series)
    known = np.asarray(series.known_lo, dtype=float)[None, :]
    return ClassicalEngine(name, series, per, known, float(spread), float(tail))


def origin_flows(
    name: str, series: CumulativeSeries, origins: np.ndarray, h: int
) -> tuple[np.ndarray, np.ndarray]:
    """Point forecasts (O, h) of single periods after each origin (index of the origin's last
    period in ``series.flows``) and the model's spreads (O, h) there. The point is the
    median of the paths: the mean forecast, zero where it is negative.

    The model's parameters are estimated once, on the periods up to the first origin, and
    applied at each later origin to the periods up to it (statsforecast's ``forward``, as
    its ``cross_validation(refit=False)`` does): no origin's forecast sees a period after
    it, and a holdout costs one fit instead of one per origin. SeasonalNaive has no
    parameters; its forecasts at every origin are computed at once.
    """
    per = PERIODS_PER_YEAR[series.freq]
    y = np.ascontiguousarray(series.flows, dtype=float)
    origins = np.asarray(origins, dtype=int)
    if name == "snaive":
        mean, spread = _snaive_origins(y, origins, h, per)
        return np.maximum(mean, 0.0), spread
    out = np.empty((origins.size, h))
    spread = np.empty((origins.size, h))
    with np.errstate(divide="ignore", invalid="ignore"):  # as in _cached
        model = _model(name, per).fit(y[: origins[0] + 1])
        for k, o in enumerate(origins):
            mean, below, above = _mean_and_spreads(model.forward(y=y[: o + 1], h=h, level=[80]))
            out[k] = np.maximum(mean, 0.0)
            spread[k] = 0.5 * (below + above)
    return out, spread


def spread_factor(forecast: np.ndarray, spread: np.ndarray, actual: np.ndarray) -> float:
    """How much wider (or narrower) a model's intervals must be to cover 80% of its own
    holdout errors: the 80% quantile of ``|actual - forecast| / spread`` over ``z_0.9``,
    kept within [0.8, 3] (1 with fewer than 8 errors).

    Examples
    --------
    >>> import numpy as np
    >>> e = np.array([-2.0, -1, -0.5, 0, 0.5, 1, 2, 3, 0.2, -0.2])  # errors in units of spread
    >>> round(spread_factor(np.zeros(10), np.ones(10), e), 3)  # quantile 0.8 of |e| = 2
    1.561
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.abs(actual - forecast) / spread
    z = z[np.isfinite(z)]
    if z.size < 8:
        return 1.0
    return float(np.clip(np.quantile(z, 0.8) / Z80, 0.8, 3.0))


def tail_factor(forecast: np.ndarray, spread: np.ndarray, actual: np.ndarray, factor: float):
    """How much the shocks beyond the 80% interval must be stretched (:func:`_stretch`) for
    the 95% interval, after the spreads are multiplied by ``factor``
    (:func:`spread_factor`), to cover 95% of the holdout errors: from the 95% quantile of
    ``|actual - forecast| / spread``, kept within [1, 3] (1, Gaussian tails, with fewer
    than 20 errors). The tails are never made thinner than the Gaussian's.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.r_[np.full(18, 1.2815515655446004), 3.0, -3.0]  # errors in units of spread
    >>> f = spread_factor(np.zeros(20), np.ones(20), e)  # quantile 0.8 of |e| = z_0.9
    >>> # quantile 0.95 of |e| = 3: (3 - z_0.9) / (z_0.975 - z_0.9) = 1.718 / 0.678
    >>> round(f, 3), round(tail_factor(np.zeros(20), np.ones(20), e, f), 3)
    (1.0, 2.533)
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.abs(actual - forecast) / spread
    z = z[np.isfinite(z)]
    if z.size < 20:
        return 1.0
    want = np.quantile(z, 0.95) / factor  # the 95% quantile of the shocks, in unit spreads
    return float(np.clip((want - Z80) / (Z95 - Z80), 1.0, 3.0))


def _stretch(e: np.ndarray, tail: float) -> np.ndarray:
    """Standardised shocks with the part beyond +-z_0.9 multiplied by ``tail``: the median
    and the 80% interval unchanged, wider tails."""
    if tail == 1.0:
        return e
    a = np.abs(e)
    return np.where(a > Z80, np.sign(e) * (Z80 + (a - Z80) * tail), e)


def describe(name: str, per: int) -> str:
    """How the intervals of a classical model were made (for ``Projection.uncertainty``)."""
    return (
        f"statsforecast {_ALIAS[name]}(season_length={per}): its per-period forecast and "
        + ("simulated" if name == "theta" else "Gaussian")
        + " intervals; joint paths with "
        + ("errors independent across the seasons of a year" if name == "snaive" else "")
        + ("random-walk correlation across horizons" if name != "snaive" else "")
        + " (analysis.projection.classical)"
    )


def projection(
    series: CumulativeSeries,
    names: tuple[str, ...],
    *,
    reason: str,
    seed: int,
    source: str = "",
    spread: float = 1.0,
    tail: float = 1.0,
) -> Projection:
    """A :class:`Projection` of classical model(s) ``names`` (several: their combination);
    ``spread`` multiplies the models' spreads and ``tail`` stretches their shocks beyond
    the 80% interval (``auto`` sets both from its holdout)."""
    engines = tuple(classical_engine(name, series, spread, tail) for name in names)
    engine = engines[0] if len(engines) == 1 else Combination(engines)
    per = engines[0].per
    label = "+".join(names)
    mean, below, above = (
        np.mean([forecast_flows(n, series.flows, 4, per)[k] for n in names], axis=0)
        for k in (0, 1, 2)
    )
    z90 = float(_stretch(np.array(Z90), tail))  # quantile 0.95 of the stretched shocks
    how = "; ".join(describe(n, per) for n in names)
    if len(names) > 1:
        how = f"equal-weight mean of the paths (the same shocks) of: {how}"
    if spread != 1.0:
        how += (
            f"; spreads x{spread:.2f}, so that the 80% interval covers 80% of the model's "
            "own rolling-holdout errors"
        )
    if tail != 1.0:
        how += (
            f"; shocks beyond the 80% interval stretched x{tail:.2f}, so that the 95% "
            "interval covers 95% of them"
        )
    return Projection(
        brand=series.brand,
        market=series.market,
        model=label,
        params={f"mean_{h + 1}": float(v) for h, v in enumerate(mean)}
        | {f"sigma_{h + 1}": float(v) for h, v in enumerate(0.5 * spread * (below + above))},
        data=series.frame,
        warnings=(),
        uncertainty=how,
        source=source,
        reason=reason,
        seed=int(seed),
        quality={"n": int(series.flows.size), "free": np.nan, "rmse_log": np.nan},
        param_intervals=pd.DataFrame(
            {
                "parameter": [f"forecast of period {h + 1}" for h in range(mean.size)],
                "value": mean,
                # the draws' 90% band at each horizon: the spreads and tail stretch of the
                # paths (exact for one model; a combination's paths average its members')
                "lower": np.maximum(mean - z90 * spread * below, 0.0),
                "upper": mean + z90 * spread * above,
                "fixed": False,
            }
        ),
        _engine=engine,
    )
