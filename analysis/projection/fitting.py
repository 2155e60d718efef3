"""Fitting growth models, vectorised over many series or bootstrap draws at once.

Curves (exponential, logistic, gompertz, bass) are fitted by a batched
Levenberg-Marquardt on log values: every batch row is one series (or one bootstrap draw,
or one backtest origin) with its own weights, and all rows are solved together with numpy.
Each row is started from a small grid of starting values and the best fit kept.

Censored figures ("over N", see :mod:`.data`) enter with an interval-censored loss: a
prediction outside ``[lower, upper]`` is penalised like a measurement error, and inside
it is pulled only weakly (weight 0.1) towards the geometric middle, so the fit is unique
without treating the figure as exact.

``runrate`` and ``seasonal`` are fitted in closed form (:mod:`.closed_form`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis._format import count_label, units_label
from analysis._validation import check_date, check_scalar
from marketdata import schema as s
from marketdata.errors import DataError

from . import growth
from .data import PERIODS_PER_YEAR, YEAR_DAYS, CumulativeSeries
from .models import LAUNCH, MODELS, CurveModel

__all__ = [
    "LAUNCH",
    "Spec",
    "check_identified",
    "fit_curves",
    "lm",
    "make_spec",
    "predict_obs",
    "suggest_fixed",
]

INSIDE_WEIGHT = 0.1
_TINY = 1e-300


@dataclass(frozen=True)
class Spec:
    """A model with the analyst's fixed values and bounds (natural scale, years for dates)."""

    model: CurveModel
    fixed: dict[str, float] = field(default_factory=dict)
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    window: float | None = None  # runrate: years of history for the pace

    @property
    def launch(self) -> float | None:
        return self.fixed.get(LAUNCH)

    @property
    def names(self) -> tuple[str, ...]:
        return self.model.params

    @property
    def free(self) -> tuple[str, ...]:
        return tuple(p for p in self.model.params if p not in self.fixed)


MAX_YEARS = 60.0  # a date given as a number: years from the last figure, at most this far


def _to_years(value, ref: pd.Timestamp, name: str) -> float:
    """A date-like parameter (``launch``, ``t0``) in years from ``ref``: a day
    (:func:`analysis._validation.check_date`), or a number of years from the last figure."""
    if isinstance(value, numbers.Number) or isinstance(value, np.bool_):
        years = check_scalar(value, name)
        if abs(years) > MAX_YEARS:
            raise ValueError(
                f"{name} = {value!r} is read as years from the last figure (at most "
                f"{MAX_YEARS:g} either side); for a calendar date pass a day, e.g. '2011-09-30'"
            )
        return years
    ts = check_date(value, name)
    return float(((ts + pd.Timedelta(days=1)) - ref).days / YEAR_DAYS)


def _fixed_value(value, name: str, model: CurveModel) -> float:
    """A fixed parameter's value: finite, and > 0 for the positive ones (m, k, p, q, ...)."""
    positive = name in model.positive
    return check_scalar(
        value, f"fixed[{name!r}]", minimum=0.0 if positive else None, include_minimum=False
    )


def make_spec(model: str, series: CumulativeSeries, fixed=None, bounds=None, window=None) -> Spec:
    """Check ``fixed``/``bounds`` against the model and convert dates to years."""
    m = MODELS[model]
    if window is not None:  # years of history for the run rate
        window = check_scalar(window, "window", minimum=0, include_minimum=False)
    fixed = dict(fixed or {})
    bounds = dict(bounds or {})
    allowed = set(m.params) | (
        {LAUNCH} if model in ("exponential", "logistic", "gompertz") else set()
    )
    for name in list(fixed) + list(bounds):
        if name not in allowed:
            raise ValueError(
                f"model {model!r} has no parameter {name!r}; its parameters are {sorted(allowed)}"
            )
    date_like = {LAUNCH, "t0"}
    fx = {
        k: _to_years(v, series.ref, f"fixed[{k!r}]") if k in date_like else _fixed_value(v, k, m)
        for k, v in fixed.items()
    }
    so_far = float(series.known_lo[-1]) if series.known_lo.size else 0.0
    if "m" in fx and fx["m"] < so_far:
        raise ValueError(
            f"fixed['m'] (the ceiling, {units_label(fx['m'])}) must be at least the units so far "
            f"({units_label(so_far)}): a cumulative total never falls"
        )
    bd = {}
    for k, pair in bounds.items():
        name = f"bounds[{k!r}]"
        if isinstance(pair, str) or not (hasattr(pair, "__len__") and len(pair) == 2):
            raise TypeError(f"{name} must be a (lower, upper) pair, got {pair!r}")
        lo, hi = pair
        if k in date_like:
            bd[k] = (_to_years(lo, series.ref, name), _to_years(hi, series.ref, name))
        else:
            bd[k] = (check_scalar(lo, name), check_scalar(hi, name))
        if not bd[k][0] < bd[k][1]:
            raise ValueError(
                f"bounds for {k!r} must be (lower, upper) with lower < upper, got {bounds[k]}"
            )
    if LAUNCH in fx and fx[LAUNCH] > np.nanmin(np.r_[series.a, series.b]) + 1e-9:
        raise ValueError("the launch date must be on or before the first figure")
    return Spec(m, fx, bd, window)


