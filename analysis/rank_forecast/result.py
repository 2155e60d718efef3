"""``RankForecast``: the distribution of a brand's rank, from :func:`project_rank`."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


def _window_label(start, end) -> str:
    if pd.isna(end):
        return "no window"
    end = pd.Timestamp(end)
    if pd.isna(start):
        return f"to {end.date()}"
    start = pd.Timestamp(start)
    if start == pd.Timestamp(year=start.year, month=1, day=1) and end == pd.Timestamp(
        year=start.year, month=12, day=31
    ):
        return str(start.year)
    return f"{start.date()}..{end.date()}"


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
    def _title(self) -> str:
        where = f" in {self.market}" if self.market else ""
        return f"{self.brand}{where}, {_window_label(self.start, self.end)}"

    def summary(self) -> str:
        """A plain-text summary: the headline probabilities, assumptions and warnings."""
        top = self.top
        lines = [
            f"Rank forecast: {self.title}",
            f"  P(top {top}) = {self.prob_top(top):.3f} "
            f"(Monte Carlo s.e. {self.standard_error(top):.4f}, {self.draws:,} draws, seed {self.seed})",
            f"  expected rank {self.expected_rank:.2f}, median rank {self.median_rank}, "
            f"80% of draws between ranks {self.quantile(0.1)} and {self.quantile(0.9)}",
            f"  rank with every input at its base value: {self.deterministic_rank}",
            f"  competitors: {len(self.counts) - 1} "
            f"({self.unlisted} unlisted, residual split {self.split})",
        ]
        for n in sorted({1, 3, 5, top}):
            if n < len(self.counts):
                lines.append(f"    P(top {n}) = {self.prob_top(n):.3f}")
        if self.tail_sensitivity is not None and len(self.tail_sensitivity):
            t = self.tail_sensitivity
            lines.append(
                f"  sensitivity to the unlisted-brand rule: P(top {top}) from "
                f"{t['prob_top'].min():.3f} to {t['prob_top'].max():.3f}"
            )
            for row in t.itertuples(index=False):
                lines.append(
                    f"    {row.split:9s} {row.unlisted:3d} unlisted: P(top {top}) = "
                    f"{row.prob_top:.3f}, expected rank {row.expected_rank:.2f}"
                )
        if self.assumptions:
            lines.append("  assumptions:")
            lines += [f"    - {a}" for a in self.assumptions]
        if self.warnings:
            lines.append("  warnings:")
            lines += [f"    - {w}" for w in self.warnings]
        if self.source:
            lines.append(f"  source: {self.source}")
        return "\n".join(lines)

    @property
    def title(self) -> str:
        return self._title()

    def __repr__(self) -> str:
        return (
            f"RankForecast({self.title}: P(top {self.top})={self.prob_top(self.top):.3f}, "
            f"expected rank {self.expected_rank:.2f}, median {self.median_rank}, "
            f"draws={self.draws:,})"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{r.rank}</td><td>{r.probability:.3f}</td>"
            f"<td>{r.cumulative_probability:.3f}</td></tr>"
            for r in self.frame().itertuples(index=False)
            if r.probability > 0
        )
        notes = "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings + self.assumptions)
        return (
            f"<div><strong>Rank forecast: {html.escape(self.title)}</strong><br>"
            f"P(top {self.top}) = {self.prob_top(self.top):.3f}, expected rank "
            f"{self.expected_rank:.2f}, median {self.median_rank} "
            f"({self.draws:,} draws, seed {self.seed})"
            f"<table><tr><th>rank</th><th>probability</th><th>cumulative</th></tr>{rows}"
            f"</table>{f'<ul>{notes}</ul>' if notes else ''}"
            f"{f'<small>Source: {html.escape(self.source)}</small>' if self.source else ''}</div>"
        )

    # -- chart -----------------------------------------------------------------------
    def plot(self, ax=None, **kwargs):
        """Bar chart of the probability of each rank, the top-N places highlighted.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        **kwargs
            Passed to ``ax.bar``.

        Returns
        -------
        matplotlib Axes
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3.5))
        f = self.frame()
        colors = np.where(f["rank"] <= self.top, "#1f77b4", "#b0b0b0")
        kwargs.setdefault("color", list(colors))
        ax.bar(f["rank"], f["probability"], **kwargs)
        ax.set_xlabel("rank")
        ax.set_ylabel("probability")
        ax.set_title(f"{self.title}: P(top {self.top}) = {self.prob_top(self.top):.2f}")
        ax.set_xticks(f["rank"])
        if self.source:
            ax.annotate(
                f"Source: {self.source}",
                xy=(0, 0),
                xycoords="figure fraction",
                xytext=(4, 2),
                textcoords="offset points",
                fontsize=6,
                va="bottom",
            )
        return ax
