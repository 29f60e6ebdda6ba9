"""The analyst notebook runs headless with papermill on a small caseload and exports its results."""

from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "what_if.ipynb"


def test_notebook_has_a_parameters_cell_and_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")


@pytest.mark.slow
def test_papermill_run_on_a_small_caseload(tmp_path):
    export = tmp_path / "results.csv"
    out = tmp_path / "what_if.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), cwd=str(NOTEBOOK.parent), kernel_name="python3", progress_bar=False,
        execution_timeout=300,
        parameters={"generate": 40, "months": 24, "seed": 3, "reforms": ["higher_sga", "bond_offset"],
                    "export_path": str(export)})
    results = pd.read_csv(export)
    assert sorted(results["scenario"].unique()) == ["baseline", "bond_offset", "higher_sga"]
    assert len(results) == 3 * 40
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    shown = "".join(str(o.get("data", {})) for c in executed.cells for o in c.get("outputs", []))
    assert "baseline: Current rules." in shown
    # Charts are drawn inside Output widgets (whatif._show_chart): their figures are widget state.
    widgets = str(executed.metadata.get("widgets", {}))
    assert "Share of the caseload reaching each point" in widgets
    assert "Months until earnings first pass SGA" in widgets


def test_axes_that_count_people_carry_no_dollar_signs():
    # Issue 16: the shared chart layout puts "$" on every y-axis; these axes count people.
    from iwp_widgets.caseload import whatif
    from iwp_widgets.caseload.charts import distribution_figure, shares_figure

    caseload = whatif.load_caseload(None, generate=20, seed=3, months=24)
    runs = whatif.run(caseload, "baseline", ["bond_offset"], progress=False)
    summaries = {name: r.summary for name, r in runs.items()}
    shares = shares_figure(summaries)["layout"]
    assert shares["yaxis"]["title"]["text"] == "Percent of beneficiaries"
    assert (shares["yaxis"]["tickprefix"], shares["yaxis"]["ticksuffix"]) == ("", "%")
    for metric, x_prefix in (("months_to_sga", ""), ("benefits_paid", "$")):
        layout = distribution_figure(summaries, metric)["layout"]
        assert layout["yaxis"]["title"]["text"] == "Beneficiaries"
        assert layout["yaxis"]["tickprefix"] == "" and layout["xaxis"]["tickprefix"] == x_prefix
