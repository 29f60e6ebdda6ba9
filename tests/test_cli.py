"""``python -m iwp_widgets caseload IN OUT --scenario NAME``: round trips and clear errors."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from iwp_widgets.__main__ import main
from iwp_widgets.caseload import SyntheticSpec, generate_caseload, write_table

ROOT = Path(__file__).resolve().parent.parent


def test_round_trip_through_files(tmp_path, capsys):
    caseload = generate_caseload(30, SyntheticSpec(months=24), seed=2)
    write_table(caseload, tmp_path / "in.csv")
    code = main(["caseload", str(tmp_path / "in.csv"), str(tmp_path / "out.parquet"), "--scenario", "higher_sga",
                 "--summary", str(tmp_path / "summary.csv"), "--quiet", "--batch-size", "7"])  # 5 batches
    assert code == 0
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert len(out) == 30 * 24
    assert set(out["id"]) == set(caseload["id"])
    assert out.groupby("id")["gross_earnings"].sum().round(2).sort_index().tolist() == \
        caseload.set_index("id").filter(like="earnings_").sum(axis=1).round(2).sort_index().tolist()
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert "months_to_sga" in summary["metric"].tolist()
    assert "higher_sga: 30 beneficiaries" in capsys.readouterr().out


def test_generate_and_beneficiary_level(tmp_path):
    code = main(["caseload", "--generate", "25", "--months", "12", "--seed", "3", str(tmp_path / "out.csv"),
                 "--level", "beneficiary", "--save-caseload", str(tmp_path / "people.parquet"), "--quiet"])
    assert code == 0
    out = pd.read_csv(tmp_path / "out.csv")
    assert len(out) == 25 and {"id", "months_to_twl", "ssdi_paid", "total_income"} <= set(out.columns)
    people = pd.read_parquet(tmp_path / "people.parquet")
    assert len(people) == 25 and "earnings_11" in people.columns


@pytest.mark.parametrize("args, message", [
    (["caseload", "missing.csv", "out.csv"], "error: path: no caseload file at 'missing.csv'"),
    (["caseload", "in.csv", "out.xlsx"], "error: path: 'out.xlsx' must end in .csv"),
    (["caseload", "in.csv", "out.csv", "--scenario", "lower_taxes"], "error: scenario: unknown scenario"),
    (["caseload", "in.csv"], "error: paths: give IN (the caseload file) and OUT"),
    (["caseload", "--generate", "5", "a.csv", "b.csv"], "error: paths: with --generate give only OUT"),
    (["caseload", "--generate", "0", "out.csv"], "error: n: number of beneficiaries"),
])
def test_errors_are_one_clear_line(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert capsys.readouterr().err.startswith(message)


def test_bad_row_names_column_and_row(tmp_path, capsys):
    caseload = generate_caseload(5, SyntheticSpec(months=6), seed=1)
    caseload.loc[3, "earnings_2"] = -10
    write_table(caseload, tmp_path / "in.csv")
    assert main(["caseload", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: earnings_2: row 3 (id 'S1-P0-3'): must be a number ≥ 0, got -10.0")
    assert not (tmp_path / "out.csv").exists()


def test_python_dash_m_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "iwp_widgets", "caseload", "--generate", "10", "--months", "6",
                             str(tmp_path / "out.csv")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(tmp_path / "out.csv")) == 60
    listed = subprocess.run([sys.executable, "-m", "iwp_widgets", "scenarios"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert "bond_offset" in listed.stdout


def test_unknown_column_needs_the_flag(tmp_path, capsys):
    caseload = generate_caseload(4, SyntheticSpec(months=6), seed=1).assign(cohort="2026 spring")
    write_table(caseload, tmp_path / "in.csv")
    assert main(["caseload", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("error: cohort: unknown column")
    assert main(["caseload", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--quiet",
                 "--allow-extra-columns"]) == 0
