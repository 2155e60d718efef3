"""The report's inputs: what is analysed, and the words that come from it.

:class:`Inputs` holds the brand's figures, the target (with who set it and how it is read),
the market the brand would enter, and the title and questions, all derived from the
options and the data, never fixed text. :func:`from_figures` builds them from a user's
figures frame; :mod:`analysis.report.founding` builds the founding case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import shares_to_units
from analysis._format import units_label
from marketdata import schema as s
from marketdata.periods import period_label

__all__ = [
    "ENTRY_FRACTIONS",
    "MARKET_NAMES",
    "Alternative",
    "Inputs",
    "Target",
    "from_figures",
    "in_market",
    "market_name",
    "questions_for",
]

# Display names for the market codes the report knows; others show as their code.
MARKET_NAMES = {
    "TW": "Taiwan",
    "CN": "China",
    "US": "the United States",
    "IN": "India",
    "WW": "the world",
    "JP": "Japan",
    "KR": "South Korea",
    "HK": "Hong Kong",
    "GB": "the United Kingdom",
    "DE": "Germany",
}

# Illustrative entry volumes, as fractions of the market (an assumption, labelled as such).
ENTRY_FRACTIONS = (0.005, 0.01, 0.02, 0.04)

_SOURCE_COLUMNS = (s.BRAND, s.MARKET, s.END, s.SOURCE, s.NOTE)

#: The readings of a target: units since launch (cumulative) or within a window.
READINGS = {"since-launch": s.CUMULATIVE, "period": s.PERIOD}


def market_name(code: str) -> str:
    """The market's name for a title: ``Taiwan``, ``the world``, or the code itself.

    Examples
    --------
    >>> market_name("TW"), market_name("WW"), market_name("ZZ")
    ('Taiwan', 'the world', 'ZZ')
    """
    return MARKET_NAMES.get(code, code)


def in_market(code: str) -> str:
    """The market as a phrase after a brand: ``in Taiwan``, ``worldwide``.

    Examples
    --------
    >>> in_market("TW"), in_market("WW")
    ('in Taiwan', 'worldwide')
    """
    return "worldwide" if code == s.WORLDWIDE else f"in {market_name(code)}"


@dataclass(frozen=True)
class Target:
    """A target of units by a date, with who set it and how it is read.

    ``basis`` is ``"cumulative"`` (units since launch), ``"period"`` (units within
    ``start``..``by``) or None when nobody said (both readings are shown). ``origin`` says
    who set it ("the source" or "you") so the page can say who left the basis open.
    """

    units: float
    by: pd.Timestamp
    start: pd.Timestamp
    basis: str | None
    origin: str
    text: str = ""

    @property
    def label(self) -> str:
        """``5M by 31 December 2012``."""
        return f"{units_label(self.units)} by {self.by:%d %B %Y}".replace(" 0", " ")

    @property
    def window(self) -> str:
        """The window of the "period" reading, as :func:`marketdata.period_label` puts it."""
        return period_label(self.start, self.by)


@dataclass(frozen=True)
class Alternative:
    """Another market a rank forecast could be based on: a labelled alternative."""

    label: str
    figures: pd.DataFrame
    note: str


@dataclass(frozen=True)
class Inputs:
    """Everything the report analyses, with where each piece came from."""

    brand: str
    market: str
    brand_figures: pd.DataFrame  # the brand's own figures, to project
    target: Target | None
    market_figures: pd.DataFrame  # brand-level units of one window in the market
    market_size: float | None
    volumes: tuple[float, ...]  # entry volumes to try (assumptions)
    title: str
    questions: tuple[str, ...]
    context: str = ""
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())
    source_figures: pd.DataFrame | None = None  # the figures used, for the sources page
    market_missing: str = ""  # why there is no market to analyse, if there is none
    unlisted: int | None = None  # brands hidden in the market's residual (None: default)
    split: str = "equal"
    tail_ratio: float | None = None  # for a geometric split: each unlisted brand / the one above
    alternatives: tuple[Alternative, ...] = ()
    founding: bool = False
    brand_markets: pd.DataFrame | None = None  # the brand's actual figures in every market
    listed_before: str = ""  # years the brand is listed in the market before its latest window

    @property
    def incumbent(self) -> bool:
        """Whether the brand already has a figure in the market (so it does not enter it)."""
        figures = self.market_figures
        return bool(len(figures)) and bool(figures[s.BRAND].eq(self.brand).fillna(False).any())

    @property
    def market_name(self) -> str:
        return market_name(self.market)

    @property
    def in_market(self) -> str:
        return in_market(self.market)

    @property
    def cumulative(self) -> bool:
        """Whether the brand's figures are totals to date (so "since launch" is known)."""
        figures = self.brand_figures
        return bool(len(figures)) and bool((figures[s.BASIS] == s.CUMULATIVE).all())


