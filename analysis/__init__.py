"""Computing from figures: shares, ranks, concentration, exposure, projections, rank
forecasts and entry scenarios; charts (``analysis.plots``) and the report builder."""

from analysis.projection import (
    Projection,
    Projections,
    backtest,
    fit,
    fit_many,
    reconcile,
    target_attainment,
)
from analysis.rank_forecast import (
    RankForecast,
    project_rank,
    sensitivity,
    units_for_rank_probability,
)
from analysis.scenarios import EntryScenario, entry_scenario, rank_threshold, units_for_rank
from analysis.structure import (
    Exposure,
    LeagueTable,
    concentration,
    exposure,
    league_table,
    market_share,
    rank_brands,
    share_change,
    shares_to_units,
)

__all__: list[str] = [
    # market structure
    "EntryScenario",
    "Exposure",
    "LeagueTable",
    "concentration",
    "entry_scenario",
    "exposure",
    "league_table",
    "market_share",
    "rank_brands",
    "rank_threshold",
    "share_change",
    "shares_to_units",
    "units_for_rank",
    # projections
    "Projection",
    "Projections",
    "backtest",
    "fit",
    "fit_many",
    "reconcile",
    "target_attainment",
    # rank forecasts
    "RankForecast",
    "project_rank",
    "sensitivity",
    "units_for_rank_probability",
]
