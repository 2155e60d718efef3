"""Rank forecasts: the probability of each rank a brand may take in a market window
(``project_rank`` -> ``RankForecast``), the volume that buys a rank with a given
probability (``units_for_rank_probability``), and one-at-a-time ``sensitivity``."""

from analysis.rank_forecast.api import (
    project_rank,
    units_for_rank_probability,
    units_for_rank_table,
)
from analysis.rank_forecast.result import RankForecast
from analysis.rank_forecast.sensitivity import sensitivity

__all__ = [
    "RankForecast",
    "project_rank",
    "sensitivity",
    "units_for_rank_probability",
    "units_for_rank_table",
]