def in_units(shares: pd.DataFrame, size: float, *, source: str) -> pd.DataFrame:
    """Shares turned into units against a market size (``analysis.shares_to_units``, which
    adds ``Others`` for what the listed shares leave), every row citing both sources.

    Examples
    --------
    >>> shares = pd.DataFrame({"brand": ["A", "B"], "market": "TW",
    ...     "start": pd.Timestamp("2013-01-01"), "end": pd.Timestamp("2013-12-31"),
    ...     "share": [0.5, 0.3], "basis": "period", "status": "actual",
    ...     "metric": "shipments", "source": "x"})
    >>> in_units(shares, 1000, source="x and y")[["brand", "units", "source"]]
        brand  units   source
    0       A  500.0  x and y
    1       B  300.0  x and y
    2  Others  200.0  x and y
    """
    listed = shares[shares[s.BRAND].notna()]
    units = shares_to_units(listed.drop(columns=[s.UNITS], errors="ignore"), size)
    return units.assign(**{s.SOURCE: pd.array([source] * len(units), dtype="string")})


def describe_sources(figures: pd.DataFrame) -> list[str]:
    """One line per source: how many figures it gives, for which brands, markets and years.

    Examples
    --------
    >>> f = pd.DataFrame({"brand": ["HTC", "Apple", pd.NA], "market": ["WW", "WW", "TW"],
    ...     "end": pd.to_datetime(["2011-12-31", "2012-12-31", "2012-12-31"]),
    ...     "source": ["IDC", "IDC", "news"]})
    >>> describe_sources(f)
    ['IDC: 2 figures (Apple, HTC; the world; 2011–2012)', 'news: 1 figure (market size; Taiwan; 2012)']
    """
    lines = []
    for source, rows in figures.groupby(s.SOURCE, sort=False):
        brands = sorted(rows[s.BRAND].dropna().astype(str).unique())
        what = ", ".join(brands[:6]) + (f" and {len(brands) - 6} more" if len(brands) > 6 else "")
        if rows[s.BRAND].isna().any():
            what = ", ".join(x for x in (what, "market size") if x)
        markets = ", ".join(sorted(market_name(m) for m in rows[s.MARKET].dropna().unique()))
        years = rows[s.END].dt.year
        span = f"{years.min()}" if years.min() == years.max() else f"{years.min()}–{years.max()}"
        count = f"{len(rows)} figure" + ("s" if len(rows) != 1 else "")
        lines.append(f"{source}: {count} ({what}; {markets}; {span})")
    return lines


