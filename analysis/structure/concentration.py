"""Market concentration: HHI with bounds, CR-n, equivalent firms, merger-guidelines bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from analysis._validation import check_integer
from analysis.structure import _share_engine as engine
from marketdata import schema as s

# 2023 US Merger Guidelines (DOJ/FTC), section 2.1: HHI below 1,000 unconcentrated,
# 1,000 up to 1,800 moderately concentrated, 1,800 and above highly concentrated.
MODERATE = 1_000.0
HIGH = 1_800.0
BANDS = ("unconcentrated", "moderately concentrated", "highly concentrated")


def band(hhi: ArrayLike) -> np.ndarray:
    """The 2023 US merger-guidelines band of each HHI (0-10,000 scale).

    Examples
    --------
    >>> band([999.9, 1000, 1799.9, 1800]).tolist()
    ['unconcentrated', 'moderately concentrated', 'moderately concentrated', 'highly concentrated']
    """
    hhi = np.asarray(hhi, dtype=float)
    index = (hhi >= MODERATE).astype(int) + (hhi >= HIGH).astype(int)
    return np.asarray(BANDS, dtype=object)[index]


def concentration_table(table: engine.ShareTable, n: int) -> pd.DataFrame:
    """One row per window of ``table``: HHI with bounds, CR-n, equivalent firms, band."""
    code = table.code
    G = table.windows.n
    share = table.share
    residual = table.residual
    lower, upper, rest = engine.hhi_bounds(code, share, residual, G)
    exact = rest <= 1e-9
    hhi = np.where(exact, lower, np.nan)
    named = ~residual
    brands = np.bincount(code[named], minlength=G)
    counts = np.bincount(code, minlength=G)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    position = np.arange(len(code)) - first[code]  # named rows lead each window, largest first
    top = named & (position < n)
    crn = np.bincount(code[top], weights=share[top], minlength=G)
    crn = np.where((brands < n) & ~exact, np.nan, crn)  # the tail may hold a top-n firm
    low_band, high_band = band(lower), band(upper)
    bands = np.where(
        low_band == high_band,
        low_band,
        np.char.add(np.char.add(low_band.astype(str), " to "), high_band.astype(str)),
    )
    present = counts > 0
    flags = table.flags
    with np.errstate(divide="ignore"):
        out = pd.DataFrame(
            {
                s.MARKET: pd.array(table.windows.market, dtype="string"),
                s.START: table.windows.start,
                s.END: table.windows.end,
                s.METRIC: table.window_metric(),
                "hhi": hhi,
                "hhi_lower": lower,
                "hhi_upper": upper,
                f"cr{n}": crn,
                "equivalent_firms": 10_000.0 / hhi,
                "equivalent_firms_min": 10_000.0 / upper,
                "equivalent_firms_max": np.where(lower > 0, 10_000.0 / lower, np.inf),
                "band": pd.array(bands, dtype="string"),
                "brands": brands,
                "residual_share": rest,
                engine.DOUBLE_COUNT: flags,
            }
        )
    return out[present].reset_index(drop=True)


def concentration(
    figures: pd.DataFrame,
    *,
    n: int = 4,
    market_size: float | pd.DataFrame | None = None,
    others: str = s.OTHERS,
    overcount: str = "raise",
    tolerance: float | None = None,
) -> pd.DataFrame:
    """HHI, CR-n, equivalent number of firms and merger-guidelines band per window.

    HHI is the sum of squared shares on the 0-10,000 scale (shares in percent). When a
    residual (``Others``/``Unknown``) hides the tail of the market, the HHI is not known:
    ``hhi`` is NaN and ``hhi_lower`` (the residual spread over infinitely many small
    firms) and ``hhi_upper`` (the residual as one firm) bound it. Without a residual all
    three are equal.

    Parameters
    ----------
    figures : DataFrame
        A figures frame (units or shares). Not modified.
    n : int, default 4
        The number of largest brands in the concentration ratio ``cr{n}``.
    market_size, others, overcount, tolerance
        As in :func:`analysis.market_share`.

    Returns
    -------
    DataFrame
        One row per window: ``market, start, end, metric, hhi, hhi_lower, hhi_upper,
        cr{n}, equivalent_firms, equivalent_firms_min, equivalent_firms_max, band, brands,
        residual_share, double_count``. ``equivalent_firms = 10,000 / hhi`` (the number of
        equal-sized firms with that HHI), its min/max from the bounds. ``cr{n}`` is the
        share of the n largest listed brands; NaN when fewer than n brands are listed and
        a residual could hide one of the n largest. ``band`` follows the 2023 US Merger
        Guidelines (below 1,000 unconcentrated; 1,000 to below 1,800 moderately; 1,800 and
        above highly concentrated), "X to Y" when the bounds straddle bands. ``brands``
        counts listed brands.

    Raises
    ------
    ValueError
        ``n`` not a positive integer.
    DataError
        As :func:`analysis.market_share`.

    Examples
    --------
    Four firms with 30, 30, 20 and 20 percent: HHI = 900 + 900 + 400 + 400 = 2,600.

    >>> import pandas as pd
    >>> from analysis import concentration
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B", "C", "D"], "market": "TW",
    ...     "start": pd.Timestamp("2012-01-01"), "end": pd.Timestamp("2012-12-31"),
    ...     "units": [30.0, 30.0, 20.0, 20.0], "metric": "shipments"})
    >>> row = concentration(figures, n=2).iloc[0]
    >>> float(row["hhi"]), float(row["cr2"]), float(row["equivalent_firms"]), row["band"]
    (2600.0, 0.6, 3.846..., 'highly concentrated')
    """
    n = check_integer(n, "n", minimum=1)
    table = engine.share_table(
        figures, market_size=market_size, others=others, overcount=overcount, tolerance=tolerance
    )
    return concentration_table(table, int(n))


__all__ = ["BANDS", "HIGH", "MODERATE", "band", "concentration", "concentration_table"]
