"""What every section shares: sources of a frame, the warning guard, HHI words."""

from __future__ import annotations

import dataclasses
import functools
import warnings

import pandas as pd

from analysis._format import hhi_label, range_label
from analysis.report.content import Section, omitted
from analysis.report.inputs import Inputs
from marketdata import schema as s
from marketdata.errors import DataWarning

__all__ = ["TOP", "bounds_of", "guarded", "hhi_text", "require_market", "signed_hhi", "sources_of"]

TOP = 10  # the place that counts: a top-ten brand


def hhi_text(value, bounds=(None, None)) -> str:
    """An HHI as a number, or as the range its bounds allow.

    Examples
    --------
    >>> hhi_text(1800.0), hhi_text(float("nan"), (1659.0, 2020.0)), hhi_text(None)
    ('1,800', '1,659–2,020', 'n/a')
    """
    if value is not None and not pd.isna(value):
        return hhi_label(value)
    low, high = bounds
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "n/a"
    return range_label(low, high, kind="hhi")


def signed_hhi(value, bounds) -> str:
    """A change in HHI points with its sign, or the range its bounds allow.

    Examples
    --------
    >>> signed_hhi(-88.0, (None, None)), signed_hhi(float("nan"), (-76.0, -61.7))
    ('-88', '-76 to -62')
    """
    if value is not None and not pd.isna(value):
        return f"{float(value):+,.0f}"
    low, high = bounds
    if low is None or pd.isna(low):
        return "n/a"
    return f"{float(low):+,.0f} to {float(high):+,.0f}"


def sources_of(frame: pd.DataFrame | None) -> tuple[str, ...]:
    if frame is None or s.SOURCE not in frame.columns:
        return ()
    return tuple(dict.fromkeys(frame[s.SOURCE].dropna().astype(str)))


def guarded(title: str):
    """Mark a section builder: its title, and the data warnings it raised as page notes."""

    def mark(builder):
        @functools.wraps(builder)
        def run(inputs: Inputs, **options) -> Section:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataWarning)
                section = builder(inputs, **options)
            said = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
            for w in caught:  # other warnings go on to the caller
                if not issubclass(w.category, DataWarning):
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            if said:
                notes = tuple(dict.fromkeys(section.notes + tuple(f"Warning: {m}" for m in said)))
                section = dataclasses.replace(section, notes=notes)
            return section

        run.title = title
        return run

    return mark


def require_market(inputs: Inputs, title: str) -> Section | None:
    """The section left out when there is no market to analyse, with the reason."""
    if inputs.market_figures is None or inputs.market_figures.empty:
        return omitted(
            title,
            inputs.market_missing or f"the data has no brand figures for {inputs.market_name}",
        )
    return None


def bounds_of(result, name: str) -> tuple:
    value = getattr(result, name, None)
    return tuple(value) if value is not None else (None, None)
