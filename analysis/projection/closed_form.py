"""The closed-form models: ``runrate`` (pace of the latest interval) and ``seasonal``
(weighted least squares of log flows on a trend and seasonal dummies, blended with last
year's same period), vectorised over known-path draws or backtest origins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketdata.errors import DataError

from .data import PERIODS_PER_YEAR, CumulativeSeries

__all__ = [
    "SEASONAL_BLEND",
    "SEASONAL_DAMPING",
    "SEASONAL_HALFLIFE",
    "SEASONAL_WINDOW",
    "runrate_rates",
    "seasonal_design",
    "seasonal_fit",
    "seasonal_increments",
    "seasonal_window",
    "seasonal_x",
]

SEASONAL_WINDOW = 3.0  # years of flows the seasonal model is fitted on
SEASONAL_HALFLIFE = 0.5  # years: weights of older flows halve over this
SEASONAL_DAMPING = 0.0  # per year: share of the fitted trend carried into the forecast
SEASONAL_BLEND = 0.5  # weight of the regression against last year's same period


def runrate_rates(
    series: CumulativeSeries, known: np.ndarray, window: float | None, upto: int | None = None
) -> np.ndarray:
    """Pace (units per year) of the latest interval of each known path row (M, K)."""
    t = series.known_t if upto is None else series.known_t[: upto + 1]
    c = known if upto is None else known[:, : upto + 1]
    if window is None:
        return (c[:, -1] - c[:, -2]) / (t[-1] - t[-2])
    t_from = t[-1] - window
    if t_from < t[0] - 1e-9:
        raise DataError(
            f"the run-rate window of {window:g} years reaches before the first figure",
            hint="use a shorter window",
        )
    c_from = np.array([np.interp(t_from, t, row) for row in c])
    return (c[:, -1] - c_from) / window


def seasonal_design(series: CumulativeSeries) -> tuple[np.ndarray, np.ndarray, int]:
    """Period mid-times (years) and season numbers of the last run of flows."""
    per = PERIODS_PER_YEAR[series.freq]
    ends = pd.DatetimeIndex([series.date(x) for x in series.flow_end])
    # the season is the period's place in its calendar year (month, quarter or half)
    seasons = (ends.month.to_numpy() - 1) // (12 // per)
    mids = series.flow_end - 0.5 / per
    return mids, np.asarray(seasons), per


def seasonal_fit(series: CumulativeSeries, w: np.ndarray) -> np.ndarray:
    """Weighted least squares of log flows on (1, t, season dummies); w (B, n_run)."""
    mids, seasons, per = seasonal_design(series)
    X = seasonal_x(mids, seasons, per)
    y = np.log(np.maximum(series.flows, 1.0))
    XtW = X.T[None, :, :] * w[:, None, :]
    A = XtW @ X + 1e-9 * np.eye(X.shape[1])
    beta = np.linalg.solve(A, (XtW @ y)[..., None])[..., 0]
    return beta


def seasonal_window(series: CumulativeSeries, upto: np.ndarray) -> np.ndarray:
    """Weights (B, n_run): the last SEASONAL_WINDOW years of flows up to index ``upto``."""
    per = PERIODS_PER_YEAR[series.freq]
    span = max(int(round(SEASONAL_WINDOW * per)), 2 * per + 2)
    j = np.arange(series.flows.size)[None, :]
    upto = np.asarray(upto)[:, None]
    decay = 0.5 ** ((upto - j) / (SEASONAL_HALFLIFE * per))
    return np.where((j <= upto) & (j > upto - span), decay, 0.0)


def seasonal_x(mids, seasons, per):
    cols = [np.ones_like(mids), mids]
    for q in range(1, per):
        cols.append((seasons == q).astype(float))
    return np.column_stack(cols)


def seasonal_increments(
    series: CumulativeSeries, beta: np.ndarray, t0: np.ndarray, tau: np.ndarray, j0: np.ndarray
):
    """Units from instant ``t0`` (end of run period ``j0``) to ``t0 + tau`` for each row.

    beta (B, P), t0 (B,), tau (B, D) years ahead, j0 (B,) int. Periods are 1/per years long.
    """
    mids, seasons, per = seasonal_design(series)
    L = 1.0 / per
    kmax = int(np.ceil(np.nanmax(tau) / L)) + 1 if tau.size else 1
    k = np.arange(1, kmax + 1)
    s0 = seasons[0]
    season_k = (s0 + j0[:, None] + k[None, :]) % per  # (B, K)
    damped = np.cumsum(SEASONAL_DAMPING**k)  # periods of trend after the last one
    mid_k = t0[:, None] - 0.5 * L + damped[None, :] * L
    logf = beta[:, :1] + beta[:, 1:2] * mid_k
    for q in range(1, per):
        logf = logf + beta[:, 1 + q : 2 + q] * (season_k == q)
    # Average (in logs) with last year's same period grown by the damped trend: the
    # regression smooths noise, last year's figure keeps the level; their mean beats both.
    back = ((k - 1) % per) - per + 1  # offset of the same period a year before the origin
    years_ahead = np.ceil(k / per)
    j_same = np.clip(j0[:, None] + back[None, :], 0, series.flows.size - 1)
    last_year = (
        np.log(np.maximum(series.flows[j_same], 1.0))
        + beta[:, 1:2] * years_ahead * SEASONAL_DAMPING
    )
    if per > 1:
        logf = SEASONAL_BLEND * logf + (1 - SEASONAL_BLEND) * last_year
    f = np.exp(np.clip(logf, -50, 50))  # (B, K) flows per period
    cum = np.concatenate([np.zeros((f.shape[0], 1)), np.cumsum(f, axis=1)], axis=1)
    x = np.clip(tau / L, 0, kmax)
    i = np.minimum(np.floor(x).astype(int), kmax - 1)
    frac = x - i
    rows = np.arange(f.shape[0])[:, None]
    return cum[rows, i] + frac * f[rows, i]
