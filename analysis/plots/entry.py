"""An entry scenario: a market's shares before and after a brand enters, with ΔHHI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import percent_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_entry"]

ENTRY_COLUMNS = ["brand", "share_before", "share_after"]
BEFORE_ALPHA = 0.35


def _finite(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def _bounds_pair(value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    low, high = (float(v) for v in value)  # type: ignore[union-attr]
    return (low, high) if np.isfinite(low) and np.isfinite(high) else None


def _hhi_range(bounds: tuple[float, float], signed: bool = False) -> str:
    low, high = bounds
    number = "{:+,.0f}" if signed else "{:,.0f}"
    if np.isclose(low, high):
        return number.format(low)
    return f"{number.format(low)}–{number.format(high)}"


def _hhi_text(
    before: float | None,
    after: float | None,
    delta: float | None,
    *,
    before_bounds: tuple[float, float] | None = None,
    after_bounds: tuple[float, float] | None = None,
    delta_bounds: tuple[float, float] | None = None,
) -> str | None:
    """The subtitle: exact HHI figures when known, else the bounds a residual allows.

    Examples
    --------
    >>> _hhi_text(5200.0, 4312.0, None)
    'ΔHHI −888 (HHI 5,200 → 4,312)'
    >>> _hhi_text(None, None, None, before_bounds=(1659.0, 2020.0),
    ...           after_bounds=(1538.0, 1869.0), delta_bounds=(-151.0, -121.0))
    'HHI 1,659–2,020 → 1,538–1,869, ΔHHI between −151 and −121 (bounds: Others spread thin … as one firm)'
    """
    before, after, delta = _finite(before), _finite(after), _finite(delta)
    if delta is None and before is not None and after is not None:
        delta = after - before
    if delta is not None:
        text = f"ΔHHI {delta:+,.0f}"
        if before is not None and after is not None:
            text += f" (HHI {before:,.0f} → {after:,.0f})"
        return text.replace("-", "−")
    if before_bounds is None or after_bounds is None:
        return None
    if delta_bounds is None:
        a = after_bounds[0] - before_bounds[0]
        b = after_bounds[1] - before_bounds[1]
        delta_bounds = (min(a, b), max(a, b))
    low, high = delta_bounds
    change = (
        f"ΔHHI {low:+,.0f}"
        if np.isclose(low, high)
        else f"ΔHHI between {low:+,.0f} and {high:+,.0f}"
    )
    text = (
        f"HHI {_hhi_range(before_bounds)} → {_hhi_range(after_bounds)}, {change} "
        "(bounds: Others spread thin … as one firm)"
    )
    return text.replace("-", "−")


def _entrant(frame: pd.DataFrame) -> str | None:
    before = frame["share_before"].fillna(0.0)
    new = frame.loc[(before == 0) & (frame["share_after"] > 0), s.BRAND]
    new = new[~new.isin(s.RESIDUAL_BRANDS)]
    return str(new.iloc[0]) if len(new) == 1 else None


def plot_entry(
    data: object,
    *,
    ax: Axes | None = None,
    brand: str | None = None,
    hhi_before: float | None = None,
    hhi_after: float | None = None,
    delta_hhi: float | None = None,
    title: str | None = None,
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """Shares before and after a brand enters, one pair of bars per brand, with ΔHHI.

    Parameters
    ----------
    data : EntryScenario or DataFrame
        An ``entry_scenario`` result (``.frame()``, ``.hhi_before``, ``.hhi_after``,
        ``.delta_hhi`` and, if present, ``.brand`` are used) or its frame [brand,
        units_before, share_before, rank_before, units_after, share_after, rank_after].
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    brand : str, optional
        The entrant (default: the result's ``brand``, else the one brand with no share
        before and a share after). Its bar is labelled with its share.
    hhi_before, hhi_after, delta_hhi : float, optional
        HHI figures for the subtitle when ``data`` is a frame (a result's own
        attributes are used otherwise). Without them there is no ΔHHI subtitle. When a
        result's HHI is NaN (a residual ``Others`` hides the tail), the subtitle gives
        its ``hhi_before_bounds``, ``hhi_after_bounds`` and ``delta_hhi_bounds``: lower
        with Others spread thin over many tiny firms, upper with Others as one firm.
    title : str, optional
        Default "Market shares before and after <brand> enters, <market> <window>" (the
        window when the result or frame names one); "" for none.
    source, illustrative
        Footnote (default source: the result's ``source`` attribute or the frame's
        ``source`` column, if any).
    **kwargs
        Passed to ``Axes.barh`` for both sets of bars.

    Returns
    -------
    Axes
        Horizontal bars, largest share after at the top: for each brand a faded bar
        (before, label "before") and a solid bar (after, label "after") in the brand's
        colour; subtitle (gid ``"subtitle"``) with ΔHHI.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"brand": ["Samsung", "HTC", "Xiaomi"],
    ...                       "share_before": [0.6, 0.4, np.nan],
    ...                       "share_after": [0.54, 0.36, 0.1]})
    >>> ax = plot_entry(frame, hhi_before=5200.0, hhi_after=4312.0)
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "subtitle"]
    ['ΔHHI −888 (HHI 5,200 → 4,312)']
    >>> plt.close(ax.figure)
    """
    frame = _frames.as_frame(data, "data")
    _frames.require(frame, ENTRY_COLUMNS, "the entry-scenario frame")
    _frames.check_unique(frame, [s.BRAND], "the entry-scenario frame")

    def attribute(name: str, given: float | None) -> float | None:
        if given is not None:
            return float(given)
        value = _frames.attribute(data, name)
        return None if value is None else float(value)

    before_hhi = attribute("hhi_before", hhi_before)
    after_hhi = attribute("hhi_after", hhi_after)
    delta = attribute("delta_hhi", delta_hhi)
    given = hhi_before is not None or hhi_after is not None or delta_hhi is not None
    bounds = {
        name: None if given else _bounds_pair(_frames.attribute(data, name))
        for name in ("hhi_before_bounds", "hhi_after_bounds", "delta_hhi_bounds")
    }
    entrant = brand or _frames.attribute(data, "brand") or _entrant(frame)
    residual = frame[s.BRAND].isin(s.RESIDUAL_BRANDS)
    ordered = pd.concat(
        [
            frame[~residual].sort_values("share_after", ascending=False, kind="stable"),
            frame[residual],
        ]
    )
    brands = ordered[s.BRAND].astype(str).tolist()
    y = np.arange(len(brands))[::-1].astype(float)
    colors = palette.brand_colors(brands)
    height = 0.38
    with rc.context():
        ax = rc.axes_or_new(ax)
        ax.barh(
            y + height / 2,
            ordered["share_before"].fillna(0.0).to_numpy(),
            height=height,
            color=colors,
            alpha=BEFORE_ALPHA,
            label="before",
            **kwargs,
        )
        ax.barh(
            y - height / 2,
            ordered["share_after"].fillna(0.0).to_numpy(),
            height=height,
            color=colors,
            label="after",
            **kwargs,
        )
        for position, name, share in zip(y, brands, ordered["share_after"], strict=True):
            if name == entrant and pd.notna(share):
                ax.annotate(
                    f"{name}: {percent_label(share, decimals=1)}",
                    xy=(share, position - height / 2),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize="small",
                    fontweight="bold",
                    color=palette.brand_color(name),
                ).set_gid("entrant")
        ax.set_yticks(y, brands)
        ax.xaxis.set_major_formatter(ticks.percent_formatter())
        ax.set_xlabel("share of units")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.legend(loc="lower right")
        for handle in ax.get_legend().legend_handles:
            handle.set_color(palette.MUTED)
        who = entrant or "a new brand"
        heading = f"Market shares before and after {who} enters" if title is None else title
        where = _frames.window_name(data, frame)
        if title is None and where:
            heading += f", {where}"
        subtitle = _hhi_text(
            before_hhi,
            after_hhi,
            delta,
            before_bounds=bounds["hhi_before_bounds"],
            after_bounds=bounds["hhi_after_bounds"],
            delta_bounds=bounds["delta_hhi_bounds"],
        )
        annotate.title(ax, heading, subtitle)
        if source is None:
            source = _frames.attribute(data, "source") or frame
        annotate.footnote(ax, source, illustrative=illustrative)
    return ax