def _market_window(
    figures: pd.DataFrame, market: str, market_size: float | None
) -> tuple[pd.DataFrame, tuple[str, ...], str]:
    """The market's latest window of brand figures (units), with its size row if any.

    Share figures are turned into units against a market-size row of the same window, or
    ``market_size``. Returns the rows, notes saying what was chosen, and why there is no
    market when there is none.
    """
    name = market_name(market)
    rows = figures[figures[s.MARKET].eq(market).fillna(False)]
    if (rows[s.METRIC] == s.SHIPMENTS).any():
        rows = rows[(rows[s.METRIC] == s.SHIPMENTS) | rows[s.BRAND].isna()]
    rows = rows[rows[s.BASIS] == s.PERIOD]
    has_units = rows[s.UNITS].notna() if s.UNITS in rows.columns else False
    has_share = rows[s.SHARE].notna() if s.SHARE in rows.columns else False
    brands = rows[rows[s.BRAND].notna() & (has_units | has_share)]
    if brands.empty:
        return brands.reset_index(drop=True), (), f"the data has no brand figures for {name}"
    last = brands[s.END].max()
    window = brands[brands[s.END] == last]
    start = window[s.START].min()
    window = window[window[s.START] == start]
    same = (rows[s.END] == last) & (rows[s.START] == start)
    size_rows = rows[rows[s.BRAND].isna() & same]
    if s.UNITS in size_rows.columns:
        size_rows = size_rows[size_rows[s.UNITS].notna()]
    label = period_label(start, last)
    notes = [f"The market is the data's latest window for {name}: {label}."]
    if s.UNITS not in window.columns or window[s.UNITS].isna().all():
        if market_size is not None:
            size, size_source = float(market_size), "the market size you gave (--market-size)"
        elif len(size_rows):
            size, size_source = float(size_rows[s.UNITS].iloc[0]), size_rows[s.SOURCE].iloc[0]
        else:
            missing = (
                f"the data gives {name}'s brands as shares only ({label}) with no market size "
                "to turn them into units: pass the market's units with --market-size "
                "(e.g. --market-size 5.65M) or add a market-size row (no brand)"
            )
            return window.iloc[0:0].reset_index(drop=True), tuple(notes), missing
        source = f"{window[s.SOURCE].iloc[0]} (shares) x {size_source} (market size)"
        notes.append(f"Shares turned into units against a market of {units_label(size)}.")
        return in_units(window, size, source=source), tuple(notes), ""
    keep = [c for c in s.COLUMNS if c in window.columns]
    together = pd.concat([window[keep], size_rows[keep].iloc[:1]], ignore_index=True)
    return together, tuple(notes), ""


def _own_figures(figures: pd.DataFrame, brand: str, label: str) -> pd.DataFrame:
    brands = figures[s.BRAND].dropna().astype(str)
    if brand not in set(brands):
        known = ", ".join(sorted(set(brands) - set(s.RESIDUAL_BRANDS))[:12])
        raise ValueError(
            f"brand {brand!r} is not in {label}; brands there: {known}; pass one of them with --brand"
        )
    return figures[figures[s.BRAND].eq(brand).fillna(False)]


