"""Computing from figures: shares, ranks, concentration, exposure, projections, rank
forecasts and entry scenarios; charts (``analysis.plots``) and the report builder."""

from analysis.projection import Projection, backtest, fit, reconcile, target_attainment
from analysis.rank_forecast import (
    RankForecast,
    project_rank,
    sensitivity,
    units_for_rank_probability,
)

__all__: list[str] = []
__all__ += ["Projection", "backtest", "fit", "reconcile", "target_attainment"]
__all__ += ["RankForecast", "project_rank", "sensitivity", "units_for_rank_probability"]
