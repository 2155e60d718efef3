"""Each toolkit model's parameters, their draws and intervals, for :func:`.project.fit_series`.

Draws of the known cumulative path come first (censored figures drawn inside their
interval), then per model: ``growth`` reads its parameters from the figures and the IDC
history (:mod:`.growth`), ``runrate`` and ``seasonal`` are fitted in closed form with a
draw per known path or a residual bootstrap, the curves by least squares with draws of the
censored figures or a residual bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import closed_form, fitting, growth, uncertainty
from .aicc import aicc, log_residuals
from .data import CumulativeSeries

__all__ = ["N_BOOT", "N_CENSORED", "Estimate", "estimate"]

N_CENSORED = 200  # draws of censored figures
N_BOOT = 200  # residual-bootstrap refits for parameter intervals


@dataclass
class Estimate:
    """One model's fit: parameter draws, point values, intervals, known-path draws, fit
    quality, warnings and (growth model only) its own error library."""

    params: np.ndarray
    point: dict
    intervals: list
    known: np.ndarray
    quality: dict
    warnings: list[str] = field(default_factory=list)
    library: uncertainty.Library | None = None


def estimate(
    spec, series: CumulativeSeries, rng, *, window, scenarios, before_days, exclude
) -> Estimate:
    """Fit the toolkit model ``spec`` to ``series`` (draws from ``rng`` in a fixed order)."""
    name = spec.model.name
    known = draw_known(series, rng, N_CENSORED)
    quality = {"n": series.n, "free": len(spec.free), "rmse_log": np.nan, "aicc": np.nan}
    if name == "growth":
        params, point, intervals, library = _growth(
            spec, series, known, rng, scenarios, before_days, exclude
        )
        quality["free"] = 0  # read from the figures and the IDC history, not fitted
        return Estimate(params, point, intervals, known, quality, library=library)
    if name == "runrate":
        rates, point_rate = _rates(series, known, window)
        intervals = [("rate", point_rate, *quantiles(rates), False)]
        return Estimate(rates[:, None], {"rate": point_rate}, intervals, known, quality)
    if name in ("seasonal", "combined"):
        return _seasonal(spec, series, known, rng, window, quality)
    return _curve(spec, series, known, rng, quality)


def draw_known(series: CumulativeSeries, rng, M: int) -> np.ndarray:
    """``M`` draws (M, n_known) of the known cumulative path, censored points drawn
    log-uniformly inside their interval; one row when nothing is censored."""
    if not series.censored.any():
        return np.sqrt(series.known_lo * series.known_hi)[None, :]
    u = rng.uniform(size=(M, series.known_t.size))
    lo, hi = (
        np.log(np.maximum(series.known_lo, 1e-300)),
        np.log(np.maximum(series.known_hi, 1e-300)),
    )
    val = np.where(series.known_hi > 0, np.exp(lo + u * (hi - lo)), 0.0)
    return np.maximum.accumulate(val, axis=1)


def quantiles(x) -> tuple[float, float]:
    """The 5% and 95% quantiles of the finite values of ``x`` (NaN with fewer than 2)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return (np.nan, np.nan)
    return tuple(float(v) for v in np.quantile(x, [0.05, 0.95]))


def _rates(series, known, window):
    """The run-rate per known-path draw, and at the point known path."""
    rates = closed_form.runrate_rates(series, known, window)
    point_rate = float(
        closed_form.runrate_rates(
            series, np.sqrt(series.known_lo * series.known_hi)[None, :], window
        )[0]
    )
    return rates, point_rate


def _seasonal(spec, series, known, rng, window, quality) -> Estimate:
    """``seasonal`` (and ``combined``'s seasonal half): log-linear fit with a residual
    bootstrap of its coefficients; ``combined`` adds the run-rate per known-path draw."""
    w = closed_form.seasonal_window(series, [series.flows.size - 1])
    beta = closed_form.seasonal_fit(series, w)
    params = beta
    mids, seasons, per = closed_form.seasonal_design(series)
    X = closed_form.seasonal_x(mids, seasons, per)
    res = (np.log(np.maximum(series.flows, 1.0)) - X @ beta[0])[w[0] > 0]
    quality["rmse_log"] = float(np.sqrt(np.mean(res**2)))
    names = ["level", "trend"] + [f"season_{q + 1}" for q in range(1, per)]
    point = {nm: float(v) for nm, v in zip(names, beta[0], strict=False)}
    # residual bootstrap of the log-linear fit
    Xw = X[w[0] > 0]
    boot = Xw @ beta[0] + rng.choice(res, size=(N_BOOT, res.size))
    bb = np.linalg.lstsq(Xw, boot.T, rcond=None)[0].T
    intervals = []
    if spec.model.name == "combined":
        # the run-rate half: [rate, beta] per draw of the known path
        rates, point_rate = _rates(series, known, window)
        params = np.column_stack([rates, np.repeat(beta, rates.size, axis=0)])
        point = {"rate": point_rate} | point
        intervals.append(("rate", point_rate, *quantiles(rates), False))
    for j, nm in enumerate(names):
        intervals.append((nm, point[nm], *quantiles(bb[:, j]), False))
    return Estimate(params, point, intervals, known, quality)


