"""Benchmark: shares, ranks, HHI and CR4 on a synthetic figures frame.

Synthetic (illustrative) data: 200 markets x 100 brands x 500 monthly periods = 10 million
rows, units drawn from a seeded generator (integers, so ties occur). The toolkit's
``rank_brands`` + ``concentration`` are timed against DuckDB computing the same with SQL
window functions in this process, and against a naive per-window Python loop (timed on the
first markets and scaled). Results are checked equal to DuckDB's.

Run: ``python bench/bench_structure.py`` (``--markets 20`` for a quick, smaller run).
"""

from __future__ import annotations

import argparse
import gc
import resource
import time

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import concentration, rank_brands


def synthetic(markets: int, brands: int, periods: int, seed: int = 0) -> pd.DataFrame:
    """A figures frame sorted by market, period and brand (illustrative numbers)."""
    rng = np.random.default_rng(seed)
    n = markets * brands * periods
    month = pd.period_range("1990-01", periods=periods, freq="M")
    starts = month.start_time.to_numpy()
    ends = month.end_time.normalize().to_numpy()
    m_idx = np.repeat(np.arange(markets), brands * periods)
    p_idx = np.tile(np.repeat(np.arange(periods), brands), markets)
    b_idx = np.tile(np.arange(brands), markets * periods)
    market_names = pa.array([f"M{i:03d}" for i in range(markets)])
    brand_names = pa.array([f"Brand{i:03d}" for i in range(brands)])

    def strings(names, idx):
        return pd.array(
            pa.DictionaryArray.from_arrays(pa.array(idx.astype(np.int32)), names).cast(pa.string()),
            dtype="string",
        )

    units = np.round(rng.lognormal(10, 1.5, n) / 100) * 100  # round to hundreds: ties
    return pd.DataFrame(
        {
            "brand": strings(brand_names, b_idx),
            "market": strings(market_names, m_idx),
            "start": starts[p_idx],
            "end": ends[p_idx],
            "units": units,
            "basis": pd.Categorical.from_codes(
                np.zeros(n, dtype=np.int8), ["period", "cumulative", "unclear"]
            ),
            "status": pd.Categorical.from_codes(
                np.zeros(n, dtype=np.int8),
                ["actual", "estimate", "target", "forecast", "interpolated"],
            ),
            "metric": pd.Categorical.from_codes(
                np.zeros(n, dtype=np.int8), ["shipments", "sales", "demand"]
            ),
            "source": pd.array(
                pa.DictionaryArray.from_arrays(
                    pa.array(np.zeros(n, dtype=np.int32)), pa.array(["synthetic (illustrative)"])
                ).cast(pa.string()),
                dtype="string",
            ),
        }
    )


def ours(frame: pd.DataFrame):
    ranks = rank_brands(frame)
    conc = concentration(frame, n=4)
    return ranks, conc


RANKS_SQL = """
SELECT market, start, "end", brand, units,
       units / sum(units) OVER w AS share,
       rank() OVER (PARTITION BY market, start, "end" ORDER BY units DESC) AS rank
FROM figures
WINDOW w AS (PARTITION BY market, start, "end")
"""

CONC_SQL = """
WITH s AS (
  SELECT market, start, "end", units / sum(units) OVER w AS share,
         row_number() OVER (PARTITION BY market, start, "end" ORDER BY units DESC) AS pos
  FROM figures
  WINDOW w AS (PARTITION BY market, start, "end")
)
SELECT market, start, "end", 10000 * sum(share * share) AS hhi,
       sum(CASE WHEN pos <= 4 THEN share ELSE 0 END) AS cr4
FROM s GROUP BY market, start, "end"
"""


def duckdb_connection(frame: pd.DataFrame):
    """A DuckDB connection holding the figures as a native table (loaded once, untimed)."""
    import duckdb

    con = duckdb.connect()
    con.register("figures_df", frame[["market", "start", "end", "brand", "units"]])
    con.execute("CREATE TABLE figures AS SELECT * FROM figures_df")
    con.unregister("figures_df")
    return con


