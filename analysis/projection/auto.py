"""``model="auto"``: which model fits a series, and why.

In order: short annual or half-year figures take the growth-stage model (:mod:`.short`);
regular quarters or months the winner of statsforecast's holdout (:mod:`.regular`); other
flow runs of 12+ periods the winner of the toolkit's holdout (:mod:`.holdout`); else the
curve with the lowest AICc (:mod:`.aicc`); else ``runrate``.
"""

from __future__ import annotations

from marketdata.errors import DataError

from . import fitting, sanity
from .aicc import by_aicc
from .data import CumulativeSeries
from .holdout import FLOW_MODELS, by_holdout, holdout_pool, self_errors
from .models import MODELS
from .regular import MIN_PERIODS, ClassicalChoice, choose_regular, regular
from .short import by_short

__all__ = ["AUTO_ORDER", "candidates", "choose"]

AUTO_ORDER = ("runrate", "exponential", "logistic", "gompertz", "bass", "seasonal", "combined")


def candidates(series: CumulativeSeries, fixed, bounds, window) -> list:
    """Specs of the models in ``AUTO_ORDER`` that ``series`` identifies, each given the
    analyst's ``fixed`` and ``bounds`` for the parameters it has."""
    out = []
    for name in AUTO_ORDER:
        allowed = set(MODELS[name].params) | (
            {"launch"} if name in ("exponential", "logistic", "gompertz") else set()
        )
        fx = {k: v for k, v in (fixed or {}).items() if k in allowed}
        bd = {k: v for k, v in (bounds or {}).items() if k in allowed}
        try:
            spec = fitting.make_spec(name, series, fx, bd, window)
            fitting.check_identified(spec, series)
        except (DataError, ValueError):
            continue
        out.append(spec)
    return out


def _by_regular(series: CumulativeSeries, identified: list, *, classical_ok: bool):
    """(spec or ClassicalChoice, reason, self errors) on regular flows, else None."""
    if not regular(series):
        return None
    pool = holdout_pool([c.model.name for c in identified], series.freq)
    toolkit = [c for c in identified if c.model.name in pool and c.model.name in FLOW_MODELS]
    pick, reason = choose_regular(series, toolkit, classical_ok=classical_ok)
    if isinstance(pick, ClassicalChoice):
        return pick, reason, None
    if pick is not None:
        return pick, reason, self_errors(pick, series)
    return None


def choose(
    series: CumulativeSeries, fixed=None, bounds=None, window=None, *, classical_ok=True, cap=None
):
    """(spec, reason, self errors) for model="auto"; spec is a ``ClassicalChoice`` when a
    statsforecast model (or their combination) wins the holdout on regular flows."""
    short = by_short(series, fixed)
    if short is not None:
        return short
    identified = candidates(series, fixed, bounds, window)
    chosen = _by_regular(series, identified, classical_ok=classical_ok) or by_holdout(
        series, identified, cap
    )
    if chosen is not None:
        return chosen
    cands, screened = sanity.screen(identified, series, cap)
    excluded = ("; " + "; ".join(screened)) if screened else ""
    excluded += _short_run(series)
    chosen = by_aicc(series, cands, excluded)
    if chosen is not None:
        return chosen
    spec = next(c for c in cands if c.model.name == "runrate")
    return (
        spec,
        f"only {series.n} figures: too few to compare models by holdout or AICc (which needs "
        f"more figures than parameters + 1); chose the simplest model, runrate{excluded}",
        self_errors(spec, series),
    )


def _short_run(series: CumulativeSeries) -> str:
    """Why regular flows with enough figures did not get the holdout: a gap left the last
    unbroken run short of ``MIN_PERIODS``."""
    if series.freq not in ("Q", "M") or series.has_levels or series.since is None:
        return ""
    if series.n < MIN_PERIODS or series.flows.size >= MIN_PERIODS:
        return ""
    return (
        f"; not the holdout among the per-period models, which needs {MIN_PERIODS} "
        f"consecutive periods: the last unbroken run, from {series.since.date()}, has "
        f"{series.flows.size} (fill the gap before it to get the holdout)"
    )
