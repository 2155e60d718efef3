"""The summary object every result's ``.summary()`` returns.

Like statsmodels' ``Summary``: it prints as text (``print(result.summary())``) and renders as
HTML in Jupyter, with one style for every result of the toolkit and numbers formatted as the
charts format them (:mod:`analysis._format`): ``6.93M``, ``27%``, never ``6.930348e+06``.

A summary holds a title, *facts* (label and value pairs, each formatted by its kind), tables
(frames of raw numbers, formatted by column name at render time, numbers right-aligned) and
notes (assumptions, warnings, what the point forecast is, sources).

Examples
--------
>>> import pandas as pd
>>> s = Summary(
...     "Xiaomi: 5M by 2012-12-31",
...     facts=[("probability", 0.97, "probability"), ("units then", 6.93e6, "units"),
...            ("model", "runrate")],
...     tables=[("Shares", pd.DataFrame({"brand": ["HTC", "Apple"], "share": [0.21, 0.13]}))],
...     notes=["Run-rate errors of IDC brands at a similar stage."],
... )
>>> print(s)
Xiaomi: 5M by 2012-12-31
========================
probability  97%
units then   6.93M
model        runrate
<BLANKLINE>
Shares
brand  share
HTC      21%
Apple    13%
<BLANKLINE>
Note: Run-rate errors of IDC brands at a similar stage.
>>> s.facts_dict()["units then"]
'6.93M'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis._format import format_frame, format_value, kind_of_column

__all__ = ["Summary"]

_STYLE = (
    "<style>"
    ".marketshare-summary{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "font-size:13px;color:#222;max-width:46em}"
    ".marketshare-summary h4{margin:.2em 0 .4em;font-size:14px}"
    ".marketshare-summary table{border-collapse:collapse;margin:.3em 0 .8em}"
    ".marketshare-summary th,.marketshare-summary td{padding:2px 10px;"
    "border-bottom:1px solid #e5e5e5;text-align:left}"
    ".marketshare-summary td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".marketshare-summary caption{text-align:left;font-weight:600;padding:.2em 0}"
    ".marketshare-summary p.note{color:#6f6f6f;margin:.2em 0}"
    "</style>"
)


def _fact(item: Sequence[Any]) -> tuple[str, str]:
    if len(item) == 2:
        label, value = item
        return str(label), value if isinstance(value, str) else format_value(value)
    label, value, kind = item
    return str(label), format_value(value, kind)


def _numeric(series: pd.Series, kind: str | None) -> bool:
    return kind is not None or pd.api.types.is_numeric_dtype(series.dtype)


def _text_table(table: pd.DataFrame, kinds: Mapping[str, str | None]) -> list[str]:
    """Lines of a plain-text table: text left-aligned, numbers right-aligned."""
    text = format_frame(table, {c: k for c, k in kinds.items() if k})
    width = {c: max([len(str(c))] + [len(v) for v in text[c].tolist()]) for c in table.columns}
    right = {c: _numeric(table[c], kinds[c]) for c in table.columns}

    def line(cells: Iterable[tuple[Any, str]]) -> str:
        return "  ".join(
            f"{v:>{width[c]}}" if right[c] else f"{v:<{width[c]}}" for c, v in cells
        ).rstrip()

    rows = [line((c, str(c)) for c in table.columns)]
    rows += [line(zip(table.columns, values, strict=True)) for values in text.to_numpy().tolist()]
    return rows


@dataclass(frozen=True, init=False, eq=False)
class Summary:
    """A result's summary: prints as text, renders as HTML.

    Parameters
    ----------
    title : str
    facts : iterable of tuples
        ``(label, text)`` or ``(label, value, kind)`` where kind is one of
        :data:`analysis._format.KINDS` (``"units"``, ``"share"``, ``"share_pp"``, ``"hhi"``,
        ``"probability"``) or None for plain formatting.
    tables : iterable of (caption, DataFrame)
        Raw numbers; columns are formatted by their names (``units*``, ``share*``, ...)
        unless ``kinds`` says otherwise.
    notes : iterable of str
    kinds : mapping of column name to kind, optional
        Overrides for the tables' column kinds.
    """

    title: str
    facts: Sequence[tuple[str, str]] = field(default_factory=tuple)
    tables: Sequence[tuple[str, pd.DataFrame]] = field(default_factory=tuple)
    notes: Sequence[str] = field(default_factory=tuple)
    kinds: Mapping[str, str] = field(default_factory=dict)

    def __init__(
        self,
        title: str,
        *,
        facts: Iterable[Sequence[Any]] = (),
        tables: Iterable[tuple[str, pd.DataFrame]] = (),
        notes: Iterable[str] = (),
        kinds: Mapping[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "title", str(title))
        object.__setattr__(self, "facts", tuple(_fact(f) for f in facts))
        object.__setattr__(self, "tables", tuple((str(c), t.copy()) for c, t in tables))
        object.__setattr__(self, "notes", tuple(str(n) for n in notes if n))
        object.__setattr__(self, "kinds", dict(kinds or {}))

    def facts_dict(self) -> dict[str, str]:
        """The facts as a dict of label to formatted text."""
        return dict(self.facts)

    def _kinds(self, table: pd.DataFrame) -> dict[str, str | None]:
        return {c: self.kinds.get(c, kind_of_column(c)) for c in table.columns}

    def as_text(self) -> str:
        """The summary as plain text (what ``print`` shows)."""
        lines = [self.title, "=" * len(self.title)]
        if self.facts:
            width = max(len(label) for label, _ in self.facts)
            lines += [f"{label:<{width}}  {value}" for label, value in self.facts]
        for caption, table in self.tables:
            lines += ["", caption] if caption else [""]
            lines += _text_table(table, self._kinds(table))
        if self.notes:
            lines.append("")
            lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def as_html(self) -> str:
        """The summary as an HTML fragment with the toolkit's one summary style."""
        esc = html.escape
        parts = [_STYLE, '<div class="marketshare-summary">', f"<h4>{esc(self.title)}</h4>"]
        if self.facts:
            parts.append("<table>")
            parts += [
                f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
                for label, value in self.facts
            ]
            parts.append("</table>")
        for caption, table in self.tables:
            kinds = self._kinds(table)
            text = format_frame(table, {c: k for c, k in kinds.items() if k})
            parts.append("<table>")
            if caption:
                parts.append(f"<caption>{esc(caption)}</caption>")
            parts.append("<tr>" + "".join(f"<th>{esc(str(c))}</th>" for c in table.columns))
            for _, row in text.iterrows():
                cells = [
                    f'<td class="num">{esc(row[c])}</td>'
                    if _numeric(table[c], kinds[c])
                    else f"<td>{esc(row[c])}</td>"
                    for c in table.columns
                ]
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</table>")
        parts += [f'<p class="note">{esc(n)}</p>' for n in self.notes]
        parts.append("</div>")
        return "".join(parts)

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        return self.as_html()
