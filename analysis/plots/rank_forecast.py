"""A rank forecast: the probability of each rank, the top places highlighted, and the
assumption about unlisted brands the distribution rests on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import probability_label, units_label
from analysis._validation import check_integer
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_rank_forecast", "unlisted_note"]

RANK = "rank"
PROBABILITY = "probability"


def _forecast_frame(data: object) -> pd.DataFrame:
    frame = _frames.as_frame(data, "data")
    _frames.require(frame, [RANK, PROBABILITY], "the rank-forecast frame")
    return frame.sort_values(RANK, kind="stable").reset_index(drop=True)


def unlisted_note(data: object) -> str | None:
    """What a rank forecast assumed about the brands no source lists, from its inputs.

    The residual of the market (size minus listed brands) is modelled as ``unlisted``
    brands; the rank distribution depends on how many and how it is split, so the chart
    says so. None when the result assumed no unlisted brand (or is a bare frame).

    Examples
    --------
    >>> class Result:  # the attributes of a RankForecast this reads
    ...     unlisted, split = 7, "equal"
    ...     inputs = pd.DataFrame({"kind": ["listed"] + ["unlisted"] * 7,
    ...                            "units": [1.96e6] + [190_000.0] * 7})
    >>> unlisted_note(Result())
    'assumes 7 unlisted brands of equal size ≈ 190k each (1.33M in all); ranks past 2 are places among them'
    """
    count = _frames.attribute(data, "unlisted")
    inputs = _frames.attribute(data, "inputs")
    if not count or not isinstance(inputs, pd.DataFrame) or "kind" not in inputs.columns:
        return None
    units = inputs.loc[inputs["kind"] == "unlisted", s.UNITS].to_numpy(dtype=float)
    if units.size == 0:
        return None
    total = units_label(units.sum())
    noun = "brand" if count == 1 else "brands"
    listed = int((inputs["kind"] == "listed").sum())
    # with the brand itself, ranks past listed + 1 can only be places among the unlisted
    among = f"; ranks past {listed + 1} are places among them" if count > 1 else ""
    if np.allclose(units, units[0]):
        each = "" if count == 1 else f" of equal size ≈ {units_label(units[0])} each"
        return f"assumes {count} unlisted {noun}{each} ({total} in all){among}"
    return (
        f"assumes {count} unlisted {noun} of {units_label(units.max())} down to "
        f"{units_label(units.min())} ({_frames.attribute(data, 'split')} split, {total} in "
        f"all){among}"
    )


def plot_rank_forecast(
    data: object,
    *,
    ax: Axes | None = None,
    top: int | None = None,
    brand: str | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """Probability of each rank, ranks 1..``top`` highlighted, with P(top ``top``) and
    the unlisted-brands assumption.

    Parameters
    ----------
    data : RankForecast or DataFrame
        A ``project_rank`` result (``.frame()``, ``.prob_top(n)``, ``top``, ``brand``,
        ``market``, ``start``/``end``, ``unlisted``/``inputs`` and ``source`` are used)
        or its frame [rank, probability, cumulative_probability].
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    top : int, optional
        The place that counts (a top-``top`` brand); its ranks are drawn in the brand's
        colour, the others in grey. Default: the result's ``top``, else 10.
    brand : str, optional
        The brand (default: the result's ``brand``); sets the colour.
    title : str, optional
        Default "Rank forecast for <brand>, <market name> <window>"; "" for none.
    source, illustrative
        Footnote (default source: the result's ``source`` attribute, if any).
    **kwargs
        Passed to ``Axes.bar``.

    Returns
    -------
    Axes
        One bar per rank (highlighted for rank ≤ ``top``), a dashed line after rank
        ``top``; under the title ``P(top N) = x%``, or ``P(top N) >99%`` for a bound (gid
        ``"prob-top"``, formatted by :func:`analysis._format.probability_label`: never
        rounded to 0% or 100%) and the
        result's unlisted-brands assumption (gid ``"assumption"``, see
        :func:`unlisted_note`).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"rank": [1, 2, 3], "probability": [0.2, 0.5, 0.3]})
    >>> ax = plot_rank_forecast(frame, top=2, brand="Xiaomi")
    >>> len(ax.patches), [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"]
    (3, ['P(top 2) = 70%'])
    >>> plt.close(ax.figure)
    """
    if top is None:
        top = _frames.attribute(data, "top")
        top = 10 if top is None else top
    top = check_integer(top, "top", minimum=1)
    frame = _forecast_frame(data)
    brand = brand if brand is not None else _frames.attribute(data, "brand")
    prob_top = _frames.attribute(data, "prob_top")
    if callable(prob_top):
        p_top = float(prob_top(top))
    else:
        p_top = float(frame.loc[frame[RANK] <= top, PROBABILITY].sum())
    highlight = palette.brand_color(brand) if brand else palette.ACCENT
    ranks = frame[RANK].to_numpy()
    colors = np.where(ranks <= top, highlight, palette.BRAND_COLORS[s.OTHERS])
    note = unlisted_note(data)
    with rc.context():
        ax = rc.axes_or_new(ax)
        options = {"width": 0.8, "color": list(colors), **kwargs}
        ax.bar(ranks, frame[PROBABILITY].to_numpy(), **options)
        if ranks.min() <= top < ranks.max():
            ax.axvline(top + 0.5, color=palette.MUTED, linestyle="--", linewidth=1.0)
        who = brand or "the brand"
        heading = f"Rank forecast for {who}" if title is None else title
        where = _frames.window_name(data, frame)
        if title is None and where:
            heading += f", {where}"
        ax.set_title(heading, loc="left", fontweight="bold", pad=32 if note else 20)
        annotate.above(
            ax,
            f"P(top {top}) {'' if probability_label(p_top)[0] in '<>' else '= '}"
            f"{probability_label(p_top)}",
            gid="prob-top",
            offset=17 if note else 5,
            fontweight="bold",
            color=highlight,
        )
        if note:
            annotate.above(ax, note, gid="assumption", fontsize="x-small")
        ax.set_xlabel("rank")
        ax.set_ylabel("probability")
        ax.yaxis.set_major_formatter(ticks.percent_formatter())
        step = max(1, int(np.ceil(len(ranks) / 20)))
        ax.set_xticks(ranks[::step])
        ax.set_xlim(ranks.min() - 0.6, ranks.max() + 0.6)
        ax.grid(axis="x", visible=False)
        if source is None:
            source = _frames.attribute(data, "source")
        annotate.footnote(ax, source, illustrative=illustrative)
    return ax
