"""Rolling-origin forecasts of a model on a series' own history: each origin's model is
fitted only on the figures up to it. The ``self`` error library (:mod:`.uncertainty`), the
holdouts of ``auto`` (:mod:`.holdout`, :mod:`.regular`) and their log errors.
"""

from __future__ import annotations

import numpy as np

from . import closed_form, fitting
from .data import PERIODS_PER_YEAR, CumulativeSeries
from .models import MODELS

__all__ = ["H", "log_errors", "min_origin", "origin_forecasts"]

H = 8  # horizons (periods) in a library


def origin_forecasts(
    spec: fitting.Spec, series: CumulativeSeries, origins: np.ndarray, horizons: int = H
):
    """Forecast and actual units over 1..H periods after each origin of the flow run.

    ``origins`` are indices into the last run of flows (the origin is the end of that
    period). Returns (forecast, actual), each (O, H), NaN where the actual is unknown.
    Each origin's model is fitted only on the figures up to it.
    """
    origins = np.asarray(origins, dtype=int)
    n_run = series.flows.size
    kt, kc = series.known_t, series.known_lo  # known path: index j + 1 is the end of flow j
    n_origins = origins.size
    h = np.arange(1, horizons + 1)
    tgt = origins[:, None] + h[None, :]
    ok = tgt < n_run
    tgt_c = np.minimum(tgt, n_run - 1)
    t0 = kt[origins + 1]
    tau = kt[tgt_c + 1] - t0[:, None]
    actual = np.where(ok, kc[tgt_c + 1] - kc[origins + 1][:, None], np.nan)
    name = spec.model.name
    if n_origins == 0:
        return np.zeros((0, horizons)), np.zeros((0, horizons))
    if name == "combined":
        # the mean of the two forecasts, each fitted on the figures up to the origin
        pair = [
            origin_forecasts(fitting.Spec(MODELS[m], window=spec.window), series, origins, horizons)
            for m in ("seasonal", "runrate")
        ]
        return 0.5 * (pair[0][0] + pair[1][0]), actual
    if name == "runrate":
        if spec.window is None:
            rate = (kc[origins + 1] - kc[origins]) / (kt[origins + 1] - kt[origins])
        else:
            rate = np.array(
                [
                    closed_form.runrate_rates(series, kc[None, :], spec.window, upto=o + 1)[0]
                    for o in origins
                ]
            )
        forecast = rate[:, None] * tau
    elif name == "seasonal":
        w = closed_form.seasonal_window(series, origins)
        beta = closed_form.seasonal_fit(series, w)
        forecast = closed_form.seasonal_increments(series, beta, t0, tau, origins)
    else:
        w = (series.b[None, :] <= t0[:, None] + 1e-9).astype(float)
        params, _ = fitting.fit_curves(spec, series, w)
        p = {n: params[:, j : j + 1] for j, n in enumerate(spec.names)}
        if spec.launch is not None:
            p[fitting.LAUNCH] = np.full((n_origins, 1), spec.launch)
        forecast = spec.model.increment(
            np.broadcast_to(t0[:, None], tau.shape), t0[:, None] + tau, p
        )
    forecast = np.where(ok, forecast, np.nan)
    return forecast, actual


def min_origin(spec: fitting.Spec, series: CumulativeSeries) -> int:
    """The first origin at which ``spec`` can be fitted on the flows up to it."""
    if spec.model.name == "runrate":
        return (
            1 if spec.window is None else int(np.ceil(spec.window * PERIODS_PER_YEAR[series.freq]))
        )
    if spec.model.name in ("seasonal", "combined"):
        per = PERIODS_PER_YEAR[series.freq]
        return 2 * per + 1
    return len(spec.free) + 2


def log_errors(forecast: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """``log(actual / forecast)``, NaN where it is not finite."""
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.log(actual / forecast)
    return np.where(np.isfinite(e), e, np.nan)
