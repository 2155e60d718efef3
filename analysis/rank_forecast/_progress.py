"""Progress bars for long runs: a notebook widget where Jupyter can draw one, text otherwise.

``tqdm.auto`` warns (``TqdmWarning: IProgress not found``) in a notebook without ipywidgets;
here the bar falls back to tqdm's text bar instead, silently.

Examples
--------
>>> progress_bar(10, show=False) is None
True
>>> bar = progress_bar(10, show=True, file=__import__("io").StringIO())
>>> type(bar).__module__
'tqdm.std'
>>> bar.close()
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["progress_bar", "wants_progress"]

#: Runs with at least this many draws in all show a bar by default.
DEFAULT_THRESHOLD = 2_000_000


def wants_progress(progress: bool | None, total_draws: int) -> bool:
    """Whether to show a bar: as asked, or by default for runs of 2,000,000 draws or more.

    Examples
    --------
    >>> wants_progress(None, 10), wants_progress(None, 3_000_000), wants_progress(True, 1)
    (False, True, True)
    """
    if progress is None:
        return total_draws >= DEFAULT_THRESHOLD
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    return progress


def _notebook() -> bool:
    """In a Jupyter kernel with ipywidgets installed (so a widget bar can be drawn)."""
    return "ipykernel" in sys.modules and importlib.util.find_spec("ipywidgets") is not None


def progress_bar(total: int, *, show: bool, desc: str = "", unit: str = "draw", **options: Any):
    """A tqdm bar of ``total`` steps, or None when ``show`` is False.

    A widget bar in a Jupyter kernel with ipywidgets, else the text bar (never the
    ``TqdmWarning`` of ``tqdm.auto``).
    """
    if not show:
        return None
    if _notebook():  # pragma: no cover - needs a Jupyter kernel with ipywidgets
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(total=total, desc=desc, unit=unit, **options)
