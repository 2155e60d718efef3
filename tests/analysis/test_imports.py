"""``import analysis`` stays light: each public name's module loads on first use."""

import importlib
import subprocess
import sys

import pytest

import analysis


def test_import_loads_no_computing_module_until_a_name_is_used():
    code = (
        "import sys, analysis\n"
        "print(sorted(m for m in sys.modules if m.startswith('analysis.')))\n"
        "from analysis import market_share\n"
        "print('analysis.structure' in sys.modules, 'analysis.projection' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True False"]


@pytest.mark.parametrize("name", analysis.__all__)
def test_every_public_name_is_the_object_of_its_module(name):
    home = importlib.import_module(analysis._HOME[name])
    assert getattr(analysis, name) is getattr(home, name)
    assert name in dir(analysis)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        analysis.no_such_name  # noqa: B018