def from_figures(
    figures: pd.DataFrame,
    *,
    brand: str,
    market: str,
    target: Target | None = None,
    volumes: tuple[float, ...] | None = None,
    market_size: float | None = None,
    label: str = "the data",
) -> Inputs:
    """The report's inputs from a user's figures frame (``marketshare report --data``).

    The brand's own actual figures are projected (on the market where it has most figures:
    the brand's figures may be worldwide while the market it enters is another); the
    market's brand figures in its latest window are the market the brand would enter. A
    target row in the data is used unless ``target`` is given.

    Raises
    ------
    ValueError
        If the brand has no figures in the data (the message lists the brands there).

    Examples
    --------
    >>> from marketdata import datasets
    >>> ww = datasets.load("worldwide_annual_shipments_by_vendor")
    >>> inputs = from_figures(ww, brand="Huawei", market="WW")
    >>> inputs.title, inputs.market_figures["end"].max().year, len(inputs.volumes)
    ('Huawei worldwide, 2023', 2023, 4)
    """
    own = _own_figures(figures, brand, label)
    target_rows = own[own[s.STATUS] == s.TARGET]
    own = own[~own[s.STATUS].isin([s.TARGET, s.FORECAST])]
    every_market = own.reset_index(drop=True)
    if len(own):
        home = own[s.MARKET].value_counts(sort=True).index[0]
        own = own[own[s.MARKET] == home]
    if target is None and len(target_rows):
        row = target_rows.iloc[-1]
        basis = row[s.BASIS] if row[s.BASIS] in (s.CUMULATIVE, s.PERIOD) else None
        end = pd.Timestamp(row[s.END])
        start = pd.Timestamp(row[s.START]) if pd.notna(row[s.START]) else None
        target = Target(
            units=float(row[s.UNITS]),
            by=end,
            start=start if start is not None else pd.Timestamp(year=end.year, month=1, day=1),
            basis=basis,
            origin="the source",
        )
    market_figures, market_notes, missing = _market_window(figures, market, market_size)
    size = None
    if len(market_figures):
        sizes = market_figures[market_figures[s.BRAND].isna()]
        listed = market_figures[market_figures[s.BRAND].notna()]
        size = float(sizes[s.UNITS].iloc[0]) if len(sizes) else float(listed[s.UNITS].sum())
    incumbent = bool(len(market_figures)) and bool(
        market_figures[s.BRAND].eq(brand).fillna(False).any()
    )
    listed_before = "" if incumbent else _listed_before(every_market, market)
    used = tuple(volumes) if volumes else ()
    if not used and size and not incumbent:
        used = tuple(round(f * size) for f in ENTRY_FRACTIONS)
    assumptions = ()
    if used and not volumes:
        assumptions = (
            f"{brand}'s volumes {in_market(market)} are illustrative scenarios ("
            + ", ".join(units_label(v) for v in used)
            + f" units, {', '.join(f'{f:.1%}' for f in ENTRY_FRACTIONS)} of the market); "
            "give your own with --volumes.",
        )
    year = _year(target, own, market_figures)
    title = f"{brand} {in_market(market)}" + (f", {year}" if year else "")
    questions = questions_for(
        brand, market, target, incumbent, bool(len(market_figures)), entrant=not listed_before
    )
    used_rows = [own, target_rows]
    if len(market_figures):
        used_rows.append(market_figures)
    return Inputs(
        brand=brand,
        market=market,
        brand_figures=own.reset_index(drop=True),
        target=target,
        market_figures=market_figures,
        market_size=size,
        volumes=used,
        title=title,
        questions=questions,
        assumptions=assumptions,
        notes=market_notes,
        sources=tuple(dict.fromkeys(figures[s.SOURCE].dropna().astype(str))),
        source_figures=pd.concat(
            [frame[[c for c in _SOURCE_COLUMNS if c in frame.columns]] for frame in used_rows],
            ignore_index=True,
        ),
        market_missing=missing,
        brand_markets=every_market,
        listed_before=listed_before,
    )


def _listed_before(own: pd.DataFrame, market: str) -> str:
    """The years the brand has figures in ``market`` ("2013–2018"), or "" when none."""
    rows = own[own[s.MARKET].eq(market).fillna(False)]
    if rows.empty:
        return ""
    first, last = int(rows[s.END].min().year), int(rows[s.END].max().year)
    return f"{first}" if first == last else f"{first}–{last}"


def _year(target: Target | None, own: pd.DataFrame, market: pd.DataFrame) -> int | None:
    """The year the report is about: the target's, else the latest figure's."""
    if target is not None:
        return int(target.by.year)
    ends = [f[s.END].max() for f in (own, market) if len(f)]
    return int(max(ends).year) if ends else None


def questions_for(
    brand: str,
    market: str,
    target: Target | None,
    incumbent: bool,
    has_market: bool,
    *,
    entrant: bool = True,
) -> tuple[str, ...]:
    """The questions the report answers, in words built from the inputs."""
    questions = []
    if target is not None:
        if target.basis == s.PERIOD:
            questions.append(
                f"Will {brand} ship {units_label(target.units)} in {target.window}, "
                "and what pace does that need?"
            )
        elif target.basis == s.CUMULATIVE:
            questions.append(
                f"Will {brand} reach {units_label(target.units)} since launch by "
                f"{target.by:%d %B %Y}, and what pace does that need?".replace(" 0", " ")
            )
        else:
            questions.append(f"Will {brand} reach {target.label}, and what pace does that need?")
    else:
        questions.append(f"How will {brand}'s shipments develop?")
    if has_market:
        where = in_market(market)
        if incumbent:
            questions.append(f"What rank does {brand} hold {where}, and how sure is it?")
        else:
            questions.append(
                f"What rank would {brand} take {where}, and what volume buys a top-ten place?"
            )
            if entrant:
                questions.append(
                    f"How would its entry change the concentration of the market {where}?"
                )
    return tuple(questions)
