"""Prepare the report's inputs: the founding case from packaged data, or a user's figures.

Only pandas here; the analysis itself happens in :mod:`analysis.report.sections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from marketdata import schema as s

# Display names for the market codes the report knows; others show as their code.
MARKET_NAMES = {
    "TW": "Taiwan",
    "CN": "China",
    "US": "United States",
    "IN": "India",
    "WW": "worldwide",
    "JP": "Japan",
    "KR": "South Korea",
    "HK": "Hong Kong",
    "GB": "United Kingdom",
    "DE": "Germany",
}

# Illustrative entry volumes, as fractions of the market (an assumption, labelled as such).
ENTRY_FRACTIONS = (0.005, 0.01, 0.02, 0.04)


@dataclass(frozen=True)
class Inputs:
    """Everything the report analyses, with where each piece came from."""

    brand: str
    market: str
    brand_figures: pd.DataFrame  # the brand's own figures, to project
    target: float | None  # units
    by: pd.Timestamp | None
    market_figures: pd.DataFrame  # brand-level units of one window in the market
    market_size: float | None
    volumes: tuple[float, ...]  # entry volumes to try (assumptions)
    title: str
    question: str
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    exposure_figures: pd.DataFrame | None = None
    sources: tuple[str, ...] = field(default=())
    source_figures: pd.DataFrame | None = None  # the figures used, for the sources page

    @property
    def incumbent(self) -> bool:
        """Whether the brand already has a figure in the market (so it does not enter it)."""
        figures = self.market_figures
        return bool(len(figures)) and bool(figures[s.BRAND].eq(self.brand).fillna(False).any())

    @property
    def market_name(self) -> str:
        return MARKET_NAMES.get(self.market, self.market)


def _units(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.3g}M"
    if value >= 1e3:
        return f"{value / 1e3:.3g}k"
    return f"{value:.0f}"


def _in_units(shares: pd.DataFrame, size: float, *, source: str) -> pd.DataFrame:
    """Shares turned into units against a market size (``analysis.shares_to_units``, which
    adds ``Others`` for what the listed shares leave), every row citing both sources.

    Examples
    --------
    >>> import pandas as pd
    >>> shares = pd.DataFrame({"brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "share": [0.5, 0.3], "basis": "period", "status": "actual",
    ...     "metric": "shipments", "source": "x"})
    >>> _in_units(shares, 1000, source="x and y")[["brand", "units", "source"]]
        brand  units   source
    0       A  500.0  x and y
    1       B  300.0  x and y
    2  Others  200.0  x and y
    """
    from analysis import shares_to_units

    units = shares_to_units(shares, size)
    return units.assign(**{s.SOURCE: pd.array([source] * len(units), dtype="string")})


def describe_sources(figures: pd.DataFrame) -> list[str]:
    """One line per source: how many figures it gives, for which brands, markets and years.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"brand": ["HTC", "Apple", pd.NA], "market": ["WW", "WW", "TW"],
    ...     "end": pd.to_datetime(["2011-12-31", "2012-12-31", "2012-12-31"]),
    ...     "source": ["IDC", "IDC", "news"]})
    >>> describe_sources(f)
    ['IDC: 2 figures (Apple, HTC; WW; 2011-2012)', 'news: 1 figure (market size; TW; 2012)']
    """
    lines = []
    for source, rows in figures.groupby(s.SOURCE, sort=False):
        brands = sorted(rows[s.BRAND].dropna().astype(str).unique())
        what = ", ".join(brands[:6]) + (f" and {len(brands) - 6} more" if len(brands) > 6 else "")
        if rows[s.BRAND].isna().any():
            what = ", ".join(x for x in (what, "market size") if x)
        markets = ", ".join(sorted(rows[s.MARKET].dropna().astype(str).unique()))
        years = rows[s.END].dt.year
        span = f"{years.min()}" if years.min() == years.max() else f"{years.min()}-{years.max()}"
        count = f"{len(rows)} figure" + ("s" if len(rows) != 1 else "")
        lines.append(f"{source}: {count} ({what}; {markets}; {span})")
    return lines


def founding_case(*, volumes: tuple[float, ...] | None = None) -> Inputs:
    """The founding case, "Xiaomi in Taiwan, 2012", from the packaged datasets.

    Examples
    --------
    >>> case = founding_case()
    >>> case.brand, case.market, case.target, str(case.by.date())
    ('Xiaomi', 'TW', 5000000.0, '2012-12-31')
    >>> case.market_figures[["brand", "units"]].round(0).head(3)
         brand      units
    0  Samsung  1960000.0
    1      HTC  1470000.0
    2     Sony  1120000.0
    """
    from marketdata import datasets

    xiaomi = datasets.load("xiaomi_2011_2012")
    brand_rows = xiaomi[xiaomi[s.BRAND].eq("Xiaomi").fillna(False)]
    target_row = brand_rows[brand_rows[s.STATUS] == s.TARGET].iloc[0]
    actuals = brand_rows[brand_rows[s.STATUS] != s.TARGET].reset_index(drop=True)
    size_row = xiaomi[xiaomi[s.BRAND].isna() & (xiaomi[s.MARKET] == "TW")].iloc[0]
    size = float(size_row[s.UNITS])

    tw = datasets.load("taiwan_vendor_share")
    idc_2013 = tw[
        (tw[s.START] == pd.Timestamp("2013-01-01"))
        & (tw[s.END] == pd.Timestamp("2013-12-31"))
        & (tw[s.METRIC] == s.SHIPMENTS)
    ].reset_index(drop=True)
    share_source = str(idc_2013[s.SOURCE].iloc[0])
    market = _in_units(
        idc_2013,
        size,
        source=f"{share_source} (2013 shares) x {size_row[s.SOURCE]} (market size)",
    )

    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    htc_ww = annual[annual[s.BRAND].eq("HTC").fillna(False)].reset_index(drop=True)

    used_volumes = tuple(volumes) if volumes else tuple(round(f * size) for f in ENTRY_FRACTIONS)
    sum_shares = float(idc_2013[s.SHARE].sum())
    assumptions = (
        f"Taiwan's market is taken as {_units(size)} units a year: the news report's 'over seven "
        "million' mobile phones (all phones, not only smartphones; 'over' read as the figure "
        "itself).",
        "Brand volumes in Taiwan are IDC's 2013 smartphone shares (Samsung 28%, HTC 21%, Sony "
        f"16%, Apple 13%, LG 3%) applied to that {_units(size)}; the unlisted "
        f"{1 - sum_shares:.0%} is 'Others' (many small brands), never ranked as one brand.",
        "Xiaomi's volumes in Taiwan are illustrative scenarios ("
        + ", ".join(_units(v) for v in used_volumes)
        + " units a year, i.e. "
        + ", ".join(f"{v / size:.1%}" for v in used_volumes)
        + " of the market): no source gives Xiaomi's Taiwan plan in units.",
    )
    notes = (
        "The 5M target's basis is not stated in the source (2012 alone or since launch): "
        "both readings are shown.",
        "Xiaomi's 2011 figure (over 300k by end-2011) comes from a low-confidence web page.",
    )
    sources = tuple(
        dict.fromkeys(
            list(xiaomi[s.SOURCE].astype(str))
            + list(idc_2013[s.SOURCE].astype(str))
            + list(htc_ww[s.SOURCE].astype(str))
        )
    )
    return Inputs(
        brand="Xiaomi",
        market="TW",
        brand_figures=actuals,
        target=float(target_row[s.UNITS]),
        by=pd.Timestamp(target_row[s.END]),
        market_figures=market,
        market_size=size,
        volumes=used_volumes,
        title="Xiaomi in Taiwan, 2012",
        question=(
            "In June 2012 Xiaomi had shipped over 3 million phones, said it would ship 5 million "
            "by the end of the year, and planned to enter Taiwan (over 7 million phones a year, "
            "led by HTC and Samsung), expecting to be a top-ten brand at once. Will it reach "
            "5 million? What rank would it take in Taiwan, and what volume buys a top-ten "
            "place? How would its entry change the market's concentration, and how dependent "
            "is HTC on its markets?"
        ),
        assumptions=assumptions,
        notes=notes,
        exposure_figures=htc_ww,
        sources=sources,
        source_figures=pd.concat(
            [
                frame[[s.BRAND, s.MARKET, s.END, s.SOURCE]]
                for frame in (
                    xiaomi,
                    idc_2013,
                    market,
                    htc_ww[htc_ww[s.END] == pd.Timestamp("2012-12-31")],
                )
            ],
            ignore_index=True,
        ),
    )


def _market_window(figures: pd.DataFrame, market: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The market's latest window of brand figures (units), with its size row if any.

    Share figures are turned into units against a market-size row of the same window.
    Returns the rows and notes saying what was chosen.
    """
    rows = figures[figures[s.MARKET].eq(market).fillna(False)]
    if s.METRIC in rows.columns and (rows[s.METRIC] == s.SHIPMENTS).any():
        rows = rows[(rows[s.METRIC] == s.SHIPMENTS) | rows[s.BRAND].isna()]
    if s.BASIS in rows.columns:
        rows = rows[rows[s.BASIS] == s.PERIOD]
    has_units = rows[s.UNITS].notna() if s.UNITS in rows.columns else False
    has_share = rows[s.SHARE].notna() if s.SHARE in rows.columns else False
    brands = rows[rows[s.BRAND].notna() & (has_units | has_share)]
    if brands.empty:
        return brands.reset_index(drop=True), ()
    last = brands[s.END].max()
    window = brands[brands[s.END] == last]
    starts = window[s.START].dropna()
    start = starts.min() if len(starts) else pd.NaT
    if len(starts):
        window = window[window[s.START] == start]
    same = (rows[s.END] == last) & (rows[s.START] == start if len(starts) else True)
    size_rows = rows[rows[s.BRAND].isna() & same]
    if s.UNITS in size_rows.columns:
        size_rows = size_rows[size_rows[s.UNITS].notna()]
    label = f"{start:%Y-%m-%d} to {last:%Y-%m-%d}" if len(starts) else f"to {last:%Y-%m-%d}"
    notes = [f"The market is the data's latest window for {market}: {label}."]
    if s.UNITS not in window.columns or window[s.UNITS].isna().all():
        if size_rows.empty:
            notes.append(
                f"The data gives {market}'s brands as shares with no market size for {label}; "
                "add a market-size row (no brand) to turn them into units."
            )
            return window.iloc[0:0].reset_index(drop=True), tuple(notes)
        size = float(size_rows[s.UNITS].iloc[0])
        source = (
            f"{window[s.SOURCE].iloc[0]} (shares) x {size_rows[s.SOURCE].iloc[0]} (market size)"
        )
        notes.append(f"Shares turned into units against the market size {_units(size)}.")
        return _in_units(window, size, source=source), tuple(notes)
    keep = [c for c in s.COLUMNS if c in window.columns]
    together = pd.concat([window[keep], size_rows[keep].iloc[:1]], ignore_index=True)
    return together, tuple(notes)


