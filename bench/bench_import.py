"""Benchmark: the time to ``import analysis, marketdata`` as a ratio to ``import pandas``.

Each run is a fresh interpreter (``python -c ...``), so nothing is cached in-process;
runs are paired (pandas, then the toolkit, alternating which goes first) so that load
on a shared machine hits both alike, and the ratio is the median over the pairs of
(toolkit time / pandas time). Interpreter start-up is in both times, as a user sees it.
The toolkit imports pandas itself, so the ratio is 1 + (what the toolkit adds) / pandas.
Bytecode is cached (in a temporary ``PYTHONPYCACHEPREFIX``, warmed by a first run) as
for an installed package, even where ``PYTHONDONTWRITEBYTECODE`` is set: compiling the
toolkit's sources on every run would otherwise dominate what is measured.
Also prints the toolkit modules that take longest (``python -X importtime``, one run).

Run: ``python bench/bench_import.py`` (``--pairs 20`` for more pairs; default 15).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PANDAS = "import pandas"
TOOLKIT = "import analysis, marketdata"


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(code: str) -> float:
    """Wall time of one fresh interpreter running ``code``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENV)
    return time.perf_counter() - start


def slowest_modules(limit: int = 12) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the toolkit's slowest imports after pandas."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{PANDAS}; {TOOLKIT}"],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
    ).stderr
    rows = []
    seen_pandas = False
    for line in out.splitlines():
        if "|" not in line or line.startswith("import time: self"):
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if name == "pandas":
            seen_pandas = True
            continue
        if seen_pandas and cumulative.isdigit():
            rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    if args.pairs < 10:
        parser.error("--pairs must be at least 10")
    cache = tempfile.TemporaryDirectory(prefix="bench-import-")
    ENV["PYTHONPYCACHEPREFIX"] = cache.name
    run(PANDAS), run(TOOLKIT)  # write the bytecode cache, warm the file system cache
    ratios, pandas_times, toolkit_times = [], [], []
    for i in range(args.pairs):
        if i % 2:
            toolkit, pandas = run(TOOLKIT), run(PANDAS)
        else:
            pandas, toolkit = run(PANDAS), run(TOOLKIT)
        pandas_times.append(pandas)
        toolkit_times.append(toolkit)
        ratios.append(toolkit / pandas)
    print(f"{args.pairs} paired runs in fresh interpreters (median)")
    print(f"  {PANDAS:28s} {statistics.median(pandas_times) * 1e3:7.1f} ms")
    print(f"  {TOOLKIT:28s} {statistics.median(toolkit_times) * 1e3:7.1f} ms")
    print(f"  ratio (median of pairs)      {statistics.median(ratios):7.2f}  (target <= 1.10)")
    print("slowest imports after pandas (cumulative, one -X importtime run):")
    for micros, name in slowest_modules():
        print(f"  {micros / 1e3:7.1f} ms  {name}")
    cache.cleanup()


if __name__ == "__main__":
    main()
