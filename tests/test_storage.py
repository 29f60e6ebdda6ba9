"""Plan files: safe names, atomic writes, the plans folder, autosave and recovery (issue 5)."""

import os
import subprocess
import sys

import pytest

from iwp_widgets import PlanError
from iwp_widgets.storage import (
    PlanStore,
    atomic_write,
    check_name,
    default_plans_dir,
    remove_stale_temp_files,
)


# --- names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Jones 2026", "María García", "plan_1", "O'Neil, A. (draft)", "a", "x" * 100])
def test_good_names_are_accepted(name):
    assert check_name(name) == name


@pytest.mark.parametrize(
    "name, reason",
    [
        ("", "empty"),
        ("../etc/passwd", "only letters"),
        ("a/b", "only letters"),
        ("a\\b", "only letters"),
        ("..", "start with a letter"),
        ("a..b", r"'\.\.'"),
        (".hidden", "start with a letter"),
        ("-rf", "start with a letter"),
        ("name.", "end with"),
        ("name ", "end with"),
        ("a\x00b", "only letters"),
        ("a\nb", "only letters"),
        ("CON", "reserved"),
        ("nul.txt", "reserved"),
        ("mine.autosave", "autosave"),
        ("x" * 101, "at most 100"),
        ("C:plan", "only letters"),
        ("~user", "only letters"),
    ],
)
def test_unsafe_names_are_refused_with_a_reason(name, reason):
    with pytest.raises(PlanError, match=r"^name: .*" + reason) as info:
        check_name(name)
    assert info.value.field == "name"


def test_a_name_that_is_not_text_is_refused():
    with pytest.raises(PlanError, match=r"^name: must be text, got int"):
        check_name(3)


def test_names_are_unicode_normalised_so_one_plan_has_one_file():
    decomposed = "Mari\u0301a"  # "María" typed with a combining accent
    assert check_name(decomposed) == "María"


def test_store_paths_stay_inside_the_folder(tmp_path):
    store = PlanStore(tmp_path)
    assert store.path("Jones 2026") == tmp_path / "Jones 2026.json"
    assert store.autosave_path("Jones 2026") == tmp_path / "Jones 2026.autosave.json"
    with pytest.raises(PlanError, match="^name: "):
        store.path("../outside")


# --- the plans folder --------------------------------------------------------------------------

def test_plans_folder_defaults_to_home_and_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("IWP_PLANS_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_plans_dir() == tmp_path / "home" / ".iwp-planner" / "plans"
    monkeypatch.setenv("IWP_PLANS_DIR", str(tmp_path / "elsewhere"))
    assert PlanStore().folder == tmp_path / "elsewhere"


def test_listing_a_missing_folder_is_empty(tmp_path):
    assert PlanStore(tmp_path / "not-yet").names() == []


# --- atomic writes -----------------------------------------------------------------------------

def test_atomic_write_replaces_the_file_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "a.json"
    atomic_write(target, b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_failed_write_keeps_the_old_file_and_removes_its_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    atomic_write(target, b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temp_files_of_dead_writers_are_removed_but_live_ones_kept(tmp_path):
    target = tmp_path / "a.json"
    stale = tmp_path / f".a.json.{dead_pid()}.abc123.tmp"
    stale.write_bytes(b"half a pl")
    live = tmp_path / f".a.json.{os.getppid()}.def456.tmp"  # our parent is alive
    live.write_bytes(b"being written")
    other_file = tmp_path / f".b.json.{dead_pid()}.xyz.tmp"  # another target's temp: not ours to judge
    other_file.write_bytes(b"")
    assert remove_stale_temp_files(target) == [stale]
    atomic_write(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.json", live.name, other_file.name])
