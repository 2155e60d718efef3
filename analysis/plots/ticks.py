"""Tick formatters: matplotlib's view of :mod:`analysis._format`, the toolkit's one number
format (units ``3M``, shares ``25%``, HHI ``1,800``)."""

from __future__ import annotations

from typing import Any

from analysis._format import hhi_label, percent_label, units_label

__all__ = ["hhi_formatter", "percent_formatter", "units_formatter"]


def units_formatter() -> Any:
    """A tick formatter for units (:func:`analysis._format.units_label`).

    Examples
    --------
    >>> units_formatter()(3_000_000), units_formatter()(1_250_000_000)
    ('3M', '1.25B')
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos=None: units_label(x))


def percent_formatter(*, decimals: int = 0) -> Any:
    """A tick formatter for fractions 0–1 as percentages
    (:func:`analysis._format.percent_label`).

    Examples
    --------
    >>> percent_formatter()(0.25), percent_formatter(decimals=1)(0.125)
    ('25%', '12.5%')
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos=None: percent_label(x, decimals=decimals))


def hhi_formatter() -> Any:
    """A tick formatter for HHI points (:func:`analysis._format.hhi_label`).

    Examples
    --------
    >>> hhi_formatter()(1800)
    '1,800'
    """
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos=None: hhi_label(x))
