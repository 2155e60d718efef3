"""Projections of cumulative units: fit, Projection, target attainment, backtests, reconcile."""

from .project import fit
from .result import Projection

__all__ = ["Projection", "fit"]
