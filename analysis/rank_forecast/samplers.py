"""Volume specifications turned into samplers.

A volume may be given as

- a number: fixed (optionally with multiplicative log-normal noise of a given CV);
- a ``(low, base, high)`` triple: a Beta-PERT distribution on [low, high] with mode
  ``base`` and shape 4, i.e. ``low + (high - low) * Beta(a, b)`` with
  ``a = 1 + 4 (base - low) / (high - low)``, ``b = 1 + 4 (high - base) / (high - low)``;
  its mean is ``(low + 4 base + high) / 6``;
- a frozen ``scipy.stats`` distribution (anything with ``rvs(size=, random_state=)``);
  negative draws are set to 0 and counted (the result's ``warnings`` say how many);
- an array of draws: used in order when it holds exactly as many draws as the run
  (so draws shared with another analysis stay paired), otherwise resampled with
  replacement;
- a ``Projection`` (anything with ``sample(dates, draws=, seed=)``): its joint cumulative draws
  are taken once for the whole run with the run's seed; the window's volume is the
  difference between the end and the day before the start (or the end value for a
  to-date window).
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "Draws",
    "Fixed",
    "FromProjection",
    "Frozen",
    "Pert",
    "Sampler",
    "check_cv",
    "lognormal_factor",
    "make_sampler",
]


def lognormal_factor(gen: np.random.Generator, cv: float, n: int) -> np.ndarray:
    """``n`` draws of a log-normal factor with mean 1 and coefficient of variation ``cv``."""
    sigma = math.sqrt(math.log1p(cv * cv))
    z = gen.standard_normal(n)
    z *= sigma
    z -= 0.5 * sigma * sigma
    return np.exp(z, out=z)


def check_cv(cv, what: str) -> float:
    try:
        value = float(cv)
    except (TypeError, ValueError):
        raise TypeError(
            f"{what} must be a number (a coefficient of variation), got {cv!r}"
        ) from None
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0 (0 = no uncertainty), got {cv!r}")
    return value


class Sampler:
    """A source of volume draws. ``base`` is the central value used for deterministic
    summaries and default ranges; ``random`` says whether it draws anything."""

    base: float
    random: bool = True
    clipped: int = 0
    label: str = ""

    def prepare(self, n: int, seed: int) -> None:
        """Called once before a run of ``n`` draws."""

    def draw(self, gen: np.random.Generator, start: int, stop: int) -> np.ndarray:
        raise NotImplementedError

    def describe(self) -> str:
        return self.label


class Fixed(Sampler):
    def __init__(self, value: float, cv: float = 0.0):
        self.base = float(value)
        self.cv = cv
        self.random = cv > 0
        self.label = f"{self.base:,.0f}" + (f" (CV {cv:g})" if cv else "")

    def draw(self, gen, start, stop):
        if not self.random:
            return np.full(stop - start, self.base)
        return self.base * lognormal_factor(gen, self.cv, stop - start)

    def scaled(self, factor: float) -> Fixed:
        return Fixed(self.base * factor, self.cv)


class Pert(Sampler):
    def __init__(self, low: float, base: float, high: float):
        self.low, self.base, self.high = float(low), float(base), float(high)
        width = self.high - self.low
        self.a = 1 + 4 * (self.base - self.low) / width
        self.b = 1 + 4 * (self.high - self.base) / width
        self.label = f"PERT({self.low:,.0f}, {self.base:,.0f}, {self.high:,.0f})"

    def draw(self, gen, start, stop):
        x = gen.beta(self.a, self.b, stop - start)
        x *= self.high - self.low
        x += self.low
        return x


class Frozen(Sampler):
    def __init__(self, dist):
        self.dist = dist
        self.base = float(dist.median()) if hasattr(dist, "median") else float("nan")
        name = getattr(getattr(dist, "dist", None), "name", type(dist).__name__)
        self.label = f"{name} distribution"

    def prepare(self, n, seed):
        self.clipped = 0

    def draw(self, gen, start, stop):
        x = np.asarray(self.dist.rvs(size=stop - start, random_state=gen), dtype=float)
        if not np.isfinite(x).all():
            raise ValueError(f"the {self.label} drew values that are not finite")
        negative = x < 0
        if negative.any():
            self.clipped += int(negative.sum())
            x[negative] = 0.0
        return x


class Draws(Sampler):
    def __init__(self, draws: np.ndarray):
        self.values = draws
        self.base = float(np.median(draws))
        self.label = f"{len(draws):,} draws"
        self.in_order = False

    def prepare(self, n, seed):
        self.in_order = len(self.values) == n

    def draw(self, gen, start, stop):
        if self.in_order:
            return self.values[start:stop]
        return self.values[gen.integers(0, len(self.values), stop - start)]


class FromProjection(Sampler):
    def __init__(self, projection, start, end, seed_offset: int = 0):
        self.projection = projection
        self.start = start
        self.end = end
        self.seed_offset = seed_offset
        self.values = None
        self.label = f"projection of {getattr(projection, 'brand', None) or 'the brand'}"
        self.base = float(np.median(self._volumes(1000, 0)))

    def _dates(self):
        if pd.isna(self.end):
            raise ValueError(
                "a Projection needs the window's dates; the market figures give no end date"
            )
        end = pd.Timestamp(self.end)
        if pd.isna(self.start):
            return [end]
        return [pd.Timestamp(self.start) - pd.Timedelta(days=1), end]

    def _volumes(self, n: int, seed: int) -> np.ndarray:
        dates = self._dates()
        paths = np.asarray(
            self.projection.sample(dates, draws=n, seed=seed + self.seed_offset), dtype=float
        )
        if paths.shape != (n, len(dates)):
            raise ValueError(
                f"projection.sample(dates, draws=, seed=) returned shape {paths.shape}, expected "
                f"{(n, len(dates))}"
            )
        vol = paths[:, -1] - paths[:, 0] if len(dates) == 2 else paths[:, 0]
        if not np.isfinite(vol).all() or (vol < 0).any():
            raise ValueError(
                "the projection's draws give negative or non-finite volumes for the window; "
                "a Projection's cumulative paths must be finite and non-decreasing"
            )
        return vol

    def prepare(self, n, seed):
        self.values = self._volumes(n, seed)

    def draw(self, gen, start, stop):
        return self.values[start:stop]


def make_sampler(spec, *, what: str, cv: float = 0.0, window=(pd.NaT, pd.NaT), seed_offset=0):
    """Turn a volume specification into a :class:`Sampler` (see the module docstring)."""
    if isinstance(spec, Sampler):
        return spec
    if hasattr(spec, "sample") and callable(spec.sample):
        return FromProjection(spec, window[0], window[1], seed_offset)
    if hasattr(spec, "rvs") and callable(spec.rvs):
        return Frozen(spec)
    if isinstance(spec, bool):
        raise TypeError(f"{what} must be a volume, got {spec!r}")
    if isinstance(spec, Real):
        value = float(spec)
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{what} must be a finite number of units >= 0, got {spec!r}")
        return Fixed(value, cv)
    if isinstance(spec, tuple) and len(spec) == 3:
        try:
            low, base, high = (float(x) for x in spec)
        except (TypeError, ValueError):
            raise TypeError(f"{what} as a triple must hold three numbers, got {spec!r}") from None
        if not all(np.isfinite([low, base, high])) or low < 0:
            raise ValueError(f"{what} (low, base, high) must be finite and >= 0, got {spec!r}")
        if not low <= base <= high:
            raise ValueError(
                f"{what} (low, base, high) must satisfy low <= base <= high, got {spec!r}"
            )
        if low == high:
            return Fixed(base)
        return Pert(low, base, high)
    if isinstance(spec, (list, np.ndarray, pd.Series)):
        draws = np.asarray(spec, dtype=float).ravel()
        if len(draws) == 0:
            raise ValueError(f"{what}: the array of draws is empty")
        if not np.isfinite(draws).all() or (draws < 0).any():
            raise ValueError(f"{what}: every draw must be a finite number of units >= 0")
        return Draws(draws)
    raise TypeError(
        f"{what} must be a number, a (low, base, high) tuple, a scipy.stats frozen "
        f"distribution, an array of draws or a Projection; got {type(spec).__name__}"
    )