def check_identified(spec: Spec, series: CumulativeSeries) -> None:
    """Refuse a model the figures cannot identify, saying what is missing."""
    name = spec.model.name
    if name in ("seasonal", "combined"):
        per = PERIODS_PER_YEAR.get(series.freq or "", 0)
        need = 2 * per + 2 if per > 1 else 4
        if series.has_levels or series.freq is None or series.flows.size < need:
            raise DataError(
                f"the {name} model needs regular per-period figures (quarters or months), at least "
                f"{need} in a row; the figures of {series.brand or 'the market'} give "
                f"{count_label(series.flows.size, 'regular period')}"
                + (" and cumulative milestones" if series.has_levels else ""),
                hint="use model='runrate' or 'exponential', or give per-period figures",
            )
        return
    if name == "growth":
        growth.stage(series, spec.fixed.get("growth"))
        return
    n_free = len(spec.free)
    if n_free > series.n:
        free = ", ".join(spec.free)
        example = suggest_fixed(spec, series, n_free - series.n)
        raise DataError(
            f"model {name!r} has {n_free} free parameters ({free}) but the figures of "
            f"{series.brand or 'the market'} in {series.market} give only {series.n}: it cannot be "
            f"identified",
            hint=f"fix {n_free - series.n} of them, e.g. fixed={example!r}, add figures, or use "
            "a model with fewer parameters ('runrate', 'growth')",
        )


# parameters to suggest fixing, in order, and an example value from the figures
_SUGGEST = ("m", LAUNCH, "q", "p", "k", "growth", "t0", "rate")


def suggest_fixed(spec: Spec, series: CumulativeSeries, count: int) -> dict:
    """``count`` free parameters of ``spec`` to fix, with example values from the figures, such
    that the model is then identified (a hint the tests apply).

    A ceiling ``m`` of 10x the units so far, a launch a year before the first figure, Bass
    ``q = 0.5`` and ``p = 0.01``, ``k = 1`` a year; only parameters that are free (a logistic's
    launch does not replace a parameter, so it is never suggested for one).
    """
    free = [nm for nm in _SUGGEST if nm in spec.free][:count]
    first = series.frame[s.START].fillna(series.frame[s.END]).min()
    last_units = float(np.max(series.known_hi))
    value = {
        "m": float(f"{10 * last_units:.2g}"),
        LAUNCH: (first - pd.DateOffset(years=1)).date().isoformat(),
        "q": 0.5,
        "p": 0.01,
        "k": 1.0,
        "growth": 0.5,
        "t0": 1.0,
        "rate": float(f"{last_units:.2g}"),
    }
    return {nm: value[nm] for nm in free}


# --------------------------------------------------------------------------- batched LM


