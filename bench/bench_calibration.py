"""Calibration of target calls on the packaged IDC worldwide annual vendor history.

For every brand and year ``Y`` with two listed years before it (so its growth is known) and a
listed outcome, the toolkit is asked ``P(units in Y >= t)`` for thresholds ``t`` at
:data:`MULTIPLES` of the year before, through the public path a user takes:
``target_attainment(fit(figures before Y, "auto"), t, by=Y-12-31, basis="period")``. The
figures are the brand's annual figures before ``Y`` (the last :data:`LAST` of them: the
short-series case ``auto`` answers with the growth-stage model; ``--all-past`` gives it
every figure instead).

No look-ahead: the decay law, the pooled error library and the market cap for year ``Y``
use only what was known by 1 January ``Y`` (``before_days``); a year whose past holds too
few pairs for the law is not scored (counted in the output). ``--look-ahead`` uses the law
from the whole history instead, to measure how much that would flatter the score.

Scores: the Brier score, against two baselines: the base rate (three versions: one number
for all calls; per multiple from the calls of earlier years; per multiple over all years,
in-sample, so a strong baseline that knows how the scored years turned out) and last
year's growth repeated (P = 1 if ``U(Y-1)^2 / U(Y-2) >= t``, else 0); and a reliability
table (calls binned by predicted probability; target: each bin's observed frequency within
its range +- 0.1 where it holds 20+ calls).

Run: python bench/bench_calibration.py [--look-ahead] [--all-past] [--draws 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import target_attainment  # noqa: E402
from analysis.projection.data import prepare, select  # noqa: E402
from analysis.projection.project import fit_series  # noqa: E402
from marketdata import datasets  # noqa: E402
from marketdata import schema as s  # noqa: E402

MULTIPLES = (0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
LAST = 6
BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
MIN_BIN = 20
TOLERANCE = 0.1


def _days(ts: pd.Timestamp) -> float:
    return float((ts - pd.Timestamp("1970-01-01")).days)


def calls(*, look_ahead: bool = False, all_past: bool = False, draws: int = 2000, seed: int = 0):
    """One row per call: [brand, year, multiple, threshold, p, outcome, model, p_repeat]
    and the number of (brand, year) cases not scored for lack of past pairs."""
    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    annual = annual[~annual[s.BRAND].isin(s.RESIDUAL_BRANDS)]
    units = annual.groupby([s.BRAND, annual[s.END].dt.year])[s.UNITS].sum()
    rows, skipped = [], 0
    for (brand, year), outcome in units.items():
        u = units[brand]
        if year - 1 not in u.index or year - 2 not in u.index:
            continue
        past = annual[(annual[s.BRAND] == brand) & (annual[s.END].dt.year < year)]
        run = [year - 1]
        while run[-1] - 1 in u.index:
            run.append(run[-1] - 1)
        keep = set(run if all_past else run[:LAST])
        past = past[past[s.END].dt.year.isin(keep)]
        frame, _ = select(past, brand, None)
        series = prepare(frame, brand, s.WORLDWIDE)
        origin = pd.Timestamp(year, 1, 1)
        try:
            proj = fit_series(
                series,
                "auto",
                frame=frame,
                seed=seed,
                before_days=None if look_ahead else _days(origin),
            )
        except ValueError:
            skipped += 1
            continue
        prev, prev2 = float(u[year - 1]), float(u[year - 2])
        for m in MULTIPLES:
            t = m * prev
            res = target_attainment(
                proj, t, f"{year}-12-31", basis="period", draws=draws, seed=seed
            )
            rows.append(
                {
                    "brand": brand,
                    "year": int(year),
                    "multiple": m,
                    "threshold": t,
                    "p": res.probability,
                    "outcome": float(outcome >= t),
                    "model": proj.model,
                    "p_repeat": float(prev * prev / prev2 >= t),
                }
            )
    return pd.DataFrame(rows), skipped


def brier(p, o) -> float:
    return float(np.mean((np.asarray(p) - np.asarray(o)) ** 2))


def scores(table: pd.DataFrame) -> dict[str, float]:
    """Brier scores of the toolkit and the baselines on the same calls.

    Base rates: one number for all calls; per multiple over all years (in-sample: it knows
    how the years it scores turned out); per multiple over the calls of earlier years only
    (0.5 when there are none), which a forecaster could have used.
    """
    o = table["outcome"].to_numpy()
    in_sample = table.groupby("multiple")["outcome"].transform("mean")
    earlier = np.array(
        [
            table.loc[
                (table["year"] < r.year) & (table["multiple"] == r.multiple), "outcome"
            ].mean()
            for r in table.itertuples(index=False)
        ]
    )
    earlier = np.where(np.isfinite(earlier), earlier, 0.5)
    return {
        "toolkit": brier(table["p"], o),
        "base rate (one, all calls)": brier(np.full(o.size, o.mean()), o),
        "base rate per multiple, earlier years": brier(earlier, o),
        "base rate per multiple, in-sample": brier(in_sample, o),
        "last growth repeated": brier(table["p_repeat"], o),
    }


def reliability(table: pd.DataFrame) -> pd.DataFrame:
    """Calls binned by predicted probability: count, mean predicted, observed frequency, and
    whether the observed frequency is within the bin's range +- TOLERANCE (bins of 20+)."""
    edges = np.asarray(BINS)
    b = np.clip(np.searchsorted(edges, table["p"].to_numpy(), side="right") - 1, 0, edges.size - 2)
    out = []
    for i in range(edges.size - 1):
        sel = table[b == i]
        lo, hi = edges[i], edges[i + 1]
        obs = float(sel["outcome"].mean()) if len(sel) else np.nan
        ok = (lo - TOLERANCE <= obs <= hi + TOLERANCE) if len(sel) >= MIN_BIN else None
        out.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "calls": len(sel),
                "mean_predicted": float(sel["p"].mean()) if len(sel) else np.nan,
                "observed": obs,
                "within": ok,
            }
        )
    return pd.DataFrame(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--look-ahead", action="store_true", help="the decay law from all years")
    ap.add_argument("--all-past", action="store_true", help="every past figure, not the last 6")
    ap.add_argument("--draws", type=int, default=2000)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    table, skipped = calls(look_ahead=args.look_ahead, all_past=args.all_past, draws=args.draws)
    took = time.perf_counter() - t0
    cases = table.groupby(["brand", "year"]).ngroups
    print(
        f"{len(table)} calls ({cases} brand-years x {len(MULTIPLES)} multiples), "
        f"{skipped} brand-years not scored (too few pairs known before the year), "
        f"{took:.1f}s; look-ahead: {args.look_ahead}, figures: "
        f"{'all past' if args.all_past else f'last {LAST} years'}"
    )
    print(
        "models chosen:", table.drop_duplicates(["brand", "year"])["model"].value_counts().to_dict()
    )
    for name, value in scores(table).items():
        print(f"Brier {name:>38}: {value:.4f}")
    print(reliability(table).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    by_m = table.groupby("multiple").agg(
        calls=("p", "size"), predicted=("p", "mean"), observed=("outcome", "mean")
    )
    print(by_m.to_string(float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