def from_figures(
    figures: pd.DataFrame,
    *,
    brand: str,
    market: str,
    target: float | None = None,
    by: pd.Timestamp | None = None,
    volumes: tuple[float, ...] | None = None,
    label: str = "the data",
) -> Inputs:
    """The report's inputs from a user's figures frame (``marketshare report --data``).

    The brand's own actual figures are projected; the market's brand figures in its latest
    window are the market the brand would enter.

    Raises
    ------
    ValueError
        If the brand has no figures in the data (the message lists the brands there).

    Examples
    --------
    >>> from marketdata import datasets
    >>> ww = datasets.load("worldwide_annual_shipments_by_vendor")
    >>> inputs = from_figures(ww, brand="Huawei", market="WW")
    >>> inputs.market_figures["end"].max().year, len(inputs.volumes)
    (2023, 4)
    """
    brands = figures[s.BRAND].dropna().astype(str)
    if brand not in set(brands):
        known = ", ".join(sorted(set(brands) - set(s.RESIDUAL_BRANDS))[:12])
        raise ValueError(
            f"brand {brand!r} is not in {label}; brands there: {known}; pass one of them with --brand"
        )
    own = figures[figures[s.BRAND].eq(brand).fillna(False)]
    if s.STATUS in own.columns:
        target_rows = own[own[s.STATUS] == s.TARGET]
        own = own[~own[s.STATUS].isin([s.TARGET, s.FORECAST])]
        if target is None and len(target_rows):
            target = float(target_rows[s.UNITS].iloc[-1])
            by = pd.Timestamp(target_rows[s.END].iloc[-1]) if by is None else by
    if target is not None and by is None:
        raise ValueError("a target needs a date: pass --by YYYY-MM-DD with --target")
    market_figures, market_notes = _market_window(figures, market)
    size = None
    if len(market_figures):
        sizes = market_figures[market_figures[s.BRAND].isna()]
        listed = market_figures[market_figures[s.BRAND].notna()]
        size = float(sizes[s.UNITS].iloc[0]) if len(sizes) else float(listed[s.UNITS].sum())
    incumbent = bool(len(market_figures)) and bool(
        market_figures[s.BRAND].eq(brand).fillna(False).any()
    )
    used = tuple(volumes) if volumes else ()
    if not used and size and not incumbent:
        used = tuple(round(f * size) for f in ENTRY_FRACTIONS)
    name = MARKET_NAMES.get(market, market)
    assumptions = ()
    if used:
        assumptions = (
            f"{brand}'s volumes in {name} are illustrative scenarios ("
            + ", ".join(_units(v) for v in used)
            + " units) unless given with --volumes.",
        )
    return Inputs(
        brand=brand,
        market=market,
        brand_figures=own.reset_index(drop=True),
        target=target,
        by=by,
        market_figures=market_figures,
        market_size=size,
        volumes=used,
        title=f"{brand} worldwide" if market == s.WORLDWIDE else f"{brand} in {name}",
        question=(
            f"How will {brand}'s shipments develop"
            + (f", and will it reach {_units(target)} by {by:%Y-%m-%d}" if target else "")
            + f"? What rank would it take in {name} and what volume buys a top-ten place?"
        ),
        assumptions=assumptions,
        notes=market_notes,
        exposure_figures=None,
        sources=tuple(dict.fromkeys(figures[s.SOURCE].dropna().astype(str))),
        source_figures=pd.concat(
            [
                own[[s.BRAND, s.MARKET, s.END, s.SOURCE]],
                market_figures[[s.BRAND, s.MARKET, s.END, s.SOURCE]],
            ],
            ignore_index=True,
        ),
    )
