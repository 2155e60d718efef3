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

from .data import check_slack, prepare, select
from .project import MODEL_NAMES, fit_series
from .result import BASES, Projection

__all__ = ["Projections", "fit_many"]


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
        :meth:`Projection.predict` checks them (days; numbers refused)."""
        if basis is not None:
            check_option(basis, "basis", BASES)
        if dates is not None:
            dates = check_dates(dates)
        parts = [
            p.frame(dates, level=level, basis=basis).assign(model=p.model)
            for p in self.projections.values()
        ]
        if not parts:
            return pd.DataFrame(
                columns=[s.BRAND, s.MARKET, "date", "status", s.BASIS, s.UNITS, "lower", "upper"]
            )
        return pd.concat(parts, ignore_index=True)

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

    The figures are validated once; each series is then prepared and fitted with the
    same options (and the same seed, so a series' projection is the one ``fit`` gives it).

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
    """
    check_option(model, "model", MODEL_NAMES)
    check_option(errors, "errors", ("raise", "skip"))
    seed = seed_int(check_seed(seed))
    slack = check_slack(slack)
    frame, pairs = select(figures, None, None)
    # one pass over the rows: each series' rows, in the order the pairs come
    key = frame[s.BRAND].astype("string").fillna("\x00") + "\x01" + frame[s.MARKET].astype(str)
    groups = {k: rows for k, rows in frame.groupby(key.to_numpy(), sort=False)}
    out, skipped = {}, {}
    items = pairs
    if progress:
        from tqdm.auto import tqdm

        items = tqdm(pairs, desc="fit_many", leave=False)
    for b, m in items:
        rows = groups["\x00" + "\x01" + m if b is None else f"{b}\x01{m}"]
        market_rows = None if b is None else groups.get("\x00" + "\x01" + m)
        seen = rows if market_rows is None else pd.concat([rows, market_rows])
        try:
            out[(b, m)] = fit_series(
                prepare(rows, b, m, slack=slack),
                model,
                frame=seen,
                fixed=fixed,
                bounds=bounds,
                scenarios=scenarios,
                window=window,
                slack=slack,
                seed=seed,
                cap=cap,
            )
        except DataError as exc:
            if errors == "raise":
                raise
            skipped[(b, m)] = str(exc)
    return Projections(out, skipped)
