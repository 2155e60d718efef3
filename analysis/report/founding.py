"""The founding case, "Xiaomi in Taiwan, 2012", from the packaged datasets.

Xiaomi's figures and target come from the 2012 news report; the market it planned to enter
is Taiwan's 2012 smartphone market (2012Q2 retail-channel shares applied to 2012's 5.65M
smartphones sold at retail); the 2013 IDC shares and the news report's 7M (all phones) are
labelled alternatives for the rank forecast's sensitivity.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from analysis._format import percent_label, units_label
from analysis.report import known_2012
from analysis.report.inputs import (
    ENTRY_FRACTIONS,
    Alternative,
    Inputs,
    Target,
    in_units,
    questions_for,
)
from marketdata import datasets
from marketdata import schema as s

__all__ = ["FOUNDING", "TAIL_RATIO", "UNLISTED", "founding_case"]

FOUNDING = {"brand": "Xiaomi", "market": "TW"}

#: Brands the 2012 retail figures leave out (an assumption: the source lists three; Sony,
#: LG, Asus, Motorola, Nokia, BlackBerry, Acer and others sold smartphones in Taiwan).
UNLISTED = 12
#: ... sharing the residual geometrically, each 70% of the one above (an assumption: a few
#: mid-sized brands and a long tail, not twelve equal ones).
TAIL_RATIO = 0.7

CONTEXT = (
    "The news report (June 2012): Xiaomi had shipped over 3 million phones by 12 June 2012, "
    "said it would ship 5 million by the end of the year, and planned to enter Taiwan, a "
    "market of 'over seven million' phones a year led by HTC and Samsung, expecting to be a "
    "top-ten brand at once. HTC was said to depend too much on the American market."
)


def _shares_label(shares: pd.DataFrame) -> str:
    return ", ".join(
        f"{r[s.BRAND]} {percent_label(r[s.SHARE], decimals=1)}" for _, r in shares.iterrows()
    )


def founding_case(
    *, volumes: tuple[float, ...] | None = None, target: Target | None = None
) -> Inputs:
    """The founding case's inputs; ``target`` replaces the news report's 5M by 2012.

    Examples
    --------
    >>> case = founding_case()
    >>> case.title, case.target.label, case.target.basis
    ('Xiaomi in Taiwan, 2012', '5M by 31 December 2012', None)
    >>> case.market_figures[["brand", "units"]].round(-3).to_records(index=False).tolist()[:3]
    [('Samsung', 2023000.0), ('HTC', 1588000.0), ('Apple', 605000.0)]
    """
    xiaomi = datasets.load("xiaomi_2011_2012")
    brand_rows = xiaomi[xiaomi[s.BRAND].eq("Xiaomi").fillna(False)]
    target_row = brand_rows[brand_rows[s.STATUS] == s.TARGET].iloc[0]
    actuals = brand_rows[brand_rows[s.STATUS] != s.TARGET].reset_index(drop=True)
    news_size = xiaomi[xiaomi[s.BRAND].isna() & (xiaomi[s.MARKET] == "TW")].iloc[0]
    if target is None:
        by = pd.Timestamp(target_row[s.END])
        target = Target(
            units=float(target_row[s.UNITS]),
            by=by,
            start=pd.Timestamp(year=by.year, month=1, day=1),
            basis=None,
            origin="the source",
        )

    taiwan = known_2012.taiwan_2012()
    shares = taiwan[taiwan[s.BRAND].notna()]
    size_row = taiwan[taiwan[s.BRAND].isna()].iloc[0]
    size = float(size_row[s.UNITS])
    market = in_units(
        shares,
        size,
        source=f"{shares[s.SOURCE].iloc[0]} (2012Q2 shares) x {size_row[s.SOURCE]} (2012 size)",
    )

    tw = datasets.load("taiwan_vendor_share")
    idc_2013 = tw[
        (tw[s.START] == pd.Timestamp("2013-01-01"))
        & (tw[s.END] == pd.Timestamp("2013-12-31"))
        & (tw[s.METRIC] == s.SHIPMENTS)
    ].reset_index(drop=True)
    alternatives = (
        Alternative(
            label="2013 IDC shares instead of 2012Q2 retail",
            figures=in_units(
                idc_2013,
                size,
                source=f"{idc_2013[s.SOURCE].iloc[0]} (2013 shares) x {size_row[s.SOURCE]}",
            ),
            note=f"IDC's 2013 shipment shares ({_shares_label(idc_2013)}), known only after "
            "2012, on the same 5.65M market.",
        ),
        Alternative(
            label="7M all phones instead of 5.65M smartphones",
            figures=in_units(
                shares,
                known_2012.taiwan_size_2012_all_phones(),
                source=f"{shares[s.SOURCE].iloc[0]} (2012Q2 shares) x {news_size[s.SOURCE]}",
            ),
            note="The news report's 'over seven million' counts all mobile phones, feature "
            "phones included; as a smartphone market it overstates the size.",
        ),
    )

    used_volumes = tuple(volumes) if volumes else tuple(round(f * size) for f in ENTRY_FRACTIONS)
    listed = float(shares[s.SHARE].sum())
    assumptions = (
        f"Taiwan's market is the 2012 smartphone market: {units_label(size)} smartphones sold "
        "at retail in 2012, not the news report's 'over seven million', which counts all "
        "phones.",
        f"Brand volumes are the 2012Q2 retail-channel shares ({_shares_label(shares)}) taken "
        f"for the whole year; the {percent_label(1 - listed, decimals=1)} the source does not "
        f"list is shared by {UNLISTED} other brands (an assumption: Sony, LG, Asus, "
        f"Motorola, Nokia, BlackBerry, Acer and others), each {TAIL_RATIO:.0%} of the one "
        "above (a few mid-sized brands and a long tail), never ranked as one brand.",
        "Xiaomi's volumes in Taiwan are illustrative scenarios ("
        + ", ".join(units_label(v) for v in used_volumes)
        + " units a year, "
        + ", ".join(percent_label(v / size, decimals=1) for v in used_volumes)
        + " of the market): no source gives Xiaomi's Taiwan plan in units.",
    )
    notes = ("Xiaomi's 2011 figure (over 300k by end-2011) comes from a low-confidence web page.",)
    case = Inputs(
        brand="Xiaomi",
        market="TW",
        brand_figures=actuals,
        target=target,
        market_figures=market,
        market_size=size,
        volumes=used_volumes,
        title="Xiaomi in Taiwan, 2012",
        questions=(),
        context=CONTEXT,
        assumptions=assumptions,
        notes=notes,
        sources=tuple(dict.fromkeys(list(xiaomi[s.SOURCE].astype(str)))),
        source_figures=pd.concat(
            [frame[[s.BRAND, s.MARKET, s.END, s.SOURCE]] for frame in (xiaomi, taiwan)],
            ignore_index=True,
        ),
        unlisted=UNLISTED,
        split="geometric",
        tail_ratio=TAIL_RATIO,
        alternatives=alternatives,
        founding=True,
    )
    return dataclasses.replace(case, questions=_founding_questions(case), title=_title(case))


def _title(case: Inputs) -> str:
    return f"Xiaomi in Taiwan, {case.target.by.year}" if case.target else case.title


def _founding_questions(case: Inputs) -> tuple[str, ...]:
    first = questions_for(case.brand, case.market, case.target, False, True)
    return first + ("How dependent is HTC on the American market?",)
