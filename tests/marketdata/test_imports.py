"""``import marketdata`` stays light: the panel engines load on first use."""

import subprocess
import sys

import pytest

import marketdata


def test_import_does_not_load_narwhals_or_the_panel_engines():
    code = (
        "import sys, analysis, marketdata\n"
        "lazy = ('narwhals', 'marketdata.panel', 'marketdata.convert', 'duckdb', 'dask')\n"
        "heavy = [m for m in lazy if m in sys.modules]\n"
        "print(heavy)\n"
        "marketdata.read_panel\n"
        "print('narwhals' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_lazy_names_are_the_functions_of_their_modules():
    from marketdata.convert import to_cumulative, to_periods
    from marketdata.panel import PanelLoaded, read_panel

    assert marketdata.read_panel is read_panel and marketdata.PanelLoaded is PanelLoaded
    assert marketdata.to_periods is to_periods and marketdata.to_cumulative is to_cumulative
    lazy = {"read_panel", "PanelLoaded", "to_periods", "to_cumulative"}
    assert lazy <= set(dir(marketdata)) & set(marketdata.__all__)
    with pytest.raises(AttributeError, match="no_such_name"):
        marketdata.no_such_name  # noqa: B018
