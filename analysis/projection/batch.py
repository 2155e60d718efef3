"""Prepare many series of one checked figures frame without a pandas filter per series.

``fit_many`` fits a thousand series of one frame: filtering, sorting and checking each
series' rows with pandas (what :func:`.data.prepare` does for one) costs several
milliseconds a series. :class:`Batch` sorts the rows once (by series; the fitted rows first,
by end and start, as ``prepare`` sorts them) and reads each series' arrays and figures as
slices. The checks ``prepare`` makes are run on the slices; a series that fails one, or
might (two rows with the same dates, one figure, falling cumulative totals, overlapping
periods, an unclear basis, mixed metrics), is prepared by ``prepare`` itself, which raises
the error it raises for ``fit``. So every series is the one ``prepare`` gives it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketdata import schema as s

from .data import (
    FIT_STATUSES,
    CumulativeSeries,
    as_ns,
    assemble,
    bounds,
    prepare,
    qualified,
)

__all__ = ["Batch"]


class Batch:
    """The series of checked figures (:func:`.data.checked`), sorted once (internal).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.projection.data import checked, prepare
    >>> q = pd.period_range("2015Q1", periods=8, freq="Q")
    >>> f = checked(pd.DataFrame({"brand": ["A", "B"] * 8, "market": "WW",
    ...     "start": q.start_time.repeat(2), "end": q.end_time.normalize().repeat(2),
    ...     "units": [1.0, 2.0] * 8, "basis": "period", "status": "actual",
    ...     "metric": "shipments", "source": "illustrative"}))
    >>> batch = Batch(f, slack=0.15)
    >>> ser = batch.series("B", "WW")
    >>> float(ser.known_hi[-1]), ser.freq  # eight quarters of 2 units
    (16.0, 'Q')
    >>> ser.frame.equals(prepare(f, "B", "WW").frame)
    True
    """

    def __init__(self, frame: pd.DataFrame, *, slack: float) -> None:
        self.slack = slack
        brand_code, brands = pd.factorize(frame[s.BRAND])  # NA (the market's rows): -1
        market_code, markets = pd.factorize(frame[s.MARKET])
        code = (brand_code.astype(np.int64) + 1) * max(len(markets), 1) + market_code
        fitted = frame[s.STATUS].isin(FIT_STATUSES).to_numpy(dtype=bool)
        end, start = as_ns(frame[s.END]), as_ns(frame[s.START])  # NaT (minimum) first
        order = np.lexsort((start, end, ~fitted, code))
        self.rows = frame.iloc[order].reset_index(drop=True)  # with _row, every status
        over, under = qualified(self.rows)
        self.units = self.rows[s.UNITS].to_numpy(dtype=float)
        self.lo, self.hi = bounds(self.units, over, under, slack)
        self.censored = over | under
        self.used = self.rows.drop(columns=["_row"]).assign(
            censored=self.censored, lower=self.lo, upper=self.hi
        )
        self._sources = pd.factorize(self.rows[s.SOURCE]) if s.SOURCE in self.rows else None
        self.end, self.start = end[order], start[order]
        basis = self.rows[s.BASIS]
        self.is_level = (basis == s.CUMULATIVE).to_numpy(dtype=bool)
        self.unclear = (basis == s.UNCLEAR).to_numpy(dtype=bool)
        self.metric = (
            self.rows[s.METRIC].cat.codes.to_numpy()
            if s.METRIC in self.rows and isinstance(self.rows[s.METRIC].dtype, pd.CategoricalDtype)
            else None
        )
        code = code[order]
        first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if code.size else code
        last = np.r_[first[1:], code.size]
        n_fitted = np.add.reduceat(fitted[order], first) if code.size else first
        self.slices = {}
        for i, j, k in zip(first, last, n_fitted, strict=True):
            b, m = divmod(int(code[i]), max(len(markets), 1))
            key = (None if b == 0 else str(brands[b - 1]), str(markets[m]))
            self.slices[key] = (int(i), int(i + k), int(j))

    def frame(self, brand: str | None, market: str) -> pd.DataFrame:
        """Every row of the series (every status, with ``_row``); empty if it has none."""
        i, _, j = self.slices.get((brand, market), (0, 0, 0))
        return self.rows.iloc[i:j]

    def series(self, brand: str | None, market: str) -> CumulativeSeries:
        """What :func:`.data.prepare` gives (or raises) for the series."""
        i, k, _ = self.slices.get((brand, market), (0, 0, 0))
        if not self._clean(i, k):
            return prepare(self.frame(brand, market), brand, market, slack=self.slack)
        used = self.used.iloc[i:k].copy(deep=False)  # (reset_index(drop=True) costs 2x)
        used.index = pd.RangeIndex(k - i)
        return assemble(
            used,
            lo=self.lo[i:k].copy(),
            hi=self.hi[i:k].copy(),
            censored=self.censored[i:k].copy(),
            end=self.end[i:k].copy(),
            start=self.start[i:k].copy(),
            is_level=self.is_level[i:k].copy(),
            units=self.units[i:k].copy(),
            brand=brand,
            market=market,
        )

    def source(self, brand: str | None, market: str) -> str:
        """The sources of the series' fitted figures, as ``fit`` joins them (in the order
        they first come, ``"; "`` between)."""
        i, k, _ = self.slices.get((brand, market), (0, 0, 0))
        if self._sources is None or k == i:
            return ""
        codes, names = self._sources
        c = codes[i:k]
        _, first = np.unique(c, return_index=True)
        return "; ".join(str(names[j]) for j in c[np.sort(first)] if j >= 0)

    def _clean(self, i: int, k: int) -> bool:
        """Whether the fitted rows ``i:k`` pass every check of ``prepare`` (False: maybe
        not, and ``prepare`` decides)."""
        if k - i < 2 or self.unclear[i:k].any():
            return False
        if self.metric is not None:
            metric = self.metric[i:k]
            if metric[0] < 0 or (metric != metric[0]).any():
                return False
        end, start, units = self.end[i:k], self.start[i:k], self.units[i:k]
        if ((end[1:] == end[:-1]) & (start[1:] == start[:-1])).any():  # maybe duplicates
            return False
        if not (units > 0).any():
            return False
        level = self.is_level[i:k]
        lu = units[level]
        if lu.size > 1 and (lu[1:] < np.maximum.accumulate(lu)[:-1]).any():
            return False
        fs, fe = start[~level], end[~level]
        if fs.size > 1:
            o = np.argsort(fs, kind="stable")
            if (fs[o][1:] <= fe[o][:-1]).any():
                return False
        return True
