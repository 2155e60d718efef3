"""``RankForecast``: the distribution of a brand's rank, from :func:`project_rank`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis._format import probability_label, window_label
from analysis._summary import Summary

__all__ = ["RankForecast"]


@dataclass(frozen=True, repr=False, eq=False)
class RankForecast:
    """The probability of each rank a brand may take in a market window.

    Made by :func:`analysis.project_rank`; immutable. Ranks count from 1 (the leader);
    the brand's rank in a draw is 1 + the number of competitors with strictly more volume.

    Attributes
    ----------
    brand, market : str
        The brand ranked and the market.
    start, end : Timestamp
        The window of the market figures.
    counts : ndarray
        Number of draws giving rank 1, 2, ..., n_competitors + 1.
    draws, seed : int
        Monte Carlo draws and the seed (same seed, same answer).
    top : int
        The top-N place the summary reports.
    inputs : DataFrame
        [brand, kind, units, cv, volume]: each competitor's base volume (kind "listed",
        "own" for an incumbent with its own distribution, "unlisted") and the brand's own.
    unlisted, split : int, str
        How many unlisted brands were modelled and how the residual was split.
    tail_sensitivity : DataFrame or None
        [split, unlisted, tail_ratio, expected_rank, prob_top]: the same run under other
        rules for the unlisted brands, to show how much the answer depends on them.
    deterministic_rank : int
        The rank with every input at its base value and no uncertainty.
    warnings, assumptions : tuple of str
        What the analyst should know, and the modelling choices made (defaults stated).
    source : str
        Where the market figures came from.

    Examples
    --------
    Made by :func:`analysis.project_rank`. Competitors of 500 and 300 units and no
    uncertainty: 400 units (the market growing by them) is second in every draw.

    >>> import pandas as pd
    >>> from analysis import project_rank
    >>> figures = pd.DataFrame({
    ...     "brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "units": [500.0, 300.0], "metric": "shipments"})
    >>> f = project_rank(figures, "X", 400, draw=None, draws=1000)
    >>> f.prob_top(1), f.prob_top(2), f.deterministic_rank
    (0.0, 1.0, 2)
    """

    brand: str
    market: str | None
    start: pd.Timestamp
    end: pd.Timestamp
    counts: np.ndarray
    draws: int
    seed: int
    top: int
    inputs: pd.DataFrame
    unlisted: int
    split: str
    deterministic_rank: int
    tail_sensitivity: pd.DataFrame | None = None
    warnings: tuple[str, ...] = field(default=())
    assumptions: tuple[str, ...] = field(default=())
    source: str = ""

    # -- numbers -------------------------------------------------------------------
    @property
    def probabilities(self) -> pd.Series:
        """Probability of each rank (index ``rank`` 1..n_competitors + 1)."""
        index = pd.RangeIndex(1, len(self.counts) + 1, name="rank")
        return pd.Series(self.counts / self.draws, index=index, name="probability")

    def prob_top(self, n: int) -> float:
        """Probability of a place in the top ``n`` (rank <= n).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> f = RankForecast("X", "TW", pd.NaT, pd.NaT, np.array([1, 3, 6]), 10, 0, 2,
        ...                  pd.DataFrame(), 0, "equal", 3)
        >>> f.prob_top(2)
        0.4
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"n must be a whole number of places, got {n!r}")
        if n < 1:
            raise ValueError(f"n must be at least 1 (top 1 = the leader), got {n}")
        return float(self.counts[:n].sum() / self.draws)

    def standard_error(self, n: int) -> float:
        """Monte Carlo standard error of :meth:`prob_top` ``(n)``: sqrt(p (1 - p) / draws)."""
        p = self.prob_top(n)
        return math.sqrt(p * (1 - p) / self.draws)

    @property
    def expected_rank(self) -> float:
        """Mean rank over the draws."""
        ranks = np.arange(1, len(self.counts) + 1)
        return float((ranks * self.counts).sum() / self.draws)

    @property
    def median_rank(self) -> int:
        """The median rank (the smallest rank whose cumulative probability is >= 0.5)."""
        return self.quantile(0.5)

    def quantile(self, q):
        """Rank quantile(s): the smallest rank r with P(rank <= r) >= q.

        Parameters
        ----------
        q : float or sequence of float
            Probabilities in [0, 1].

        Returns
        -------
        int, or Series indexed by q
        """
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        if not np.isfinite(qs).all() or (qs < 0).any() or (qs > 1).any():
            raise ValueError(f"quantile probabilities must lie in [0, 1], got {q!r}")
        cum = np.cumsum(self.counts)
        # q * draws compared in counts, so q = 0.5 of 10 draws needs 5 draws
        need = np.maximum(np.ceil(qs * self.draws - 1e-9), 1)
        ranks = np.searchsorted(cum, need, side="left") + 1
        if np.ndim(q) == 0:
            return int(ranks[0])
        return pd.Series(ranks.astype(int), index=pd.Index(qs, name="q"), name="rank")

    def frame(self) -> pd.DataFrame:
        """[rank, probability, cumulative_probability], one row per possible rank."""
        p = self.counts / self.draws
        return pd.DataFrame(
            {
                "rank": np.arange(1, len(self.counts) + 1),
                "probability": p,
                "cumulative_probability": np.cumsum(self.counts) / self.draws,
            }
        )

    # -- text ------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """``brand in market, window`` (the window as :func:`marketdata.period_label` puts it)."""
        where = f" in {self.market}" if self.market else ""
        window = window_label(self.start, self.end) if pd.notna(self.end) else "no window"
        return f"{self.brand}{where}, {window}"

    def summary(self) -> Summary:
        """The headline probabilities, the rank distribution, assumptions and warnings.

        Returns
        -------
        analysis._summary.Summary
            Prints as text, renders as HTML in Jupyter.
        """
        top = self.top
        facts = [
            (f"P(top {top})", self.prob_top(top), "probability"),
            ("Monte Carlo s.e.", f"{100 * self.standard_error(top):.2f} pp"),
            ("expected rank", f"{self.expected_rank:.1f}"),
            ("median rank", self.median_rank),
            ("80% of draws", f"ranks {self.quantile(0.1)} to {self.quantile(0.9)}"),
            ("rank with inputs at base", self.deterministic_rank),
            (
                "competitors",
                f"{len(self.counts) - 1} ({self.unlisted} unlisted, residual split {self.split})",
            ),
            ("draws, seed", f"{self.draws:,}, {self.seed}"),
        ]
        shown = self.frame()
        tables = [("Probability of each rank", shown[shown["probability"] > 0])]
        if self.tail_sensitivity is not None and len(self.tail_sensitivity):
            tails = self.tail_sensitivity.rename(columns={"prob_top": f"prob_top_{top}"})
            tables.append(("Sensitivity to the unlisted-brand rule", tails))
        notes = [f"Assumption: {a}" for a in self.assumptions]
        notes += [f"Warning: {w}" for w in self.warnings]
        if self.source:
            notes.append(f"Source: {self.source}")
        return Summary(
            f"Rank forecast: {self.title}",
            facts=facts,
            tables=tables,
            notes=notes,
            kinds={"tail_ratio": None, "expected_rank": None},
        )

    def __repr__(self) -> str:
        return (
            f"RankForecast({self.title}: P(top {self.top})="
            f"{probability_label(self.prob_top(self.top))}, "
            f"expected rank {self.expected_rank:.1f}, median {self.median_rank}, "
            f"draws={self.draws:,})"
        )

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    # -- chart -----------------------------------------------------------------------
    def plot(self, ax=None, **kwargs):
        """The house chart of the result: :func:`analysis.plots.plot_rank_forecast`.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        **kwargs
            Passed to :func:`analysis.plots.plot_rank_forecast` (``title``, ``top``, ...)
            and on to ``Axes.bar``.

        Returns
        -------
        matplotlib Axes
        """
        # not at the top: `import analysis` leaves analysis.plots out
        from analysis.plots import plot_rank_forecast

        return plot_rank_forecast(self, ax=ax, **kwargs)