def _bounds(spec: Spec, series: CumulativeSeries) -> tuple[np.ndarray, np.ndarray]:
    """Lower/upper bounds on the transformed scale (log for positive parameters)."""
    c_known = float(series.known_lo[-1])
    first = float(np.nanmin(np.r_[series.a, series.b]))
    total = c_known if series.has_levels else float(series.lo[~series.is_level].sum())
    default = {
        "rate": (1e-6, 1e15),
        "growth": (0.01, 20.0) if series.has_levels and spec.launch is None else (-5.0, 20.0),
        "m": (max(total, 1.0), max(total, 1.0) * 1e4),
        "k": (1e-3, 50.0),
        "t0": (-60.0, 60.0),
        "p": (1e-6, 1.0),
        "q": (1e-4, 20.0),
        LAUNCH: (-60.0, first),
    }
    lo, hi = [], []
    for name in spec.names:
        a, b = spec.bounds.get(name, default[name])
        if name in spec.model.positive:
            a, b = np.log(max(a, 1e-300)), np.log(b)
        lo.append(a)
        hi.append(b)
    return np.array(lo), np.array(hi)


def _natural(spec: Spec, u: np.ndarray) -> dict[str, np.ndarray]:
    p = {}
    for j, name in enumerate(spec.names):
        col = u[:, j : j + 1]
        p[name] = np.exp(col) if name in spec.model.positive else col
    if spec.launch is not None and LAUNCH not in p:
        p[LAUNCH] = np.full((u.shape[0], 1), spec.launch)
    return p


def _transform(spec: Spec, values: np.ndarray) -> np.ndarray:
    u = np.array(values, dtype=float, copy=True)
    for j, name in enumerate(spec.names):
        if name in spec.model.positive:
            u[..., j] = np.log(np.maximum(u[..., j], 1e-300))
    return u


def predict_obs(
    spec: Spec, p: dict, a: np.ndarray, b: np.ndarray, is_level: np.ndarray
) -> np.ndarray:
    """Predicted values of the observations (levels or flows), shape (B, N)."""
    m = spec.model
    aa = np.where(is_level, b, a)
    flow = m.increment(aa, b, p)
    if is_level.any():
        return np.where(is_level, m.level(b, p), flow)
    return flow


def _residuals(spec, u, a, b, is_level, llo, lhi, w):
    pred = predict_obs(spec, _natural(spec, u), a, b, is_level)
    lp = np.log(np.maximum(pred, _TINY))
    lp = np.where(pred > 0, lp, np.log(1e-6) + pred)  # push negative predictions back up
    mid = 0.5 * (llo + lhi)
    r = (lp - np.clip(lp, llo, lhi)) + INSIDE_WEIGHT * (lp - mid)
    return r * w


def lm(spec: Spec, u0, a, b, is_level, lo, hi, w, lower, upper, n_iter: int = 60):
    """Batched Levenberg-Marquardt; all arrays have a leading batch axis. Returns (u, cost).

    Rows stop iterating once converged (relative decrease below 1e-10, or no step helps),
    and the normal equations of a row are rebuilt only after it moved.
    """
    free = np.flatnonzero([n not in spec.fixed for n in spec.names])
    fixed_eye = np.diag([n in spec.fixed for n in spec.names]).astype(float)
    B, P = u0.shape
    llo = np.log(np.maximum(lo, _TINY))
    lhi = np.log(np.maximum(hi, _TINY))
    data = [np.broadcast_to(x, (B, llo.shape[1])) for x in (a, b, is_level, llo, lhi, w)]
    u = np.clip(u0, lower, upper)
    r = _residuals(spec, u, *data)
    cost = (r * r).sum(axis=1)
    lam = np.full(B, 1e-2)
    eye = np.eye(P)
    A = np.zeros((B, P, P))
    g = np.zeros((B, P))
    act = np.arange(B)
    need = act.copy()
    for _ in range(n_iter):
        if act.size == 0:
            break
        if need.size:
            un_, rn_ = u[need], r[need]
            dn = [x[need] for x in data]
            J = np.zeros(rn_.shape + (P,))
            for j in free:
                h = 1e-6 * np.maximum(1.0, np.abs(un_[:, j]))
                du = un_.copy()
                du[:, j] += h
                J[:, :, j] = (_residuals(spec, du, *dn) - rn_) / h[:, None]
            A[need] = np.einsum("bni,bnj->bij", J, J)
            g[need] = np.einsum("bni,bn->bi", J, rn_)
        Aa, ga, la = A[act], g[act], lam[act]
        diag = np.einsum("bii->bi", Aa)
        damp = la[:, None, None] * (eye * (diag[:, None, :] + 1e-9)) + fixed_eye + 1e-12 * eye
        try:
            step = -np.linalg.solve(Aa + damp, ga[..., None])[..., 0]
        except np.linalg.LinAlgError:
            step = -ga / (np.maximum(diag, 1e-9) * (1 + la[:, None]))
        step[:, np.diag(fixed_eye) > 0] = 0.0
        step = np.where(np.isfinite(step), step, 0.0)
        un = np.clip(u[act] + step, lower, upper)
        rn = _residuals(spec, un, *[x[act] for x in data])
        cn = (rn * rn).sum(axis=1)
        ca = cost[act]
        better = np.isfinite(cn) & (cn < ca)
        rows = act[better]
        u[rows], r[rows], cost[rows] = un[better], rn[better], cn[better]
        lam[act] = np.where(better, np.maximum(la / 3, 1e-9), np.minimum(la * 4, 1e9))
        done = (better & (ca - cn <= 1e-10 * (1 + ca))) | (~better & (lam[act] >= 1e8))
        need = act[better & ~done]
        act = act[~done]
    return u, cost


