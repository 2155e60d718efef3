"""``auto`` on regular per-period figures: a rolling holdout among the per-period models.

On 12+ quarters or months of flows (no milestones) the candidates are the statsforecast
models ``theta`` and ``snaive`` (not ``ets`` or ``arima``: see ``classical.AUTO_CLASSICAL``)
and their equal-weight combination. Each forecasts single periods 1-4 ahead from each of
the last ``HOLDOUT_ORIGINS`` origins, with its parameters estimated once, on the periods
up to the first origin, and applied at each later origin to the periods up to it
(statsforecast's ``forward``, as its ``cross_validation(refit=False)``; no forecast sees a
period after its origin). Each is scored by the mean absolute error divided by the
in-sample seasonal-naive error at the origin: the MASE the backtest and the README report,
of the forecast a ``Projection`` returns (the statsforecast models' median is their mean
forecast). The combination is chosen only where its score is the lowest. The winner is
then refitted on all the periods. (Refitting at every origin instead, twelve fits per
model, scored about the same on the IDC backtest (pooled MASE 0.693 vs 0.688 with AutoETS
among the candidates) at about six times the cost.) The winner's spreads are then
multiplied by a factor that makes its 80% interval cover 80% of its own holdout errors
(``classical.spread_factor``): statsforecast's intervals assume the model is right, and on
the IDC series they covered 66-76% at 80%. The shocks beyond the 80% interval are then
stretched so that the 95% interval covers 95% of the same errors
(``classical.tail_factor``; never thinner than Gaussian tails): the holdout errors have
heavier tails than the Gaussian spreads.

The toolkit's per-period models (``seasonal``, ``runrate``, ``combined``) can compete too
(``TOOLKIT``), scored with the bias their error library keeps: their median is the model's
forecast shifted by the median of its own earlier log errors at that horizon. They are
left out: on the IDC backtest they made the pooled MASE, the coverage and the interval
score worse (see ``TOOLKIT``). This rule was settled after seeing those backtests, so the
README's figures for it are not a clean out-of-sample test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis._format import count_label
from marketdata.errors import DataError

from . import classical, rolling
from .data import PERIODS_PER_YEAR, CumulativeSeries

__all__ = [
    "HOLDOUT_HORIZON",
    "HOLDOUT_ORIGINS",
    "ClassicalChoice",
    "choose_regular",
    "flow_scores",
    "regular",
]

HOLDOUT_ORIGINS = 12
HOLDOUT_HORIZON = 4
MIN_PERIODS = 12
#: whether the toolkit's per-period models (seasonal, runrate, combined) compete here: no,
#: measured on the IDC backtest (README, bench/bench_forecast.py): with them, pooled MASE
#: 0.712, 80% coverage 0.774, 95% coverage 0.854, MSIS 4.15; without them 0.679, 0.809,
#: 0.892 and 3.60 (before the tail stretch; with it and the stratified draws: 0.679, 0.817,
#: 0.908, 3.61)
TOOLKIT = False


def regular(series: CumulativeSeries) -> bool:
    """True when ``auto`` compares the per-period models by holdout on ``series``."""
    return series.freq in ("Q", "M") and not series.has_levels and series.flows.size >= MIN_PERIODS


def _scales(series: CumulativeSeries) -> np.ndarray:
    f = series.flows
    per = PERIODS_PER_YEAR[series.freq]
    out = np.full(f.size, np.nan)
    if f.size > per:
        d = np.abs(f[per:] - f[:-per])
        out[per:] = np.cumsum(d) / np.arange(1, d.size + 1)
    return out


def _toolkit_flows(spec, series: CumulativeSeries, origins: np.ndarray, h: int) -> np.ndarray:
    """The toolkit model's median-like per-period forecasts (O, h) at ``origins``."""
    first = rolling.min_origin(spec, series)
    org = np.arange(first, series.flows.size - 1)
    fc, ac = rolling.origin_forecasts(spec, series, org, max(h, rolling.H))
    err = rolling.log_errors(fc, ac)
    out = np.full((origins.size, h), np.nan)
    hh = np.arange(1, fc.shape[1] + 1)
    for k, o in enumerate(origins):
        row = np.flatnonzero(org == o)
        if row.size == 0:
            continue
        known = (org[:, None] + hh[None, :]) <= o
        e = np.where(known, err, np.nan)[:, :h]
        ok = np.isfinite(e).sum(axis=0) >= 4
        shift = np.where(ok, np.nanmedian(np.where(ok[None, :], e, 0.0), axis=0), 0.0)
        cum = np.maximum.accumulate(np.maximum(fc[row[0], :h], 0.0) * np.exp(shift))
        out[k] = np.diff(np.r_[0.0, cum])
    return out


