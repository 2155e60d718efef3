"""Scenarios: a market before and after an entrant (with ΔHHI), and a tornado chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import percent_label, units_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

ENTRY_COLUMNS = ["brand", "share_before", "share_after"]
SENSITIVITY_COLUMNS = ["input", "low", "high", "prob_low", "prob_high", "prob_base"]
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
    entry_scenario: object,
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
    entry_scenario : EntryScenario or DataFrame
        An ``entry_scenario`` result (``.frame()``, ``.hhi_before``, ``.hhi_after``,
        ``.delta_hhi`` and, if present, ``.brand`` are used) or its frame [brand,
        units_before, share_before, rank_before, units_after, share_after, rank_after].
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    brand : str, optional
        The entrant (default: the result's ``brand``, else the one brand with no share
        before and a share after). Its bar is labelled with its share.
    hhi_before, hhi_after, delta_hhi : float, optional
        HHI figures for the subtitle when ``entry_scenario`` is a frame (a result's own
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
    frame = _frames.as_frame(entry_scenario, "entry_scenario")
    _frames.require(frame, ENTRY_COLUMNS, "the entry-scenario frame")
    _frames.check_unique(frame, [s.BRAND], "the entry-scenario frame")

    def attribute(name: str, given: float | None) -> float | None:
        if given is not None:
            return float(given)
        value = _frames.attribute(entry_scenario, name)
        return None if value is None else float(value)

    before_hhi = attribute("hhi_before", hhi_before)
    after_hhi = attribute("hhi_after", hhi_after)
    delta = attribute("delta_hhi", delta_hhi)
    given = hhi_before is not None or hhi_after is not None or delta_hhi is not None
    bounds = {
        name: None if given else _bounds_pair(_frames.attribute(entry_scenario, name))
        for name in ("hhi_before_bounds", "hhi_after_bounds", "delta_hhi_bounds")
    }
    entrant = brand or _frames.attribute(entry_scenario, "brand") or _entrant(frame)
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
        where = _frames.window_name(entry_scenario, frame)
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
            source = _frames.attribute(entry_scenario, "source") or frame
        annotate.footnote(ax, source, illustrative=illustrative)
    return ax


def _value_label(value: object) -> str:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if abs(number) >= 1_000:
            return units_label(number)
        return f"{number:.3g}"
    return str(value)


def _probability_limits(values: np.ndarray, *, least: float = 0.2) -> tuple[float, float]:
    """x-limits around probabilities: at least ``least`` wide, within 0..1, plus a margin
    of 12% on each side (outside 0..1 if need be) for the value labels.

    Examples
    --------
    >>> [round(v, 3) for v in _probability_limits(np.array([1.0, 1.0]))]
    [0.776, 1.024]
    >>> # 0.2..0.9 is 0.7 wide: margin 0.084 each side
    >>> [round(v, 3) for v in _probability_limits(np.array([0.2, 0.9]))]
    [0.116, 0.984]
    """
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    if high - low < least:
        middle = (low + high) / 2
        low, high = middle - least / 2, middle + least / 2
        if low < 0:
            low, high = 0.0, least
        if high > 1:
            low, high = 1.0 - least, 1.0
    margin = 0.12 * (high - low)
    return low - margin, high + margin


def plot_sensitivity(
    sensitivity: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str = "probability",
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """A tornado chart: how the result moves when each input goes from low to high.

    Parameters
    ----------
    sensitivity : DataFrame
        ``sensitivity`` output: [input, low, high, prob_low, prob_high, prob_base] (one
        row per input; ``low``/``high`` are the input's values, ``prob_*`` the results).
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    title : str, optional
        Default "Sensitivity"; "" for none.
    xlabel : str
        Label of the result axis.
    source, illustrative
        Footnote, as in :func:`analysis.plots.plot_shares`.
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    Axes
        Two bars per input starting at ``prob_base`` (the widest swing at the top): one to
        ``prob_low`` (label "low input") and one to ``prob_high`` (label "high input");
        a vertical line at the base; each bar end annotated with the input value (when
        both bars lie on one side of the base, the shorter bar's value sits at the base,
        on the empty side, so no value is printed over a bar).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"input": ["units", "market size"], "low": [2e6, 6e6],
    ...                       "high": [4e6, 8e6], "prob_low": [0.3, 0.55],
    ...                       "prob_high": [0.9, 0.65], "prob_base": [0.6, 0.6]})
    >>> ax = plot_sensitivity(frame)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['market size', 'units']
    >>> plt.close(ax.figure)
    """
    _frames.require(sensitivity, SENSITIVITY_COLUMNS, "the sensitivity frame")
    frame = sensitivity.assign(
        _swing=(sensitivity["prob_high"] - sensitivity["prob_low"]).abs()
    ).sort_values("_swing", ascending=True, kind="stable")
    bases = frame["prob_base"].to_numpy(dtype=float)
    if not np.allclose(bases, bases[0], equal_nan=True):
        raise ValueError(
            f"prob_base differs between rows ({sorted(set(bases.tolist()))}); a tornado "
            "chart needs one base result: run the sensitivity from one base case"
        )
    base = float(bases[0])
    y = np.arange(len(frame), dtype=float)
    low_color, high_color = "#9FB7D9", "#1F4E8C"
    prob_low = frame["prob_low"].to_numpy(dtype=float)
    prob_high = frame["prob_high"].to_numpy(dtype=float)
    with rc.context():
        ax = rc.axes_or_new(ax)
        bars = {}
        for column, color, label in (
            ("prob_low", low_color, "low input"),
            ("prob_high", high_color, "high input"),
        ):
            result = frame[column].to_numpy(dtype=float)
            options = {"height": 0.6, "color": color, "label": label, **kwargs}
            bars[column] = ax.barh(y, result - base, left=base, **options)
        for i, position in enumerate(y):
            low_bar, high_bar = bars["prob_low"].patches[i], bars["prob_high"].patches[i]
            # both results on one side of the base: the shorter bar in front
            if (prob_low[i] - base) * (prob_high[i] - base) > 0:
                shorter = abs(prob_low[i] - base) < abs(prob_high[i] - base)
                low_bar.set_zorder(2.1 if shorter else 1.9)
                high_bar.set_zorder(1.9 if shorter else 2.1)
            # each input value outside its bar's end; on a tie, low left and high right
            left_is_low = prob_low[i] <= prob_high[i]
            ends = [
                [prob_low[i], frame["low"].iloc[i], left_is_low],
                [prob_high[i], frame["high"].iloc[i], not left_is_low],
            ]
            if (prob_low[i] - base) * (prob_high[i] - base) > 0:
                # both on one side: the nearer end lies inside the longer bar, so its value
                # goes at the base, on the empty side (next to where its bar starts)
                near = 0 if abs(prob_low[i] - base) < abs(prob_high[i] - base) else 1
                ends[near][0] = base
                ends[near][2] = prob_low[i] > base
                ends[1 - near][2] = not ends[near][2]
            for end, value, left in ends:
                ax.annotate(
                    _value_label(value),
                    xy=(end, position),
                    xytext=(-4 if left else 4, 0),
                    textcoords="offset points",
                    ha="right" if left else "left",
                    va="center",
                    fontsize="x-small",
                    color=palette.MUTED,
                ).set_gid("input-value")
        shown = percent_label(base, decimals=1 if 0 < base < 0.1 else 0)
        ax.axvline(base, color=palette.INK, linewidth=1.0, label=f"base {shown}")
        ax.set_yticks(y, frame["input"].astype(str).tolist())
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="y", visible=False)
        from matplotlib.ticker import MaxNLocator

        low, high = _probability_limits(np.concatenate([prob_low, prob_high, [base]]))
        tick_values = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(
            max(low, 0.0), min(high, 1.0)
        )
        ax.set_xticks([v for v in tick_values if -1e-9 <= v <= 1 + 1e-9])
        ax.set_xlim(low, high)
        ax.xaxis.set_major_formatter(ticks.percent_formatter())
        ax.set_xlabel(xlabel)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3, borderaxespad=0.2)
        annotate.title(ax, "Sensitivity" if title is None else title)
        if ax.get_title(loc="left"):
            # the legend sits above the Axes' top right: lift the title over it
            ax.set_title(ax.get_title(loc="left"), loc="left", fontweight="bold", pad=24)
        annotate.footnote(ax, sensitivity if source is None else source, illustrative=illustrative)
    return ax