def _starts(spec: Spec, series: CumulativeSeries) -> np.ndarray:
    """A grid of starting values (S, P) on the natural scale."""
    c = (
        float(np.sqrt(series.known_lo[-1] * series.known_hi[-1]))
        if series.known_lo[-1] > 0
        else 1.0
    )
    if not series.has_levels:
        c = max(c, float(series.lo.sum()))
    dt = np.diff(series.known_t)
    rate = float((series.known_lo[-1] - series.known_lo[-2]) / dt[-1]) if dt.size else c
    rate = max(rate, c * 0.05)
    first = float(np.nanmin(np.r_[series.a, series.b]))
    grids = {
        "rate": [rate],
        "growth": [0.05, 0.5, 2.0] + ([] if series.has_levels and spec.launch is None else [-0.5]),
        "m": [1.5 * c, 3 * c, 10 * c],
        "k": [0.5, 1.5, 4.0],
        "t0": [-1.0, 0.0, 1.5],
        "p": [0.005, 0.05],
        "q": [0.3, 1.0],
        LAUNCH: [first - 0.25, first - 2.0],
    }
    axes = [[spec.fixed[n]] if n in spec.fixed else grids[n] for n in spec.names]
    mesh = np.meshgrid(*axes, indexing="ij")
    return np.stack([x.ravel() for x in mesh], axis=1)


def fit_curves(
    spec: Spec, series: CumulativeSeries, w: np.ndarray, lo=None, hi=None, start=None, n_iter=60
):
    """Fit ``spec`` to ``series`` for every row of weights ``w`` (B, N).

    ``lo``/``hi`` (B, N) replace the observed bounds (bootstrap or censored draws);
    ``start`` (B, P) natural-scale starting values replace the grid. Returns natural-scale
    parameters (B, P) and the cost (B,).
    """
    B, N = w.shape
    lower, upper = _bounds(spec, series)
    lo = np.broadcast_to(series.lo if lo is None else lo, (B, N))
    hi = np.broadcast_to(series.hi if hi is None else hi, (B, N))
    if start is None:
        grid = _transform(spec, _starts(spec, series))
        S = grid.shape[0]
        u0 = np.tile(grid, (B, 1))
        rep = lambda x: np.repeat(x, S, axis=0)  # noqa: E731
    else:
        S = 1
        u0 = _transform(spec, start)
        rep = lambda x: x  # noqa: E731
    for name, value in spec.fixed.items():
        if name in spec.names:
            j = spec.names.index(name)
            u0[:, j] = np.log(value) if name in spec.model.positive else value
            lower[j] = upper[j] = u0[0, j]
    a = np.broadcast_to(series.a, (B * S, N))
    b = np.broadcast_to(series.b, (B * S, N))
    lvl = np.broadcast_to(series.is_level, (B * S, N))
    u, cost = lm(
        spec, u0, a, b, lvl, rep(np.asarray(lo)), rep(np.asarray(hi)), rep(w), lower, upper, n_iter
    )
    cost = np.where(np.isfinite(cost), cost, np.inf).reshape(B, S)
    best = cost.argmin(axis=1)
    u = u.reshape(B, S, -1)[np.arange(B), best]
    p = _natural(spec, u)
    return np.column_stack([p[n][:, 0] for n in spec.names]), cost[np.arange(B), best]
