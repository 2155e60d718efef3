"""``fit_many``: one call fits every brand x market of a figures frame."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis._summary import Summary
from analysis._validation import check_dates, check_option, check_seed, seed_int
from marketdata import schema as s
from marketdata.errors import DataError

from . import sanity
from .batch import Batch
from .data import check_slack, select
from .project import MODEL_NAMES, fit_capped
from .result import BASES, Projection

__all__ = ["Projections", "fit_many"]

#: the columns of ``Projections.frame``: those of ``Projection.frame`` and the model
_COLUMNS = (
    s.BRAND,
    s.MARKET,
    "date",
    "status",
    s.BASIS,
    s.UNITS,
    "lower",
    "upper",
    "level",
    "model",
)


@dataclass(frozen=True)
class Projections(Mapping):
    """Projections of many series: a read-only mapping (brand, market) -> Projection.

    ``skipped`` maps the series that could not be fitted to the reason (with
    ``errors="skip"``).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import fit_many
    >>> q = pd.period_range("2015Q1", periods=12, freq="Q")
    >>> def figures(brand, units):
    ...     return pd.DataFrame({"brand": brand, "market": "WW", "start": q.start_time,
    ...         "end": q.end_time.normalize(), "units": units, "basis": "period",
    ...         "status": "actual", "metric": "shipments", "source": "illustrative"})
    >>> many = fit_many(pd.concat([figures("A", [10.0, 11, 12, 20] * 3),
    ...                            figures("B", [5.0, 6, 7, 9] * 3)]), model="snaive")
    >>> sorted(many)
    [('A', 'WW'), ('B', 'WW')]
    >>> fr = many.frame(["2018-03-31"], basis="period")
    >>> fr[fr["status"] == "forecast"][["brand", "units"]].to_dict("records")
    [{'brand': 'A', 'units': 10.0}, {'brand': 'B', 'units': 5.0}]
    """

    projections: dict = field(repr=False)
    skipped: dict = field(default_factory=dict, repr=False)

    def __getitem__(self, key) -> Projection:
        return self.projections[key]

    def __iter__(self) -> Iterator:
        return iter(self.projections)

    def __len__(self) -> int:
        return len(self.projections)

    def frame(self, dates=None, *, level: float = 0.8, basis: str | None = None) -> pd.DataFrame:
        """Every projection's :meth:`Projection.frame`, stacked (tidy), with a ``model``
        column. ``basis`` defaults to each projection's own; ``dates`` are checked once, as
        :meth:`Projection.predict` checks them (days; numbers refused).

        The frame is put together once from each projection's actuals and interval (what
        ``pd.concat`` of the projections' frames gives, without a frame per series)."""
        if basis is not None:
            check_option(basis, "basis", BASES)
        if dates is not None:
            dates = check_dates(dates)
        columns = {c: [] for c in _COLUMNS}
        for p in self.projections.values():
            on = p.basis if basis is None else basis
            actual, iv = p._actuals(on), p.interval(level, dates=dates, basis=on)
            n_actual, n = len(actual), len(actual) + len(iv)
            columns[s.BRAND].append(np.full(n, p.brand, dtype=object))
            columns[s.MARKET].append(np.full(n, p.market, dtype=object))
            columns["date"] += [actual["date"].to_numpy(), iv["date"].to_numpy()]
            columns["status"].append(
                np.repeat(np.array([s.ACTUAL, s.FORECAST], object), [n_actual, len(iv)])
            )
            columns[s.BASIS].append(np.full(n, on, dtype=object))
            for c, f in ((s.UNITS, "median"), ("lower", "lower"), ("upper", "upper")):
                columns[c] += [actual[c].to_numpy(dtype=float), iv[f].to_numpy(dtype=float)]
            columns["level"].append(np.r_[np.full(n_actual, np.nan), np.full(len(iv), level)])
            columns["model"].append(np.full(n, p.model, dtype=object))
        if not self.projections:
            return pd.DataFrame(columns=list(_COLUMNS))
        out = {c: np.concatenate(v) for c, v in columns.items()}
        out[s.BRAND] = pd.array(out[s.BRAND], dtype="string")
        out["date"] = out["date"].astype("datetime64[ns]")
        return pd.DataFrame(out)

    def summary(self) -> Summary:
        """How many series, which models were chosen, and the skipped series."""
        models = pd.Series([p.model for p in self.projections.values()], dtype=object)
        counts = models.value_counts().rename_axis("model").reset_index(name="series")
        skipped = pd.DataFrame(
            {
                "series": [f"{b or 'market'} in {m}" for b, m in self.skipped],
                "reason": list(self.skipped.values()),
            }
        )
        return Summary(
            f"Projections of {len(self)} series",
            facts=[("skipped", str(len(self.skipped)))],
            tables=[("Models", counts)] + ([("Skipped", skipped)] if len(skipped) else []),
        )

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        models = pd.Series([p.model for p in self.projections.values()]).value_counts()
        listed = ", ".join(f"{m} {n}" for m, n in models.items())
        skip = f", {len(self.skipped)} skipped" if self.skipped else ""
        return f"<Projections of {len(self)} series ({listed}){skip}>"


