"""Bad caseload files through the command line (issue 13): a run succeeds, or stops with exit status 2
and one line ``error: …``; never a traceback, a numpy repr (``np.int64(684)``) or a half-written file.

Hypothesis starts from a small valid caseload and breaks it: cells of the wrong type, formulas
(``=1+1``), huge or tiny numbers, NaN and infinity, empty cells, missing, renamed or unknown
columns, no rows; then writes it as CSV, gzipped CSV or Parquet and may damage the bytes (a UTF-8
byte-order mark, truncation, flipped bytes, garbage, an empty file). Scenario files are fuzzed
too: JSON nested thousands deep, 400-digit numbers, NaN, text that is not JSON. A successful run
must write private files (0600) whose CSV cells a spreadsheet cannot run as formulas.

Runs are derandomized with no example database, so CI sees the same examples every time
(IWP_FUZZ_SCALE=0.1 runs a tenth of them, as in tests/test_fuzz_plans.py).
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import stat
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iwp_widgets.__main__ import main
from iwp_widgets.caseload import SyntheticSpec, generate_caseload
from iwp_widgets.caseload.format import PATH_COLUMNS, PROFILE_COLUMNS

SCALE = float(os.environ.get("IWP_FUZZ_SCALE", "1"))
FUZZ = dict(deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.function_scoped_fixture])

MONTHS = 4
BASE = generate_caseload(3, SyntheticSpec(months=MONTHS), seed=4)
PATHS = generate_caseload(3, SyntheticSpec(months=MONTHS), seed=4, expand=False)
NUMPY_REPRS = re.compile(r"\bnp\.[a-z_]+[0-9]*\(|\barray\(|dtype=")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

# --- strategies -------------------------------------------------------------------------------------

odd_text = st.sampled_from([
    "", " ", "=1+1", "@SUM(A1:A2)", "+1", "-1", "-2+3", "\t=1", "\r=1", "a\r=1", "\n", "nan", "NaN", "inf",
    "-inf", "1e309", "-0", "true", "maybe", "2026-13", "0000-01", "2026-1", "9999-12", "1999-06", "ssdi",
    "SSI", "both", "couple", "CA", "zz", "\ufeffid", "é", "😀", "2025-01;2025-01", "2025-01 2026-03",
    "2020-01 2020-02 2020-03 2020-04 2020-05 2020-06 2020-07 2020-08 2020-09 2020-10", "x" * 300,
])
odd_value = st.one_of(
    odd_text,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**30, max_value=10**30),
    st.sampled_from([0, -1, 1e308, -1e-300, 744, 745, 169, 240, 10**18]),
    st.booleans(), st.none(),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
column_name = st.one_of(st.sampled_from([*PROFILE_COLUMNS, *PATH_COLUMNS, "earnings_0", f"earnings_{MONTHS}",
                                         "earnings_x", "irwe_0", "hours_1", "=cmd|' /C calc'!A0", "@x", "",
                                         "blnd", "id "]),
                        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8))


@st.composite
def broken_frames(draw) -> pd.DataFrame:
    frame = draw(st.sampled_from([BASE, BASE, PATHS, BASE])).copy()
    if draw(st.booleans()):  # ids a spreadsheet would run: a successful run must write them as text
        frame["id"] = draw(st.permutations(["=1+1", "@SUM(A1)", "-2+3", "+A1", "\t=1", "-5", "a\r=1"]))[:len(frame)]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):
        how = draw(st.sampled_from(["cell", "cell", "cell", "column", "drop", "rename", "add"]))
        columns = list(frame.columns)
        if how == "cell" and columns and len(frame):
            column, row = draw(st.sampled_from(columns)), draw(st.integers(0, len(frame) - 1))
            frame[column] = frame[column].astype(object)
            frame.loc[frame.index[row], column] = draw(odd_value)
        elif how == "column" and columns:
            frame[draw(st.sampled_from(columns))] = draw(odd_value)
        elif how == "drop" and columns:
            frame = frame.drop(columns=draw(st.sampled_from(columns)))
        elif how == "rename" and columns:
            frame = frame.rename(columns={draw(st.sampled_from(columns)): draw(column_name)})
        elif how == "add":
            frame[draw(column_name)] = draw(odd_value)
    if draw(st.sampled_from(["keep"] * 10 + ["no rows"] + ["keep"] * 10)) == "no rows":
        frame = frame.iloc[:0]
    return frame


@st.composite
def scenario_texts(draw) -> str | None:
    kind = draw(st.sampled_from(["shipped"] * 6 + ["nested", "number", "text", "figures"]))
    if kind == "shipped":
        return None
    if kind == "nested":
        depth, opener = draw(st.integers(1, 5000)), draw(st.sampled_from(["[", '{"a":']))
        return opener * depth + "0" + ("]" if opener == "[" else "}") * depth
    if kind == "text":
        return draw(st.text(max_size=40))
    value = draw(st.one_of(st.sampled_from(["NaN", "Infinity", "-1", "1e400", "9" * 400, "9" * 5000, "[]", "{}",
                                            '{"2027-01": -5}', '{"times": 1e308}', '{"same_as": "nothing"}',
                                            '{"2027-13": 5}', "null", '"x"']),
                           st.floats(0, 1e6).map(repr)))
    name = draw(st.sampled_from(["twl", "sga_non_blind", "ssdi_offset_threshold", "not_a_figure"]))
    if kind == "number":
        return f'{{"name": "fuzz", "earnings": {{"hours_scale": {value}}}}}'
    return f'{{"name": "fuzz", "figures": {{"{name}": {value}}}}}'


def write_caseload(frame: pd.DataFrame, path: Path) -> None:
    """The frame as a file, written with pandas (not the package's own writer, which is under test)."""
    if path.suffix == ".parquet":
        try:
            frame.to_parquet(path, index=False)
        except (ValueError, TypeError, OverflowError, pa.ArrowException):
            # Mixed types in a column, a huge whole number, a column name twice: Parquet (through
            # pyarrow) takes them all if every column is text.
            columns = [pa.array([str(v) for v in frame.iloc[:, i]], pa.string()) for i in range(frame.shape[1])]
            pq.write_table(pa.Table.from_arrays(columns, names=[str(c) for c in frame.columns]), path)
    else:
        frame.to_csv(path, index=False, compression="gzip" if path.name.endswith(".gz") else None)


def damage(data: bytes, how: str, where: int) -> bytes:
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how == "truncate":
        return data[: where % (len(data) + 1)]
    if how == "flip" and data:
        i = where % len(data)
        return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:]
    if how == "garbage":
        return bytes((where * 7 + i * 13) % 256 for i in range(200))
    if how == "empty":
        return b""
    return data


