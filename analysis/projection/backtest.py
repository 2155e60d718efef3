"""Rolling-origin backtests of projections against actuals, with naive baselines.

For each brand and each origin, the projection is made by :func:`analysis.fit` itself on
the figures up to the origin only (``auto`` chooses its model, and the error library is
built, from information available at the origin), and compared with the actuals 1..H
periods later. The forecast scored is the forecast a user gets: the per-period median of
the projection's joint draws (``Projection.predict(dates, basis="period")``); the mean
of the same draws is reported too.

- ``mape``, ``mase``, ``bias`` are on the units of the single period ``h`` ahead (the
  standard forecasting target): ``mase`` divides absolute errors by the in-sample mean
  absolute seasonal difference (lag = periods per year) up to the origin; ``bias`` is the
  mean signed error as a fraction of the actual (positive: over-forecast); ``mase_mean``
  is the MASE of the draws' mean.
- ``coverage_80``, ``coverage_95`` (one column per level of ``levels``): the share of
  origins whose actual units of period ``h`` fall inside the per-period interval.
- ``msis_80``: the mean scaled interval score of the 80% interval (Gneiting & Raftery
  2007; the M4 competition's MSIS): ``(u - l) + (2 / a) (l - y)+ + (2 / a) (y - u)+``
  with ``a = 0.2``, divided by the same in-sample scale as MASE.
- Baselines: ``naive_last`` (the last period repeated), ``naive_drift`` (last period plus
  the average change per period), ``seasonal_naive`` (the same period a year earlier).

Just over 400 lines: the backtest, its scores and the IDC harness share the detail rows.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis._format import count_label
from analysis._validation import (
    check_dates,
    check_draws,
    check_integer,
    check_option,
    check_probability,
    seed_int,
)
from marketdata import datasets
from marketdata import schema as s
from marketdata.errors import DataError

from .data import PERIODS_PER_YEAR, prepare, select
from .project import MODEL_NAMES, fit_series
from .result import N_DRAWS

__all__ = ["BASELINES", "backtest", "idc_calibration", "mase_table", "pooled", "summarise"]

BASELINES = ("naive_last", "naive_drift", "seasonal_naive")


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
    return [g.reset_index(drop=True) for _, g in rows.groupby(run_id)]


def _progress(items, progress: bool, total: int):
    if not progress:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc="backtest origins", leave=False)


def backtest(
    figures: pd.DataFrame,
    model: str = "auto",
    *,
    brand: str | None = None,
    market: str | None = None,
    origins: int | Sequence | None = None,
    horizons: Sequence[int] = (1, 2, 3, 4),
    min_history: int = 12,
    levels: Sequence[float] = (0.8, 0.95),
    fixed: dict | None = None,
    detail: bool = False,
    seed: int | np.random.Generator = 0,
    draws: int = N_DRAWS,
    progress: bool = False,
) -> pd.DataFrame:
    """Rolling-origin forecasts against actuals: errors per horizon, coverage and MSIS.

    Parameters
    ----------
    figures : DataFrame
        Per-period figures (e.g. the packaged IDC quarterly vendor series); residual
        brands ("Others") are left out unless named by ``brand``.
    model : str, default "auto"
        Any model :func:`analysis.fit` takes.
    brand, market : str, optional
        One brand (default: every brand with enough history).
    origins : int or sequence of date-like, optional
        All origins with ``min_history`` periods of history (default); an int >= 1: the
        last that many; dates: the origins whose last period ends on those dates (an
        origin is the end date of the last period known at it). Dates are days
        (``"2013-03-31"``) or Periods (``pd.Period("2013Q1")``, its last day); numbers in
        a list and day-less strings are refused, as for :meth:`Projection.predict`.
    horizons : sequence of int, default (1, 2, 3, 4)
        Periods ahead: whole numbers >= 1 (``1.5`` or ``True`` are refused).
    min_history : int >= 1, default 12
        Periods of history an origin needs; at least a year plus one period (5 quarters,
        13 months) whatever is given, so that every origin has its MASE scale.
    levels : sequence of float, default (0.8, 0.95)
        Interval levels whose coverage is measured (and whose MSIS is reported).
    fixed : dict, optional
        Passed to :func:`analysis.fit`.
    detail : bool, default False
        Return one row per brand x origin x horizon x method instead of the summary.
    seed : int or numpy.random.Generator, default 0
    draws : int, default 2000
        Draws of each projection's paths; the default is the number behind ``predict``, so
        the forecast scored is the one ``fit(...).predict(dates, basis="period")``
        returns.
    progress : bool, default False
        Show a progress bar over the origins (``tqdm.auto``).

    Returns
    -------
    DataFrame
        [brand, market, method, horizon, n, mape, mase, bias, mase_mean, coverage_80,
        coverage_95, msis_80, msis_95] (``method`` is the model or a baseline; the mean,
        coverage and MSIS only for the model), or the detail rows [brand, market, origin,
        horizon, method, model, date, actual, scale, forecast, mean, lower_80, upper_80,
        ...].

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import backtest
    >>> ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    >>> t = backtest(ww, "snaive", brand="Apple", origins=["2013-03-31"], horizons=[1])
    >>> sorted(t["method"])
    ['naive_drift', 'naive_last', 'seasonal_naive', 'snaive']
    >>> d = backtest(ww, "snaive", brand="Apple", origins=["2013-03-31"], horizons=[1],
    ...              detail=True)
    >>> str(d["origin"].iloc[0].date())
    '2013-03-31'
    """
    check_option(model, "model", MODEL_NAMES)
    origins = _checked_origins(origins)
    horizons = sorted({check_integer(h, "horizons", minimum=1) for h in horizons})
    if not horizons:
        raise ValueError("horizons must list at least one whole number of periods ahead")
    min_history = check_integer(min_history, "min_history", minimum=1)
    levels = tuple(_level(lv) for lv in np.atleast_1d(levels))
    draws = check_draws(draws)
    seed = seed_int(seed)
    frame, pairs = select(figures, brand, market)
    jobs, ends = [], set()
    for b, m in pairs:
        if b is None:
            continue
        for run in _runs(frame, b, m):
            ends.update(pd.DatetimeIndex(run[s.END]).normalize()[:-1])  # a period follows
            if len(run) < min_history + 1:
                continue
            series = prepare(run, b, m)
            if series.freq is None:
                continue
            for T in _origins(run, series.freq, origins, min_history):
                jobs.append((b, m, run, series.freq, T))
    used = {pd.Timestamp(run[s.END].iloc[T]).normalize() for _, _, run, _, T in jobs}
    _check_origins(origins, ends, used, min_history)
    if not jobs:
        raise DataError(
            f"no brand has {min_history + 1} or more consecutive periods to backtest on",
            hint="lower min_history or give longer per-period series",
        )
    records = []
    for b, m, run, freq, T in _progress(jobs, progress, len(jobs)):
        records += _one_origin(run, b, m, freq, T, model, max(horizons), levels, fixed, seed, draws)
    det = pd.DataFrame(records)
    det = det[det["horizon"].isin(horizons)]
    unscored = sorted(set(horizons) - set(det["horizon"]))
    if unscored:
        warnings.warn(
            f"horizons {unscored} have no actual after any origin (the figures end before "
            "them): not scored; choose earlier origins or shorter horizons",
            UserWarning,
            stacklevel=2,
        )
    if detail:
        return det.reset_index(drop=True)
    return summarise(det, levels=levels)


def _level(value) -> float:
    try:
        return check_probability(value, "level", open_interval=True)
    except ValueError as exc:
        raise ValueError(f"levels: {exc}") from None


def _checked_origins(origins):
    """None, a whole number >= 1 of last origins, or the origin dates (a DatetimeIndex)."""
    if origins is None:
        return None
    if isinstance(origins, numbers.Real) and not isinstance(origins, bool | np.bool_):
        return check_integer(origins, "origins (a count of last origins, or dates)", minimum=1)
    return check_dates(origins, "origins")


def _check_origins(origins, ends: set, used: set, min_history: int) -> None:
    """Origin dates asked for and not backtested: a DataError for a date that ends no
    period with another after it, or when none is left; else a warning naming them."""
    if origins is None or isinstance(origins, (int, np.integer)):
        return
    wanted = origins
    stray = [str(d.date()) for d in wanted if d not in ends]
    if stray:
        raise DataError(
            f"origins {stray} are not the end of a period with a figure after it",
            hint="give origins as the end dates of per-period figures (e.g. 2013-03-31)",
        )
    short = [str(d.date()) for d in wanted if d not in used]
    if not short:
        return
    why = (
        f"origins {short} have fewer than {count_label(min_history, 'period')} of history in "
        "an unbroken run of figures"
    )
    if not used:
        raise DataError(why, hint="lower min_history or choose later origins")
    warnings.warn(f"{why}: not backtested", UserWarning, stacklevel=3)


def _origins(run: pd.DataFrame, freq: str, origins, min_history: int) -> np.ndarray:
    """Indices T (the origin's last period) of the run to backtest from."""
    per = PERIODS_PER_YEAR[freq]
    out = np.arange(max(min_history, per + 1) - 1, len(run) - 1)
    if isinstance(origins, int):
        return out[-origins:]
    if origins is not None:
        ends = pd.DatetimeIndex(run[s.END]).normalize()
        return np.array([T for T in out if ends[T] in origins], dtype=int)
    return out


def _one_origin(run, brand, market, freq, T, model, H, levels, fixed, seed, draws):
    per = PERIODS_PER_YEAR[freq]
    f = run[s.UNITS].to_numpy(dtype=float)
    ends = pd.DatetimeIndex(run[s.END]).normalize()
    hmax = min(H, len(run) - 1 - T)
    series = prepare(run.iloc[: T + 1], brand, market)
    origin = ends[T]
    before = float((origin + pd.Timedelta(days=1) - pd.Timestamp("1970-01-01")).days)
    p = fit_series(series, model, fixed=fixed, seed=seed, before_days=before)
    dates = ends[T + 1 : T + 1 + hmax]
    x = p.sample(dates, draws=draws, seed=seed, basis=s.PERIOD)
    qs = [(1 - lv) / 2 for lv in levels] + [0.5] + [(1 + lv) / 2 for lv in levels]
    q = np.quantile(x, qs, axis=0)
    k = len(levels)
    scale = np.mean(np.abs(f[per : T + 1] - f[: T + 1 - per]))
    drift = (f[T] - f[0]) / T if T > 0 else 0.0
    out = []
    for h in range(1, hmax + 1):
        common = {
            s.BRAND: brand,
            s.MARKET: market,
            "origin": origin,
            "horizon": h,
            "date": dates[h - 1],
            "actual": f[T + h],
            "scale": scale,
        }
        row = common | {
            "method": model,
            "model": p.model,
            "forecast": q[k, h - 1],
            "mean": float(x[:, h - 1].mean()),
        }
        for j, lv in enumerate(levels):
            tag = _tag(lv)
            row[f"lower_{tag}"] = q[j, h - 1]
            row[f"upper_{tag}"] = q[k + 1 + j, h - 1]
        out.append(row)
        base = {
            "naive_last": f[T],
            "naive_drift": f[T] + h * drift,
            "seasonal_naive": f[T + h - per * int(np.ceil(h / per))],
        }
        out += [common | {"method": n, "model": n, "forecast": v} for n, v in base.items()]
    return out


def _tag(level: float) -> str:
    return f"{100 * level:g}".replace(".", "_")


def summarise(det: pd.DataFrame, *, levels: Sequence[float] = (0.8, 0.95)) -> pd.DataFrame:
    """Summary rows [brand, market, method, horizon, n, mape, mase, bias, mase_mean,
    coverage_<level>..., msis_<level>...] from :func:`backtest`'s detail rows."""
    err = det["forecast"] - det["actual"]
    cols = {
        "ape": err.abs() / det["actual"],
        "ase": err.abs() / det["scale"],
        "rel": err / det["actual"],
        "ase_mean": (det["mean"] - det["actual"]).abs() / det["scale"] if "mean" in det else np.nan,
    }
    agg = {
        "n": ("actual", "size"),
        "mape": ("ape", "mean"),
        "mase": ("ase", "mean"),
        "bias": ("rel", "mean"),
        "mase_mean": ("ase_mean", "mean"),
    }
    for lv in levels:
        tag = _tag(lv)
        lo, hi = det.get(f"lower_{tag}"), det.get(f"upper_{tag}")
        if lo is None:
            continue
        y = det["actual"]
        a = 1 - lv
        inside = ((lo <= y) & (y <= hi)).where(lo.notna())
        score = (hi - lo) + (2 / a) * (lo - y).clip(lower=0) + (2 / a) * (y - hi).clip(lower=0)
        cols[f"in_{tag}"] = inside.astype(float)
        cols[f"is_{tag}"] = score / det["scale"]
        agg[f"coverage_{tag}"] = (f"in_{tag}", "mean")
        agg[f"msis_{tag}"] = (f"is_{tag}", "mean")
    g = det.assign(**cols).groupby([s.BRAND, s.MARKET, "method", "horizon"], sort=True)
    out = g.agg(**agg).reset_index()
    out["mape"] *= 100
    return out


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


def pooled(detail: pd.DataFrame, *, levels: Sequence[float] = (0.8, 0.95)) -> pd.DataFrame:
    """Pooled scores per method over every brand, origin and horizon of ``detail``:
    [method, n, mase, mase_mean, coverage_80, coverage_95, msis_80, ...].

    Examples
    --------
    >>> import pandas as pd
    >>> det = pd.DataFrame({"brand": "A", "market": "WW", "method": "m", "horizon": [1, 2],
    ...     "forecast": [10.0, 12.0], "mean": [10.0, 12.0], "actual": [11.0, 11.0],
    ...     "scale": [2.0, 2.0], "lower_80": [9.0, 11.5], "upper_80": [12.0, 13.0]})
    >>> pooled(det, levels=[0.8]).round(3).to_dict("records")[0]["msis_80"]  # (3 + 1.5 + 10 * 0.5) / 2 / 2
    2.375
    """
    one = detail.assign(**{s.BRAND: "all", "horizon": 0})
    out = summarise(one, levels=levels).drop(columns=[s.BRAND, s.MARKET, "horizon", "mape", "bias"])
    return out.groupby("method", as_index=False).first()


def idc_calibration(
    model: str = "auto",
    *,
    horizons: Sequence[int] = (1, 2, 3, 4),
    min_history: int = 12,
    origins: int | Sequence | None = None,
    progress: bool = False,
) -> dict:
    """The rolling-origin backtest on the packaged IDC worldwide quarterly vendor series.

    Every vendor with at least ``min_history + 1`` consecutive quarters (residual "Others"
    excluded), every origin with ``min_history`` quarters of history, per-quarter forecasts
    from the public path (see :func:`backtest`).

    Returns
    -------
    dict
        ``detail`` (the detail rows), ``summary`` (the :func:`backtest` summary),
        ``pooled`` (:func:`pooled`), ``coverage`` (DataFrame[horizon, n, coverage_80,
        coverage_95] pooled over vendors) and ``mase`` (:func:`mase_table` against seasonal
        naive).
    """
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    det = backtest(
        ww,
        model,
        horizons=horizons,
        min_history=min_history,
        origins=origins,
        detail=True,
        progress=progress,
    )
    summ = summarise(det)
    mine = det[det["method"] == model]
    cov = (
        summarise(mine.assign(**{s.BRAND: "all"}))
        .loc[:, ["horizon", "n", "coverage_80", "coverage_95"]]
        .reset_index(drop=True)
    )
    return {
        "detail": det,
        "summary": summ,
        "pooled": pooled(det),
        "coverage": cov,
        "mase": mase_table(summ, model=model),
    }
