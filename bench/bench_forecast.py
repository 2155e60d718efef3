"""Benchmark: ``fit`` against statsforecast, per quarter, on the packaged IDC vendor series.

Part 1, the rolling-origin backtest: the IDC worldwide quarterly vendor series
(``worldwide_quarterly_shipments_by_vendor``), the vendors with 16+ consecutive quarters,
every origin with 12+ quarters of history, horizons 1-4. ``fit(model=...)`` is scored
through the public path (:func:`analysis.backtest`: the per-quarter median of the
projection's joint draws, refitted at each origin on the figures up to it); the
baselines are statsforecast's AutoETS, AutoARIMA, AutoTheta (season length 4) and
SeasonalNaive, called directly on the same quarters up to the same origins, their mean
forecast and their 80%/95% intervals. MASE is scaled by the in-sample seasonal-naive MAE at
each origin; MSIS 80% is the M4 competition's scaled interval score.

Part 2, many series: 1,000 quarterly series of 40 quarters resampled from the IDC series
(seeded; each series takes a vendor, a first year from its history and year-on-year log
growth in blocks of four consecutive quarters from the same vendor), last 4 quarters held
back. Each method fits the first 36 quarters and gives its 80% interval 4 quarters
ahead: ``fit_many(model=...)`` then ``Projection.interval(0.8, basis="period")`` per
series, against ``StatsForecast([AutoETS(season_length=4)])`` alone. Times are wall
clock in this process (statsforecast warmed up first); the ratio is what counts.

``--auto-series N`` runs ``auto`` on the first N series only (default: all), timed against
AutoETS on the same series.

Run: python bench/bench_forecast.py [--series 1000] [--many-models snaive ets auto]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import backtest, fit_many  # noqa: E402
from analysis.projection.backtest import pooled, summarise  # noqa: E402
from marketdata import datasets  # noqa: E402

Z80 = 1.2815515655446004
BASELINES = ("AutoETS", "AutoARIMA", "AutoTheta", "SeasonalNaive")


def vendors(ww: pd.DataFrame, min_run: int = 16) -> list[str]:
    """Vendors (not "Others") with ``min_run``+ consecutive quarters."""
    out = []
    for brand, g in ww[ww["brand"] != "Others"].groupby("brand"):
        g = g.sort_values("start")
        gap = (g["start"] - g["end"].shift()).dt.days.fillna(1).to_numpy() > 1
        if np.bincount(np.cumsum(gap)).max() >= min_run:
            out.append(str(brand))
    return out


def _models():
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    return {
        "AutoETS": lambda: AutoETS(season_length=4),
        "AutoARIMA": lambda: AutoARIMA(season_length=4),
        "AutoTheta": lambda: AutoTheta(season_length=4),
        "SeasonalNaive": lambda: SeasonalNaive(season_length=4),
    }


def baseline_rows(ww: pd.DataFrame, det: pd.DataFrame) -> pd.DataFrame:
    """statsforecast's forecasts at the same (brand, origin, horizon) cells as ``det``."""
    models = _models()
    cells = det[det["method"] == det["method"].iloc[0]]
    rows = []
    for (brand, origin), g in cells.groupby(["brand", "origin"]):
        series = ww[ww["brand"] == brand].sort_values("end")
        y = series[series["end"] <= origin]["units"].to_numpy(dtype=float)
        h = int(g["horizon"].max())
        for name, make in models.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f = make().forecast(y=y, h=h, level=[80, 95])
            for _, cell in g.iterrows():
                k = int(cell["horizon"]) - 1
                rows.append(
                    {
                        **{c: cell[c] for c in ("brand", "market", "origin", "horizon")},
                        **{c: cell[c] for c in ("date", "actual", "scale")},
                        "method": name,
                        "model": name,
                        "forecast": float(np.asarray(f["mean"])[k]),
                        "mean": float(np.asarray(f["mean"])[k]),
                        "lower_80": float(np.asarray(f["lo-80"])[k]),
                        "upper_80": float(np.asarray(f["hi-80"])[k]),
                        "lower_95": float(np.asarray(f["lo-95"])[k]),
                        "upper_95": float(np.asarray(f["hi-95"])[k]),
                    }
                )
    return pd.DataFrame(rows)