def duckdb_version(con):
    """The same results from DuckDB, fetched into pandas frames."""
    return con.execute(RANKS_SQL).df(), con.execute(CONC_SQL).df()


def naive(frame: pd.DataFrame):
    """The obvious first version: a Python loop over ``groupby`` windows."""
    rows = []
    for (market, start, end), part in frame.groupby(["market", "start", "end"], sort=True):
        shares = part["units"] / part["units"].sum()
        ranks = part["units"].rank(method="min", ascending=False)
        rows.append(
            (market, start, end, 10000 * (shares**2).sum(), shares.nlargest(4).sum(), ranks.max())
        )
    return rows


def timed(fn, *args, repeat=1):
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def check_equal(ours_result, duck_result):
    ranks, conc = ours_result
    d_ranks, d_conc = duck_result
    key = ["market", "start", "end", "brand"]
    a = ranks[key + ["share", "rank"]].sort_values(key, ignore_index=True)
    b = d_ranks.assign(
        market=d_ranks["market"].astype("string"), brand=d_ranks["brand"].astype("string")
    )
    b = b[key + ["share", "rank"]].sort_values(key, ignore_index=True)
    assert len(a) == len(b), (len(a), len(b))
    assert (a["market"].to_numpy() == b["market"].to_numpy()).all()
    assert (a["brand"].to_numpy() == b["brand"].to_numpy()).all()
    np.testing.assert_array_equal(a["rank"].to_numpy(np.int64), b["rank"].to_numpy(np.int64))
    np.testing.assert_allclose(a["share"], b["share"], rtol=1e-12)
    wkey = ["market", "start", "end"]
    c = conc.sort_values(wkey, ignore_index=True)
    d = d_conc.assign(market=d_conc["market"].astype("string")).sort_values(wkey, ignore_index=True)
    assert len(c) == len(d)
    np.testing.assert_allclose(c["hhi"], d["hhi"], rtol=1e-9)
    np.testing.assert_allclose(c["cr4"], d["cr4"], rtol=1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markets", type=int, default=200)
    parser.add_argument("--brands", type=int, default=100)
    parser.add_argument("--periods", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--naive-markets", type=int, default=2)
    args = parser.parse_args()
    frame = synthetic(args.markets, args.brands, args.periods)
    n_windows = args.markets * args.periods
    print(f"synthetic figures (illustrative): {len(frame):,} rows, {n_windows:,} windows")

    t_ours, result = timed(ours, frame, repeat=args.repeat)
    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    con = duckdb_connection(frame)
    t_load = time.perf_counter() - t0
    t_duck, duck = timed(duckdb_version, con, repeat=args.repeat)
    con.close()
    check_equal(result, duck)
    # the naive loop on the first few markets, scaled by the number of windows
    few = max(1, args.naive_markets)
    sample = frame[frame["market"].isin([f"M{i:03d}" for i in range(few)])]
    t_naive_sample, _ = timed(naive, sample)
    t_naive = t_naive_sample * args.markets / few

    print(f"analysis (rank_brands + concentration): {t_ours:8.2f} s")
    print(
        f"DuckDB SQL window functions:            {t_duck:8.2f} s "
        f"(+ {t_load:.2f} s loading the frame into a DuckDB table, not counted)"
    )
    print(f"naive groupby loop (timed on {few} markets, scaled): {t_naive:8.1f} s")
    print(f"ratio analysis / DuckDB: {t_ours / t_duck:.2f}x (target <= 1.5x)")
    print(f"ratio naive / analysis:  {t_naive / t_ours:.0f}x")
    print(f"peak RSS so far: {rss_ours:,.0f} MB; results equal to DuckDB's: yes")


if __name__ == "__main__":
    main()
