"""The analyst notebooks run top to bottom, quickly, from the repository root and from
``notebooks/``, draw their charts inline, and are committed without outputs."""

from __future__ import annotations

import time

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def run_notebook(book: nbformat.NotebookNode, folder) -> float:
    """Execute ``book`` in a fresh kernel started in ``folder``; return the seconds taken."""
    client = NotebookClient(
        book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def outputs(book: nbformat.NotebookNode) -> list:
    return [o for cell in book.cells if cell.cell_type == "code" for o in cell.outputs]


def images(book: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs(book))


def test_the_four_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS][:4] == [
        "01-explore-inventory",
        "02-dependencies",
        "03-prioritise",
        "04-roadmap",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), (
        f"strip the outputs of {path.name} before committing"
    )


def expected_images(book: nbformat.NotebookNode) -> int:
    """Cells that draw: a chart as the cell's value, or pyplot axes a chart drew on."""
    code = [c.source for c in book.cells if c.cell_type == "code"]
    return sum("charts." in source for source in code)


@pytest.mark.slow
@pytest.mark.parametrize("where", ["root", "notebooks"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_and_draws_inline_from_the_root_and_from_notebooks(path, where):
    book = nbformat.read(path, as_version=4)
    elapsed = run_notebook(book, ROOT if where == "root" else ROOT / "notebooks")
    errors = [o for o in outputs(book) if o.output_type == "error"]
    assert not errors, errors[0].get("evalue")
    warnings = [o.text for o in outputs(book) if o.get("name") == "stderr"]
    assert not any("Warning" in text for text in warnings), warnings
    assert images(book) == expected_images(book) > 0
    assert elapsed < 90, f"{path.name} took {elapsed:.0f} s"


@pytest.mark.slow
def test_importing_planner_keeps_the_inline_backend_and_charts_display(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib\n%matplotlib inline\nbefore = matplotlib.get_backend()"
        ),
        nbformat.v4.new_code_cell(
            "import planner\nfrom planner import charts, export, report\n"
            "import planner.cli\n"
            "print(matplotlib.get_backend() == before, 'inline' in before)"
        ),
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "trust = planner.load(planner.sample_path('five-systems'))\n"
            "figure = charts.plot_portfolio(trust.systems.join(planner.score(trust)))\n"
            "print(plt.get_fignums())\n"
            "figure"
        ),
    ]
    run_notebook(book, tmp_path)
    assert book.cells[1].outputs[0].text == "True True\n"
    assert book.cells[2].outputs[0].text == "[]\n"  # pyplot holds no chart: none pile up
    assert "image/png" in book.cells[2].outputs[1].data
