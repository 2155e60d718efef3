"""``reconcile``: make brand projections add up to the market's projection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis._format import count_label
from analysis._summary import Summary
from analysis._validation import check_dates, check_draws, seed_int
from marketdata import schema as s

from .result import Projection

__all__ = ["Reconciled", "reconcile"]


@dataclass(frozen=True)
class Reconciled:
    """Brand projections scaled, draw by draw, so that they add up to the market.

    Between consecutive dates (from a common base date, the latest last-actual date of
    the inputs), each draw's brand units are scaled by ``market units / sum of brand
    units`` of that draw: proportional reconciliation on the sample paths. Each brand's
    cumulative path stays non-decreasing, and the brands' units after the base date add
    up to the market's exactly, draw by draw.

    Examples
    --------
    Made by :func:`analysis.reconcile` (see its example):

    >>> import pandas as pd
    >>> from analysis import fit, reconcile
    >>> q = pd.period_range("2015Q1", periods=8, freq="Q")
    >>> def figures(brand, units):
    ...     return pd.DataFrame({"brand": brand, "market": "WW", "start": q.start_time,
    ...         "end": q.end_time.normalize(), "units": units, "basis": "period",
    ...         "status": "actual", "metric": "shipments", "source": "illustrative"})
    >>> a = fit(figures("A", [10.0] * 8), "runrate", scenarios={"growth": (0, 0.2)})
    >>> m = fit(figures(pd.NA, [20.0] * 8), "runrate", scenarios={"growth": (0, 0.2)})
    >>> reconcile({"A": a}, m)
    <Reconciled 1 brand to the market from 2016-12-31>
    """

    projections: dict = field(repr=False)
    market_projection: Projection = field(repr=False)
    base: pd.Timestamp
    seed: int

    def sample(self, dates, *, draws: int = 1000, seed=None) -> dict[str, np.ndarray]:
        """Reconciled joint draws: brand -> (draws, len(dates)) cumulative units, plus
        "market".

        Units before the base date are each projection's own (they are actuals or
        interpolations); after it they are the reconciled flows.
        """
        d = check_dates(dates)
        # one grid for every projection (the dates and the base), each sampled once, so
        # that a brand's units at the base and after it come from the same draws
        grid = pd.DatetimeIndex(sorted({*d, self.base}))
        ib = int(grid.get_loc(self.base))
        pos = grid.get_indexer(d)
        n = check_draws(draws)
        seed = seed_int(self.seed if seed is None else seed)
        rng = np.random.SeedSequence(seed)
        seeds = rng.spawn(len(self.projections) + 1)
        market = self.market_projection.sample(
            grid, draws=n, seed=int(seeds[0].generate_state(1)[0])
        )
        brands = {
            name: p.sample(grid, draws=n, seed=int(sq.generate_state(1)[0]))
            for (name, p), sq in zip(self.projections.items(), seeds[1:], strict=True)
        }
        flows = {k: np.diff(v[:, ib:], axis=1) for k, v in brands.items()}
        total = sum(flows.values())
        mflow = np.diff(market[:, ib:], axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(total > 0, mflow / total, 0.0)
        equal = 1.0 / len(flows)
        out = {}
        for name, f in flows.items():
            share_flow = np.where(total > 0, f * scale, mflow * equal)
            path = brands[name][:, ib : ib + 1] + np.cumsum(share_flow, axis=1)
            full = np.concatenate([brands[name][:, : ib + 1], path], axis=1)
            out[name] = np.maximum.accumulate(full, axis=1)[:, pos]
        out["market"] = market[:, pos]
        return out

    def frame(self, dates, *, level: float = 0.8, draws: int = 2000) -> pd.DataFrame:
        """[brand, date, median, lower, upper, units_after_base, share_after_base] (tidy).

        ``units_after_base`` is the median of units between the base date and ``date``;
        ``share_after_base`` their share of the market's (medians of draw-wise shares).
        """
        d = check_dates(dates)
        both = self.sample([*d, self.base], draws=draws)  # one call: the same draws at the base
        x = {k: v[:, :-1] for k, v in both.items()}
        base = {k: v[:, -1:] for k, v in both.items()}
        rows = []
        mk = x["market"]
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

    def summary(self) -> Summary:
        """The brands, the market, the base date and how the draws are reconciled."""
        rows = pd.DataFrame(
            {
                "series": [*self.projections, "market"],
                "model": [p.model for p in self.projections.values()]
                + [self.market_projection.model],
                "last actual": [
                    str(p.last_actual.date())
                    for p in [*self.projections.values(), self.market_projection]
                ],
            }
        )
        return Summary(
            f"{len(self.projections)} brand projections reconciled to the market "
            f"({self.market_projection.market})",
            facts=[("base date", str(self.base.date())), ("seed", str(self.seed))],
            tables=[("Projections", rows)],
            notes=[
                "After the base date each draw's brand units are scaled by the market's units "
                "over the brands' sum in that draw: they add up to the market draw by draw."
            ],
        )

    def __repr__(self) -> str:
        brands = count_label(len(self.projections), "brand")
        return f"<Reconciled {brands} to the market from {self.base.date()}>"

    def _repr_html_(self) -> str:
        return self.summary().as_html()


def reconcile(
    projections: dict[str, Projection] | Sequence[Projection],
    market_projection: Projection,
    *,
    seed: int | np.random.Generator = 0,
) -> Reconciled:
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
        ``.sample(dates, draws=)`` -> dict brand -> draws (draws, len(dates)) and "market";
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
    >>> x = reconcile({"A": a, "B": b}, m).sample(["2016-12-31", "2017-12-31"], draws=100)
    >>> after = {k: v[:, 1] - v[:, 0] for k, v in x.items()}  # units of 2017, draw by draw
    >>> bool(abs(after["A"] + after["B"] - after["market"]).max() < 1e-6)
    True
    """
    if isinstance(projections, Projection):
        raise TypeError("projections must be a dict or list of Projection (one per brand)")
    if not isinstance(projections, dict):
        projections = list(projections)
        names = [str(getattr(p, "brand", p)) for p in projections]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(
                f"brand(s) {repeated} appear more than once in the projections; give one "
                "projection per brand (or a dict naming each)"
            )
        projections = dict(zip(names, projections, strict=True))
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
    return Reconciled(dict(projections), market_projection, base, seed_int(seed))
