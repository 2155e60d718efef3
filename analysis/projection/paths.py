"""Sample paths of the toolkit's own models (internal): parameter draws x known-path draws x
error paths from the error library.

Every engine (this one, :class:`analysis.projection.classical.ClassicalEngine`) has the same
surface: ``series`` (the prepared figures), ``known`` (draws of the known cumulative path)
and ``sample(t, n, rng)`` giving cumulative units (n, len(t)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import closed_form, fitting
from .data import CumulativeSeries
from .uncertainty import Library

__all__ = ["PathEngine"]


@dataclass(frozen=True)
class PathEngine:
    """How sample paths are made (internal): param draws × known-path draws × error paths."""

    spec: fitting.Spec
    series: CumulativeSeries
    params: np.ndarray  # (M, P) natural scale; rates (M, 1) for runrate; beta for seasonal;
    # [rate, beta] for combined
    known: np.ndarray  # (M, n_known) cumulative units at series.known_t
    library: Library

    def increments(self, m: np.ndarray, tau: np.ndarray) -> np.ndarray:
        name = self.spec.model.name
        par = self.params[m]
        if name == "runrate":
            return par[:, :1] * tau[None, :]
        tau2 = np.broadcast_to(tau[None, :], (m.size, tau.size))
        if name in ("seasonal", "combined"):
            n_run = self.series.flows.size
            beta = par if name == "seasonal" else par[:, 1:]
            inc = closed_form.seasonal_increments(
                self.series, beta, np.zeros(m.size), tau2, np.full(m.size, n_run - 1)
            )
            return inc if name == "seasonal" else 0.5 * (inc + par[:, :1] * tau[None, :])
        p = self._p(par)
        return self.spec.model.increment(np.zeros_like(tau2), tau2, p)

    def _p(self, par):
        p = {n: par[:, j : j + 1] for j, n in enumerate(self.spec.names)}
        if self.spec.launch is not None:
            p[fitting.LAUNCH] = np.full((par.shape[0], 1), self.spec.launch)
        return p

    def sample(self, t: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        """Cumulative units (n, D) at instants ``t`` (years, any order)."""
        order = np.argsort(t, kind="stable")
        ts = t[order]
        M = self.params.shape[0]
        m = rng.integers(M, size=n) if M > 1 else np.zeros(n, dtype=int)
        known = self.known[m]
        kt = self.series.known_t
        out = np.empty((n, ts.size))
        past = ts <= kt[-1]
        if past.any():
            tp = ts[past]
            i = np.clip(np.searchsorted(kt, tp, side="right") - 1, 0, kt.size - 2)
            frac = np.clip((tp - kt[i]) / (kt[i + 1] - kt[i]), 0.0, 1.0)
            val = known[:, i] + frac * (known[:, i + 1] - known[:, i])
            early = tp < kt[0]
            if early.any():
                val[:, early] = self._before(m, known, tp[early])
            out[:, past] = val
        fut = ~past
        if fut.any():
            tau = ts[fut] - kt[-1]
            inc = self.increments(m, tau)
            err = self.library.draw(rng, n, tau)
            out[:, fut] = known[:, -1:] + np.maximum(inc, 0.0) * np.exp(err)
        out = np.nan_to_num(out, nan=0.0, posinf=np.finfo(float).max)
        out = np.maximum.accumulate(np.maximum(out, 0.0), axis=1)
        result = np.empty_like(out)
        result[:, order] = out
        return result

    def _before(self, m, known, tp):
        """Cumulative units before the first known point."""
        first = known[:, :1]
        if self.series.since is not None:
            return np.zeros((m.size, tp.size))
        name = self.spec.model.name
        if name == "runrate":
            rate = self.params[m][:, :1]
            return np.clip(first - rate * (self.series.known_t[0] - tp[None, :]), 0.0, first)
        if name in ("seasonal", "combined"):
            return np.zeros((m.size, tp.size))
        lvl = self.spec.model.level(
            np.broadcast_to(tp[None, :], (m.size, tp.size)), self._p(self.params[m])
        )
        return np.clip(lvl, 0.0, first)
