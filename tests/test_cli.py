"""``python -m iwp_widgets caseload IN OUT --scenario NAME``: round trips and clear errors."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from iwp_widgets import PlanError
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


# --- issue 13, item 10: what an attacker or a slip of the keyboard could do with the CLI -----------

FORMULAS = ['=HYPERLINK("http://example.com","click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=2+2"]


def formula_caseload(months: int = 4) -> pd.DataFrame:
    caseload = generate_caseload(len(FORMULAS) + 2, SyntheticSpec(months=months), seed=5)
    caseload["id"] = FORMULAS + ["-5", "B1"]   # "-5" is a number written as text: left alone
    caseload["cohort"] = ["=1+1", "@x", "-1", "+2.5", "plain", "- 3", "=A1", "2026"]
    return caseload


def csv_cells(path: Path) -> list[str]:
    import csv
    with open(path, newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def dangerous(cell: str) -> bool:
    """Would a spreadsheet read this CSV cell as a formula? (OWASP: = + - @ tab CR at the start;
    a plain number such as -5 or +2.5 is a number.)"""
    import re
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?", cell)


@pytest.mark.parametrize("level", ["month", "beneficiary"])
def test_formula_like_cells_are_neutralised_in_csv_results(tmp_path, level):
    write_table(formula_caseload(), tmp_path / "in.parquet")
    out = tmp_path / "out.csv"
    assert main(["caseload", str(tmp_path / "in.parquet"), str(out), "--level", level, "--quiet",
                 "--allow-extra-columns", "--summary", str(tmp_path / "summary.csv")]) == 0
    cells = csv_cells(out)
    assert not [c for c in cells if dangerous(c)]
    ids = set(pd.read_csv(out, dtype={"id": str})["id"])
    # Each formula is kept readable, as text: one apostrophe in front (what a spreadsheet hides).
    assert ids == {"'" + f.strip() for f in FORMULAS} | {"-5", "B1"}  # ids are read stripped
    assert not [c for c in csv_cells(tmp_path / "summary.csv") if dangerous(c)]
    # Numbers stay numbers: a negative amount in a number column is not a formula.
    table = pd.read_csv(out)
    assert pd.api.types.is_numeric_dtype(table["ssdi_paid"]) and pd.api.types.is_numeric_dtype(table["gross_earnings"])


def test_formula_neutralising_covers_text_and_header_cells_but_not_numbers(tmp_path):
    from iwp_widgets.caseload.format import write_table as write

    frame = pd.DataFrame({"id": ["=a", "b"], "=evil": ["@x", "ok"], "delta": [-5.0, 2.0],
                          "count": [-3, 4], "cat": pd.Categorical(["+x", "y"]), "month": ["2026-01", "-"],
                          "note": ["\t=1", "x\r=1+1"]})
    write(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert list(back.columns) == ["id", "'=evil", "delta", "count", "cat", "month", "note"]
    assert back["id"].tolist() == ["'=a", "b"] and back["'=evil"].tolist() == ["'@x", "ok"]
    assert back["delta"].tolist() == [-5.0, 2.0] and back["count"].tolist() == [-3, 4]
    assert back["cat"].tolist() == ["'+x", "y"] and back["month"].tolist() == ["2026-01", "'-"]
    # A carriage return inside a cell keeps it one cell (quoted): no new row starting with =1+1.
    assert back["note"].tolist() == ["'\t=1", "x\r=1+1"]
    # Parquet keeps types, and no spreadsheet runs a Parquet cell: values are written as they are.
    write(frame, tmp_path / "t.parquet")
    assert pd.read_parquet(tmp_path / "t.parquet")["id"].tolist() == ["=a", "b"]


@pytest.mark.parametrize("how", ["same", "dot-dot", "symlink", "hardlink", "summary"])
def test_output_that_is_the_input_is_refused(tmp_path, capsys, how):
    caseload = generate_caseload(4, SyntheticSpec(months=6), seed=1)
    data = tmp_path / "data"
    data.mkdir()
    source = write_table(caseload, data / "people.csv")
    before = source.read_bytes()
    out = {"same": source, "dot-dot": data / ".." / "data" / "people.csv", "summary": tmp_path / "ok.csv"}.get(how)
    if how == "symlink":
        out = tmp_path / "link.csv"
        out.symlink_to(source)
    if how == "hardlink":
        out = tmp_path / "hard.csv"
        out.hardlink_to(source)
    extra = ["--summary", str(source)] if how == "summary" else []
    assert main(["caseload", str(source), str(out), "--quiet", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is the caseload file" in err, err
    assert source.read_bytes() == before


def test_outputs_must_differ_from_each_other(tmp_path, capsys):
    out = str(tmp_path / "out.csv")
    assert main(["caseload", "--generate", "3", "--months", "6", out, "--summary", out, "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("error: --summary: is the same file as OUT")
    assert not Path(out).exists()


@pytest.mark.parametrize("option", ["OUT", "--summary", "--save-caseload"])
def test_missing_output_folder_is_a_plain_message(tmp_path, capsys, option):
    missing = str(tmp_path / "no such folder" / "x.csv")
    paths = {"OUT": str(tmp_path / "o.csv"), "--summary": str(tmp_path / "s.csv"), "--save-caseload": str(tmp_path / "c.csv")}
    paths[option] = missing
    assert main(["caseload", "--generate", "3", "--months", "6", paths["OUT"], "--summary", paths["--summary"],
                 "--save-caseload", paths["--save-caseload"], "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {option}: the folder {str(tmp_path / 'no such folder')!r} does not exist\n"
    assert list(tmp_path.iterdir()) == []  # nothing written, not even the other outputs


@pytest.mark.parametrize("content, message", [
    ("[" * 100_000 + "]" * 100_000, "is nested too deeply"),
    ('{"name": "x", "figures": {"twl": ' + "9" * 400 + "}}", "figures.twl: must be a number"),
    ('{"name": "x", "figures": {"twl": NaN}}', "figures.twl: must be a number"),
    (b"\xff\xfe not text", "is not UTF-8 text"),
    ("", "is not valid JSON"),
])
def test_bad_scenario_files_give_one_line(tmp_path, capsys, content, message):
    scenario = tmp_path / "s.json"
    scenario.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["caseload", "--generate", "3", "--months", "6", str(tmp_path / "o.csv"), "--quiet",
                 "--scenario", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err, err


def test_unreadable_scenario_and_caseload_give_one_line(tmp_path, capsys):
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert main(["caseload", "--generate", "3", str(tmp_path / "o.csv"), "--scenario", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(f"error: scenario: cannot read {str(folder)!r}")
    source = write_table(generate_caseload(3, SyntheticSpec(months=6), seed=1), tmp_path / "in.csv")
    source.chmod(0)
    try:
        if os.access(source, os.R_OK):  # root reads anything: make reading fail another way
            source.chmod(0o600)
            source.write_bytes(b"\x00\x81garbage\xff")
        assert main(["caseload", str(source), str(tmp_path / "o.csv"), "--quiet"]) == 2
    finally:
        source.chmod(0o600)
    err = capsys.readouterr().err
    assert err.startswith(f"error: path: cannot read {str(source)!r}") and err.count("\n") == 1, err


@pytest.mark.parametrize("content", [b"", b"\n\n", b"id,start\n", b"\x00" * 50, b"PAR1garbagePAR1"])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_bad_input_files_give_one_line(tmp_path, capsys, content, suffix):
    source = tmp_path / f"in{suffix}"
    source.write_bytes(content)
    assert main(["caseload", str(source), str(tmp_path / "o.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err


def test_csv_with_a_byte_order_mark_reads(tmp_path):
    caseload = generate_caseload(3, SyntheticSpec(months=6), seed=1)
    plain = write_table(caseload, tmp_path / "plain.csv")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    assert main(["caseload", str(tmp_path / "bom.csv"), str(tmp_path / "o.csv"), "--quiet"]) == 0


NUMPY_REPR = ("np.int64", "np.float64", "np.str_", "np.bool_", "array(")


def test_messages_show_values_as_written_not_numpy_reprs(tmp_path, capsys):
    """'got np.int64(684)' came from the engine's check of twp_completed (a month ordinal)."""
    from iwp_widgets.caseload.simulation import simulate_caseload

    caseload = generate_caseload(3, SyntheticSpec(months=6), seed=1)
    late = caseload.assign(benefits="ssdi", ssdi_monthly=1000.0, twp_completed="2027-01")
    with pytest.raises(PlanError) as info:
        simulate_caseload(late)
    assert not any(r in str(info.value) for r in NUMPY_REPR), info.value
    assert "2027-01" in str(info.value)
    with pytest.raises(PlanError) as info:  # every month check quotes the month as written
        simulate_caseload(caseload.assign(benefits="ssi", ssdi_monthly=0.0, ssi_since="2026-03"))
    assert str(info.value).endswith("got '2026-03'"), info.value
    numbered = caseload.assign(id=[7, 8, 7])  # ids as whole numbers, as Parquet keeps them
    with pytest.raises(PlanError, match=r"^id: row 2 \(id 7\)"):
        simulate_caseload(numbered)
    # Through the CLI: a Parquet list cell, integer ids, a bad month after start.
    nested = caseload.assign(ssdi_monthly=[[1.0], [2.0], [3.0]])
    nested.to_parquet(tmp_path / "nested.parquet")
    numbered.assign(id=[7, 8, 9], twp_completed=[None, None, "2027-01"],
                    benefits="ssdi", ssdi_monthly=900).to_parquet(tmp_path / "late.parquet")
    for name in ("nested.parquet", "late.parquet"):
        assert main(["caseload", str(tmp_path / name), str(tmp_path / "o.csv"), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and not any(r in err for r in NUMPY_REPR), err


def test_results_are_private_files(tmp_path):
    os.umask(0o022)
    write_table(generate_caseload(4, SyntheticSpec(months=6), seed=1), tmp_path / "in.parquet")
    for level, name in (("month", "out.csv"), ("beneficiary", "out.parquet"), ("month", "out.csv.gz"),
                        ("beneficiary", "out2.csv")):
        assert main(["caseload", str(tmp_path / "in.parquet"), str(tmp_path / name), "--level", level,
                     "--summary", str(tmp_path / f"summary-{name}"), "--quiet"]) == 0
        for written in (name, f"summary-{name}"):
            assert stat.S_IMODE((tmp_path / written).stat().st_mode) == 0o600, written
    assert main(["caseload", "--generate", "3", "--months", "6", str(tmp_path / "g.parquet"), "--quiet",
                 "--save-caseload", str(tmp_path / "people.csv")]) == 0
    assert stat.S_IMODE((tmp_path / "people.csv").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporaries left
    # A killed run's temporary file (its process is gone) is removed by the next run writing there.
    stale = tmp_path / ".out.csv.999999999.abc123.tmp"
    stale.write_text("half a table")
    assert main(["caseload", str(tmp_path / "in.parquet"), str(tmp_path / "out.csv"), "--quiet"]) == 0
    assert not stale.exists()
    # A file the analyst already shared (say 0640) keeps its permissions when a run replaces it.
    (tmp_path / "out.csv").chmod(0o640)
    assert main(["caseload", str(tmp_path / "in.parquet"), str(tmp_path / "out.csv"), "--quiet"]) == 0
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o640


def test_entry_point_never_prints_a_traceback(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    for args in (["--scenario", str(deep), str(tmp_path / "o.csv")], [str(tmp_path / "nowhere" / "o.csv")]):
        result = subprocess.run([sys.executable, "-m", "iwp_widgets", "caseload", "--generate", "3", "--months", "6",
                                 "--quiet", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


def test_error_lines_escape_line_breaks_and_terminal_codes(tmp_path, capsys):
    caseload = generate_caseload(3, SyntheticSpec(months=6), seed=1)
    caseload["\x1b[2J\nfake line"] = 1
    caseload.to_parquet(tmp_path / "in.parquet")
    assert main(["caseload", str(tmp_path / "in.parquet"), str(tmp_path / "o.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == "error: '\\x1b[2J\\nfake line': unknown column; the caseload columns are in docs/analysts.md " \
                  "(allow_extra=True keeps other columns)\n"
    # Whatever a message holds (an exception's own text, say), the line printed has no raw control codes.
    from iwp_widgets.__main__ import _error

    assert _error("path: cannot read: line 1\nline 2\x1b[31m red \u202e") == 2
    assert capsys.readouterr().err == "error: path: cannot read: line 1\\nline 2\\x1b[31m red \\u202e\n"


def test_damaged_gzip_and_repeated_parquet_columns_give_one_line(tmp_path, capsys):
    """Found by tests/test_fuzz_caseload.py: a cut .csv.gz raised EOFError or zlib.error with a
    traceback. A Parquet file naming a column twice is refused too (a frame with one, by the validator)."""
    from iwp_widgets.caseload import validate_caseload

    import pyarrow as pa
    import pyarrow.parquet as pq

    whole = write_table(generate_caseload(3, SyntheticSpec(months=6), seed=1), tmp_path / "whole.csv.gz").read_bytes()
    for cut, name in ((len(whole) // 2, "cut.csv.gz"), (len(whole) - 12, "crc.csv.gz")):
        (tmp_path / name).write_bytes(whole[:cut] + (b"\x00" * 8 if name == "crc.csv.gz" else b""))
        assert main(["caseload", str(tmp_path / name), str(tmp_path / "o.csv"), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: path: cannot read {str(tmp_path / name)!r} as csv") and err.count("\n") == 1
    twice = pa.Table.from_arrays([pa.array(["a"]), pa.array(["2026-01"]), pa.array(["2026-02"])],
                                 names=["id", "start", "start"])
    pq.write_table(twice, tmp_path / "twice.parquet")
    assert main(["caseload", str(tmp_path / "twice.parquet"), str(tmp_path / "o.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: path: cannot read") and err.count("\n") == 1
    with pytest.raises(PlanError, match="^start: the column appears more than once; keep one$"):
        validate_caseload(twice.to_pandas())


def test_the_batch_size_the_help_gives_is_the_librarys():
    from iwp_widgets.__main__ import _parser
    from iwp_widgets.caseload.memory import BATCH

    caseload = _parser()._subparsers._group_actions[0].choices["caseload"]
    [option] = [action for action in caseload._actions if "--batch-size" in action.option_strings]
    assert option.default is None  # not given: run_scenario's default, BATCH
    assert f"default {BATCH}" in option.help