def part1(models: list[str], progress: bool) -> pd.DataFrame:
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    keep = vendors(ww)
    figs = ww[ww["brand"].isin(keep)]
    dets = []
    for m in models:
        t0 = time.perf_counter()
        d = backtest(figs, m, detail=True, progress=progress)
        print(f"  backtest {m}: {time.perf_counter() - t0:.1f} s", flush=True)
        dets.append(d[d["method"] == m])
    det = pd.concat(dets, ignore_index=True)
    base = baseline_rows(ww, det)
    allrows = pd.concat([det, base], ignore_index=True)
    n_origins = det[det["method"] == models[0]].groupby(["brand", "origin"]).ngroups
    print(f"\nIDC rolling origin: vendors {keep}, {n_origins} origins, horizons 1-4")
    tab = pooled(allrows).set_index("method")
    order = [*models, *BASELINES]
    tab = tab.loc[order, ["n", "mase", "mase_mean", "coverage_80", "coverage_95", "msis_80"]]
    print(
        "\n| method | cells | pooled MASE (median) | MASE (mean) | 80% cov | 95% cov | MSIS 80% |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, r in tab.iterrows():
        label = f"`fit({name})`" if name in models else f"statsforecast {name}"
        print(
            f"| {label} | {int(r['n'])} | {r['mase']:.3f} | {r['mase_mean']:.3f} | "
            f"{r['coverage_80']:.3f} | {r['coverage_95']:.3f} | {r['msis_80']:.2f} |"
        )
    per = summarise(allrows.assign(horizon=0)).pivot(index="brand", columns="method", values="mase")
    print("\nMASE per vendor (horizons 1-4 pooled):\n")
    print("| vendor | " + " | ".join(order) + " |")
    print("|---|" + "---|" * len(order))
    for b, r in per[order].iterrows():
        print(f"| {b} | " + " | ".join(f"{r[c]:.3f}" for c in order) + " |")
    best = tab.loc[list(BASELINES), "mase"].min()
    for m in models:
        r = tab.loc[m]
        print(
            f"\n{m}: pooled MASE {r['mase']:.3f} = {r['mase'] / best:.3f}x the best statsforecast "
            f"baseline ({best:.3f}; target <= 0.95x); 80% coverage {r['coverage_80']:.3f} "
            f"(target 0.77-0.83); MSIS 80% {r['msis_80']:.2f} vs AutoETS "
            f"{tab.loc['AutoETS', 'msis_80']:.2f} (target <=)"
        )
    modelcounts = det.groupby(["method", "model"]).size()
    print("\nmodels chosen (origin x horizon cells):")
    print(modelcounts.to_string())
    return allrows


# --------------------------------------------------------------------------- part 2
def resampled(n: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """(n, length) quarterly series resampled from the IDC vendor series (see the notes)."""
    ww = datasets.load("worldwide_quarterly_shipments_by_vendor")
    runs = []
    for b in vendors(ww):
        g = ww[ww["brand"] == b].sort_values("start")
        gap = (g["start"] - g["end"].shift()).dt.days.fillna(1).to_numpy() > 1
        rid = np.cumsum(gap)
        run = g[rid == np.bincount(rid).argmax()]["units"].to_numpy(dtype=float)
        runs.append(np.log(np.maximum(run, 1e4)))
    out = np.empty((n, length))
    for i in range(n):
        y = runs[rng.integers(len(runs))]
        yoy = y[4:] - y[:-4]
        start = rng.integers(0, y.size - 3)
        x = list(y[start : start + 4])
        while len(x) < length:
            j = rng.integers(0, yoy.size - 3)
            for r in yoy[j : j + 4]:
                x.append(x[-4] + r)
        out[i] = np.exp(np.asarray(x[:length]) + rng.normal(0, 0.03, length))
    return out


def part2(n: int, models: list[str], *, auto_series: int, chunk: int = 100, seed: int = 0) -> None:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    length, h = 40, 4
    rng = np.random.default_rng(seed)
    Y = resampled(n, length, rng)
    train, test = Y[:, : length - h], Y[:, length - h :]
    q = pd.period_range("2010Q1", periods=length - h, freq="Q")
    ends = q.end_time.normalize()
    future = pd.period_range(q[-1] + 1, periods=h, freq="Q").end_time.normalize()
    scale = np.mean(np.abs(train[:, 4:] - train[:, :-4]), axis=1)

    def inputs(rows):
        ids = np.repeat([f"s{i:04d}" for i in rows], length - h)
        k = len(rows)
        sf_df = pd.DataFrame({"unique_id": ids, "ds": np.tile(ends, k), "y": train[rows].ravel()})
        figures = pd.DataFrame(
            {
                "brand": ids,
                "market": "resampled",
                "start": np.tile(q.start_time, k),
                "end": np.tile(ends, k),
                "units": train[rows].ravel(),
                "basis": "period",
                "status": "actual",
                "metric": "shipments",
                "source": "resampled from IDC via Statista 271490 (bench, illustrative)",
            }
        )
        return sf_df, figures

    def run_sf(sf_df, k):
        fc = StatsForecast(models=[AutoETS(season_length=4)], freq="QE", n_jobs=1).forecast(
            df=sf_df, h=h, level=[80]
        )
        fc = fc.sort_values(["unique_id", "ds"])
        return [
            fc[c].to_numpy().reshape(k, h) for c in ("AutoETS", "AutoETS-lo-80", "AutoETS-hi-80")
        ]

    def run_ours(figures, model, k):
        many = fit_many(figures, model=model)
        out = np.empty((3, k, h))
        for i, (_key, p) in enumerate(sorted(many.items())):
            iv = p.interval(0.8, dates=future, basis="period")
            out[:, i] = iv["median"], iv["lower"], iv["upper"]
        return list(out)

    run_sf(inputs([0])[0], 1)  # warm up statsforecast's compiled code outside the timings
    fit_many(inputs([0])[1], model="ets")
    names = ["AutoETS", *models]
    got = {m: np.full((3, n, h), np.nan) for m in names}
    took = {m: 0.0 for m in names}
    sf_time_on = {m: 0.0 for m in names}  # AutoETS's time on the chunks each method ran
    for start in range(0, n, chunk):
        rows = list(range(start, min(start + chunk, n)))
        sf_df, figures = inputs(rows)
        t0 = time.perf_counter()
        res = run_sf(sf_df, len(rows))
        t_sf = time.perf_counter() - t0
        got["AutoETS"][:, rows], took["AutoETS"] = res, took["AutoETS"] + t_sf
        sf_time_on["AutoETS"] += t_sf
        for m in models:
            if m == "auto" and start >= auto_series:
                continue
            t0 = time.perf_counter()
            got[m][:, rows] = run_ours(figures, m, len(rows))
            took[m] += time.perf_counter() - t0
            sf_time_on[m] += t_sf

    def scores(med, lo, hi, rows):
        mase = float(np.mean(np.abs(med[rows] - test[rows]) / scale[rows, None]))
        cov = float(np.mean((lo[rows] <= test[rows]) & (test[rows] <= hi[rows])))
        return mase, cov

    print(f"\n{n} resampled series of {length} quarters, last {h} held back; timed in chunks of")
    print(f"{chunk} series, each method right after AutoETS on the same chunk (shared machine)")
    print(
        "\n| method | series | time (s) | time / AutoETS on the same series | MASE | AutoETS MASE on them | 80% coverage |"
    )
    print("|---|---|---|---|---|---|---|")
    for m in names:
        rows = np.flatnonzero(np.isfinite(got[m][0, :, 0]))
        mase, cov = scores(*got[m], rows)
        ref, _ = scores(*got["AutoETS"], rows)
        label = "StatsForecast([AutoETS(4)])" if m == "AutoETS" else f"`fit_many(model={m!r})`"
        print(
            f"| {label} | {rows.size} | {took[m]:.1f} | {took[m] / sf_time_on[m]:.2f} | "
            f"{mase:.3f} | {ref:.3f} | {cov:.3f} |"
        )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=1000)
    ap.add_argument("--models", nargs="+", default=["auto"])
    ap.add_argument("--many-models", nargs="+", default=["snaive", "ets", "auto"])
    ap.add_argument(
        "--auto-series",
        type=int,
        default=None,
        help="auto runs on the first N (whole chunks of 100); default: all",
    )
    ap.add_argument("--skip-idc", action="store_true")
    ap.add_argument("--skip-many", action="store_true")
    ap.add_argument("--progress", action="store_true")
    args = ap.parse_args(argv)
    if not args.skip_idc:
        part1(args.models, args.progress)
    if not args.skip_many:
        part2(args.series, args.many_models, auto_series=args.auto_series or args.series)


if __name__ == "__main__":
    main()
