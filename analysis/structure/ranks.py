"""Ranks of brands within each market and window."""

from __future__ import annotations

import pandas as pd

from analysis.structure import _share_engine as engine
from marketdata import schema as s

RANK = "rank"
TIED = "tied"

__all__ = ["RANK", "TIED", "rank_brands", "rank_table"]


def rank_table(table: engine.ShareTable) -> pd.DataFrame:
    """The brand (non-residual) rows of a share table with min-method ranks and tie flags."""
    # named rows come first in each window, largest first, so ranks count from the window's
    # first row; residual rows sort after them and are left out before ranking (a brand
    # equal to the residual is not tied with it)
    out = table.frame
    named = ~table.residual
    code, value = table.code, table.value()
    if not named.all():
        out = out[named].reset_index(drop=True)
        code, value = code[named], value[named]
    else:
        out = out.copy(deep=False)
    first = engine.window_first(code, table.windows.n)
    rank, tied = engine.ranks_sorted(code, value, first)
    position = out.columns.get_loc(s.SHARE) + 1
    out.insert(position, RANK, rank)
    out.insert(position + 1, TIED, tied)
    return out


def rank_brands(
    figures: pd.DataFrame,
    *,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
    overcount: str = "raise",
    tolerance: float | None = None,
) -> pd.DataFrame:
    """Rank brands within each (market, start, end) window, largest first.

    Ties share the lower rank (pandas' ``method="min"``: 1, 2, 2, 4) and are flagged
    ``tied``. Residual rows (``Others``, ``Unknown``) are never ranked and are not in the
    result; a brand missing from a window is missing from its ranking, not ranked last
    with zero units. Units rank when the figures have units, else shares.

    Parameters
    ----------
    figures : DataFrame
        A figures frame (units or shares). Not modified.
    market_size, others, overcount, tolerance
        As in :func:`analysis.market_share` (they set the shares shown beside the ranks).

    Returns
    -------
    DataFrame
        Columns ``market, start, end, brand, units, share, rank, tied, market_units,
        metric, double_count`` (and ``source``), sorted by market, window and rank.

    Raises
    ------
    DataError
        As :func:`analysis.market_share`.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import rank_brands
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B", "C", "D", "Others"], "market": "TW",
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [5.0, 3.0, 3.0, 1.0, 9.0], "metric": "shipments"})
    >>> rank_brands(figures)[["brand", "units", "rank", "tied"]]
      brand  units  rank   tied
    0     A    5.0     1  False
    1     B    3.0     2   True
    2     C    3.0     2   True
    3     D    1.0     4  False
    """
    table = engine.share_table(
        figures, market_size=market_size, others=others, overcount=overcount, tolerance=tolerance
    )
    return rank_table(table)
