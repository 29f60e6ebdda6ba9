"""The what-if panel: choose a caseload and scenarios, run, redraw, export (widgets without a kernel)."""

import pandas as pd

from iwp_widgets.caseload import SyntheticSpec, generate_caseload, write_table
from iwp_widgets.caseload.whatif import WhatIfPanel


def test_synthetic_run_redraw_and_export(tmp_path):
    panel = WhatIfPanel(export_dir=tmp_path, generate=30, months=24, reforms=("bond_offset",))
    assert panel.export_button.disabled
    panel.run()
    assert list(panel.runs) == ["baseline", "bond_offset"]
    assert panel.progress.value == panel.progress.max == 60
    assert "Done: 30 beneficiaries, 2 scenarios." in panel.message.value
    panel.metric.value = "ssdi_paid"  # redraws
    assert panel.figures[0]["layout"]["title"]["text"] == "SSDI paid over the projection"
    assert [trace["name"] for trace in panel.figures[0]["data"]] == ["baseline", "bond_offset"]
    assert panel.tables["bond_offset"].loc["ssdi_paid", "mean_change"] >= 0
    path = panel.export()
    results = pd.read_csv(path)
    assert path.parent == tmp_path and len(results) == 60
    assert set(results["scenario"]) == {"baseline", "bond_offset"}


def test_files_come_only_from_the_data_folder(tmp_path):
    write_table(generate_caseload(12, SyntheticSpec(months=12), seed=1), tmp_path / "people.csv")
    (tmp_path / "notes.txt").write_text("not a caseload")
    panel = WhatIfPanel(data_dir=tmp_path, months=12, reforms=())
    assert [value for _, value in panel.source.options] == ["", "people.csv"]
    panel.source.value = "people.csv"
    panel.run()
    assert len(panel.runs["baseline"].outcomes) == 12
    assert panel.export() is None  # no export folder given: nothing written


def test_bad_file_is_reported_not_raised(tmp_path):
    bad = generate_caseload(5, SyntheticSpec(months=6), seed=1)
    bad.loc[2, "benefits"] = "pension"
    write_table(bad, tmp_path / "bad.csv")
    panel = WhatIfPanel(data_dir=tmp_path, months=6, reforms=())
    panel.source.value = "bad.csv"
    panel.run()
    assert "Could not run: benefits: row 2" in panel.message.value
    assert panel.runs == {}
