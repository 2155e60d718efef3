"""A tornado chart of a one-at-a-time sensitivity: how far each input moves the result.

Each bar starts at the base result and ends at the result with the input at its low or
high value, the input value written at the bar's own end. When both results lie on one
side of the base the row holds two thin bars, one above the other, so neither value is
written over the other bar or on the wrong side of the base. A competitor whose larger
volume *raises* the entrant's chance is explained under the chart: with the market size
fixed, a bigger listed brand leaves less for the unlisted brands modelled from the
remainder, and fewer of them outsell the entrant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis._format import probability_label, units_label
from analysis.plots import _frames, annotate, palette, rc, ticks
from marketdata.errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["COLUMNS", "input_label", "plot_sensitivity"]

COLUMNS = ["input", "low", "high", "prob_low", "prob_high", "prob_base"]
LOW_COLOR, HIGH_COLOR = "#9FB7D9", "#1F4E8C"
#: Inputs that are not a competitor's volume (the rest are brands).
MODEL_INPUTS = {
    "units": "{brand}'s units",
    "market_size": "market size",
    "unlisted": "number of unlisted brands",
    "cv": "volume uncertainty (CV)",
    "market_cv": "market-size uncertainty (CV)",
    "common_cv": "common shock (CV)",
    "tail_ratio": "unlisted tail ratio",
}


def input_label(name: object, brand: str | None = None) -> str:
    """How an input is named on the chart.

    Examples
    --------
    >>> input_label("market_size"), input_label("units", "Xiaomi"), input_label("HTC")
    ('market size', "Xiaomi's units", 'HTC')
    """
    text = MODEL_INPUTS.get(str(name))
    if text is None:
        return str(name)
    return text.format(brand=brand or "the brand")


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


def _rows(y: float, base: float, p_low: float, p_high: float) -> tuple[float, float, float]:
    """(y of the low bar, y of the high bar, bar height) of one input's row."""
    if (p_low - base) * (p_high - base) > 0:  # one side: two thin bars, low above
        return y + 0.16, y - 0.16, 0.3
    return y, y, 0.6


def _rival(names: pd.Series, brand: str | None) -> pd.Series:
    """Which inputs are competitors' volumes: not model inputs, not the brand, and not
    named for units, the market or the unlisted brands (as a relabelled table may)."""
    other = names.str.casefold().str.contains("units|market|unlisted|cv|ratio", regex=True)
    return ~names.isin(list(MODEL_INPUTS)) & ~other & (names != (brand or ""))


def _raisers(frame: pd.DataFrame, brand: str | None) -> list[str]:
    """Competitors (:func:`_rival`) whose higher volume gives a higher probability."""
    brands = _rival(frame["input"].astype(str), brand)
    up = frame["prob_high"].to_numpy(dtype=float) > frame["prob_low"].to_numpy(dtype=float)
    return frame.loc[brands & up, "input"].astype(str).tolist()