def _curve(spec, series, known, rng, quality) -> Estimate:
    """A curve: least squares, then draws of the censored figures (each refitted) or,
    with exact figures and spare degrees of freedom, a residual bootstrap."""
    n_obs, n_free = series.n, len(spec.free)
    warnings: list[str] = []
    p0, _ = fitting.fit_curves(spec, series, np.ones((1, n_obs)))
    r = log_residuals(spec, series, p0)[0]
    quality["rmse_log"] = float(np.sqrt(np.mean(r**2)))
    k = n_free + 1
    if n_obs > k + 1:
        quality["aicc"] = float(aicc((r**2).sum(), n_obs, k))
    if n_obs == n_free:
        warnings.append(
            f"{spec.model.name} is exactly identified ({n_obs} figures, {n_free} free "
            "parameters): the curve passes through the figures and the fit cannot be checked"
        )
    if series.censored.any():
        params, draws, known = _censored_draws(spec, series, rng, p0, known)
    else:
        params = p0
        draws, why = _bootstrap(spec, series, rng, p0, r)
        warnings += why
    point = {nm: float(v) for nm, v in zip(spec.names, p0[0], strict=False)}
    point.update({nm: float(v) for nm, v in spec.fixed.items() if nm in point})
    warnings += at_edge(spec, series, point)
    intervals = []
    for j, nm in enumerate(spec.names):
        lo_, hi_ = (
            quantiles(draws[:, j])
            if draws is not None and nm not in spec.fixed
            else (np.nan, np.nan)
        )
        intervals.append((nm, point[nm], lo_, hi_, nm in spec.fixed))
    if spec.launch is not None and "launch" not in point:
        point["launch"] = spec.launch
        intervals.append(("launch", spec.launch, np.nan, np.nan, True))
    return Estimate(params, point, intervals, known, quality, warnings)


def _censored_draws(spec, series, rng, p0, known):
    """(params, draws, known): the curve refitted to each draw of the censored figures;
    with only cumulative figures the same draws make the known path, so each curve passes
    its own path."""
    n_obs = series.n
    u = rng.uniform(size=(N_CENSORED, n_obs))
    lo, hi = np.log(series.lo), np.log(series.hi)
    val = np.exp(lo + u * (hi - lo))
    if series.is_level.all():
        val = np.maximum.accumulate(val, axis=1)
        known = val
    draws, _ = fitting.fit_curves(
        spec,
        series,
        np.ones((N_CENSORED, n_obs)),
        lo=val,
        hi=val,
        start=np.repeat(p0, N_CENSORED, axis=0),
    )
    return draws, draws, known


def _bootstrap(spec, series, rng, p0, r):
    """(draws or None, warnings): residual-bootstrap refits of a curve on exact figures."""
    n_obs, n_free = series.n, len(spec.free)
    exact = ~series.censored
    finite = bool(np.isfinite(r).all())
    if n_obs <= n_free + 1:
        return None, []
    if not finite:
        return None, [
            "parameter intervals not computed: a zero figure has no residual on the "
            "log scale the fit uses"
        ]
    mid = 0.5 * (np.log(series.lo) + np.log(series.hi))
    fitted = mid + r
    boot = fitted[None, :] - rng.choice(r[exact], size=(N_BOOT, n_obs)) * np.sqrt(
        n_obs / max(n_obs - n_free, 1)
    )
    val = np.exp(boot)
    draws, _ = fitting.fit_curves(
        spec,
        series,
        np.ones((N_BOOT, n_obs)),
        lo=val,
        hi=val,
        start=np.repeat(p0, N_BOOT, axis=0),
    )
    return draws, []


def at_edge(spec, series: CumulativeSeries, point: dict) -> list[str]:
    """Warn about free parameters whose fitted value sits at the edge of its range: the
    figures did not pin it down, the optimiser ran into the wall."""
    lower, upper = fitting._bounds(spec, series)
    out = []
    for j, name in enumerate(spec.names):
        if name in spec.fixed or name not in point:
            continue
        value = point[name]
        x = np.log(max(value, 1e-300)) if name in spec.model.positive else value
        for edge, side in ((lower[j], "lower"), (upper[j], "upper")):
            if abs(x - edge) <= 1e-6 * max(1.0, abs(edge)):
                out.append(
                    f"{name} = {value:.4g} sits at the {side} edge of its range: the figures "
                    f"do not pin it down and the projection is arbitrary; fix or bound "
                    f"{name} (fixed=, bounds=) or use another model"
                )
    return out


def _growth(spec, series, known, rng, scenarios, before_days, exclude):
    """(params, point, intervals, library) of the growth-stage model (see :mod:`.growth`)."""
    if scenarios is not None:
        raise ValueError("the growth model takes its intervals from the IDC history: no scenarios=")
    units, g0, how = growth.stage(series, spec.fixed.get("growth"))
    before = (
        None
        if before_days is None
        else pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(before_days) - 1)
    )
    law = growth.decay_law(before=before, exclude=exclude)
    a = spec.fixed.get("a", law.a)
    b = spec.fixed.get("b", law.b)
    units = spec.fixed.get("units", units)
    if (a, b) != (law.a, law.b):
        law = growth.DecayLaw(a, b, law.g_this, law.residuals, law.before)
    E, step = growth.error_paths(law, units, g0, rng)
    point = {"units": units, "growth": g0, "a": a, "b": b}
    params = np.repeat(np.array([[units, g0, a, b]]), known.shape[0], axis=0)
    intervals = [
        ("units", units, np.nan, np.nan, "units" in spec.fixed),
        ("growth", g0, np.nan, np.nan, "growth" in spec.fixed),
        ("a", a, np.nan, np.nan, "a" in spec.fixed),
        ("b", b, np.nan, np.nan, "b" in spec.fixed),
    ]
    description = f"{law.describe()}; current growth {np.exp(g0):.2f}x a year from {how}"
    library = growth.BalancedLibrary(E, step, "growth", description, smooth=False)
    return params, point, intervals, library
