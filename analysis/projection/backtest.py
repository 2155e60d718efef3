"""Rolling-origin backtests of projections against actuals, with naive baselines.

For each brand and each origin, the model is fitted on the figures up to the origin only
(and ``auto`` chooses its model, and the error library is built, from information
available at the origin), then compared with the actuals 1..H periods later.

- ``mape``, ``mase``, ``bias`` are on the units of the single period ``h`` ahead (the
  standard forecasting target): ``mase`` divides absolute errors by the in-sample mean
  absolute seasonal difference (lag = periods per year) up to the origin; ``bias`` is the
  mean signed error as a fraction of the actual (positive: over-forecast).
- The point forecast scored is the fitted model's forecast; a ``Projection``'s median
  differs from it by the median of the model's past errors (its bias), which the
  intervals keep.
- ``coverage`` is the share of origins whose actual units over the next ``h`` periods (the
  cumulative units the projection's intervals describe) fall inside the ``level`` interval.
- Baselines: ``naive_last`` (the last period repeated), ``naive_drift`` (last period plus
  the average change per period), ``seasonal_naive`` (the same period a year earlier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketdata import schema as s
from marketdata.errors import DataError

from . import fitting, uncertainty
from .data import PERIODS_PER_YEAR, prepare, select
from .models import NAMES
from .project import AUTO_ORDER, holdout_pool, holdout_scores, mase_scales

BASELINES = ("naive_last", "naive_drift", "seasonal_naive")
N_DRAWS = 1000
POINT = "model"  # the point forecast scored: the fitted model's, or "median" of the draws


def _runs(frame: pd.DataFrame, brand, market) -> list[pd.DataFrame]:
    """Contiguous runs of per-period actual figures of one brand."""
    rows = frame[
        (frame[s.BRAND] == brand) & (frame[s.MARKET] == market) & (frame[s.BASIS] == s.PERIOD)
    ]
    rows = rows[rows[s.STATUS].isin((s.ACTUAL, s.ESTIMATE))].sort_values(s.START)
    if rows.empty:
        return []
    gap = (rows[s.START] - rows[s.END].shift()).dt.days.fillna(1).to_numpy() > 1
    run_id = np.cumsum(gap)
    return [g for _, g in rows.groupby(run_id)]


def _candidates(series, model, fixed):
    names = AUTO_ORDER if model == "auto" else (model,)
    out = []
    for name in names:
        try:
            spec = fitting.make_spec(
                name, series, {k: v for k, v in (fixed or {}).items()}, None, None
            )
            if name in ("seasonal", "combined"):
                fitting.check_identified(spec, series)
        except (DataError, ValueError):
            continue
        out.append(spec)
    return out


def _quantiles(lib, rng, anchor, forecast, tau, level):
    """Quantiles (3, H) of anchor + forecast * exp(e) at horizons tau (H,)."""
    e = lib.draw(rng, N_DRAWS, tau)
    x = anchor + np.maximum(forecast, 0)[None, :] * np.exp(e)
    x = np.maximum.accumulate(x, axis=1)
    return np.quantile(x, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)


def backtest(
    figures: pd.DataFrame,
    model: str = "auto",
    *,
    brand: str | None = None,
    market: str | None = None,
    origins=None,
    horizons=(1, 2, 3, 4),
    min_history: int = 12,
    level: float = 0.8,
    fixed: dict | None = None,
    detail: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """Rolling-origin forecasts against actuals: errors per horizon and interval coverage.

    Parameters
    ----------
    figures : DataFrame
        Per-period figures (e.g. the packaged IDC quarterly vendor series); residual
        brands ("Others") are left out unless named by ``brand``.
    model : str, default "auto"
    brand, market : str, optional
        One brand (default: every brand with enough history).
    origins : int or sequence of date-like, optional
        All origins with ``min_history`` periods of history (default); an int: the last
        that many; dates: the origins whose last period ends on those dates.
    horizons : sequence of int, default (1, 2, 3, 4)
        Periods ahead.
    min_history : int, default 12
        Periods of history an origin needs.
    level : float, default 0.8
        Interval level whose coverage is measured.
    detail : bool, default False
        Return one row per brand x origin x horizon x method instead of the summary.

    Returns
    -------
    DataFrame
        [brand, market, method, horizon, n, mape, mase, bias, coverage] (``method`` is the
        model or a baseline; coverage only for the model), or the detail rows.

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import backtest
    >>> ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    >>> t = backtest(ww, "runrate", brand="Apple", origins=4, horizons=[1])
    >>> sorted(t["method"])
    ['naive_drift', 'naive_last', 'runrate', 'seasonal_naive']
    """
    if model not in NAMES:
        raise ValueError(f"model must be one of {list(NAMES)}, got {model!r}")
    horizons = sorted({int(h) for h in horizons})
    if not horizons or horizons[0] < 1:
        raise ValueError(f"horizons must be positive integers, got {horizons}")
    H = max(horizons)
    frame, pairs = select(figures, brand, market)
    rng = np.random.default_rng(seed)
    records = []
    for b, m in pairs:
        if b is None:
            continue
        for run in _runs(frame, b, m):
            if len(run) < min_history + 1:
                continue
            series = prepare(run, b, m)
            if series.freq is None:
                continue
            records += _backtest_series(series, model, origins, H, min_history, level, fixed, rng)
    if not records:
        raise DataError(
            f"no brand has {min_history + 1} or more consecutive periods to backtest on",
            hint="lower min_history or give longer per-period series",
        )
    det = pd.DataFrame(records)
    det = det[det["horizon"].isin(horizons)]
    if detail:
        return det.reset_index(drop=True)
    return summarise(det)


def summarise(det: pd.DataFrame) -> pd.DataFrame:
    """Summary rows [brand, market, method, horizon, n, mape, mase, bias, coverage]."""
    g = det.assign(
        ape=(det["forecast"] - det["actual"]).abs() / det["actual"],
        ase=(det["forecast"] - det["actual"]).abs() / det["scale"],
        rel=(det["forecast"] - det["actual"]) / det["actual"],
    ).groupby([s.BRAND, s.MARKET, "method", "horizon"], sort=True)
    out = g.agg(
        n=("actual", "size"),
        mape=("ape", "mean"),
        mase=("ase", "mean"),
        bias=("rel", "mean"),
        coverage=("covered", "mean"),
    ).reset_index()
    out["mape"] *= 100
    return out


def _backtest_series(series, model, origins, H, min_history, level, fixed, rng):
    n_run = series.flows.size
    per = PERIODS_PER_YEAR[series.freq]
    f = series.flows
    kt, kc = series.known_t, series.known_lo
    eval_origins = np.arange(min_history - 1, n_run - 1)
    if isinstance(origins, (int, np.integer)):
        eval_origins = eval_origins[-int(origins) :]
    elif origins is not None:
        wanted = series.years(origins)
        eval_origins = np.array(
            [o for o in eval_origins if np.any(np.abs(kt[o + 1] - wanted) < 1e-6)], dtype=int
        )
    specs = _candidates(series, model, fixed)
    scales = mase_scales(series)
    # Forecasts of every candidate at every origin (each fitted on data up to its origin).
    table = {}
    for spec in specs:
        o_min = uncertainty.min_origin(spec, series)
        org = np.arange(o_min, n_run - 1)
        if org.size == 0:
            continue
        fc, ac = uncertainty.origin_forecasts(spec, series, org)
        table[spec.model.name] = (spec, org, fc, ac)
    records = []
    for T in eval_origins:
        avail = {}
        for name, (spec, org, fc, ac) in table.items():
            if T not in org:
                continue
            known_by_T = (org[:, None] + np.arange(1, fc.shape[1] + 1)[None, :]) <= T
            e = np.where(known_by_T, uncertainty.log_errors(fc, ac), np.nan)[org < T]
            past = org < T
            fk = np.where(known_by_T, fc, np.nan)[past]
            ak = np.where(known_by_T, ac, np.nan)[past]
            avail[name] = (spec, e, fc[org == T][0], (org[past], fk, ak))
        if not avail:
            continue
        if model == "auto":
            # the same rule as fit(model="auto") on the figures up to T: the models
            # identified by then (T >= their first origin), narrowed by holdout_pool
            pool = holdout_pool(avail, series.freq)
            scores = holdout_scores({name: avail[name][3] for name in pool}, scales)
            if not scores:
                continue
            chosen = min(scores, key=scores.get)
        else:
            chosen = model
        spec, e, fc_T, _ = avail[chosen]
        origin_days = float(kt[T + 1] * 365.25 + (series.ref - pd.Timestamp("1970-01-01")).days)
        lib = uncertainty.choose_library(
            spec, series, e if e.shape[0] else None, before_days=origin_days
        )
        hmax = min(H, n_run - 1 - T)
        tau = kt[T + 2 : T + 2 + hmax] - kt[T + 1]
        q = _quantiles(lib, rng, 0.0, fc_T[:hmax], tau, level)
        actual_cum = kc[T + 2 : T + 2 + hmax] - kc[T + 1]
        point = q[1] if POINT == "median" else np.maximum.accumulate(np.maximum(fc_T[:hmax], 0))
        med_flow = np.diff(np.r_[0.0, point])
        scale = np.mean(np.abs(f[per : T + 1] - f[: T + 1 - per])) if T + 1 > per else np.nan
        drift = (f[T] - f[0]) / T if T > 0 else 0.0
        for h in range(1, hmax + 1):
            actual = f[T + h]
            base = {
                "naive_last": f[T],
                "naive_drift": f[T] + h * drift,
                "seasonal_naive": f[T + h - per * int(np.ceil(h / per))],
            }
            common = {
                s.BRAND: series.brand,
                s.MARKET: series.market,
                "origin": series.date(kt[T + 1]),
                "horizon": h,
                "actual": actual,
                "scale": scale,
            }
            records.append(
                common
                | {
                    "method": model if model != "auto" else "auto",
                    "model": chosen,
                    "forecast": med_flow[h - 1],
                    "lower": q[0, h - 1],
                    "upper": q[2, h - 1],
                    "actual_cum": actual_cum[h - 1],
                    "covered": float(q[0, h - 1] <= actual_cum[h - 1] <= q[2, h - 1]),
                }
            )
            for name, value in base.items():
                records.append(
                    common
                    | {
                        "method": name,
                        "model": name,
                        "forecast": value,
                        "lower": np.nan,
                        "upper": np.nan,
                        "actual_cum": actual_cum[h - 1],
                        "covered": np.nan,
                    }
                )
    return records


def mase_table(
    summary: pd.DataFrame, *, model: str = "auto", against: str = "seasonal_naive"
) -> pd.DataFrame:
    """Wide MASE table brand x horizon for ``model`` and ``against``, with who wins.

    Returns [brand, horizon, mase_model, mase_baseline, wins] rows.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"brand": ["A", "A"], "horizon": [1, 1],
    ...     "method": ["auto", "seasonal_naive"], "mase": [0.7, 0.9]})
    >>> mase_table(summary)[["brand", "mase_model", "mase_baseline", "wins"]].to_dict("records")
    [{'brand': 'A', 'mase_model': 0.7, 'mase_baseline': 0.9, 'wins': True}]
    """
    a = summary[summary["method"] == model].set_index([s.BRAND, "horizon"])["mase"]
    b = summary[summary["method"] == against].set_index([s.BRAND, "horizon"])["mase"]
    out = pd.DataFrame({"mase_model": a, "mase_baseline": b}).dropna().reset_index()
    out["wins"] = out["mase_model"] < out["mase_baseline"]
    return out


def idc_calibration(
    model: str = "auto", *, level: float = 0.8, horizons=(1, 2, 3, 4), min_history: int = 12
):
    """The calibration check of the issue on the packaged IDC quarterly vendor series.

    Rolling-origin backtests of ``model`` for every vendor with at least ``min_history``
    consecutive quarters (residual "Others" excluded).

    Returns
    -------
    dict
        ``summary`` (the :func:`backtest` frame), ``coverage`` (DataFrame[horizon, n,
        coverage] pooled over vendors), ``mase`` (:func:`mase_table` against seasonal naive),
        ``overall`` (MASE averaged over the horizons, per vendor) and ``wins``
        (DataFrame[horizon, vendors, wins], with a last row for the averages).
    """
    from marketdata import datasets

    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    summ = backtest(ww, model, horizons=horizons, min_history=min_history, level=level)
    mine = summ[summ["method"] == model]
    cov = (
        mine.assign(hits=mine["coverage"] * mine["n"])
        .groupby("horizon", as_index=False)
        .agg(n=("n", "sum"), hits=("hits", "sum"))
    )
    cov["coverage"] = cov["hits"] / cov["n"]
    table = mase_table(summ, model=model)
    wins = table.groupby("horizon", as_index=False).agg(
        vendors=("wins", "size"), wins=("wins", "sum")
    )
    wins["horizon"] = wins["horizon"].astype(str)
    overall = table.groupby(s.BRAND, as_index=False)[["mase_model", "mase_baseline"]].mean()
    overall["wins"] = overall["mase_model"] < overall["mase_baseline"]
    wins.loc[len(wins)] = ["mean 1-4", len(overall), int(overall["wins"].sum())]
    return {
        "summary": summ,
        "coverage": cov.drop(columns="hits"),
        "mase": table,
        "wins": wins,
        "overall": overall,
    }
