"""``auto`` on 2-11 annual or half-year figures: the growth-stage model (:mod:`.growth`).

So few figures are too few for the rolling holdout; curves extrapolate them without a
check and the run-rate holds a growing brand at last year's pace.
"""

from __future__ import annotations

from marketdata.errors import DataError

from . import fitting
from .data import CumulativeSeries
from .models import MODELS

__all__ = ["SHORT_FREQS", "SHORT_MAX", "by_short"]

SHORT_FREQS = ("Y", "H")  # annual or half-year figures ...
SHORT_MAX = 11  # ... up to this many (too few for the holdout): the growth-stage model


def _short_growth(series: CumulativeSeries, fixed):
    """The growth spec when ``auto`` uses the growth-stage model (short annual or half-year
    figures whose growth they show), else None."""
    if series.has_levels or series.freq not in SHORT_FREQS:
        return None
    if not 2 <= series.flows.size <= SHORT_MAX:
        return None
    fx = {k: v for k, v in (fixed or {}).items() if k in MODELS["growth"].params}
    try:
        spec = fitting.make_spec("growth", series, fx)
        fitting.check_identified(spec, series)
    except (DataError, ValueError):
        return None
    return spec


def by_short(series: CumulativeSeries, fixed):
    """(growth spec, reason, None) on short annual or half-year figures, else None."""
    short = _short_growth(series, fixed)
    if short is None:
        return None
    n = series.flows.size
    per = "annual" if series.freq == "Y" else "half-year"
    return (
        short,
        f"{n} {per} figures: the growth-stage model (growth decaying as it did for the "
        "brands of the packaged IDC history); on so few figures curves extrapolate "
        "without a check and the run-rate holds a growing brand at last year's pace",
        None,
    )
