"""``fit``: figures in, ``Projection`` out.

This module checks the arguments, picks the series and assembles the projection; which
model ``auto`` uses is :mod:`.auto`, each toolkit model's parameters and draws
:mod:`.estimate`, the error libraries :mod:`.uncertainty`, the market caps and
plausibility checks :mod:`.sanity`.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis._validation import check_option, check_seed, seed_int
from marketdata import schema as s

from . import classical, closed_form, fitting, sanity, uncertainty
from .auto import choose
from .data import CumulativeSeries, check_slack, checked, pick, prepare
from .estimate import estimate
from .holdout import self_errors
from .models import NAMES
from .paths import PathEngine
from .regular import ClassicalChoice
from .result import Projection

__all__ = ["MODEL_NAMES", "fit", "fit_capped", "fit_series"]

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
        quarters or months, by a rolling holdout of ``theta``, ``snaive`` and their
        combination (MASE of single periods 1-4 ahead over the last 12 origins, each model
        fitted once on the figures up to the first origin and applied at the later ones;
        the winner refitted on all the figures, its intervals rescaled to cover 80% and
        95% of its holdout errors; :mod:`analysis.projection.regular`);
        else by AICc when some curve has spare figures, else ``runrate``. The
        projection's ``reason`` says why. A candidate its own plausibility check flags
        (:func:`analysis.projection.sanity.implausible`) is never chosen, and ``bass`` is
        not offered where it coincides with ``logistic`` (its ``p -> 0`` limit).
    brand, market : str, optional
        Which series; needed when the figures hold several (to fit many series at once,
        use :func:`analysis.fit_many`).
    fixed : dict, optional
        Parameter values the analyst sets, e.g. ``{"m": 50e6}`` or ``{"launch":
        "2011-09-30"}`` (cumulative units are zero at launch). Values are finite numbers,
        > 0 for the positive parameters (``m``, ``k``, ``p``, ``q``, ``rate``, ``units``);
        ``launch`` and ``t0`` are days (as for :meth:`Projection.predict`) or numbers of
        years from the last figure (at most 60 either side, so ``2011`` is refused).
    bounds : dict, optional
        ``{name: (low, high)}`` for free parameters: finite numbers with ``low < high``
        (days or years from the last figure for ``launch`` and ``t0``, as in ``fixed``).
    scenarios : dict, optional
        ``{"growth": (-0.2, 0.6)}``: the future pace is the model's times ``1 + g``, ``g``
        uniform in the range. Replaces the empirical error library (toolkit models only).
    window : float, optional
        Run-rate model: the pace over the last ``window`` years (default: last interval).
    slack : float in [0, 1], default 0.15
        An "over N" figure lies in ``[N, N * (1 + slack)]``, an "under N" one in ``[N / (1
        + slack), N]`` (0: exact; 1: "over N" may be up to 2N). The per-period models
        (statsforecast's, ``seasonal``, ``growth``) read a censored figure at the geometric
        middle of its range, e.g. ``N * sqrt(1 + slack)`` (``.warnings`` says so).
    cap : float, False or None
        The market a brand's paths are bounded by, in units a year (month by month from
        the last figure, a path's units never exceed the market's). None: the market-size
        figures in ``figures`` (rows without a brand, one year long), else for ``WW`` the
        packaged IDC worldwide totals (see :mod:`analysis.projection.sanity`); False: no cap.
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
        Figures of several brands or markets without ``brand=`` / ``market=``; ``fixed``,
        ``bounds``, ``scenarios`` or ``window`` with a statsforecast model (it has none of
        them and would ignore them).

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
    slack = check_slack(slack)
    figures = checked(figures)
    frame, pairs = pick(figures, brand, market)
    if brand is not None:  # the market-size rows (no brand) that cap the brand
        sizes = figures[figures[s.BRAND].isna().to_numpy()]
        if market is not None:  # (market-size rows of other markets do not cap it)
            sizes = sizes[(sizes[s.MARKET] == market).to_numpy()]
        if not sizes.empty:
            frame = pd.concat([frame, sizes], ignore_index=True)
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
    """Fit one prepared series (internal; see :func:`fit`); ``frame`` holds the market-size
    rows that cap it."""
    return fit_capped(
        series,
        model,
        market=sanity.market_cap(series, frame, cap, before_days=before_days),
        fixed=fixed,
        bounds=bounds,
        scenarios=scenarios,
        window=window,
        seed=seed,
        before_days=before_days,
        exclude=exclude,
    )


def fit_capped(
    series: CumulativeSeries,
    model: str,
    *,
    market: sanity.Cap | None,
    fixed=None,
    bounds=None,
    scenarios=None,
    window=None,
    seed=0,
    before_days=None,
    exclude=None,
    source: str | None = None,
) -> Projection:
    """:func:`fit_series` with the market's cap found (:func:`.sanity.market_cap`; None:
    no cap); ``source`` (None: read off the figures) joins the figures' sources."""
    if model in classical.CLASSICAL:
        _refuse_toolkit_options(
            model, fixed=fixed, bounds=bounds, scenarios=scenarios, window=window
        )
    rng = np.random.default_rng(seed)
    series, read = _censored_flows_at_middle(series)
    if source is None:
        source = "; ".join(
            series.frame[s.SOURCE].dropna().astype(str).unique() if s.SOURCE in series.frame else []
        )
    if model in classical.CLASSICAL:
        return _capped(
            _with_notes(
                classical.projection(
                    series, (model,), reason="chosen by the analyst", seed=seed, source=source
                ),
                series,
                read,
            ),
            market,
        )
    if model == "auto":
        spec, reason, errors = choose(
            series,
            fixed,
            bounds,
            window,
            classical_ok=not scenarios,
            cap=market,
        )
        reason += _unused(spec, fixed, bounds, window)
        if isinstance(spec, ClassicalChoice):  # statsforecast model(s)
            return _capped(
                _with_notes(
                    classical.projection(
                        series,
                        spec.names,
                        reason=reason,
                        seed=seed,
                        source=source,
                        spread=spec.spread,
                        tail=spec.tail,
                    ),
                    series,
                    read,
                ),
                market,
            )
    else:
        spec = fitting.make_spec(model, series, fixed, bounds, window)
        fitting.check_identified(spec, series)
        reason = "chosen by the analyst"
        errors = self_errors(spec, series)
    fitted = estimate(
        spec,
        series,
        rng,
        window=window,
        scenarios=scenarios,
        before_days=before_days,
        exclude=exclude,
    )
    library = fitted.library
    if library is None:
        library = uncertainty.choose_library(
            spec, series, errors, scenarios=scenarios, before_days=before_days, exclude=exclude
        )
    engine = PathEngine(spec, series, np.asarray(fitted.params, dtype=float), fitted.known, library)
    warnings = fitted.warnings + _plausibility(engine, series, market)
    warnings += [w for w in [sanity.same_as_logistic(spec, series)] if w]
    if market is not None:
        engine = sanity.Capped(engine, market)
    per_period = spec.model.name in ("seasonal", "combined", "growth")  # read the flows
    warnings += (read if per_period else []) + _notes(spec, series, fitted.point)
    return Projection(
        brand=series.brand,
        market=series.market,
        model=spec.model.name,
        params=fitted.point,
        data=series.frame,
        warnings=tuple(warnings),
        uncertainty=library.description,
        source=source,
        reason=reason,
        seed=int(seed),
        quality=fitted.quality,
        param_intervals=pd.DataFrame(
            fitted.intervals, columns=["parameter", "value", "lower", "upper", "fixed"]
        ),
        _engine=engine,
    )


