"""``reconcile``: make brand projections add up to the market's projection."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from marketdata import schema as s

from .result import Projection, _dates


@dataclass(frozen=True)
class Reconciled:
    """Brand projections scaled, draw by draw, so that they add up to the market.

    Between consecutive dates (from a common base date, the latest last-actual date of
    the inputs), each draw's brand units are scaled by ``market units / sum of brand
    units`` of that draw: proportional reconciliation on the sample paths. Each brand's
    cumulative path stays non-decreasing, and the brands' units after the base date add
    up to the market's exactly, draw by draw.
    """

    projections: dict = field(repr=False)
    market_projection: Projection = field(repr=False)
    base: pd.Timestamp
    seed: int

    def sample(self, dates, n: int = 1000, seed: int | None = None) -> dict[str, np.ndarray]:
        """Reconciled joint draws: brand -> (n, len(dates)) cumulative units, plus "market".

        Units before the base date are each projection's own (they are actuals or
        interpolations); after it they are the reconciled flows.
        """
        d = _dates(dates)
        order = np.argsort(d.values, kind="stable")
        ds = d[order]
        after = ds > self.base
        grid = pd.DatetimeIndex([self.base, *ds[after]])
        seed = self.seed if seed is None else seed
        rng = np.random.SeedSequence(seed)
        seeds = rng.spawn(len(self.projections) + 1)
        market = self.market_projection.sample(grid, n, seed=int(seeds[0].generate_state(1)[0]))
        brands = {
            name: p.sample(grid, n, seed=int(sq.generate_state(1)[0]))
            for (name, p), sq in zip(self.projections.items(), seeds[1:], strict=True)
        }
        flows = {k: np.diff(v, axis=1) for k, v in brands.items()}
        total = sum(flows.values())
        mflow = np.diff(market, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(total > 0, mflow / total, 0.0)
        equal = 1.0 / len(flows)
        out = {}
        for name, f in flows.items():
            share_flow = np.where(total > 0, f * scale, mflow * equal)
            path = brands[name][:, :1] + np.cumsum(share_flow, axis=1)
            full = np.empty((n, ds.size))
            full[:, after] = path
            if (~after).any():
                full[:, ~after] = self.projections[name].sample(ds[~after], n, seed=seed)
            res = np.empty_like(full)
            res[:, order] = np.maximum.accumulate(full, axis=1)
            out[name] = res
        mfull = np.empty((n, ds.size))
        mfull[:, after] = market[:, 1:]
        if (~after).any():
            mfull[:, ~after] = self.market_projection.sample(ds[~after], n, seed=seed)
        out["market"] = np.empty_like(mfull)
        out["market"][:, order] = mfull
        return out

    def frame(self, dates, *, level: float = 0.8, n: int = 2000) -> pd.DataFrame:
        """[brand, date, median, lower, upper, units_after_base, share_after_base] (tidy).

        ``units_after_base`` is the median of units between the base date and ``date``;
        ``share_after_base`` their share of the market's (medians of draw-wise shares).
        """
        d = _dates(dates)
        x = self.sample(d, n)
        rows = []
        mk = x["market"]
        base = self.sample([self.base], n)
        for name, arr in x.items():
            lo, med, hi = np.quantile(arr, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)
            after = arr - base[name]
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(mk - base["market"] > 0, after / (mk - base["market"]), np.nan)
            for j, day in enumerate(d):
                rows.append(
                    {
                        s.BRAND: name,
                        "date": day,
                        "median": med[j],
                        "lower": lo[j],
                        "upper": hi[j],
                        "units_after_base": float(np.median(after[:, j])),
                        "share_after_base": float(np.nanmedian(share[:, j]))
                        if np.isfinite(share[:, j]).any()
                        else np.nan,
                    }
                )
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return f"<Reconciled {len(self.projections)} brands to the market from {self.base.date()}>"

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


def reconcile(projections, market_projection: Projection, *, seed: int = 0) -> Reconciled:
    """Make brand projections add up to the market's, proportionally, on the sample paths.

    Parameters
    ----------
    projections : dict of str to Projection, or sequence of Projection
        One per brand (include a projection of the residual "Others" if the brands do not
        cover the market: otherwise the brands absorb the whole market).
    market_projection : Projection
        The market total.
    seed : int, default 0

    Returns
    -------
    Reconciled
        ``.sample(dates, n)`` -> dict brand -> draws (n, len(dates)) and "market";
        ``.frame(dates)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import fit, reconcile
    >>> q = pd.period_range("2015Q1", periods=8, freq="Q")
    >>> def figures(brand, units):
    ...     return pd.DataFrame({"brand": brand, "market": "WW", "start": q.start_time,
    ...         "end": q.end_time.normalize(), "units": units, "basis": "period",
    ...         "status": "actual", "metric": "shipments", "source": "illustrative"})
    >>> a = fit(figures("A", [10.0 + i for i in range(8)]), "runrate", scenarios={"growth": (0, 0.2)})
    >>> b = fit(figures("B", [5.0] * 8), "runrate", scenarios={"growth": (0, 0.2)})
    >>> m = fit(figures(pd.NA, [20.0 + i for i in range(8)]), "runrate", scenarios={"growth": (0, 0.2)})
    >>> x = reconcile({"A": a, "B": b}, m).sample(["2016-12-31", "2017-12-31"], n=100)
    >>> after = {k: v[:, 1] - v[:, 0] for k, v in x.items()}  # units of 2017, draw by draw
    >>> bool(abs(after["A"] + after["B"] - after["market"]).max() < 1e-6)
    True
    """
    if isinstance(projections, Projection):
        raise TypeError("projections must be a dict or list of Projection (one per brand)")
    if not isinstance(projections, dict):
        projections = {str(p.brand): p for p in projections}
    if not projections:
        raise ValueError("give at least one brand projection")
    for name, p in {**projections, "market": market_projection}.items():
        if not isinstance(p, Projection):
            raise TypeError(f"{name!r} is a {type(p).__name__}, not a Projection")
    markets = {p.market for p in projections.values()} | {market_projection.market}
    if len(markets) > 1:
        raise ValueError(
            f"the projections cover several markets {sorted(markets)}; reconcile one market"
        )
    base = max(p.last_actual for p in [*projections.values(), market_projection])
    return Reconciled(dict(projections), market_projection, base, int(seed))
