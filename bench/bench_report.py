"""Benchmark of ``marketshare report`` (the founding case, default draws, PDF and PNGs).

Prints, run in this process (medians of ``--repeat`` runs, wall and CPU time; the machine
is shared, so CPU time is the steadier figure):

(a) the whole build (analysis, pages, charts, writing) / the Monte Carlo draws alone (the
    report's analysis: every projection, target attainment, rank forecast, threshold and
    sensitivity run, with no page drawn) — how much the report adds to its simulations;
(b) the whole build in seconds (target: at most 8 s).

Run: python bench/bench_report.py [--repeat N] [--draws N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.report import build_report, builder, sections  # noqa: E402


def _timed(function) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def draws_alone(draws: int) -> None:
    """The report's simulations, nothing drawn."""
    case = builder.prepare()
    for build in sections.BUILDERS:
        build(case, seed=0, draws=draws)


def whole(draws: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        build_report(out=out, draws=draws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draws", type=int, default=builder.DEFAULT_DRAWS)
    args = parser.parse_args()
    whole(200)  # warm up: imports, font caches
    runs = {"draws alone": [], "whole report": []}
    for _ in range(args.repeat):  # paired: each repeat times both, in turn
        runs["draws alone"].append(_timed(lambda: draws_alone(args.draws)))
        runs["whole report"].append(_timed(lambda: whole(args.draws)))
    median = {k: tuple(statistics.median(x[i] for x in v) for i in (0, 1)) for k, v in runs.items()}
    print(f"marketshare report, founding case, {args.draws:,} draws, median of {args.repeat}")
    for name, (wall, cpu) in median.items():
        print(f"  {name:13s} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    (w0, c0), (w1, c1) = median["draws alone"], median["whole report"]
    print(f"  (a) whole / draws alone: {w1 / w0:.2f}x wall, {c1 / c0:.2f}x CPU")
    print(f"  (b) whole report: {w1:.2f} s wall, {c1:.2f} s CPU (target <= 8 s)")


if __name__ == "__main__":
    main()
