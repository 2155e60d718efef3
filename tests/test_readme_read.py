"""The README's recipe for the two raw exports runs as written, on every month/quarter."""

import re
import warnings
from pathlib import Path

import pytest

from marketdata import DataError

README = Path(__file__).resolve().parents[1] / "README.md"


def _recipe() -> str:
    section = README.read_text(encoding="utf-8").split("### Two raw exports, one call each", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def _run(code: str) -> dict:
    namespace: dict = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(code, str(README), "exec"), namespace)  # our own README, not user input
    namespace["_warnings"] = [str(w.message) for w in caught]
    return namespace


def test_each_raw_export_is_one_call_and_says_what_it_left_out():
    code = _recipe().split("for figures in", 1)[0]  # the two read() calls
    ns = _run(code)
    assert ns["usage"]["start"].nunique() == 170 and len(ns["usage"]) == 170 * 70
    assert ns["idc"]["start"].nunique() == 58 and len(ns["idc"]) == 383
    said = " ".join(ns["_warnings"])
    assert "70 on line 172: every figure of this window is zero" in said
    assert "1 on line 65: no figures in this row" in said


@pytest.mark.xfail(
    raises=DataError,
    strict=True,
    reason="analysis.market_share refuses StatCounter months whose rounded shares sum to "
    "100.01-100.04% (issue 10, item 1, fixed on the structure branch): remove this mark "
    "when that fix is merged",
)
def test_the_recipe_analyses_every_month_and_quarter():
    ns = _run(_recipe())
    assert ns["hhi"]["start"].nunique() == 58  # the loop ends on the IDC quarters
