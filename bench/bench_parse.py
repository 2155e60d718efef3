"""Benchmark the column parsers on 1,000,000 rows against pandas baselines.

Prints, for each parser, its time and the ratio to a pandas baseline on the same rows run
in the same process: ``parse_units`` on human-written units ("3.2M", "700萬",
"1,234,567") against ``pandas.to_numeric`` on plain numbers; ``parse_period`` on mixed
period texts ("2012Q2", "2012-06", "H1 2012") against ``pandas.to_datetime`` on ISO
dates (and against ``pandas.read_csv`` of the plain numbers, the load benchmark's
baseline); ``brand_name`` against ``Series.map`` through a dict. Best of three runs.
"""

from __future__ import annotations

import io
import time
import warnings

import numpy as np
import pandas as pd

from marketdata import brand_name, parse_period, parse_units

N = 1_000_000


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2012)
    x = rng.integers(0, 10**7, N)
    form = rng.integers(0, 3, N)
    millions = np.char.add(np.round(x / 1e6, 1).astype(str), "M")
    wan = np.char.add((x // 10_000).astype(str), "萬")
    grouped = np.array([f"{v:,}" for v in x])
    units = pd.Series(np.where(form == 0, millions, np.where(form == 1, wan, grouped)), dtype="str")
    plain = pd.Series(x.astype(str), dtype="str")

    year = rng.integers(2009, 2024, N).astype(str)
    quarter = rng.integers(1, 5, N).astype(str)
    month = np.char.mod("%02d", rng.integers(1, 13, N))
    kind = rng.integers(0, 3, N)
    quarters = np.char.add(np.char.add(year, "Q"), quarter)
    months = np.char.add(np.char.add(year, "-"), month)
    halves = np.char.add(np.char.add("H", np.where(kind == 2, "1", "2")), np.char.add(" ", year))
    periods = pd.Series(
        np.where(kind == 0, quarters, np.where(kind == 1, months, halves)), dtype="str"
    )
    iso = pd.Series(np.char.add(months, "-01"), dtype="str")

    brands = pd.Series(
        rng.choice(["Apple", "Samsung", "小米", "HTC", "Oppo", "vivo"], N), dtype="str"
    )
    table = {"Apple": "Apple", "Samsung": "Samsung", "小米": "Xiaomi", "HTC": "HTC"}

    csv = "units\n" + "\n".join(x.astype(str)) + "\n"
    rows = [
        ("parse_units", best(lambda: parse_units(units)), best(lambda: pd.to_numeric(plain))),
        (
            "parse_units",
            best(lambda: parse_units(units)),
            best(lambda: pd.read_csv(io.StringIO(csv))),
        ),
        ("parse_period", best(lambda: parse_period(periods)), best(lambda: pd.to_datetime(iso))),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows.append(
            ("brand_name", best(lambda: brand_name(brands)), best(lambda: brands.map(table)))
        )
    print(f"{N:,} rows; ratio = parser time / pandas baseline time (same process)")
    baselines = ["to_numeric", "read_csv", "to_datetime", "Series.map"]
    for (name, ours, base), against in zip(rows, baselines, strict=True):
        print(f"{name:14s} {ours:7.3f} s   {against:12s} {base:7.3f} s   ratio {ours / base:5.2f}")


if __name__ == "__main__":
    main()
