"""What every section shares: the API lookup, number formats and the omission guard."""

from __future__ import annotations

import pandas as pd

from analysis.report.content import Section, omitted
from analysis.report.inputs import Inputs
from marketdata import schema as s

TOP = 10  # the place that counts: a top-ten brand


class Unavailable(Exception):
    """An analysis function this report needs is not part of this version."""


def _api(*names: str):
    import analysis

    found = []
    for name in names:
        value = getattr(analysis, name, None)
        if value is None:
            raise Unavailable(f"analysis.{name} is not available in this version of the toolkit")
        found.append(value)
    return found[0] if len(found) == 1 else found


def units_text(value: float | None) -> str:
    """Units in words-friendly short form: 35k, 1.47M, 5M.

    Examples
    --------
    >>> units_text(5_000_000), units_text(1_470_000), units_text(35_000), units_text(None)
    ('5M', '1.47M', '35k', 'n/a')
    """
    if value is None or pd.isna(value):
        return "n/a"
    from analysis._format import units_label

    return units_label(float(value))


def pct(value: float | None, decimals: int = 0) -> str:
    """A fraction as a percentage; 'n/a' for missing.

    Examples
    --------
    >>> pct(0.283), pct(0.0625, 1), pct(None)
    ('28%', '6.2%', 'n/a')
    """
    if value is None or pd.isna(value):
        return "n/a"
    return f"{100 * float(value):.{decimals}f}%"


def hhi_text(value, bounds=(None, None), *, digits: int = 0) -> str:
    """An HHI (or other measure) as a number, or as the range its bounds allow.

    Examples
    --------
    >>> hhi_text(1800.0), hhi_text(float("nan"), (1659.0, 2020.0))
    ('1,800', '1,659-2,020')
    >>> hhi_text(float("nan"), (-76.0, -61.7)), hhi_text(None)
    ('-76 to -62', 'n/a')
    """
    if value is not None and not pd.isna(value):
        return f"{float(value):,.{digits}f}"
    low, high = bounds
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "n/a"
    joint = " to " if float(low) < 0 or float(high) < 0 else "-"
    return f"{float(low):,.{digits}f}{joint}{float(high):,.{digits}f}"


def _sources(frame: pd.DataFrame | None) -> tuple[str, ...]:
    if frame is None or s.SOURCE not in frame.columns:
        return ()
    return tuple(dict.fromkeys(frame[s.SOURCE].dropna().astype(str)))


def guarded(builder):
    """Run a section builder; an unavailable API gives an omitted section with the reason."""

    def run(inputs: Inputs, **options) -> Section:
        import dataclasses
        import warnings

        from marketdata.errors import DataWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            try:
                section = builder(inputs, **options)
            except Unavailable as missing:
                return omitted(builder.title, str(missing))
        said = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
        for w in caught:  # other warnings go on to the caller
            if not issubclass(w.category, DataWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if said:
            notes = tuple(dict.fromkeys(section.notes + tuple(f"Warning: {m}" for m in said)))
            section = dataclasses.replace(section, notes=notes)
        return section

    run.title = builder.title
    run.__name__ = builder.__name__
    run.__doc__ = builder.__doc__
    return run


def _titled(title: str):
    def mark(function):
        function.title = title
        return guarded(function)

    return mark


def _require_market(inputs: Inputs, title: str) -> Section | None:
    if inputs.market_figures is None or inputs.market_figures.empty:
        return omitted(title, f"the data has no brand figures for {inputs.market_name}")
    return None


def _bounds(result, name: str) -> tuple:
    value = getattr(result, name, None)
    return tuple(value) if value is not None else (None, None)


def _signed(value, bounds) -> str:
    """A change in points with its sign, or the range its bounds allow.

    Examples
    --------
    >>> _signed(-88.0, (None, None)), _signed(float("nan"), (-76.0, -61.7))
    ('-88', '-76 to -62')
    """
    if value is not None and not pd.isna(value):
        return f"{float(value):+,.0f}"
    low, high = bounds
    if low is None or pd.isna(low):
        return "n/a"
    return f"{float(low):+,.0f} to {float(high):+,.0f}"