def csv_cells(path: Path) -> list[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not PLAIN_NUMBER.fullmatch(cell)


# --- the fuzz ---------------------------------------------------------------------------------------

@settings(max_examples=max(1, int(600 * SCALE)), **FUZZ)
@given(frame=broken_frames(), suffix=st.sampled_from([".csv", ".csv", ".csv.gz", ".parquet"]),
       damaged=st.sampled_from(["none"] * 6 + ["bom", "truncate", "flip", "garbage", "empty"] + ["none"] * 8),
       where=st.integers(0, 10**6), scenario=scenario_texts(), level=st.sampled_from(["month", "beneficiary"]),
       out_suffix=st.sampled_from([".csv", ".parquet", ".csv.gz"]), extra=st.booleans(),
       months=st.sampled_from([None, None, MONTHS, MONTHS, 0, -3, 241, 10**6]))
def test_bad_caseload_files_exit_2_with_one_line_or_succeed(capsys, frame, suffix, damaged, where, scenario, level,
                                                            out_suffix, extra, months):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = folder / f"caseload{suffix}"
        write_caseload(frame, source)
        source.write_bytes(damage(source.read_bytes(), damaged, where))
        out, summary = folder / f"out{out_suffix}", folder / "summary.csv"
        args = ["caseload", str(source), str(out), "--level", level, "--summary", str(summary), "--quiet"]
        if scenario is not None:
            (folder / "scenario.json").write_text(scenario, encoding="utf-8")
            args += ["--scenario", str(folder / "scenario.json")]
        if extra:
            args.append("--allow-extra-columns")
        if months is not None:
            args += ["--months", str(months)]

        code = main(args)
        printed, err = capsys.readouterr()
        event("ran" if code == 0 else f"refused: {err.split(':')[1].strip() if ':' in err else err}")
        if code == 2:
            assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
            assert "Traceback" not in err and not NUMPY_REPRS.search(err), err
            assert len(err) < 1000, err
            assert not out.exists() and not summary.exists()
        else:
            assert code == 0 and err == "", (code, err)
            for written in (out, summary):
                assert stat.S_IMODE(written.stat().st_mode) == 0o600
                if ".csv" in written.name:
                    assert not [c for c in csv_cells(written) if formula(c)]
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_the_fuzz_reaches_both_outcomes(tmp_path, capsys):
    """Guard against a fuzz that only ever fails early: the base caseload runs, and one bad cell stops it."""
    source = tmp_path / "in.csv"
    write_caseload(BASE, source)
    assert main(["caseload", str(source), str(tmp_path / "o.csv"), "--quiet"]) == 0
    broken = BASE.astype({"ssdi_monthly": object})
    broken.loc[1, "ssdi_monthly"] = "=1+1"
    write_caseload(broken, source)
    assert main(["caseload", str(source), str(tmp_path / "o.csv"), "--quiet"]) == 2
    assert capsys.readouterr().err.startswith("error: ssdi_monthly: row 1")
