"""``fit``: figures in, ``Projection`` out.

Over 400 lines because :func:`fit_series` assembles every toolkit model's parameters,
intervals and draws in one place; the growth-stage model, the market caps and the
screening of candidates live in :mod:`.growth` and :mod:`.sanity`.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis._validation import check_option, check_seed, seed_int
from marketdata import schema as s
from marketdata.errors import DataError

from . import classical, fitting, growth, sanity, uncertainty
from .data import PERIODS_PER_YEAR, CumulativeSeries, prepare, select
from .models import MODELS, NAMES
from .paths import PathEngine
from .regular import ClassicalChoice, choose_regular, regular
from .result import Projection

__all__ = ["MODEL_NAMES", "fit", "holdout_pool", "holdout_scores", "mase_scales"]

N_CENSORED = 200  # draws of censored figures
N_BOOT = 200  # residual-bootstrap refits for parameter intervals
HOLDOUT_ORIGINS = 12
HOLDOUT_HORIZON = 4
AUTO_ORDER = ("runrate", "exponential", "logistic", "gompertz", "bass", "seasonal", "combined")
SHORT_FREQS = ("Y", "H")  # annual or half-year figures ...
SHORT_MAX = 11  # ... up to this many (too few for the holdout): the growth-stage model
FLOW_MODELS = ("seasonal", "runrate", "combined")
#: every model ``fit`` takes: the toolkit's, the statsforecast ones, and ``auto``
MODEL_NAMES = (*(n for n in NAMES if n != "auto"), *classical.CLASSICAL, "auto")


def fit(
    figures: pd.DataFrame,
    model: str = "auto",
    *,
    brand: str | None = None,
    market: str | None = None,
    fixed: dict | None = None,
    bounds: dict | None = None,
    scenarios: dict | None = None,
    window: float | None = None,
    slack: float = 0.15,
    cap: float | bool | None = None,
    seed: int | np.random.Generator = 0,
) -> Projection:
    """Fit a model to one brand's figures and project its units.

    Parameters
    ----------
    figures : DataFrame
        A figures frame (cumulative milestones, per-period flows or both). Targets and
        forecasts in it are not fitted. Residual rows ("Others") are left out.
    model : {"auto", "runrate", "exponential", "logistic", "gompertz", "bass", "growth", \
"seasonal", "combined", "ets", "arima", "theta", "snaive"}
        ``combined`` is the equal-weight mean of the ``seasonal`` and ``runrate`` forecasts.
        ``growth`` is the growth-stage model: growth that decays as brands' growth decayed
        in the packaged IDC history, with intervals from that history
        (:mod:`analysis.projection.growth`); ``auto`` uses it on 2-11 annual or half-year
        figures (too few for the rolling holdout).
        ``ets``, ``arima``, ``theta`` and ``snaive`` are statsforecast's ``AutoETS``,
        ``AutoARIMA``, ``AutoTheta`` and ``SeasonalNaive`` on the per-period figures, with
        their intervals (:mod:`analysis.projection.classical` says how their joint paths are
        drawn). ``auto`` chooses among the models the figures identify: on 12+ regular
        quarters or months, by a rolling holdout of ``ets``, ``theta``, ``snaive`` and the
        combination of the best two (MASE of single periods 1-4 ahead over the last 12
        origins, each model refitted on the figures up to its origin; its intervals are
        rescaled to cover 80% of its holdout errors; :mod:`analysis.projection.regular`);
        else by AICc when some curve has spare figures, else ``runrate``. The
        projection's ``reason`` says why. A candidate its own plausibility check flags
        (:func:`analysis.projection.sanity.implausible`) is never chosen, and ``bass`` is
        not offered where it coincides with ``logistic`` (its ``p -> 0`` limit).
    brand, market : str, optional
        Which series; needed when the figures hold several (to fit many series at once,
        use :func:`analysis.fit_many`).
    fixed : dict, optional
        Parameter values the analyst sets, e.g. ``{"m": 50e6}`` or ``{"launch":
        "2011-09-30"}`` (cumulative units are zero at launch; dates as date-like).
    bounds : dict, optional
        ``{name: (low, high)}`` for free parameters.
    scenarios : dict, optional
        ``{"growth": (-0.2, 0.6)}``: the future pace is the model's times ``1 + g``, ``g``
        uniform in the range. Replaces the empirical error library (toolkit models only).
    window : float, optional
        Run-rate model: the pace over the last ``window`` years (default: last interval).
    slack : float, default 0.15
        An "over N" figure lies in ``[N, N * (1 + slack)]``.
    cap : float, False or None
        The market a brand's paths are bounded by, in units a year (between any two dates
        asked for, a path's units never exceed the market's). None: the market-size figures
        in ``figures`` (rows without a brand, one year long), else for ``WW`` the packaged
        IDC worldwide totals (see :mod:`analysis.projection.sanity`); False: no cap.
    seed : int or numpy.random.Generator, default 0
        Seeds every draw.

    Returns
    -------
    Projection

    Raises
    ------
    DataError
        Degenerate figures (one figure, all zeros, decreasing cumulative totals, start after
        end, duplicates, overlapping periods), or a model the figures cannot identify.
    ValueError
        Figures of several brands or markets without ``brand=`` / ``market=``.

    Examples
    --------
    >>> from marketdata import datasets
    >>> from analysis import fit
    >>> p = fit(datasets.load("xiaomi_2011_2012"), "runrate", brand="Xiaomi")
    >>> p.model, p.last_actual.date().isoformat()
    ('runrate', '2012-06-12')
    >>> # "over" figures are read at the geometric middle of [N, 1.15 N]:
    >>> # (sqrt(3e6 * 3.45e6) - sqrt(3e5 * 3.45e5)) / (164 / 365.25 years) = 6.449e6 per year
    >>> round(p.params["rate"] / 1e6, 2)
    6.45
    """
    check_option(model, "model", MODEL_NAMES)
    seed = seed_int(check_seed(seed))
    if not slack >= 0:
        raise ValueError(f"slack must be >= 0, got {slack!r}")
    frame, pairs = select(figures, brand, market)
    if brand is not None:  # the market-size rows (no brand) that cap the brand
        sizes = figures[figures[s.BRAND].isna()] if s.BRAND in figures else figures.iloc[:0]
        if not sizes.empty:
            frame = pd.concat([frame, select(sizes, None, market)[0]], ignore_index=True)
    if len(pairs) > 1:
        markets = sorted({m for _, m in pairs})
        brands = sorted({str(b) for b, _ in pairs})
        what = f"markets {markets}" if len(markets) > 1 else f"brands {brands}"
        raise ValueError(
            f"the figures hold several series ({what}); pass brand= and market= to fit one, "
            "or use analysis.fit_many(figures) to fit every brand x market"
        )
    b, m = pairs[0]
    return fit_series(
        prepare(frame, b, m, slack=slack),
        model,
        frame=frame,
        fixed=fixed,
        bounds=bounds,
        scenarios=scenarios,
        window=window,
        slack=slack,
        seed=seed,
        cap=cap,
    )


def mase_scales(series: CumulativeSeries) -> np.ndarray:
    """In-sample MASE scale at each origin of the flow run: mean |f_t - f_{t-per}| up to it
    (NaN before a year of history)."""
    f = series.flows
    per = PERIODS_PER_YEAR.get(series.freq or "", 1)
    d = np.abs(f[per:] - f[:-per]) if f.size > per else np.zeros(0)
    out = np.full(f.size, np.nan)
    if d.size:
        out[per:] = np.cumsum(d) / np.arange(1, d.size + 1)
    return out


def holdout_scores(forecasts: dict, scales: np.ndarray | None = None) -> dict[str, float]:
    """Holdout score of each model: the mean absolute error of single periods
    1..HOLDOUT_HORIZON ahead, each divided by the in-sample MASE scale at its origin (so the
    holdout ranks models as the backtest's MASE does), over the origins common to all models
    (the last HOLDOUT_ORIGINS of them). Without ``scales``, errors are divided by the mean
    absolute actual.

    ``forecasts``: name -> (origins (O,), forecast (O, H), actual (O, H)) cumulative units
    after each origin, NaN where the actual is not known yet. A model with fewer than 4
    known errors of its own (one whose first origin is too recent) does not compete, so it
    does not shorten the common window of the others.
    """
    forecasts = {
        name: v
        for name, v in forecasts.items()
        if np.isfinite(v[1][:, :HOLDOUT_HORIZON] - v[2][:, :HOLDOUT_HORIZON]).sum() >= 4
    }
    if not forecasts:
        return {}
    start = max(int(org.min()) for org, _, _ in forecasts.values() if org.size)
    scores = {}
    for name, (org, fc, ac) in forecasts.items():
        keep = org >= start
        o = org[keep][-HOLDOUT_ORIGINS:]
        fc, ac = (
            fc[keep][-HOLDOUT_ORIGINS:, :HOLDOUT_HORIZON],
            ac[keep][-HOLDOUT_ORIGINS:, :HOLDOUT_HORIZON],
        )
        f = np.diff(np.concatenate([np.zeros((fc.shape[0], 1)), fc], axis=1), axis=1)
        a = np.diff(np.concatenate([np.zeros((ac.shape[0], 1)), ac], axis=1), axis=1)
        err = np.abs(a - f)
        if scales is not None:
            sc = scales[o][:, None]
            err = np.where(sc > 0, err / sc, np.nan)
        ok = np.isfinite(err)
        if ok.sum() >= 4:
            scores[name] = float(
                err[ok].mean() if scales is not None else err[ok].mean() / np.abs(a[ok]).mean()
            )
    return scores


def holdout_pool(names, freq: str | None) -> tuple[str, ...]:
    """The candidates ``auto``'s rolling holdout compares, from the identified ``names``.

    On quarterly or monthly flows long enough for the ``seasonal`` model, only the
    per-period models compete: ``seasonal``, ``runrate`` and their equal-weight combination
    ``combined``. Why: the curves (``exponential``, ``logistic``, ``gompertz``, ``bass``)
    describe cumulative units without a seasonal term, so on seasonal flows they are
    misspecified at the single-period horizons the holdout scores, and a near-tie won by
    one of them on 12 overlapping origins is mostly noise; every extra candidate makes the
    minimum of noisy holdout scores a worse guide (the winner's curse). The equal-weight
    combination is the classic robust choice (Bates & Granger 1969; the M3/M4 competitions'
    combination benchmarks): it does not depend on a noisy ranking at all. Measured on the
    packaged IDC vendor series (README, "Projections"): the holdout over all seven
    candidates beat seasonal naive for 5, 4, 2 and 3 of 6/6/6/5 vendors at 1-4 quarters;
    over the three per-period models, see the README's table. Also tried on the same data
    and not kept: all seven with a preference for ``seasonal`` unless another model's score
    is lower by 5-30% (2-4 wins at 3 quarters), or unless a paired t-test on the per-origin
    scores says so (t < -2: 3 wins at 3 quarters); a fixed ``combined`` (Apple's Q4 peaks
    make ``runrate`` a poor half: 2 wins at 3 quarters). Elsewhere (annual figures, short
    runs, milestones) every identified candidate competes.

    Examples
    --------
    >>> holdout_pool(["runrate", "logistic", "seasonal", "combined"], "Q")
    ('runrate', 'seasonal', 'combined')
    >>> holdout_pool(["runrate", "logistic"], "Q")
    ('runrate', 'logistic')
    """
    names = tuple(names)
    if freq in ("Q", "M") and "seasonal" in names:
        return tuple(n for n in names if n in FLOW_MODELS)
    return names


def _holdout_origins(series: CumulativeSeries, spec) -> np.ndarray:
    n_run = series.flows.size
    last = n_run - 2
    first = max(uncertainty.min_origin(spec, series), last - HOLDOUT_ORIGINS + 1)
    return np.arange(first, last + 1)


def _self_forecasts(spec, series):
    """Rolling-origin (forecast, actual) cumulative units of the series' own history, or None."""
    if series.freq is None or series.has_levels:
        return None
    o_min = uncertainty.min_origin(spec, series)
    origins = np.arange(o_min, series.flows.size - 1)
    if origins.size == 0:
        return None
    return (origins, *uncertainty.origin_forecasts(spec, series, origins))


def _self_errors(spec, series):
    fa = _self_forecasts(spec, series)
    return None if fa is None else uncertainty.log_errors(*fa[1:])


def _candidates(series, fixed, bounds, window):
    out = []
    for name in AUTO_ORDER:
        allowed = set(MODELS[name].params) | (
            {"launch"} if name in ("exponential", "logistic", "gompertz") else set()
        )
        fx = {k: v for k, v in (fixed or {}).items() if k in allowed}
        bd = {k: v for k, v in (bounds or {}).items() if k in allowed}
        try:
            spec = fitting.make_spec(name, series, fx, bd, window)
            fitting.check_identified(spec, series)
        except (DataError, ValueError):
            continue
        out.append(spec)
    return out


def _short_growth(series: CumulativeSeries, fixed):
    """The growth spec when ``auto`` uses the growth-stage model (short annual or half-year
    figures whose growth they show), else None."""
    if series.has_levels or series.freq not in SHORT_FREQS:
        return None
    if not 2 <= series.flows.size <= SHORT_MAX:
        return None
    fx = {k: v for k, v in (fixed or {}).items() if k in MODELS["growth"].params}
    try:
        spec = fitting.make_spec("growth", series, fx)
        fitting.check_identified(spec, series)
    except (DataError, ValueError):
        return None
    return spec


def choose(
    series: CumulativeSeries, fixed=None, bounds=None, window=None, *, classical_ok=True, cap=None
):
    """(spec, reason, self errors) for model="auto"; spec is a ``ClassicalChoice`` when a
    statsforecast model (or their combination) wins the holdout on regular flows."""
    short = _short_growth(series, fixed)
    if short is not None:
        n = series.flows.size
        per = "annual" if series.freq == "Y" else "half-year"
        return (
            short,
            f"{n} {per} figures: the growth-stage model (growth decaying as it did for the "
            "brands of the packaged IDC history); on so few figures curves extrapolate "
            "without a check and the run-rate holds a growing brand at last year's pace",
            None,
        )
    identified = _candidates(series, fixed, bounds, window)
    cands = identified
    if regular(series):
        pool = holdout_pool([c.model.name for c in cands], series.freq)
        toolkit = [c for c in cands if c.model.name in pool and c.model.name in FLOW_MODELS]
        pick, reason = choose_regular(series, toolkit, classical_ok=classical_ok)
        if isinstance(pick, ClassicalChoice):
            return pick, reason, None
        if pick is not None:
            return pick, reason, _self_errors(pick, series)
    if series.freq is not None and not series.has_levels and series.flows.size >= 12:
        pool = holdout_pool([c.model.name for c in identified], series.freq)
        # screen only the candidates the holdout compares
        cands, screened = sanity.screen(
            [c for c in identified if c.model.name in pool], series, cap
        )
        excluded = ("; " + "; ".join(screened)) if screened else ""
        forecasts, errs = {}, {}
        for spec in cands:
            fa = _self_forecasts(spec, series)
            if fa is not None:
                forecasts[spec.model.name] = fa
                errs[spec.model.name] = uncertainty.log_errors(*fa[1:])
        scores = holdout_scores(forecasts, mase_scales(series))
        if scores:
            best = min(scores, key=scores.get)
            listed = ", ".join(
                f"{k} {v:.3f}" for k, v in sorted(scores.items(), key=lambda kv: kv[1])
            )
            reason = (
                f"rolling holdout over the last {HOLDOUT_ORIGINS} origins, 1-{HOLDOUT_HORIZON} periods "
                f"ahead, MASE of single periods: {listed}; chose {best}"
            )
            if len(pool) < len(identified):
                reason += (
                    " (on seasonal per-period figures only the per-period models compete: "
                    "the curves have no seasonal term)"
                )
            spec = next(c for c in cands if c.model.name == best)
            return spec, reason + excluded, errs[best]
    cands, screened = sanity.screen(identified, series, cap)
    excluded = ("; " + "; ".join(screened)) if screened else ""
    n = series.n
    aicc = {}
    for spec in cands:
        if spec.model.name in FLOW_MODELS:
            continue
        k = len(spec.free) + 1
        if n <= k + 1:
            continue
        params, _ = fitting.fit_curves(spec, series, np.ones((1, n)))
        r = _log_residuals(spec, series, params)
        ssr = max(float((r**2).sum()), 1e-12)
        aicc[spec.model.name] = n * np.log(ssr / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
    if aicc:
        best = min(aicc, key=aicc.get)
        listed = ", ".join(f"{k} {v:.2f}" for k, v in sorted(aicc.items(), key=lambda kv: kv[1]))
        spec = next(c for c in cands if c.model.name == best)
        reason = f"AICc on {n} figures: {listed}; chose {best}{excluded}"
        return spec, reason, _self_errors(spec, series)
    spec = next(c for c in cands if c.model.name == "runrate")
    return (
        spec,
        f"only {n} figures: too few to compare models by holdout or AICc (which needs more figures "
        f"than parameters + 1); chose the simplest model, runrate{excluded}",
        _self_errors(spec, series),
    )


def _log_residuals(spec, series, params):
    p = {nm: params[:, j : j + 1] for j, nm in enumerate(spec.names)}
    if spec.launch is not None:
        p["launch"] = np.full((params.shape[0], 1), spec.launch)
    pred = fitting.predict_obs(
        spec, p, series.a[None, :], series.b[None, :], series.is_level[None, :]
    )
    lp = np.log(np.maximum(pred, 1e-300))
    with np.errstate(divide="ignore"):  # a zero figure's log is -inf, as it should be
        log_lo, log_hi = np.log(series.lo), np.log(series.hi)
    mid = 0.5 * (log_lo + log_hi)
    inside = series.censored & (lp >= log_lo) & (lp <= log_hi)
    return np.where(inside, 0.0, lp - mid)


def _draw_known(series: CumulativeSeries, rng, M: int) -> np.ndarray:
    if not series.censored.any():
        return np.sqrt(series.known_lo * series.known_hi)[None, :]
    u = rng.uniform(size=(M, series.known_t.size))
    lo, hi = (
        np.log(np.maximum(series.known_lo, 1e-300)),
        np.log(np.maximum(series.known_hi, 1e-300)),
    )
    val = np.where(series.known_hi > 0, np.exp(lo + u * (hi - lo)), 0.0)
    return np.maximum.accumulate(val, axis=1)


def fit_series(
    series: CumulativeSeries,
    model: str,
    *,
    frame=None,
    fixed=None,
    bounds=None,
    scenarios=None,
    window=None,
    slack=0.15,
    seed=0,
    cap=None,
    before_days=None,
    exclude=None,
) -> Projection:
    """Fit one prepared series (internal; see :func:`fit`)."""
    rng = np.random.default_rng(seed)
    market = sanity.market_cap(series, frame, cap, before_days=before_days)
    src = series.frame[s.SOURCE].dropna().astype(str).unique() if s.SOURCE in series.frame else []
    if model in classical.CLASSICAL:
        return _capped(
            classical.projection(
                series, (model,), reason="chosen by the analyst", seed=seed, source="; ".join(src)
            ),
            market,
        )
    if model == "auto":
        spec, reason, errors = choose(
            series, fixed, bounds, window, classical_ok=not scenarios, cap=market
        )
        if isinstance(spec, ClassicalChoice):  # statsforecast model(s)
            return _capped(
                classical.projection(
                    series,
                    spec.names,
                    reason=reason,
                    seed=seed,
                    source="; ".join(src),
                    spread=spec.spread,
                ),
                market,
            )
    else:
        spec = fitting.make_spec(model, series, fixed, bounds, window)
        fitting.check_identified(spec, series)
        reason = "chosen by the analyst"
        errors = _self_errors(spec, series)
    name = spec.model.name
    known = _draw_known(series, rng, N_CENSORED)
    known.shape[0]
    warnings: list[str] = []
    n_obs, n_free = series.n, len(spec.free)
    quality = {"n": n_obs, "free": n_free, "rmse_log": np.nan, "aicc": np.nan}
    intervals = []
    library = None
    if name == "growth":
        params, point, intervals, library = _fit_growth(
            spec, series, known, rng, scenarios, before_days, exclude
        )
        quality["free"] = 0  # read from the figures and the IDC history, not fitted
    elif name == "runrate":
        rates = fitting.runrate_rates(series, known, window)
        point_rate = float(
            fitting.runrate_rates(
                series, np.sqrt(series.known_lo * series.known_hi)[None, :], window
            )[0]
        )
        params = rates[:, None]
        point = {"rate": point_rate}
        intervals.append(("rate", point_rate, *_q(rates), False))
    elif name in ("seasonal", "combined"):
        w = fitting.seasonal_window(series, [series.flows.size - 1])
        beta = fitting.seasonal_fit(series, w)
        params = beta
        mids, seasons, per = fitting.seasonal_design(series)
        X = fitting._seasonal_x(mids, seasons, per)
        res = (np.log(np.maximum(series.flows, 1.0)) - X @ beta[0])[w[0] > 0]
        quality["rmse_log"] = float(np.sqrt(np.mean(res**2)))
        names = ["level", "trend"] + [f"season_{q + 1}" for q in range(1, per)]
        point = {nm: float(v) for nm, v in zip(names, beta[0], strict=False)}
        # residual bootstrap of the log-linear fit
        Xw = X[w[0] > 0]
        boot = Xw @ beta[0] + rng.choice(res, size=(N_BOOT, res.size))
        bb = np.linalg.lstsq(Xw, boot.T, rcond=None)[0].T
        if name == "combined":
            # the run-rate half: [rate, beta] per draw of the known path
            rates = fitting.runrate_rates(series, known, window)
            point_rate = float(
                fitting.runrate_rates(
                    series, np.sqrt(series.known_lo * series.known_hi)[None, :], window
                )[0]
            )
            params = np.column_stack([rates, np.repeat(beta, rates.size, axis=0)])
            point = {"rate": point_rate} | point
            intervals.append(("rate", point_rate, *_q(rates), False))
        for j, nm in enumerate(names):
            intervals.append((nm, point[nm], *_q(bb[:, j]), False))
    else:
        ones = np.ones((1, n_obs))
        p0, _ = fitting.fit_curves(spec, series, ones)
        r = _log_residuals(spec, series, p0)[0]
        quality["rmse_log"] = float(np.sqrt(np.mean(r**2)))
        k = n_free + 1
        if n_obs > k + 1:
            quality["aicc"] = float(
                n_obs * np.log(max((r**2).sum(), 1e-12) / n_obs)
                + 2 * k
                + 2 * k * (k + 1) / (n_obs - k - 1)
            )
        if n_obs == n_free:
            warnings.append(
                f"{name} is exactly identified ({n_obs} figures, {n_free} free parameters): "
                "the curve passes through the figures and the fit cannot be checked"
            )
        draws = None
        if series.censored.any():
            u = rng.uniform(size=(N_CENSORED, n_obs))
            lo, hi = np.log(series.lo), np.log(series.hi)
            val = np.exp(lo + u * (hi - lo))
            if series.is_level.all():
                # the same draws make the known path, so each curve passes its own path
                val = np.maximum.accumulate(val, axis=1)
                known = val
            draws, _ = fitting.fit_curves(
                spec,
                series,
                np.ones((N_CENSORED, n_obs)),
                lo=val,
                hi=val,
                start=np.repeat(p0, N_CENSORED, axis=0),
            )
            params = draws
        else:
            params = p0
            exact = ~series.censored
            finite = bool(np.isfinite(r).all())
            if n_obs > n_free + 1 and not finite:
                warnings.append(
                    "parameter intervals not computed: a zero figure has no residual on the "
                    "log scale the fit uses"
                )
            if n_obs > n_free + 1 and finite:
                mid = 0.5 * (np.log(series.lo) + np.log(series.hi))
                fitted = mid + r
                boot = fitted[None, :] - rng.choice(r[exact], size=(N_BOOT, n_obs)) * np.sqrt(
                    n_obs / max(n_obs - n_free, 1)
                )
                val = np.exp(boot)
                draws, _ = fitting.fit_curves(
                    spec,
                    series,
                    np.ones((N_BOOT, n_obs)),
                    lo=val,
                    hi=val,
                    start=np.repeat(p0, N_BOOT, axis=0),
                )
        point = {nm: float(v) for nm, v in zip(spec.names, p0[0], strict=False)}
        point.update({nm: float(v) for nm, v in spec.fixed.items() if nm in point})
        warnings += _at_edge(spec, series, point)
        for j, nm in enumerate(spec.names):
            lo_, hi_ = (
                _q(draws[:, j]) if draws is not None and nm not in spec.fixed else (np.nan, np.nan)
            )
            intervals.append((nm, point[nm], lo_, hi_, nm in spec.fixed))
        if spec.launch is not None and "launch" not in point:
            point["launch"] = spec.launch
            intervals.append(("launch", spec.launch, np.nan, np.nan, True))
    if library is None:
        library = uncertainty.choose_library(
            spec, series, errors, scenarios=scenarios, before_days=before_days, exclude=exclude
        )
    engine = PathEngine(spec, series, np.asarray(params, dtype=float), known, library)
    warnings += _plausibility(engine, series, market)
    if market is not None:
        engine = sanity.Capped(engine, market)
    if series.since is not None:
        warnings.append(
            f"cumulative units are counted from {series.since.date()} (the first period "
            "of the last unbroken run of figures); units before it are not in the data"
        )
    if name in ("seasonal", "combined") and fitting.SEASONAL_DAMPING == 0:
        warnings.append(
            f"the seasonal forecast holds the level of the latest periods: the fitted trend "
            f"({point['trend']:+.3f} a year in logs) is not carried forward"
        )
    if name == "runrate" and spec.window is None and series.freq in ("Q", "M"):
        warnings.append("the run-rate is the last period's pace; seasonal peaks carry forward")
    return Projection(
        brand=series.brand,
        market=series.market,
        model=name,
        params=point,
        data=series.frame,
        warnings=tuple(warnings),
        uncertainty=library.description,
        source="; ".join(src),
        reason=reason,
        seed=int(seed),
        quality=quality,
        param_intervals=pd.DataFrame(
            intervals, columns=["parameter", "value", "lower", "upper", "fixed"]
        ),
        _engine=engine,
    )


def _q(x):
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return (np.nan, np.nan)
    return tuple(float(v) for v in np.quantile(x, [0.05, 0.95]))


def _at_edge(spec, series: CumulativeSeries, point: dict) -> list[str]:
    """Warn about free parameters whose fitted value sits at the edge of its range: the
    figures did not pin it down, the optimiser ran into the wall."""
    lower, upper = fitting._bounds(spec, series)
    out = []
    for j, name in enumerate(spec.names):
        if name in spec.fixed or name not in point:
            continue
        value = point[name]
        x = np.log(max(value, 1e-300)) if name in spec.model.positive else value
        for edge, side in ((lower[j], "lower"), (upper[j], "upper")):
            if abs(x - edge) <= 1e-6 * max(1.0, abs(edge)):
                out.append(
                    f"{name} = {value:.4g} sits at the {side} edge of its range: the figures "
                    f"do not pin it down and the projection is arbitrary; fix or bound "
                    f"{name} (fixed=, bounds=) or use another model"
                )
    return out


def _plausibility(engine: PathEngine, series: CumulativeSeries, market) -> list[str]:
    """The projection's own plausibility check (:func:`.sanity.implausible`) on the median
    next-year units of its parameter draws, before the market cap bounds the paths."""
    if series.known_t.size < 2:
        return []
    m = np.arange(engine.params.shape[0])
    nxt = float(np.median(engine.increments(m, np.array([1.0]))[:, 0]))
    why = sanity.implausible(
        engine.spec.model.name, nxt, series, np.median(engine.known, axis=0), market
    )
    out = [] if why is None else [why]
    if market is not None and why is not None and "whole market" in why:
        out.append(f"paths are bounded by the market's units ({market.description})")
    return out


def _fit_growth(spec, series, known, rng, scenarios, before_days, exclude):
    """(params, point, intervals, library) of the growth-stage model (see :mod:`.growth`)."""
    if scenarios is not None:
        raise ValueError("the growth model takes its intervals from the IDC history: no scenarios=")
    units, g0, how = growth.stage(series, spec.fixed.get("growth"))
    before = (
        None
        if before_days is None
        else pd.Timestamp("1970-01-01") + pd.Timedelta(days=float(before_days) - 1)
    )
    law = growth.decay_law(before=before, exclude=exclude)
    a = spec.fixed.get("a", law.a)
    b = spec.fixed.get("b", law.b)
    units = spec.fixed.get("units", units)
    if (a, b) != (law.a, law.b):
        law = growth.DecayLaw(a, b, law.g_this, law.residuals, law.before)
    E, step = growth.error_paths(law, units, g0, rng)
    point = {"units": units, "growth": g0, "a": a, "b": b}
    params = np.repeat(np.array([[units, g0, a, b]]), known.shape[0], axis=0)
    intervals = [
        ("units", units, np.nan, np.nan, "units" in spec.fixed),
        ("growth", g0, np.nan, np.nan, "growth" in spec.fixed),
        ("a", a, np.nan, np.nan, "a" in spec.fixed),
        ("b", b, np.nan, np.nan, "b" in spec.fixed),
    ]
    description = f"{law.describe()}; current growth {np.exp(g0):.2f}x a year from {how}"
    library = uncertainty.Library(E, step, "growth", description, smooth=False)
    return params, point, intervals, library


def _capped(projection: Projection, market) -> Projection:
    """The projection with its paths bounded by the market (unchanged without one)."""
    if market is None:
        return projection
    return dataclasses.replace(projection, _engine=sanity.Capped(projection._engine, market))
