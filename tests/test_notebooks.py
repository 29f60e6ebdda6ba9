"""Run every notebook under notebooks/ top to bottom, the way a trainer or analyst would.

A notebook fails on any error output, except in a cell tagged `raises-exception` (a lesson that
shows what a bad input does), which must then really raise. Each notebook runs in its own folder
(relative paths work as in JupyterLab), in memory: the files on disk are never rewritten.
New notebooks are picked up automatically.
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from iwp_widgets.jupyter_workarounds import is_installed

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
CELL_TIMEOUT_SECONDS = 300
RAISES_TAG = "raises-exception"


def notebook_paths() -> list[Path]:
    return sorted(
        path
        for path in NOTEBOOKS_DIR.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


def _params():
    paths = notebook_paths()
    if not paths:
        # Keeps pytest from exiting with "no tests collected" while notebooks/ is still empty.
        return [pytest.param(None, marks=pytest.mark.skip(reason="notebooks/ holds no notebook yet"),
                             id="no-notebooks")]
    return [pytest.param(path, id=str(path.relative_to(NOTEBOOKS_DIR))) for path in paths]


def problems_in(notebook) -> list[str]:
    """Error outputs outside `raises-exception` cells, tagged cells that did not raise, and
    tracebacks printed to stderr (e.g. from a widget callback)."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        tagged = RAISES_TAG in cell.metadata.get("tags", [])
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors and not tagged:
            problems += [f"cell {index}: {error.ename}: {error.evalue}" for error in errors]
        if tagged and not errors:
            problems.append(f"cell {index}: tagged {RAISES_TAG} but raised nothing")
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stderr" and "Traceback" in out.text:
                problems.append(f"cell {index}: traceback on stderr:\n{out.text}")
    return problems


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("path", _params())
def test_notebook_runs_without_errors(path):
    assert is_installed(), "tests/conftest.py must install the get_msg work-around"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
    )
    client.execute()
    assert problems_in(notebook) == []


def _cell(tags=(), outputs=()):
    cell = nbformat.v4.new_code_cell("x", metadata={"tags": list(tags)})
    cell.outputs = [nbformat.from_dict(out) for out in outputs]
    return cell


ERROR = {"output_type": "error", "ename": "PlanError", "evalue": "earnings[0]: bad", "traceback": []}


def test_problems_in_reports_errors_outside_tagged_cells_and_silent_tagged_cells():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        _cell(outputs=[ERROR]),
        _cell(tags=[RAISES_TAG], outputs=[ERROR]),
        _cell(tags=[RAISES_TAG]),
        _cell(outputs=[{"output_type": "stream", "name": "stderr", "text": "Traceback (most..."}]),
        _cell(outputs=[{"output_type": "stream", "name": "stderr", "text": "a harmless warning"}]),
    ]
    assert problems_in(notebook) == [
        "cell 0: PlanError: earnings[0]: bad",
        f"cell 2: tagged {RAISES_TAG} but raised nothing",
        "cell 3: traceback on stderr:\nTraceback (most...",
    ]