#: what each option of ``fit`` sets, for the message refusing it with a statsforecast model
_TOOLKIT_OPTIONS = {
    "fixed": "fixes a toolkit curve's parameters",
    "bounds": "bounds a toolkit curve's parameters",
    "scenarios": "replaces the toolkit models' error library",
    "window": "sets the run-rate model's window",
}


def _refuse_toolkit_options(model: str, **options) -> None:
    """A ValueError for an option a statsforecast model cannot use (it would be ignored)."""
    for name, value in options.items():
        if value is not None and not (isinstance(value, dict) and not value):
            raise ValueError(
                f"{name}= {_TOOLKIT_OPTIONS[name]}; {model} (statsforecast) has none to set "
                f"and would ignore it: drop {name}=, or choose a toolkit model "
                "(runrate, exponential, logistic, gompertz, bass, growth, seasonal, combined)"
            )


def _unused(spec, fixed, bounds, window) -> str:
    """The analyst's options the model ``auto`` chose does not take, for its reason."""
    if isinstance(spec, ClassicalChoice):
        name, takes, windowed = "+".join(spec.names), set(), False
    else:
        name = spec.model.name
        takes = set(spec.model.params) | set(spec.fixed) | set(spec.bounds)
        windowed = name in ("runrate", "combined")
    out = [f"fixed {k}" for k in (fixed or {}) if k not in takes]
    out += [f"bounds {k}" for k in (bounds or {}) if k not in takes]
    out += ["window" for _ in [window] if window is not None and not windowed]
    if not out:
        return ""
    return f"; not used by {name}, which has no such parameter: {', '.join(out)}"


