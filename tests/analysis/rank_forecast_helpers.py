"""Shared helpers for the rank-forecast tests: the normal and log-normal CDFs and a Monte
Carlo tolerance; the hand-made figures come from :mod:`tests.factories`."""

import math

from tests.factories import Y2013, window_figures

START, END = Y2013
figures = window_figures  # the figures live in tests.factories


def phi(x: float) -> float:
    """Standard normal CDF from the error function (independent of scipy)."""
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def lognormal_cdf(x: float, cv: float) -> float:
    """P(F <= x) for a log-normal F with mean 1 and coefficient of variation cv:
    log F ~ N(-s^2/2, s^2) with s^2 = log(1 + cv^2)."""
    s = math.sqrt(math.log1p(cv * cv))
    return phi((math.log(x) + s * s / 2) / s)


def mc_tolerance(p: float, n: int, k: float = 4.0) -> float:
    """k Monte Carlo standard errors of a proportion p estimated from n draws."""
    return k * math.sqrt(max(p * (1 - p), 1e-12) / n)
