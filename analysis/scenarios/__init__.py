"""Scenarios on one market and window: the volume a rank needs, and what an entrant changes.

* :mod:`.thresholds`: :func:`units_for_rank`, :func:`rank_threshold`;
* :mod:`.entry`: :func:`entry_scenario` and its :class:`EntryScenario`.
"""

from analysis.scenarios.entry import EntryScenario, entry_scenario
from analysis.scenarios.thresholds import rank_threshold, units_for_rank

__all__ = ["EntryScenario", "entry_scenario", "rank_threshold", "units_for_rank"]
