"""Numeric kernels of the share engine: ordering within windows, ranks, HHI, rounding.

All work on integer window codes and float arrays, with ``np.bincount`` sums and one
row-wise sort of a padded (windows x rows per window) matrix, so they run in time close to
a columnar database on millions of rows.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "LAST",
    "decimals",
    "hhi_bounds",
    "order_within",
    "ranks_sorted",
    "rounding_unit",
    "window_first",
]

LAST = np.finfo(np.float64).max  # sort key of residual rows: after every brand


def window_first(code: np.ndarray, n_groups: int) -> np.ndarray:
    """Index of each window's first row in arrays sorted by window code."""
    counts = np.bincount(code, minlength=n_groups)
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)


def order_within(codes: np.ndarray, key: np.ndarray, n_groups: int) -> np.ndarray:
    """Permutation sorting rows by window code, then ``key`` ascending.

    ``key`` must be finite (residual rows use :data:`LAST`, padding is inf). Rows of equal
    key keep an order that is deterministic for a given input but not specified. Uses one
    row-wise sort of a (windows x max rows per window) matrix -- a reshape, without
    copying, when the rows come grouped in equal-sized windows as panels do -- else one
    lexsort when window sizes are very uneven.

    Examples
    --------
    >>> order_within(np.array([1, 0, 1, 0]), np.array([2.0, 5.0, 1.0, 3.0]), 2).tolist()
    [3, 1, 2, 0]
    """
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    counts = np.bincount(codes, minlength=n_groups)
    width = int(counts.max())
    if n_groups * width > 3 * n + 1024:
        return np.lexsort((key, codes))
    grouped = n < 2 or bool(np.all(codes[1:] >= codes[:-1]))
    first = np.zeros(n_groups, dtype=np.int64)
    np.cumsum(counts[:-1], out=first[1:])
    if grouped and n == n_groups * width:
        inner = np.argsort(key.reshape(n_groups, width), axis=1)
        inner += first[:, None]
        return inner.reshape(-1)
    by_group = np.arange(n) if grouped else np.argsort(codes, kind="stable")
    g_sorted = codes[by_group]
    pos = np.arange(n) - first[g_sorted]
    matrix = np.full((n_groups, width), np.inf)  # padding sorts after every real key
    matrix[g_sorted, pos] = key[by_group]
    inner = np.argsort(matrix, axis=1)
    keep = np.arange(width)[None, :] < counts[:, None]
    flat = (first[:, None] + inner)[keep]
    return by_group[flat]


def ranks_sorted(
    g_sorted: np.ndarray, v_sorted: np.ndarray, first: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Min-method ranks (1 = largest) and tie flags of rows sorted by window, value desc.

    Examples
    --------
    >>> rank, tied = ranks_sorted(np.array([0, 0, 0, 0]), np.array([5.0, 3, 3, 1]), np.array([0]))
    >>> rank.tolist(), tied.tolist()
    ([1, 2, 2, 4], [False, True, True, False])
    """
    n = len(g_sorted)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (g_sorted[1:] != g_sorted[:-1]) | (v_sorted[1:] != v_sorted[:-1])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(n), 0))
    rank = run_start - first[g_sorted] + 1
    run_id = np.cumsum(new_run) - 1
    run_len = np.bincount(run_id)
    tied = run_len[run_id] > 1
    return rank, tied


def hhi_bounds(
    code: np.ndarray, share: np.ndarray, residual: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """HHI lower and upper bounds per window (0-10,000) and the residual share.

    Lower: the residual spread over infinitely many tiny firms (adds nothing). Upper: the
    residual as one firm (adds its share squared). Equal when there is no residual.

    Examples
    --------
    Shares 0.5 and 0.3 and a residual of 0.2: 2,500 + 900 = 3,400, up to 3,400 + 400.

    >>> low, high, rest = hhi_bounds(np.zeros(3, int), np.array([0.5, 0.3, 0.2]),
    ...                              np.array([False, False, True]), 1)
    >>> float(low[0]), float(high[0]), float(rest[0])
    (3400.0, 3800.0, 0.2)
    """
    named = ~residual
    lower = 10_000.0 * np.bincount(code[named], weights=share[named] ** 2, minlength=n_groups)
    rest = np.bincount(code[residual], weights=share[residual], minlength=n_groups)
    upper = lower + 10_000.0 * rest**2
    return lower, upper, rest


_POWERS = 10.0 ** np.arange(12, -13, -1)  # 1e12 ... 1e-12


def rounding_unit(values: np.ndarray) -> np.ndarray:
    """The unit of the last digit each value is given to (``43.6e6`` -> ``1e5``).

    The largest power of ten that divides the value (within float precision); NaN for 0,
    whose rounding cannot be read. ``0.0123`` (a share given as 1.23%) -> ``1e-4``.

    Examples
    --------
    >>> rounding_unit(np.array([43.6e6, 5.77e6, 0.0123, 0.5, 0.0])).tolist()
    [100000.0, 10000.0, 0.0001, 0.1, nan]
    """
    v = np.abs(np.asarray(values, dtype=float))
    out = np.full(v.shape, np.nan)
    todo = (v > 0) & np.isfinite(v)
    for power in _POWERS:  # 25 vectorised passes, coarsest first
        if not todo.any():
            break
        q = v / power
        exact = todo & (np.abs(q - np.round(q)) <= 1e-9 * np.maximum(q, 1.0)) & (q >= 0.5)
        out[exact] = power
        todo &= ~exact
    out[todo] = _POWERS[-1]
    return out


def decimals(values: np.ndarray) -> np.ndarray:
    """Decimals each value is given to (negative for tens, hundreds: ``43.6e6`` -> -5).

    Examples
    --------
    >>> decimals(np.array([0.1234, 12.0, 43.6e6])).tolist()
    [4.0, 0.0, -5.0]
    """
    return -np.log10(rounding_unit(values))
