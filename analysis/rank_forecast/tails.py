"""The tail sensitivity of a rank forecast: the same run under other rules for the brands
the source leaves out (equal and geometric splits, the default count and twice it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.rank_forecast.model import build_model
from analysis.rank_forecast.simulate import rank_counts

__all__ = ["tail_runs", "tail_table"]


def tail_runs(built, split: str) -> list[tuple[int, str]]:
    """The (unlisted, split) runs of the tail sensitivity: equal and geometric splits with
    the default number of unlisted brands and twice as many."""
    if not built.unlisted:
        return []
    return [
        (k, rule) for k in (built.unlisted, 2 * built.unlisted) for rule in ("equal", "geometric")
    ]


def tail_table(figures, brand, units, built, counts, runs, options, run, top):
    """[split, unlisted, tail_ratio, expected_rank, prob_top] over the tail runs, the base
    run reused where it is one of them; None without runs."""
    if not runs:
        return None
    draws = run["draws"]
    rows = []
    for k, rule in runs:
        if (k, rule) == (built.unlisted, options["split"]):
            other, c = built, counts
        else:
            ratio = options["tail_ratio"] if rule == options["split"] else None
            other = build_model(
                figures, brand, units, **dict(options, unlisted=k, split=rule, tail_ratio=ratio)
            )
            c = rank_counts(other.model, **run)
        ranks = np.arange(1, len(c) + 1)
        rows.append(
            {
                "split": rule,
                "unlisted": k,
                "tail_ratio": other.tail_ratio if rule == "geometric" else np.nan,
                "expected_rank": float((ranks * c).sum() / draws),
                "prob_top": float(c[:top].sum() / draws),
            }
        )
    return pd.DataFrame(rows)
