"""Growth models as vectorised cumulative-units curves.

Time ``t`` is in years relative to the projection's reference instant (the end of the last
actual figure), so that parameters are well scaled. Every function takes ``t`` of shape
``(B, N)`` and natural-scale parameters as a dict of ``(B, 1)`` arrays and returns
cumulative units (``level``) or units between two instants (``increment``).

- ``exponential``: a flow ``rate * exp(growth * t)`` (units per year); its cumulative is
  ``rate * exp(growth * t) / growth`` (zero in the far past), or zero at ``launch``.
- ``logistic``: ``m / (1 + exp(-k (t - t0)))``.
- ``gompertz``: ``m * exp(-exp(-k (t - t0)))``.
- ``bass``: ``m * F(t - launch)`` with ``F(x) = (1 - e^{-(p+q)x}) / (1 + (q/p) e^{-(p+q)x})``.
  This *is* a logistic counted from the launch: ``m F(x) = m (1 + p/q) L(x) - m p/q`` for
  the logistic ``L`` with ``k = p + q`` and ``t0 = launch + ln(q/p) / (p + q)``, exactly,
  for any ``p, q > 0``. Per-period figures (and cumulative units counted from a ``since``
  date) do not see the constant, so there a Bass fit is the logistic fit with one
  parameter more (``p`` and the launch trade off; neither need be at a bound): the two
  fits agree to many digits (tested), and ``bass`` says so in a warning and is not offered
  by ``auto``. They differ only on cumulative milestones counted since launch, where
  ``bass`` pins zero units at its launch and a plain ``logistic`` does not (a logistic
  with ``fixed={"launch": ...}`` is again the Bass curve with that launch).

- ``growth``: annual units ``units * exp(g_1 + ... + g_k)`` in year ``k`` after the anchor,
  ``g_k = a + b * g_{k-1}`` from the current log growth ``g_0 = growth`` (the decay law of
  :mod:`.growth`; this is the path with every residual zero, the simulated paths are its
  error library); within a year the flow grows at that year's rate.

``runrate`` and ``seasonal`` are fitted in closed form (see :mod:`.closed_form`); ``combined``
is their equal-weight forecast combination (the mean of the two forecasts of units).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import growth as _growth

__all__ = [
    "CurveModel",
    "LAUNCH",
    "MODELS",
    "NAMES",
]

LAUNCH = "launch"


@dataclass(frozen=True)
class CurveModel:
    """A named curve: parameter names, which are positive (fitted on a log scale)."""

    name: str
    params: tuple[str, ...]
    positive: frozenset[str]
    description: str

    def level(self, t: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
        return _LEVEL[self.name](t, p)

    def increment(self, a: np.ndarray, b: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
        """Units between instants ``a`` and ``b`` (``b >= a``)."""
        if self.name == "growth":
            return _growth_level(b, p) - _growth_level(a, p)
        if self.name == "exponential" and LAUNCH not in p:
            g = p["growth"]
            small = np.abs(g) < 1e-9
            gs = np.where(small, 1.0, g)
            out = p["rate"] * (np.expm1(gs * b) - np.expm1(gs * a)) / gs
            return np.where(small, p["rate"] * (b - a), out)
        return self.level(b, p) - self.level(a, p)


def _exponential(t, p):
    g = p["growth"]
    small = np.abs(g) < 1e-9
    gs = np.where(small, 1.0, g)
    if LAUNCH in p:
        tl = p[LAUNCH]
        x = np.maximum(t - tl, 0.0)
        val = p["rate"] * np.exp(gs * tl) * np.expm1(gs * x) / gs
        return np.where(small, p["rate"] * x, val)
    return p["rate"] * np.exp(np.minimum(gs * t, 50.0)) / np.where(small, 1e-9, gs)


def _logistic(t, p):
    return _from_launch(_logistic_raw(t, p), t, p, _logistic_raw)


def _logistic_raw(t, p):
    z = np.clip(-p["k"] * (t - p["t0"]), -50.0, 50.0)
    return p["m"] / (1.0 + np.exp(z))


def _gompertz_raw(t, p):
    z = np.clip(-p["k"] * (t - p["t0"]), -50.0, 5.0)
    return p["m"] * np.exp(-np.exp(z))


def _gompertz(t, p):
    return _from_launch(_gompertz_raw(t, p), t, p, _gompertz_raw)


def _from_launch(value, t, p, raw):
    """Curves with a launch date: subtract the level at launch, zero before it."""
    if LAUNCH not in p:
        return value
    return np.where(t > p[LAUNCH], np.maximum(value - raw(p[LAUNCH] + 0.0 * t, p), 0.0), 0.0)


def _bass(t, p):
    x = np.maximum(t - p[LAUNCH], 0.0)
    s = p["p"] + p["q"]
    e = np.exp(-np.clip(s * x, 0.0, 50.0))
    return p["m"] * (1.0 - e) / (1.0 + (p["q"] / p["p"]) * e)


def _growth_level(t, p):
    """Cumulative units from the anchor along the decay law's path (t >= 0); before the
    anchor, the last year's pace (callers clip it to the known path). Rows with the same
    parameters and instants (the usual case: one path for every draw) are computed once."""
    t = np.asarray(t, dtype=float)
    par = np.column_stack(
        [np.broadcast_to(p[k], (t.shape[0], 1))[:, 0] for k in ("units", "growth", "a", "b")]
    )
    if (par == par[:1]).all() and (t == t[:1]).all():
        one = _growth_rows(par[:1], t[:1])
        return np.broadcast_to(one, t.shape).copy()
    return _growth_rows(par, t)


def _growth_rows(par, t):
    units0, g = par[:, :1], par[:, 1:2].copy()
    gs = np.empty((t.shape[0], _growth.YEARS))
    for k in range(_growth.YEARS):
        g = par[:, 2:3] + par[:, 3:4] * g
        gs[:, k : k + 1] = g
    units = units0 * np.exp(np.cumsum(gs, axis=1))
    out = _growth.cumulative(units, gs, np.maximum(t, 0.0))
    return np.where(t < 0, units0 * t, out)


_LEVEL = {
    "exponential": _exponential,
    "logistic": _logistic,
    "gompertz": _gompertz,
    "bass": _bass,
    "growth": _growth_level,
}

MODELS: dict[str, CurveModel] = {
    "runrate": CurveModel(
        "runrate", ("rate",), frozenset({"rate"}), "the pace of the latest interval carried forward"
    ),
    "exponential": CurveModel(
        "exponential", ("rate", "growth"), frozenset({"rate"}), "a flow growing at a constant rate"
    ),
    "logistic": CurveModel(
        "logistic", ("m", "k", "t0"), frozenset({"m", "k"}), "logistic S-curve with ceiling m"
    ),
    "gompertz": CurveModel(
        "gompertz", ("m", "k", "t0"), frozenset({"m", "k"}), "Gompertz S-curve with ceiling m"
    ),
    "bass": CurveModel(
        "bass",
        ("m", "p", "q", LAUNCH),
        frozenset({"m", "p", "q"}),
        "Bass diffusion with market potential m",
    ),
    "growth": CurveModel(
        "growth",
        ("units", "growth", "a", "b"),
        frozenset({"units"}),
        "growth-stage path: log growth decays as it did for brands in the IDC history",
    ),
    "seasonal": CurveModel(
        "seasonal",
        ("level", "trend"),
        frozenset(),
        "log-linear trend times seasonal factors on period flows",
    ),
    "combined": CurveModel(
        "combined",
        ("rate", "level", "trend"),
        frozenset(),
        "equal-weight mean of the seasonal and runrate forecasts",
    ),
}
"""The models :func:`analysis.fit` knows, by name."""

NAMES = (*MODELS, "auto")
