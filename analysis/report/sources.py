"""The sources page: every source with its outlet and address, and what it gives.

Sources arrive as the data's ``source`` column says them. Statista exports get their
address; figures the data credits to another firm in their ``note`` (Statista's 2007
"data is from Gartner, not IDC") are credited to that firm.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.report.content import Section
from analysis.report.inputs import Inputs, describe_sources
from marketdata import schema as s

__all__ = ["credited", "sources_lines", "with_address"]

_STATISTA = re.compile(r"\bvia Statista (\d{5,7})\b")
_FROM = re.compile(r"data is from (\w+), not (\w+)", re.IGNORECASE)


def with_address(source: str) -> str:
    """The source with its web address where the name gives it (Statista's statistics).

    Examples
    --------
    >>> with_address("IDC via Statista 271490")
    'IDC via Statista 271490 (https://www.statista.com/statistics/271490/)'
    >>> with_address("news report")
    'news report'
    """
    found = _STATISTA.search(source)
    if found and "http" not in source:
        return f"{source} (https://www.statista.com/statistics/{found.group(1)}/)"
    return source


def credited(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures whose note says another firm made them, credited to that firm.

    Examples
    --------
    >>> f = pd.DataFrame({"source": ["IDC via Statista 271539"] * 2,
    ...                   "note": ["Statista note: 2007 data is from Gartner, not IDC", None]})
    >>> credited(f)["source"].tolist()
    ['Gartner via Statista 271539', 'IDC via Statista 271539']
    """
    if "note" not in figures.columns or figures.empty:
        return figures
    notes = figures["note"].astype("string").fillna("")
    found = notes.str.extract(_FROM)
    rows = found[0].notna()
    if not rows.any():
        return figures
    out = figures.copy()
    sources = out[s.SOURCE].astype("string")
    for i in out.index[rows.to_numpy()]:
        maker, named = found.at[i, 0], found.at[i, 1]
        sources.at[i] = re.sub(rf"^{re.escape(named)}\b", maker, str(sources.at[i]))
    out[s.SOURCE] = sources
    return out


def sources_lines(case: Inputs, secs: Sequence[Section]) -> list[str]:
    """One line per source: outlet, address, and what it gives; then the sections' others."""
    described: list[str] = []
    covered: set[str] = set()
    figures = case.source_figures
    if figures is not None and len(figures):
        figures = credited(figures)
        figures = figures.assign(**{s.SOURCE: figures[s.SOURCE].astype(str).map(with_address)})
        described = describe_sources(figures)
        covered = set(figures[s.SOURCE].dropna().astype(str))
    everything = [with_address(x) for x in case.sources]
    for sec in secs:
        everything += [with_address(x) for x in sec.sources]
    rest = [x for x in dict.fromkeys(everything) if x and x not in covered]
    return described + rest
