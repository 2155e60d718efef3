"""``import marketdata`` stays light: the panel engines load on first use."""

import subprocess
import sys

import pytest

import marketdata


def test_import_does_not_load_narwhals_or_the_panel_engines():
    code = (
        "import sys, analysis, marketdata\n"
        "heavy = [m for m in ('narwhals', 'marketdata.panel', 'duckdb', 'dask') if m in sys.modules]\n"
        "print(heavy)\n"
        "marketdata.read_panel\n"
        "print('narwhals' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_lazy_names_are_the_panel_functions():
    from marketdata.panel import PanelLoaded, read_panel

    assert marketdata.read_panel is read_panel and marketdata.PanelLoaded is PanelLoaded
    assert {"read_panel", "PanelLoaded"} <= set(dir(marketdata)) & set(marketdata.__all__)
    with pytest.raises(AttributeError, match="no_such_name"):
        marketdata.no_such_name  # noqa: B018