def plot_sensitivity(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    brand: str | None = None,
    notes: Mapping[str, str] | None = None,
    title: str | None = None,
    xlabel: str = "probability",
    source: object = None,
    illustrative: bool = False,
    **kwargs: Any,
) -> Axes:
    """A tornado chart: how the result moves when each input goes from low to high.

    Parameters
    ----------
    data : DataFrame
        ``sensitivity`` output: [input, low, high, prob_low, prob_high, prob_base] (one
        row per input; ``low``/``high`` are the input's values, ``prob_*`` the results),
        optionally ``note`` (what to say about an input's range). A market size whose
        low end was raised to the listed brands' total (the default ranges share one
        low/high ratio, so the raise shows) is noted without being told.
    ax : Axes, optional
        Where to draw; a new figure of the standard size when None.
    brand : str, optional
        The entrant, to name its units and the competitors' effect.
    notes : mapping input -> str, optional
        More notes on inputs' ranges (added to a ``note`` column's).
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
        Per input (widest swing at the top) a bar from ``prob_base`` to ``prob_low``
        (label "low input") and one to ``prob_high`` ("high input"), each input value
        at its own bar's end on the side the bar points to (Texts with gid
        ``"input-value"``); a line at the base; notes on ranges and on competitors whose
        growth raises the chance under the axes (gid ``"sensitivity-note"``).

    Raises
    ------
    DataError
        When a column is missing or ``prob_base`` differs between rows.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> frame = pd.DataFrame({"input": ["units", "market_size"], "low": [2e6, 6e6],
    ...                       "high": [4e6, 8e6], "prob_low": [0.3, 0.55],
    ...                       "prob_high": [0.9, 0.65], "prob_base": [0.6, 0.6]})
    >>> ax = plot_sensitivity(frame, brand="Xiaomi")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['market size', "Xiaomi's units"]
    >>> plt.close(ax.figure)
    """
    _frames.require(data, COLUMNS, "the sensitivity frame")
    frame = data.assign(_swing=(data["prob_high"] - data["prob_low"]).abs()).sort_values(
        "_swing", ascending=True, kind="stable"
    )
    bases = frame["prob_base"].to_numpy(dtype=float)
    if not np.allclose(bases, bases[0], equal_nan=True):
        raise DataError(
            f"prob_base differs between rows ({sorted(set(bases.tolist()))}); a tornado "
            "chart needs one base result: run the sensitivity from one base case"
        )
    base = float(bases[0])
    prob_low = frame["prob_low"].to_numpy(dtype=float)
    prob_high = frame["prob_high"].to_numpy(dtype=float)
    with rc.context():
        ax = rc.axes_or_new(ax)
        rows = [_rows(float(i), base, prob_low[i], prob_high[i]) for i in range(len(frame))]
        y_low, y_high, heights = (np.array(v, dtype=float) for v in zip(*rows, strict=True))
        for y, results, values, color, label in (
            (y_low, prob_low, frame["low"], LOW_COLOR, "low input"),
            (y_high, prob_high, frame["high"], HIGH_COLOR, "high input"),
        ):
            options = {"height": heights, "color": color, "label": label, **kwargs}
            ax.barh(y, results - base, left=base, **options)
            for position, p, value in zip(y, results, values, strict=True):
                # the value sits beyond the bar's end, on the side the bar points to; a
                # bar of no length puts the low value left and the high value right
                left = p < base or (p == base and label == "low input")
                ax.annotate(
                    _value_label(value),
                    xy=(p, position),
                    xytext=(-4 if left else 4, 0),
                    textcoords="offset points",
                    ha="right" if left else "left",
                    va="center",
                    fontsize="x-small",
                    color=palette.MUTED,
                ).set_gid("input-value")
        ax.axvline(base, color=palette.INK, linewidth=1.0, label=f"base {probability_label(base)}")
        labels = [input_label(name, brand) for name in frame["input"]]
        ax.set_yticks(np.arange(len(frame), dtype=float), labels)
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
        handles, names = ax.get_legend_handles_labels()
        order = [names.index(n) for n in names if n.startswith("base")] + [
            names.index(n) for n in ("low input", "high input") if n in names
        ]
        ax.legend(
            [handles[i] for i in order], [names[i] for i in order], loc="lower right",
            bbox_to_anchor=(1.0, 1.0), ncols=3, borderaxespad=0.2,
        )  # fmt: skip
        annotate.title(ax, "Sensitivity" if title is None else title)
        if ax.get_title(loc="left"):
            # the legend sits above the Axes' top right: lift the title over it
            ax.set_title(ax.get_title(loc="left"), loc="left", fontweight="bold", pad=24)
        said = _notes(frame, brand, notes)
        if said:
            annotate.note(ax, said, gid="sensitivity-note")
        annotate.footnote(ax, data if source is None else source, illustrative=illustrative)
    return ax


def _clamped(frame: pd.DataFrame) -> dict[str, str]:
    """A note on a market size whose low end was raised (clamped to the listed brands).

    Default ranges are base x (1 - spread) .. base x (1 + spread) for every input, so the
    competitors' rows share one ratio low / high; a market-size row whose low end sits
    above high x that ratio had it raised, to the total of the brands listed in units.

    Examples
    --------
    >>> frame = pd.DataFrame({"input": ["market_size", "HTC", "LG"],
    ...     "low": [5.67e6, 1.176e6, 168e3], "high": [8.4e6, 1.764e6, 252e3]})
    >>> _clamped(frame)
    {'market_size': "low end 5.67M, not 5.6M (base 7M − 20%): the listed brands' total"}
    """
    names = frame["input"].astype(str)
    rivals = frame[_rival(names, None)]
    size = frame[names.isin(["market_size", "market size"])]
    if size.empty or rivals.empty:
        return {}
    ratios = (rivals["low"].astype(float) / rivals["high"].astype(float)).to_numpy()
    if not np.allclose(ratios, ratios[0], rtol=1e-6):
        return {}  # ranges given by hand: nothing to infer
    ratio = float(ratios[0])
    low, high = float(size["low"].iloc[0]), float(size["high"].iloc[0])
    if low <= high * ratio * (1 + 1e-6):
        return {}
    spread = (1 - ratio) / (1 + ratio)
    base = high / (1 + spread)
    return {
        str(
            size["input"].iloc[0]
        ): f"low end {units_label(low)}, not {units_label(base * (1 - spread))} "
        f"(base {units_label(base)} − {spread:.0%}): the listed brands' total"
    }


def _notes(frame: pd.DataFrame, brand: str | None, notes: Mapping[str, str] | None) -> str:
    lines = []
    given = {**_clamped(frame), **dict(notes or {})}
    if "note" in frame.columns:
        for name, note in zip(frame["input"], frame["note"], strict=True):
            if isinstance(note, str) and note.strip():
                given.setdefault(str(name), note.strip())
    for name, note in given.items():
        lines.append(f"{input_label(name, brand)}: {note}")
    raisers = _raisers(frame, brand)[::-1]  # as the chart lists them, top down
    if raisers:
        who = brand or "the entrant"
        names = " or ".join([", ".join(raisers[:-1]), raisers[-1]] if len(raisers) > 1 else raisers)
        lines.append(
            f"A larger {names} raises {who}'s chance: with the market size fixed, it leaves "
            "less for the unlisted brands modelled from the remainder, so fewer of them "
            f"outsell {who}."
        )
    return "\n".join(lines)