def flow_scores(forecasts: dict, series: CumulativeSeries, origins: np.ndarray) -> dict[str, float]:
    """MASE of each candidate's per-period forecasts (O, H) over ``origins``."""
    f = series.flows
    h = np.arange(1, HOLDOUT_HORIZON + 1)
    tgt = origins[:, None] + h[None, :]
    ok = tgt < f.size
    actual = np.where(ok, f[np.minimum(tgt, f.size - 1)], np.nan)
    scale = _scales(series)[origins][:, None]
    out = {}
    for name, fc in forecasts.items():
        err = np.abs(fc - actual) / np.where(scale > 0, scale, np.nan)
        if np.isfinite(err).sum() >= 4:
            out[name] = float(np.nanmean(err))
    return out


def choose_regular(series: CumulativeSeries, toolkit: list, *, classical_ok: bool = True):
    """(choice, reason): choice is a toolkit ``Spec`` or a :class:`ClassicalChoice`.

    ``toolkit``: the identified toolkit per-period specs.
    """
    per = PERIODS_PER_YEAR[series.freq]
    n = series.flows.size
    toolkit = list(toolkit) if TOOLKIT else []
    names = []
    for name in classical.AUTO_CLASSICAL if classical_ok else ():
        try:
            classical.check_classical(name, series)
        except DataError:
            continue
        names.append(name)
    firsts = {spec.model.name: rolling.min_origin(spec, series) for spec in toolkit}
    firsts |= {
        name: max(classical.MIN_YEARS * per, classical.MIN_PERIODS[name]) - 1 for name in names
    }
    if not firsts:
        return None, ""
    start = max(max(firsts.values()), per)
    origins = np.arange(max(start, n - 1 - HOLDOUT_ORIGINS), n - 1)
    if origins.size == 0:
        return None, ""
    fc, spread = {}, {}
    for spec in toolkit:
        fc[spec.model.name] = _toolkit_flows(spec, series, origins, HOLDOUT_HORIZON)
    for name in names:
        fc[name], spread[name] = classical.origin_flows(name, series, origins, HOLDOUT_HORIZON)
    scores = flow_scores(fc, series, origins)
    ranked = sorted((v, k) for k, v in scores.items() if k in names)
    if len(ranked) >= 2:
        a, b = sorted((ranked[0][1], ranked[1][1]))  # one name whichever scored better
        combo = f"{a}+{b}"
        fc[combo] = 0.5 * (fc[a] + fc[b])
        spread[combo] = 0.5 * (spread[a] + spread[b])
        scores |= flow_scores({combo: fc[combo]}, series, origins)
    if not scores:
        return None, ""
    best = min(scores, key=scores.get)
    listed = ", ".join(f"{k} {v:.3f}" for k, v in sorted(scores.items(), key=lambda kv: kv[1]))
    last = count_label(origins.size, "origin")
    reason = (
        f"rolling holdout over the last {last}, 1-{HOLDOUT_HORIZON} periods ahead, MASE of "
        f"single periods (the median a projection returns): {listed}; chose {best}"
    )
    if names:
        first = series.date(series.flow_end[origins[0]]).date()
        reason += (
            f" (the statsforecast models fitted once, on the figures up to {first}, and "
            "applied at the later origins; the chosen one refitted on all the figures)"
        )
    if best in (s.model.name for s in toolkit):
        return next(s for s in toolkit if s.model.name == best), reason
    f = series.flows
    tgt = origins[:, None] + np.arange(1, HOLDOUT_HORIZON + 1)[None, :]
    actual = np.where(tgt < f.size, f[np.minimum(tgt, f.size - 1)], np.nan)
    members = tuple(best.split("+"))
    factor = classical.spread_factor(fc[best], spread[best], actual)
    tail = classical.tail_factor(fc[best], spread[best], actual, factor)
    return ClassicalChoice(members, factor, tail), reason


@dataclass(frozen=True)
class ClassicalChoice:
    """``auto``'s pick among the statsforecast models: the model(s) and the spread factor
    (:func:`~analysis.projection.classical.spread_factor` on the holdout errors)."""

    names: tuple[str, ...]
    spread: float
    tail: float = 1.0  # classical.tail_factor on the same errors
