"""Benchmark: fit + 90% bootstrap interval for many synthetic logistic series.

Ours: the batched Levenberg-Marquardt of ``analysis.projection.fitting`` over all series
(and then all series x bootstrap draws) at once. Baseline: a Python loop of
``scipy.optimize.curve_fit`` per series and per bootstrap draw. Both minimise the same
least-squares objective on log cumulative units from the same starting values, with the
same residual-bootstrap draws; the script prints the time ratio and both methods'
parameter accuracy and interval coverage.

Synthetic data (illustrative, made here): logistic cumulative units m / (1 + e^{-k(t-t0)})
observed at 16 quarterly instants with 4% lognormal noise; m ~ U(20M, 200M),
k ~ U(0.6, 1.6) per year, t0 ~ U(-2.5, -0.5) years (t = 0 is the last figure).

Run: python bench/bench_projection.py [--series 1000] [--boot 20]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.projection import fitting  # noqa: E402
from analysis.projection.models import MODELS  # noqa: E402

N_OBS = 16
NOISE = 0.04
HORIZON = 1.0  # years ahead for the projected value


def curve(t, m, k, t0):
    return m / (1.0 + np.exp(-k * (t - t0)))


def log_curve(t, log_m, k, t0):
    return log_m - np.log1p(np.exp(-k * (t - t0)))


def make_data(n: int, rng: np.random.Generator):
    t = -np.arange(N_OBS)[::-1] * 0.25  # -3.75 .. 0 years
    m = rng.uniform(20e6, 200e6, n)
    k = rng.uniform(0.6, 1.6, n)
    t0 = rng.uniform(-2.5, -0.5, n)
    y = curve(t[None, :], m[:, None], k[:, None], t0[:, None]) * np.exp(
        rng.normal(0, NOISE, (n, N_OBS))
    )
    return t, y, np.column_stack([m, k, t0])


def starts(y):
    """One starting value per series (used by both methods): m = 2 max, k = 1, t0 = -1."""
    return np.column_stack([2.0 * y.max(axis=1), np.ones(len(y)), -np.ones(len(y))])


def boot_indices(n, B, rng):
    return rng.integers(N_OBS, size=(n, B, N_OBS))


def ours(t, y, idx):
    n, B = idx.shape[:2]
    spec = fitting.Spec(MODELS["logistic"])
    lower = np.array([np.log(1.0), np.log(1e-3), -60.0])
    upper = np.array([np.log(1e13), np.log(50.0), 60.0])

    def solve(obs, start):
        rows = obs.shape[0]
        a = np.full((rows, N_OBS), np.nan)
        b = np.broadcast_to(t, (rows, N_OBS))
        lvl = np.ones((rows, N_OBS), dtype=bool)
        u0 = fitting._transform(spec, start)
        u, _ = fitting.lm(
            spec, u0, a, b, lvl, obs, obs, np.ones((rows, N_OBS)), lower, upper, n_iter=100
        )
        p = fitting._natural(spec, u)
        return np.column_stack([p["m"][:, 0], p["k"][:, 0], p["t0"][:, 0]])

    point = solve(y, starts(y))
    fitted = np.log(curve(t[None, :], *(point[:, j : j + 1] for j in range(3))))
    resid = np.log(y) - fitted
    star = fitted[:, None, :] + np.take_along_axis(resid[:, None, :], idx, axis=2)
    draws = solve(np.exp(star).reshape(n * B, N_OBS), np.repeat(point, B, axis=0)).reshape(n, B, 3)
    pred = curve(HORIZON, draws[..., 0], draws[..., 1], draws[..., 2])
    return point, np.quantile(pred, [0.05, 0.95], axis=1).T


def baseline(t, y, idx):
    from scipy.optimize import curve_fit

    n, B = idx.shape[:2]
    bounds = ([0.0, 1e-3, -60.0], [np.log(1e13), 50.0, 60.0])
    point = np.empty((n, 3))
    band = np.empty((n, 2))
    for i in range(n):
        ly = np.log(y[i])
        s = starts(y[i : i + 1])[0]
        p0 = [np.log(s[0]), s[1], s[2]]
        try:
            p, _ = curve_fit(log_curve, t, ly, p0=p0, bounds=bounds, maxfev=2000)
        except RuntimeError:
            p = np.array(p0)
        point[i] = [np.exp(p[0]), p[1], p[2]]
        fitted = log_curve(t, *p)
        resid = ly - fitted
        preds = np.empty(B)
        for j in range(B):
            ys = fitted + resid[idx[i, j]]
            try:
                q, _ = curve_fit(log_curve, t, ys, p0=p, bounds=bounds, maxfev=2000)
            except RuntimeError:
                q = p
            preds[j] = curve(HORIZON, np.exp(q[0]), q[1], q[2])
        band[i] = np.quantile(preds, [0.05, 0.95])
    return point, band


def accuracy(point, truth, band):
    rel_m = np.abs(point[:, 0] / truth[:, 0] - 1)
    rel_k = np.abs(point[:, 1] / truth[:, 1] - 1)
    abs_t0 = np.abs(point[:, 2] - truth[:, 2])
    target = curve(HORIZON, truth[:, 0], truth[:, 1], truth[:, 2])
    cover = np.mean((band[:, 0] <= target) & (target <= band[:, 1]))
    return (
        f"median |m err| {np.median(rel_m):.2%}, median |k err| {np.median(rel_k):.2%}, "
        f"median |t0 err| {np.median(abs_t0):.3f} y, 90% interval covers the true value "
        f"1 year ahead {cover:.1%}"
    )


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=1000)
    ap.add_argument("--boot", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--no-calibration",
        dest="calibration",
        action="store_false",
        help="skip the IDC backtest calibration report",
    )
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    t, y, truth = make_data(args.series, rng)
    idx = boot_indices(args.series, args.boot, rng)

    start = time.perf_counter()
    p_ours, band_ours = ours(t, y, idx)
    t_ours = time.perf_counter() - start
    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p_base, band_base = baseline(t, y, idx)
    t_base = time.perf_counter() - start

    fits = args.series * (args.boot + 1)
    print(
        f"{args.series} logistic series x {N_OBS} points, {args.boot} bootstrap refits each ({fits} fits)"
    )
    print(f"  batched LM (ours):   {t_ours:8.2f} s   peak RSS {rss_ours:.0f} MB")
    print(f"  curve_fit loop:      {t_base:8.2f} s")
    print(f"  speed-up:            {t_base / t_ours:8.1f}x")
    print(f"  accuracy ours:       {accuracy(p_ours, truth, band_ours)}")
    print(f"  accuracy curve_fit:  {accuracy(p_base, truth, band_base)}")

    if args.calibration:
        import pandas as pd

        from analysis.projection.backtest import idc_calibration

        for model in (
            "auto",
            "seasonal",
            "combined",
            "runrate",
            "exponential",
            "logistic",
            "gompertz",
            "bass",
        ):
            start = time.perf_counter()
            res = idc_calibration(model)
            took = time.perf_counter() - start
            print(
                f"\nIDC quarterly vendors, rolling origins (>= 12 quarters of history), model={model} ({took:.1f} s)"
            )
            print("per-quarter 80%/95% interval coverage by horizon:")
            print(res["coverage"].to_string(index=False))
            print("MASE against seasonal naive (wins = model better):")
            wide = res["mase"].pivot(
                index="brand", columns="horizon", values=["mase_model", "mase_baseline"]
            )
            with pd.option_context("display.width", 160, "display.precision", 3):
                print(wide.to_string())
            print(res["pooled"].to_string(index=False))


if __name__ == "__main__":
    main()
