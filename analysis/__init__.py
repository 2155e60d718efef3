"""Computing from figures: shares, ranks, concentration, exposure, projections, rank
forecasts and entry scenarios; charts (``analysis.plots``) and the report builder."""

from analysis.rank_forecast import (
    RankForecast,
    project_rank,
    sensitivity,
    units_for_rank_probability,
)

__all__: list[str] = [
    "RankForecast",
    "project_rank",
    "sensitivity",
    "units_for_rank_probability",
]
