"""``auto`` on few figures or milestones: rank the identified curves by AICc of their log
residuals (censored figures count as fitted exactly when the curve passes inside them)."""

from __future__ import annotations

import numpy as np

from . import fitting
from .data import CumulativeSeries
from .holdout import FLOW_MODELS, self_errors

__all__ = ["aicc", "by_aicc", "log_residuals"]


def aicc(ssr: float, n: int, k: int) -> float:
    """Corrected Akaike criterion of a least-squares fit: ``n`` figures, ``k`` parameters
    (the free ones and the residual variance), sum of squared residuals ``ssr``.

    Examples
    --------
    >>> # 10 log(0.4 / 10) + 2 * 3 + 2 * 3 * 4 / (10 - 3 - 1) = -32.19 + 6 + 4
    >>> round(aicc(0.4, 10, 3), 2)
    -22.19
    """
    return float(n * np.log(max(ssr, 1e-12) / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1))


def log_residuals(spec, series: CumulativeSeries, params: np.ndarray) -> np.ndarray:
    """Log residuals (B, N) of the curve ``spec`` with parameter rows ``params`` (B, P):
    zero where a censored figure's interval holds the prediction, else against its
    geometric middle."""
    p = {nm: params[:, j : j + 1] for j, nm in enumerate(spec.names)}
    if spec.launch is not None:
        p["launch"] = np.full((params.shape[0], 1), spec.launch)
    pred = fitting.predict_obs(
        spec, p, series.a[None, :], series.b[None, :], series.is_level[None, :]
    )
    lp = np.log(np.maximum(pred, 1e-300))
    with np.errstate(divide="ignore"):  # a zero figure's log is -inf, as it should be
        log_lo, log_hi = np.log(series.lo), np.log(series.hi)
    mid = 0.5 * (log_lo + log_hi)
    inside = series.censored & (lp >= log_lo) & (lp <= log_hi)
    return np.where(inside, 0.0, lp - mid)


def by_aicc(series: CumulativeSeries, cands: list, excluded: str):
    """(spec, reason, self errors) of the curve with the lowest AICc among ``cands``, or
    None when no curve has spare figures (more figures than parameters + 1)."""
    n = series.n
    scores = {}
    for spec in cands:
        if spec.model.name in FLOW_MODELS:
            continue
        k = len(spec.free) + 1
        if n <= k + 1:
            continue
        params, _ = fitting.fit_curves(spec, series, np.ones((1, n)))
        r = log_residuals(spec, series, params)
        scores[spec.model.name] = aicc(float((r**2).sum()), n, k)
    if not scores:
        return None
    best = min(scores, key=scores.get)
    listed = ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items(), key=lambda kv: kv[1]))
    spec = next(c for c in cands if c.model.name == best)
    reason = f"AICc on {n} figures: {listed}; chose {best}{excluded}"
    return spec, reason, self_errors(spec, series)
