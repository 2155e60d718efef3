"""The README's quickstart runs as written and gives the numbers it promises."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _quickstart() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_starts_with_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("## ", 1)[0]
    assert "make report" in setup and "make test" in setup
    assert text.index("## Set-up") < text.index("## Quickstart") < text.index("## Layout")


def test_quickstart_runs_on_the_packaged_data():
    code = _quickstart()
    assert len(code.strip().splitlines()) <= 10
    namespace: dict = {}
    exec(compile(code, str(README), "exec"), namespace)  # our own README, not user input
    tw2013 = namespace["tw2013"]
    # IDC 2013 shares x 7M: Samsung 0.28 x 7,000,000 = 1,960,000; Others 1 - 0.81 = 0.19 -> 1,330,000
    units = tw2013.set_index("brand")["units"]
    assert round(units["Samsung"]) == 1_960_000
    assert round(units["Others"]) == 1_330_000
