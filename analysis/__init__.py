"""Computing from figures: shares, ranks, concentration, exposure, projections, rank
forecasts and entry scenarios; charts (``analysis.plots``) and the report builder."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names, for type checkers and editors; loaded on first use below
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

# Each public name and the module that defines it. The modules load on first use (PEP 562),
# so `import analysis` costs little and a script that only computes shares never loads the
# forecasting engines; `from analysis import fit` works as usual.
_HOME = {
    **dict.fromkeys(
        ["Projection", "Projections", "backtest", "fit", "fit_many", "reconcile",
         "target_attainment"],
        "analysis.projection",
    ),
    **dict.fromkeys(
        ["RankForecast", "project_rank", "sensitivity", "units_for_rank_probability"],
        "analysis.rank_forecast",
    ),
    **dict.fromkeys(
        ["EntryScenario", "entry_scenario", "rank_threshold", "units_for_rank"],
        "analysis.scenarios",
    ),
    **dict.fromkeys(
        ["Exposure", "LeagueTable", "concentration", "exposure", "league_table",
         "market_share", "rank_brands", "share_change", "shares_to_units"],
        "analysis.structure",
    ),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
