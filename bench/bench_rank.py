"""Benchmark of analysis.project_rank: 1,000,000 draws x 30 brands.

Prints, against baselines run in this process:
(a) total time / time numpy takes only to draw the same random numbers (target <= 2x);
(b) a naive loop that draws and ranks each draw with pandas, timed on a subsample and
    extrapolated / total time;
(c) peak memory of the run, measured in a fresh subprocess (tracemalloc peak of the
    run, and the process's max RSS) (target <= 1 GiB).

Run: python bench/bench_rank.py [--draws N]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import project_rank  # noqa: E402
from analysis.rank_forecast.simulate import BLOCK, DEFAULT_CHUNK, block_generator  # noqa: E402

BRANDS = 30
CV = 0.2
COMMON_CV = 0.05
UNITS = (300_000, 450_000, 700_000)  # the brand's volume: Beta-PERT


def scenario() -> pd.DataFrame:
    """30 listed brands (illustrative volumes, falling geometrically), units, one window."""
    units = 2_000_000 * 0.85 ** np.arange(BRANDS)
    return pd.DataFrame(
        {
            "brand": pd.array([f"Brand {i + 1}" for i in range(BRANDS)], dtype="string"),
            "market": "TW",
            "start": pd.Timestamp("2013-01-01"),
            "end": pd.Timestamp("2013-12-31"),
            "units": units,
            "basis": "period",
            "status": "estimate",
            "metric": "shipments",
            "source": "illustrative benchmark figures",
        }
    )


def run(draws: int):
    return project_rank(
        scenario(),
        "New",
        UNITS,
        cv=CV,
        common_cv=COMMON_CV,
        draw=None,
        draws=draws,
        seed=0,
        tail_sensitivity=False,
        progress=False,
    )


def draw_only(draws: int) -> float:
    """The same random numbers, from the same per-block generators, and nothing else:
    per draw one Beta (the PERT volume), one normal (the common factor), 30 normals."""
    low, base, high = UNITS
    a = 1 + 4 * (base - low) / (high - low)
    b = 1 + 4 * (high - base) / (high - low)
    sink = 0.0
    z = np.empty((DEFAULT_CHUNK, BRANDS))
    for start in range(0, draws, BLOCK):
        n = min(BLOCK, draws - start)
        gen = block_generator(0, start // BLOCK)
        u = gen.beta(a, b, n)
        c = gen.standard_normal(n)
        gen.standard_normal(out=z[:n])
        sink += u[0] + c[0] + z[0, 0]
    return sink


def naive(draws: int) -> None:
    """What a straightforward notebook would do: per draw, draw volumes and rank them
    with pandas."""
    rng = np.random.default_rng(0)
    base = scenario().set_index("brand")["units"]
    s2 = math.log1p(CV**2)
    c2 = math.log1p(COMMON_CV**2)
    low, mode, high = UNITS
    a = 1 + 4 * (mode - low) / (high - low)
    b = 1 + 4 * (high - mode) / (high - low)
    for _ in range(draws):
        common = math.exp(rng.normal(-c2 / 2, math.sqrt(c2)))
        volumes = base * common * np.exp(rng.normal(-s2 / 2, math.sqrt(s2), BRANDS))
        volumes["New"] = low + (high - low) * rng.beta(a, b)
        volumes.rank(method="min", ascending=False)["New"]


def best_of(fn, *args, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times)


CHILD = """
import json, resource, sys, tracemalloc
sys.path.insert(0, {root!r} + "/bench")
import bench_rank as b
b.run(1000)  # warm imports before measuring
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
b.run({draws})
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"peak": peak, "rss_kib": rss, "rss_before_kib": rss_before}}))
"""


def memory(draws: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), draws=draws)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--naive-draws", type=int, default=2_000)
    args = parser.parse_args()
    draws = args.draws

    run(10_000)  # warm up
    total = best_of(run, draws)
    numbers = best_of(draw_only, draws)
    naive_sub = best_of(naive, args.naive_draws, repeat=1)
    naive_total = naive_sub * draws / args.naive_draws
    mem = memory(draws)
    forecast = run(draws)

    print(f"project_rank: {draws:,} draws x {BRANDS} brands (chunk {DEFAULT_CHUNK:,} draws)")
    print(f"  P(top 10) = {forecast.prob_top(10):.4f}, expected rank {forecast.expected_rank:.3f}")
    print(f"  total time                     {total:8.3f} s")
    print(
        f"  (a) numpy drawing the same random numbers only {numbers:8.3f} s"
        f" -> ratio {total / numbers:.2f}x (target <= 2x)"
    )
    print(
        f"  (b) naive pandas loop: {args.naive_draws:,} draws in {naive_sub:.2f} s,"
        f" extrapolated {naive_total:,.0f} s -> {naive_total / total:,.0f}x slower"
    )
    print(
        f"  (c) peak memory of the run: tracemalloc {mem['peak'] / 2**20:.1f} MiB;"
        f" process max RSS {mem['rss_kib'] / 2**10:.1f} MiB"
        f" (after imports {mem['rss_before_kib'] / 2**10:.1f} MiB) (target <= 1024 MiB)"
    )


if __name__ == "__main__":
    main()
