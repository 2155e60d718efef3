"""Step 4 of the share table: the listed sum of each window against its market size.

Rounded figures may miss their total by half a unit of the last digit given per row
(:func:`window_tolerance`); beyond that a listing above its size is a double count, a
complete listing (with a residual row) below its ``Total`` is reported, shares above 1 are
refused naming market, window and sum, and an all-zero window is refused. Notes are read
only as a hint.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

from analysis.structure._share_engine.checks import SHOW, fail
from analysis.structure._share_engine.kernels import rounding_unit
from analysis.structure._share_engine.rows import Rows
from marketdata import schema as s
from marketdata.errors import DataWarning, DoubleCountWarning

__all__ = [
    "RTOL",
    "check_share_sums",
    "check_sizes_given",
    "check_units_against_size",
    "check_units_not_zero",
    "fail_windows",
    "rounding_remainder",
    "window_tolerance",
]

RTOL = 1e-9  # float slack when comparing sums (relative)
# a note that mentions double counting ("double count", "double-counts"), unless negated
_NOTE_SAYS_DOUBLE = re.compile(
    r"(?<!\bno )(?<!\bnot )(?<!\bwithout )(?<!\bnon-)double[- ]?count", re.IGNORECASE
)


def fail_windows(
    rows: Rows, windows: np.ndarray, column: str | None, problem: str, hint: str
) -> None:
    """Raise a DataError naming the brand rows of the ``windows`` (window codes), if any."""
    bad = np.zeros(rows.windows.n, dtype=bool)
    bad[windows] = True
    fail(rows.figures, rows.is_brand & bad[rows.windows.code], column, problem, hint)


def window_tolerance(
    code: np.ndarray, values: np.ndarray, windows: np.ndarray, n_windows: int
) -> np.ndarray:
    """How far a window's sum may be off from rounding alone (per window; 0 elsewhere).

    Half a unit of the last digit the figures are given to, times the number of rows
    summed: StatCounter's 40 shares given to two decimals of a percent (1e-4 as a fraction)
    may sum to 1 +/- 40 x 0.5e-4 = 1 +/- 0.002. The finest digit of the window's rows is
    its precision (a row given as 0.25 next to 0.1234 is read as 0.2500). Only the
    ``windows`` asked for are computed.

    Examples
    --------
    >>> code = np.array([0, 0, 0])
    >>> window_tolerance(code, np.array([0.5012, 0.3, 0.2]), np.array([0]), 1).round(8).tolist()
    [0.00015]
    """
    out = np.zeros(n_windows)
    if len(windows) == 0:
        return out
    wanted = np.zeros(n_windows, dtype=bool)
    wanted[windows] = True
    rows = wanted[code]
    unit = rounding_unit(values[rows])
    g = code[rows]
    finest = np.full(n_windows, np.inf)
    known = ~np.isnan(unit)
    np.minimum.at(finest, g[known], unit[known])
    count = np.bincount(g, minlength=n_windows)
    out[windows] = np.where(
        np.isfinite(finest[windows]), 0.5 * finest[windows] * count[windows], 0.0
    )
    return out


def _tolerances(tolerance, code, values, windows: np.ndarray, n_windows: int) -> np.ndarray:
    if tolerance is None:
        return window_tolerance(code, values, windows, n_windows)
    return np.full(n_windows, float(tolerance))


def _notes_say_double(rows: Rows) -> np.ndarray:
    """Windows whose notes mention double counting (a hint, never a verdict)."""
    says = np.zeros(rows.windows.n, dtype=bool)
    if s.NOTE in rows.figures.columns:
        notes = rows.figures[s.NOTE].astype("string")
        hit = notes.str.contains(_NOTE_SAYS_DOUBLE, na=False).to_numpy(dtype=bool)
        says[rows.windows.code[hit]] = True
    return says


def check_units_against_size(
    rows: Rows, g, v, resid, listed, sizes, *, overcount, tolerance
) -> tuple[np.ndarray, np.ndarray]:
    """Double counts (listed above the size) and a Total that disagrees with a full list.

    Returns the sizes to use (NaN where the listed sum replaces a double-counted size) and
    the per-window double-count flags.
    """
    windows, n_windows = rows.windows, rows.windows.n
    have = ~np.isnan(sizes)
    above = np.flatnonzero(have & (listed > sizes * (1 + RTOL)))
    complete = np.bincount(g[resid], minlength=n_windows) > 0
    below = np.flatnonzero(have & complete & (listed < sizes * (1 - RTOL)))
    tol = _tolerances(tolerance, g, v, np.concatenate((above, below)), n_windows)
    flags = np.zeros(n_windows, dtype=bool)
    notes = _notes_say_double(rows)
    over = above[listed[above] > sizes[above] + tol[above]]
    if len(over):
        detail = "; ".join(
            f"{windows.label(int(x))}: listed {listed[x]:,.0f} > market {sizes[x]:,.0f}"
            + (" (its notes say so too)" if notes[x] else "")
            for x in over[:SHOW]
        )
        if overcount == "raise":
            fail_windows(
                rows,
                over,
                None,
                f"the listed brands add up to more than the market size ({detail}): "
                "some units are counted twice",
                "remove the double count (e.g. a brand also inside Others), or pass "
                "overcount='warn' to use the listed sum as the market and flag it",
            )
        warnings.warn(
            f"{len(over)} window(s) list more units than the market size ({detail}); "
            "their shares use the listed sum and are flagged double_count=True",
            DoubleCountWarning,
            stacklevel=5,
        )
        flags[over] = True
        sizes = sizes.copy()
        sizes[over] = np.nan
    short = below[listed[below] < sizes[below] - tol[below]]
    if len(short):
        detail = "; ".join(
            f"{windows.label(int(x))}: the listed brands and residual add up to "
            f"{listed[x]:,.0f}, the market size (Total) is {sizes[x]:,.0f}"
            for x in short[:SHOW]
        )
        warnings.warn(
            f"{len(short)} window(s) list every unit (with a residual row) yet fall short "
            f"of their market size ({detail}); the difference is added to the residual",
            DataWarning,
            stacklevel=5,
        )
    unchecked = np.flatnonzero(notes & ~have)
    if len(unchecked):
        warnings.warn(
            f"the notes of {len(unchecked)} window(s) ({windows.labels(unchecked)}) mention "
            "a double count, which the figures cannot show without a market size: pass the "
            "published totals as market_size= to check them",
            DoubleCountWarning,
            stacklevel=5,
        )
    return sizes, flags


def check_share_sums(rows: Rows, g, v, listed, *, tolerance) -> None:
    """Refuse windows whose shares sum above 1 beyond their rounding, or are all zero."""
    windows, n_windows = rows.windows, rows.windows.n
    listed_rows = np.bincount(g, minlength=n_windows)
    zero = np.flatnonzero((listed <= 0) & (listed_rows > 0))
    if len(zero):
        x = int(zero[0])
        fail_windows(
            rows,
            zero,
            s.SHARE,
            f"the shares of {windows.labels(zero)} are all zero ({listed_rows[x]} rows in "
            f"{windows.label(x)}): an empty window has no shares, ranks or concentration",
            "drop the window (an export's trailing all-zero row is no data)",
        )
    above = np.flatnonzero(listed > 1 + RTOL)
    tol = _tolerances(tolerance, g, v, above, n_windows)
    over = above[listed[above] > 1 + tol[above] + RTOL]
    if len(over):
        x = int(over[0])
        fail_windows(
            rows,
            over,
            None,
            f"the shares of market {windows.market[x]} in {windows.period(x)} add up to "
            f"{listed[x]:.6g} ({100 * listed[x]:.4g}%), more than 1 plus the rounding they "
            f"carry ({tol[x]:.2g}, {listed_rows[x]} rows)"
            + (f"; also {windows.labels(over[1:])}" if len(over) > 1 else ""),
            "check for a double count or shares given in percent (shares are fractions); "
            "pass tolerance= to allow a wider rounding",
        )


def check_sizes_given(rows: Rows, brand_rows, g, sizes) -> None:
    ok = ~np.isnan(sizes)
    if ok[g].all():
        return
    missing = np.zeros(len(rows.figures), dtype=bool)
    missing[brand_rows[~ok[g]]] = True
    fail(
        rows.figures,
        missing,
        None,
        "no market size for the window of these shares",
        "give a size for every window, or a single number",
    )


def check_units_not_zero(rows: Rows, g, denominator) -> None:
    windows = rows.windows
    zero = np.flatnonzero((denominator <= 0) & (np.bincount(g, minlength=windows.n) > 0))
    if len(zero):
        fail_windows(
            rows,
            zero,
            rows.value_column,
            f"the figures of {windows.labels(zero)} add up to zero, so shares are undefined",
            "drop the window or give its figures",
        )


def rounding_remainder(g, v, resid, remainder, tolerance, n_windows: int) -> np.ndarray:
    """No remainder where a complete listing (it has a residual row) is short by rounding.

    StatCounter's shares with their ``Other`` row sum to 99.98%: the 0.02% is rounding,
    and the shares are kept as given rather than topped up.
    """
    complete = np.bincount(g[resid], minlength=n_windows) > 0
    short = np.flatnonzero(complete & (remainder > 0))
    if len(short):
        tol = _tolerances(tolerance, g, v, short, n_windows)
        remainder = remainder.copy()
        remainder[short[remainder[short] <= tol[short]]] = 0.0
    return remainder
