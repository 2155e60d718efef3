"""Projections of cumulative units: fit, Projection, target attainment, backtests, reconcile."""

from .attainment import TargetAttainment, target_attainment
from .backtest import backtest, mase_table
from .project import fit
from .reconcile import Reconciled, reconcile
from .result import Projection

__all__ = [
    "Projection",
    "Reconciled",
    "TargetAttainment",
    "backtest",
    "fit",
    "mase_table",
    "reconcile",
    "target_attainment",
]
