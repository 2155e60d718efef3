"""The README's recipe for the two raw exports runs as written, on every month/quarter."""

import re
import warnings
from pathlib import Path

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
    assert "row 65: 'Please note" in said  # the footnote under Statista's table
    assert "passed over sheet 'Overview'" in said  # and its cover sheet
    assert "'(in million units)'" in said and "multiplied by 1e+06" in said  # the unit
    assert len(ns["_warnings"]) == 4  # nothing else is said
    apple = ns["idc"].set_index(["brand", "start"])["units"]
    assert apple[("Apple", "2009-10-01")] == 8_700_000  # 8.7 million, as the sheet says


def test_the_recipe_analyses_every_month_and_quarter():
    code = _recipe().replace("for figures in (usage, idc):", "for figures in (usage,):")
    months = _run(code)  # StatCounter alone: every month analysed, none refused
    assert months["shares"]["start"].nunique() == 170
    assert months["ranks"]["start"].nunique() == 170 and months["hhi"]["start"].nunique() == 170
    ns = _run(_recipe())
    assert ns["hhi"]["start"].nunique() == 58  # the loop ends on the IDC quarters