def fit_many(
    figures: pd.DataFrame,
    *,
    model: str = "auto",
    fixed: dict | None = None,
    bounds: dict | None = None,
    scenarios: dict | None = None,
    window: float | None = None,
    slack: float = 0.15,
    cap: float | bool | None = None,
    seed: int | np.random.Generator = 0,
    errors: str = "raise",
    progress: bool = False,
) -> Projections:
    """Fit every brand x market of ``figures``: what :func:`analysis.fit` does for one.

    Each series' projection is the one ``fit`` gives that series alone (the same model,
    reason, warnings, intervals and, for the same seed, sample paths): the same options
    and seed, the same figures and market cap. The work around the models is done once:
    the figures are validated and sorted once and each series' figures are slices of them
    (:mod:`analysis.projection.batch`), each market's cap is found once. On 1,000 quarterly
    series of 36 quarters (``bench/bench_forecast.py``, second part), ``fit_many(model=
    "snaive")`` and one ``Projection.interval(0.8, basis="period")`` per series took 0.11x
    the time of ``StatsForecast([AutoETS(season_length=4)])`` on the same series: about
    1.5 ms of CPU a series, of which the toolkit's own work (preparing, capping, drawing
    the 2,000 joint paths behind the interval) is about 1 ms and statsforecast's
    SeasonalNaive fit the rest; ``model="ets"`` is AutoETS's own time plus that
    millisecond (1.04-1.23x), and ``model="auto"`` (AutoTheta's holdout and refit, see
    :mod:`analysis.projection.regular`) 0.71-0.88x, at a lower MASE than AutoETS's.

    Parameters
    ----------
    figures : DataFrame
        A figures frame; residual brands ("Others") are left out, rows without a brand
        are the market's own series.
    model, fixed, bounds, scenarios, window, slack, cap, seed
        As for :func:`analysis.fit`; a brand's market-size rows (rows without a brand in
        its market) cap it as they do in ``fit``.
    errors : {"raise", "skip"}, default "raise"
        ``"skip"``: a series that cannot be fitted (a ``DataError``, e.g. too few figures)
        is left out and listed in ``Projections.skipped`` with the reason.
    progress : bool, default False
        Show a progress bar (``tqdm.auto``).

    Returns
    -------
    Projections
        A mapping (brand, market) -> Projection with ``.frame()``.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis import fit, fit_many
    >>> q = pd.period_range("2015Q1", periods=12, freq="Q")
    >>> figures = pd.DataFrame({"brand": ["A", "B"] * 12, "market": "WW",
    ...     "start": q.start_time.repeat(2), "end": q.end_time.normalize().repeat(2),
    ...     "units": [10.0, 5, 11, 6, 12, 7, 20, 9] * 3, "basis": "period",
    ...     "status": "actual", "metric": "shipments", "source": "illustrative"})
    >>> many = fit_many(figures, model="snaive")
    >>> one = fit(figures, "snaive", brand="B")
    >>> bool((many[("B", "WW")].sample(["2018-06-30"]) == one.sample(["2018-06-30"])).all())
    True
    """
    check_option(model, "model", MODEL_NAMES)
    check_option(errors, "errors", ("raise", "skip"))
    seed = seed_int(check_seed(seed))
    slack = check_slack(slack)
    frame, pairs = select(figures, None, None)
    batch = Batch(frame, slack=slack)  # the rows sorted once; each series is slices of them
    caps = {}  # market -> the cap of its brands (market_cap reads the market's rows)
    out, skipped = {}, {}
    items = pairs
    if progress:
        from tqdm.auto import tqdm

        items = tqdm(pairs, desc="fit_many", leave=False)
    for b, m in items:
        try:
            series = batch.series(b, m)
            if b is None:
                market = sanity.market_cap(series, None, cap)  # checks cap; no cap
            else:
                if m not in caps:
                    caps[m] = sanity.market_cap(series, batch.frame(None, m), cap)
                market = caps[m]
            out[(b, m)] = fit_capped(
                series,
                model,
                market=market,
                fixed=fixed,
                bounds=bounds,
                scenarios=scenarios,
                window=window,
                seed=seed,
                source=batch.source(b, m),
            )
        except DataError as exc:
            if errors == "raise":
                raise
            skipped[(b, m)] = str(exc)
    return Projections(out, skipped)
