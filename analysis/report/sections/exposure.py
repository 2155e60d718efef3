"""Section: how much of a brand's volume comes from each market, as far as data allows.

For the founding case, HTC's dependence on the American market from what was published by
mid-2012 (HTC gave no regional split); for other data, the brand's units by market.
"""

from __future__ import annotations

import pandas as pd

from analysis import exposure
from analysis._format import percent_label, range_label, units_label, window_label
from analysis.plots import plot_exposure
from analysis.report import known_2012
from analysis.report.content import Chart, Section, TableBlock, omitted
from analysis.report.inputs import Inputs, market_name
from analysis.report.sections._common import guarded, sources_of
from marketdata import schema as s

__all__ = ["exposure_section"]

TITLE = "Dependence on markets"


@guarded(TITLE)
def exposure_section(inputs: Inputs, **_: object) -> Section:
    """How much of a brand's volume comes from each market, as far as the data allows."""
    if inputs.founding:
        return _htc_us()
    return _exposure_from_data(inputs)


def _given(share: float) -> int:
    """The decimals of a percentage as its source gave it: 0.229 -> 1 (22.9%), 0.5 -> 0."""
    points = round(100 * share, 6)
    return 0 if points == round(points) else 1


def _htc_us() -> Section:
    """HTC's dependence on the US: three published estimates and what they cannot say."""
    figures = known_2012.htc_us_dependence()
    of_company = [d for d in figures if "share of HTC" in d.label]
    low = min(d.value for d in of_company)
    high = max(d.value for d in of_company)
    us_share = next(d for d in figures if d.label.startswith("HTC's share of US"))
    rows = tuple(
        (
            d.label,
            ("about " if d.qualifier == "approx" else "")
            + percent_label(d.value, decimals=_given(d.value)),
            d.source.split(",", 1)[0].split(" (", 1)[0],
        )
        for d in figures
    )
    paragraphs = (
        f"HTC depended heavily on the American market: published estimates put the US at "
        f"{range_label(low, high, kind='share')} of HTC's business in 2011 (about 50% of its "
        "revenue and about 40% of its smartphone shipments, by analysts quoted in the Wall "
        "Street Journal; Canalys measured 5.77M of HTC's 13.2M smartphones in 2011Q3, about "
        f"43%, in the US, where HTC led with {percent_label(us_share.value, decimals=1)} of "
        "shipments).",
        "What the data cannot say: HTC published no regional split, so these are estimates "
        "by outsiders for 2011, not HTC's own figures; revenue and units give different "
        "shares (US phones sold at higher prices); nothing here measures the US share in "
        "2012, when HTC's US sales were falling.",
    )
    data = pd.DataFrame(
        {
            "measure": [d.label for d in figures],
            "share": [d.value for d in figures],
            "qualifier": [d.qualifier for d in figures],
            "source": [d.source for d in figures],
            "evidence": [d.evidence for d in figures],
        }
    )
    return Section(
        title=TITLE,
        paragraphs=paragraphs,
        tables=(
            TableBlock(("measure", "share", "estimated by"), rows, "HTC and the United States"),
        ),
        sources=tuple(dict.fromkeys(d.source for d in figures)),
        answer=(
            f"HTC: the US was {range_label(low, high, kind='share')} of its 2011 business "
            "(analysts: about 50% of revenue, 40% of shipments; Canalys: about 43% of 2011Q3 "
            "units); HTC published no split of its own."
        ),
        values={"us_low": low, "us_high": high},
        data=(("HTC and the US", data),),
    )


def _exposure_from_data(inputs: Inputs) -> Section:
    figures = inputs.brand_markets if inputs.brand_markets is not None else inputs.brand_figures
    if s.UNITS not in figures.columns:
        return omitted(TITLE, f"the data has no unit figures for {inputs.brand}")
    rows = figures[figures[s.MARKET].ne(s.WORLDWIDE).fillna(False) & figures[s.UNITS].notna()]
    if s.BASIS in rows.columns:
        rows = rows[rows[s.BASIS] == s.PERIOD]
    if rows.empty or rows[s.MARKET].nunique() < 2:
        return omitted(
            TITLE,
            f"the data has {inputs.brand}'s figures for fewer than two markets, so its "
            "dependence on any one market cannot be measured",
        )
    window = rows.groupby([s.START, s.END])[s.MARKET].nunique().idxmax()
    rows = rows[(rows[s.START] == window[0]) & (rows[s.END] == window[1])]
    result = exposure(rows)
    frame = result.frame() if hasattr(result, "frame") else result
    if isinstance(frame, tuple):
        frame = frame[0]
    table_rows = tuple(
        (market_name(str(r[s.MARKET])), units_label(r[s.UNITS]), percent_label(r["exposure"]))
        for _, r in frame.sort_values("exposure", ascending=False).iterrows()
    )

    def draw(ax, title=""):
        plot_exposure(frame, ax=ax, title=title, source=sources_of(rows))

    return Section(
        title=TITLE,
        paragraphs=(f"{inputs.brand}'s units by market, {window_label(window[0], window[1])}.",),
        tables=(TableBlock(("market", "units", "share of volume"), table_rows),),
        charts=(
            Chart("exposure", f"Where {inputs.brand}'s units come from", draw, sources_of(rows)),
        ),
        sources=sources_of(rows),
        answer=f"{inputs.brand}'s largest market: {table_rows[0][0]} ({table_rows[0][2]}).",
        data=(("exposure", frame),),
    )
