"""Market structure: shares, ranks, concentration, exposure and the league table.

* :mod:`.shares`: :func:`market_share`, :func:`share_change`, :func:`shares_to_units`;
* :mod:`.ranks`: :func:`rank_brands`;
* :mod:`.concentration`: :func:`concentration` (HHI with bounds, CR-n, bands);
* :mod:`.exposure`: :func:`exposure` (a brand's market mix and dependence);
* :mod:`.league`: :func:`league_table` (a tracker's press-release table);
* :mod:`._share_engine`: the validated, vectorised share table they all run on.
"""

from analysis.structure.concentration import band, concentration
from analysis.structure.exposure import Exposure, exposure
from analysis.structure.league import LeagueTable, league_table
from analysis.structure.ranks import rank_brands
from analysis.structure.shares import market_share, share_change, shares_to_units

__all__ = [
    "Exposure",
    "LeagueTable",
    "band",
    "concentration",
    "exposure",
    "league_table",
    "market_share",
    "rank_brands",
    "share_change",
    "shares_to_units",
]
