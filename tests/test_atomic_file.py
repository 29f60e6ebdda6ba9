"""The crash-safe write every file goes through (iwp_widgets/atomic_file.py): the new bytes are
synced to the disk before the rename and the folder after it, for plan files and for the
analysts' result tables alike (issue 16: the caseload writer renamed without syncing)."""

import ast
import io
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from iwp_widgets import atomic_file
from iwp_widgets.atomic_file import atomic_write, atomic_writer
from iwp_widgets.caseload.format import TableWriter
from iwp_widgets.errors import PlanError


@pytest.fixture
def syncs(monkeypatch) -> list[str]:
    """What each os.fsync call synced from here on: 'file' or 'folder'."""
    seen: list[str] = []
    real_fsync = os.fsync

    def fsync(fd):
        seen.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


def test_atomic_write_syncs_the_file_then_the_folder(tmp_path, syncs):
    atomic_write(tmp_path / "plan.json", b"{}")
    assert syncs == ["file", "folder"]
    assert stat.S_IMODE((tmp_path / "plan.json").stat().st_mode) == atomic_file.PRIVATE_FILE_MODE


def test_the_old_bytes_stay_until_the_block_ends(tmp_path):
    target = tmp_path / "table.csv"
    target.write_bytes(b"old")
    with atomic_writer(target) as file:
        file.write(b"new")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new"


def test_a_wrapper_may_close_the_file_and_it_is_still_synced(tmp_path, syncs):
    """TextIOWrapper and Parquet writers close the file they write to when they close."""
    target = tmp_path / "table.csv"
    with atomic_writer(target) as file:
        text = io.TextIOWrapper(file, encoding="utf-8", newline="")
        text.write("a,b\r\n1,2\r\n")
        text.close()
    assert target.read_bytes() == b"a,b\r\n1,2\r\n"
    assert syncs == ["file", "folder"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


@pytest.mark.parametrize("name", ["out.csv", "out.csv.gz", "out.parquet"])
def test_the_caseload_writer_syncs_what_it_writes(tmp_path, syncs, name):
    with TableWriter(tmp_path / name) as writer:
        writer.write(pd.DataFrame({"id": ["a", "b"], "paid": [1.5, 2.0]}))
        writer.write(pd.DataFrame({"id": ["c"], "paid": [3.0]}))
    assert syncs == ["file", "folder"]
    back = pd.read_parquet(tmp_path / name) if name.endswith(".parquet") else pd.read_csv(tmp_path / name)
    assert back["id"].tolist() == ["a", "b", "c"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_failed_caseload_run_keeps_the_old_file(tmp_path, syncs):
    target = tmp_path / "out.csv"
    target.write_text("old results\n", encoding="utf-8")
    with pytest.raises(PlanError, match="boom"):
        with TableWriter(target) as writer:
            writer.write(pd.DataFrame({"a": [1.0]}))
            raise PlanError("earnings_0: boom")
    assert target.read_text(encoding="utf-8") == "old results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert syncs == []


def test_a_caseload_writer_given_no_rows_writes_no_file(tmp_path):
    with TableWriter(tmp_path / "out.parquet"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_the_ground_module_imports_nothing_of_the_project():
    """Every room may use it, so it may use none of them."""
    tree = ast.parse(Path(atomic_file.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not node.module.startswith("iwp_widgets"), node.module
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith("iwp_widgets") for alias in node.names)
