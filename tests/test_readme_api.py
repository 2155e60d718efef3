"""The README's API section says what the code does: every public function of
``marketdata``, ``analysis`` and ``analysis.plots`` is in its table, with its real
positional arguments, keyword-only options (in order) and return annotation, and the
result classes follow the protocol the section describes."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import analysis
import marketdata
from analysis import plots

README = Path(__file__).resolve().parents[1] / "README.md"
SHARED_ORDER = ("brand", "market", "end", "seed", "draws", "progress")
ROW = re.compile(r"^\| `([\w.]+)` \| `([^`]*)` \| ([^|]+) \| `(.+)` \|$")
RESULT_ROW = re.compile(r"^\| `([\w.]+)` \| `(\w+)` \| ([^|]+) \|$")


def _section() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## API\n", 1)[1].split("\n## ", 1)[0].splitlines()


def _function_rows() -> dict[str, tuple[str, str, str]]:
    return {m[1]: (m[2], m[3].strip(), m[4]) for line in _section() if (m := ROW.match(line))}


def _resolve(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _public_functions() -> list[str]:
    names = []
    for module in (marketdata, analysis, plots):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and (module is not plots or name.startswith("plot_")):
                names.append(f"{module.__name__}.{name}")
    return names


def _cells(function) -> tuple[str, str, str]:
    """(positional, keyword-only, returns) as the README table writes them."""
    signature = inspect.signature(function)
    params = list(signature.parameters.values())
    positional = ", ".join(
        p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    )
    keywords = [p.name for p in params if p.kind == p.KEYWORD_ONLY]
    keywords += [f"**{p.name}" for p in params if p.kind == p.VAR_KEYWORD]
    returns = signature.return_annotation
    returns = returns if isinstance(returns, str) else getattr(returns, "__name__", str(returns))
    returns = returns.replace("pd.", "").replace("np.", "").replace("|", "\\|")
    return positional, ", ".join(keywords) or "–", returns


def test_every_public_function_is_in_the_table_once():
    rows = _function_rows()
    listed = [m[1] for line in _section() if (m := ROW.match(line))]
    assert len(listed) == len(set(listed))  # no function twice
    assert sorted(rows) == sorted(_public_functions())


@pytest.mark.parametrize("dotted", _public_functions())
def test_the_table_row_is_the_real_signature(dotted):
    assert _function_rows()[dotted] == _cells(_resolve(dotted))


@pytest.mark.parametrize("dotted", _public_functions())
def test_shared_options_come_in_the_shared_order(dotted):
    names = [n for n in inspect.signature(_resolve(dotted)).parameters if n in SHARED_ORDER]
    assert names == sorted(names, key=SHARED_ORDER.index)


def test_analysis_functions_take_figures_first_and_charts_take_data():
    for dotted in _public_functions():
        first = next(iter(inspect.signature(_resolve(dotted)).parameters))
        if dotted.startswith("analysis.plots."):
            assert first == "data", dotted
        elif dotted.startswith("analysis."):
            # a figures frame first, but for the functions that take what another returned
            # (a Projection, several projections) or a plain array of units
            assert first in {"figures", "projection", "projections", "units"}, dotted


def test_the_result_classes_follow_the_protocol():
    rows = [m for line in _section() if (m := RESULT_ROW.match(line)) and not ROW.match(line)]
    assert len(rows) == 8
    for dotted, returned_by, chart in (m.groups() for m in rows):
        cls = _resolve(dotted)
        for method in ("frame", "summary", "_repr_html_"):
            assert callable(getattr(cls, method, None)), (dotted, method)
        annotation = inspect.signature(getattr(analysis, returned_by)).return_annotation
        assert str(getattr(annotation, "__name__", annotation)) == cls.__name__
        drawn = re.match(r"`(plot_\w+)`", chart)
        if drawn:
            assert hasattr(plots, drawn[1])
            assert drawn[1] in inspect.getsource(cls.plot), (dotted, drawn[1])
        else:
            assert not hasattr(cls, "plot"), dotted


def test_charts_share_ax_first_and_the_footnote_options():
    for name in (n for n in plots.__all__ if n.startswith("plot_")):
        params = list(inspect.signature(getattr(plots, name)).parameters.values())
        keywords = [p.name for p in params if p.kind == p.KEYWORD_ONLY]
        assert keywords[0] == "ax", name
        assert {"title", "source", "illustrative"} <= set(keywords), name
        assert params[-1].kind == params[-1].VAR_KEYWORD, name
