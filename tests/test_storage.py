"""Plan files: safe names, atomic writes, the plans folder, autosave and recovery (issue 5)."""

import json
import os
import subprocess
import sys

import pytest

from iwp_widgets import PlanError
from iwp_widgets.plan import Plan
from iwp_widgets.storage import (
    PlanStore,
    atomic_write,
    check_name,
    default_plans_dir,
    remove_stale_temp_files,
    revise,
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
    not_ours = tmp_path / ".a.json.12345678.tmp"  # e.g. Plan.save's own temp names (no pid)
    not_ours.write_bytes(b"")
    assert remove_stale_temp_files(target) == [stale]
    atomic_write(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a.json", live.name, other_file.name, not_ours.name])


# --- saving, opening, listing ------------------------------------------------------------------

@pytest.fixture
def plan() -> Plan:
    return Plan.example("ssdi_ramp_to_sga")


@pytest.fixture
def store(tmp_path) -> PlanStore:
    return PlanStore(tmp_path / "plans")


def test_save_then_open_gives_the_same_plan(store, plan):
    path = store.save(plan, "Jones 2026")
    assert path == store.folder / "Jones 2026.json"
    assert store.open("Jones 2026") == plan
    assert Plan.load(path) == plan  # a plain plan file, readable without the store
    assert store.names() == ["Jones 2026"]
    assert store.exists("Jones 2026")


def test_listing_skips_autosaves_temp_files_and_strangers(store, plan):
    store.save(plan, "b plan")
    store.save(plan, "A plan")
    store.autosave(plan, "c unsaved")
    (store.folder / ".hidden.json").write_text("{}")
    (store.folder / "notes.txt").write_text("hi")
    (store.folder / ".A plan.json.123.x.tmp").write_text("")
    assert store.names() == ["A plan", "b plan"]


def test_opening_a_missing_plan_names_the_field(store):
    with pytest.raises(PlanError, match=r"^name: no saved plan called 'nobody'"):
        store.open("nobody")


def test_opening_a_corrupt_file_is_a_plan_error(store, plan):
    path = store.save(plan, "broken")
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(PlanError, match=r"^file: "):
        store.open("broken")


def test_delete_removes_the_plan_and_its_autosave(store, plan):
    store.save(plan, "gone")
    store.autosave(plan.with_earnings([1.0]), "gone")
    store.delete("gone")
    assert store.names() == [] and store.recoverable_names() == []
    with pytest.raises(PlanError, match="^name: "):
        store.delete("gone")


def test_new_files_are_private_and_replaced_files_keep_their_mode(store, plan):
    path = store.save(plan, "private")
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o640)
    store.save(plan.with_earnings([5.0]), "private")
    assert path.stat().st_mode & 0o777 == 0o640


# --- autosave and recovery ---------------------------------------------------------------------

def test_recover_returns_the_autosave_only_when_it_is_newer(store, plan):
    store.save(plan, "p")
    assert store.recover("p") is None
    changed = plan.with_earnings([100.0] * 12)
    store.autosave(changed, "p")
    assert store.recover("p") == changed
    assert store.recoverable_names() == ["p"]
    # An older autosave (e.g. left from before a save made elsewhere) is not offered.
    saved_ns = store.path("p").stat().st_mtime_ns
    os.utime(store.autosave_path("p"), ns=(saved_ns - 10**9, saved_ns - 10**9))
    assert store.recover("p") is None
    assert store.recoverable_names() == []


def test_saving_drops_the_autosave(store, plan):
    store.autosave(plan.with_earnings([1.0]), "p")
    store.save(plan, "p")
    assert not store.autosave_path("p").exists()
    assert store.recover("p") is None


def test_an_autosave_equal_to_the_saved_plan_is_not_offered(store, plan):
    store.save(plan, "p")
    store.autosave(plan, "p")
    assert store.recover("p") is None


def test_a_never_saved_plan_can_be_recovered(store, plan):
    store.autosave(plan, "draft")
    assert store.names() == []
    assert store.recoverable_names() == ["draft"]
    assert store.recover("draft") == plan


def test_a_corrupt_autosave_is_reported_not_ignored(store, plan):
    store.save(plan, "p")
    store.autosave(plan.with_earnings([1.0]), "p")
    store.autosave_path("p").write_text('{"schema_version": 1, "start": "2026-')
    with pytest.raises(PlanError, match=r"^autosave: the recovery file p\.autosave\.json cannot be read"):
        store.recover("p")


AUTOSAVE_THEN_DIE = """
import os, signal, sys
from iwp_widgets.plan import Plan
from iwp_widgets.storage import PlanStore
store = PlanStore(sys.argv[1])
plan = Plan.example("ssdi_ramp_to_sga")
store.save(plan, "Jones 2026")
store.autosave(plan.with_earnings([111.0, 222.0, 333.0]), "Jones 2026")
os.kill(os.getpid(), signal.SIGKILL)  # the kernel dies before the user saves
"""

RECOVER_IN_A_NEW_KERNEL = """
import json, sys
from iwp_widgets.storage import PlanStore
store = PlanStore(sys.argv[1])
recovered = store.recover("Jones 2026")
print(json.dumps({"recoverable": store.recoverable_names(),
                  "earnings": None if recovered is None else list(recovered.earnings)}))
"""


def test_autosave_survives_a_kernel_restart(tmp_path):
    folder = str(tmp_path / "plans")
    died = subprocess.run([sys.executable, "-c", AUTOSAVE_THEN_DIE, folder], capture_output=True, text=True)
    assert died.returncode == -9, died.stderr
    fresh = subprocess.run([sys.executable, "-c", RECOVER_IN_A_NEW_KERNEL, folder],
                           capture_output=True, text=True, check=True)
    assert json.loads(fresh.stdout) == {"recoverable": ["Jones 2026"], "earnings": [111.0, 222.0, 333.0]}


# --- revisions ---------------------------------------------------------------------------------

def test_revise_records_the_old_iwp_with_date_and_reason(plan):
    first = plan.replace(iwp={"version": 2, "employment_goal": "Cashier"})
    revised = revise(first, {"employment_goal": "Shift lead"}, "Promoted after six months", "2026-07-01")
    assert revised.iwp["employment_goal"] == "Shift lead"
    (revision,) = revised.iwp["revisions"]
    assert revision["date"] == "2026-07-01"
    assert revision["reason"] == "Promoted after six months"
    assert revision["previous"]["employment_goal"] == "Cashier"
    assert revised.earnings == plan.earnings  # only the IWP changed


def test_revise_without_a_reason_is_refused(plan):
    with pytest.raises(PlanError, match=r"^reason: "):
        revise(plan, {"employment_goal": "Cook"}, "  ", "2026-07-01")
