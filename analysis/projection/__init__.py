"""Projections of units: fit, fit_many, Projection, target attainment, backtests, reconcile."""

from .attainment import TargetAttainment, target_attainment
from .backtest import backtest, mase_table
from .many import Projections, fit_many
from .project import fit
from .reconcile import Reconciled, reconcile
from .result import Projection

__all__ = [
    "Projection",
    "Projections",
    "Reconciled",
    "TargetAttainment",
    "backtest",
    "fit",
    "fit_many",
    "mase_table",
    "reconcile",
    "target_attainment",
]
