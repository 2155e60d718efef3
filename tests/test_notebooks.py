"""Every notebook runs top to bottom on a fresh kernel, and is committed without outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell


def test_the_three_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01-xiaomi-taiwan-2012.ipynb",
        "02-worldwide-market-2009-2024.ipynb",
        "03-projection-backtests.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (path.name, cell.source)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path, monkeypatch):
    # The kernel imports this checkout's packages (installed or not) and draws headless.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []


def test_every_chart_shows_in_jupyter(monkeypatch):
    # Regression: the first chart of a session used to switch interactive mode off on its
    # way out (rc_context restoring it), so the second chart showed nothing.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    cells = [
        "from marketdata import datasets\n"
        "from analysis import market_share, plots\n"
        "import warnings; warnings.simplefilter('ignore')\n"
        "shares = market_share(datasets.load('worldwide_quarterly_shipments_by_vendor'))\n"
        "ax = plots.plot_shares(shares)",
        "ax = plots.plot_shares(shares, kind='bar', top=5)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=CELL_TIMEOUT).execute()
    shown = [
        sum("image/png" in output.get("data", {}) for output in cell.outputs)
        for cell in notebook.cells
    ]
    assert shown == [1, 1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_concentration_charts_name_their_data_source(path):
    # concentration()'s frame has no source column, so plot_concentration cites only the
    # HHI guidelines unless source= is passed: a notebook chart must name its figures' source
    notebook = nbformat.read(path, as_version=4)
    calls = [
        line
        for cell in notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if "plot_concentration(" in line and "import" not in line
    ]
    assert all("source=" in line for line in calls), calls