def _censored_flows_at_middle(series: CumulativeSeries) -> tuple[CumulativeSeries, list[str]]:
    """The series with its censored per-period figures ("over N", "under N") read at the
    geometric middle of their range, as the run-rate reads censored milestones, and the
    note saying so: the per-period models (statsforecast's, ``seasonal``, ``growth``) take
    one value a period."""
    n = series.flows.size
    if n == 0 or not series.censored[-n:].any():
        return series, []
    cens = series.censored[-n:]
    mid = np.sqrt(series.lo[-n:] * series.hi[-n:])
    read = dataclasses.replace(series, flows=np.where(cens, mid, series.flows))
    ends = ", ".join(str(series.date(b).date()) for b in series.flow_end[cens][:5])
    note = (
        f'{int(cens.sum())} "over N" / "under N" per-period figure(s) (ending {ends}) '
        "read at the geometric middle of their range, [N, N(1 + slack)] or "
        "[N / (1 + slack), N], by the per-period models"
    )
    return read, [note]


def _since_note(series: CumulativeSeries) -> list[str]:
    if series.since is None:
        return []
    return [
        f"cumulative units are counted from {series.since.date()} (the first period "
        "of the last unbroken run of figures); units before it are not in the data"
    ]


def _with_notes(projection: Projection, series: CumulativeSeries, read: list[str]) -> Projection:
    """A statsforecast projection with the notes on the figures it was given: censored
    flows read at their middle, and the figures before a gap, which it does not use."""
    left_out = int(series.n - series.flows.size)
    gap = (
        [
            f"fitted on the last unbroken run of figures, from {series.since.date()} "
            f"({series.flows.size} periods); the {left_out} figure(s) before the gap are not "
            "used, and cumulative units before it are not in the data"
        ]
        if left_out > 0 and series.since is not None
        else []
    )
    return dataclasses.replace(projection, warnings=(*projection.warnings, *read, *gap))


def _notes(spec, series: CumulativeSeries, point: dict) -> list[str]:
    """What a reader must know about how the model treats these figures."""
    name = spec.model.name
    out = _since_note(series)
    if name in ("seasonal", "combined") and closed_form.SEASONAL_DAMPING == 0:
        out.append(
            f"the seasonal forecast holds the level of the latest periods: the fitted trend "
            f"({point['trend']:+.3f} a year in logs) is not carried forward"
        )
    if name == "runrate" and spec.window is None and series.freq in ("Q", "M"):
        out.append("the run-rate is the last period's pace; seasonal peaks carry forward")
    if name == "runrate" and not point.get("rate", 1.0) > 0:
        out.append(
            "the run-rate is 0 units a year (no units in the window it is measured over), "
            "and its errors are relative, so the projection is 0 with no spread; give "
            "window= (years) to measure it over a longer stretch, or use another model"
        )
    return out


def _plausibility(engine: PathEngine, series: CumulativeSeries, market) -> list[str]:
    """The projection's own plausibility check (:func:`.sanity.implausible`) on the median
    units of its parameter draws in the next year and the next
    :data:`.sanity.COLLAPSE_YEARS` whole years, before the market cap bounds the paths."""
    if series.known_t.size < 2:
        return []
    m = np.arange(engine.params.shape[0])
    # the S-curves' later years too (their pace may collapse); the rest: the next year
    ends = sanity.next_years(series).ends if engine.spec.model.name in sanity.S_CURVES else []
    inc = engine.increments(m, np.r_[1.0, ends])
    per_year = np.median(np.diff(inc[:, 1:], axis=1, prepend=0.0), axis=0)
    units = np.r_[np.median(inc[:, 0]), per_year[1:]]
    why = sanity.implausible(
        engine.spec.model.name, units, series, np.median(engine.known, axis=0), market
    )
    out = [] if why is None else [why]
    if market is not None and why is not None and "whole market" in why:
        out.append(f"paths are bounded by the market's units ({market.description})")
    return out


def _capped(projection: Projection, market) -> Projection:
    """The projection with its paths bounded by the market (unchanged without one)."""
    if market is None:
        return projection
    return dataclasses.replace(projection, _engine=sanity.Capped(projection._engine, market))
