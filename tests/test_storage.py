"""Plan files: safe names, atomic writes, the plans folder, autosave and recovery (issue 5);
no plan replaced unseen, backups, autosave per session, private files (issue 13)."""

import json
import os
import subprocess
import sys

import pytest

from iwp_widgets import PlanError
from iwp_widgets.atomic_file import atomic_write, remove_stale_temp_files
from iwp_widgets.plan import Plan
from iwp_widgets.storage import (
    BACKUPS_KEPT,
    OVERWRITE,
    PlanStore,
    SaveConflict,
    check_name,
    default_plans_dir,
    new_session,
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
    session = new_session()
    assert store.path("Jones 2026") == tmp_path / "Jones 2026.json"
    assert store.autosave_path("Jones 2026", session) == tmp_path / "autosave" / session / "jones 2026.json"
    assert store.autosave_path(None, session) == tmp_path / "autosave" / session / "_draft.json"
    with pytest.raises(PlanError, match="^name: "):
        store.path("../outside")
    for bad in ("../x", "ABCDEF" * 6, "", None):
        with pytest.raises(PlanError, match="^session: "):
            store.autosave_path("Jones 2026", bad)


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
    path = store.save(plan, "Jones 2026").path
    assert path == store.folder / "Jones 2026.json"
    assert store.open("Jones 2026") == plan
    assert Plan.load(path) == plan  # a plain plan file, readable without the store
    assert store.names() == ["Jones 2026"]
    assert store.exists("Jones 2026")


def test_listing_skips_autosaves_temp_files_and_strangers(store, plan):
    store.save(plan, "b plan")
    store.save(plan, "A plan")
    store.autosave(plan, "c unsaved", new_session())
    (store.folder / "old.autosave.json").write_text("{}")  # an autosave of earlier versions
    (store.folder / ".hidden.json").write_text("{}")
    (store.folder / "notes.txt").write_text("hi")
    (store.folder / ".A plan.json.123.x.tmp").write_text("")
    assert store.names() == ["A plan", "b plan"]


def test_opening_a_missing_plan_names_the_field(store):
    with pytest.raises(PlanError, match=r"^name: no saved plan called 'nobody'"):
        store.open("nobody")


def test_opening_a_corrupt_file_is_a_plan_error(store, plan):
    path = store.save(plan, "broken").path
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(PlanError, match=r"^file: "):
        store.open("broken")


def test_delete_removes_the_plan_and_keeps_a_backup(store, plan):
    store.save(plan, "gone")
    store.delete("gone")
    assert store.names() == []
    (backup,) = store.backups("gone")
    assert Plan.load(backup) == plan
    with pytest.raises(PlanError, match="^name: "):
        store.delete("gone")


# --- one plan, one name: case and accents (issue 13, item 11) ------------------------------------

def test_names_differing_only_in_case_are_one_plan(store, plan):
    store.save(plan, "Jones 2026")
    assert store.exists("jones 2026") and store.exists("JONES 2026")
    assert store.path("jones 2026") == store.folder / "Jones 2026.json"
    with pytest.raises(SaveConflict) as conflict:
        store.save(plan.with_earnings([5.0]), "jones 2026")
    assert conflict.value.name == "Jones 2026" and not conflict.value.changed
    assert store.names() == ["Jones 2026"]
    assert store.open("jones 2026") == plan


def test_a_file_named_with_decomposed_accents_is_listed_and_opens(store, plan):
    store.folder.mkdir(parents=True)
    (store.folder / "Mari\u0301a Garci\u0301a.json").write_text(plan.to_json(), encoding="utf-8")
    assert store.names() == ["María García"]
    assert store.open("María García") == plan            # as listed (composed)
    assert store.open("Mari\u0301a Garci\u0301a") == plan  # as typed with combining accents
    assert store.open("maría garcía") == plan


# --- never replace a plan unseen; keep backups (items 5 and 6) -----------------------------------

def test_saving_over_another_plan_needs_a_confirmation(store, plan):
    store.save(plan, "Jones 2026")
    other = plan.with_earnings([7.0] * 12)
    with pytest.raises(SaveConflict, match=r"^name: a saved plan called 'Jones 2026' already exists") as conflict:
        store.save(other, "Jones 2026")
    assert store.open("Jones 2026") == plan                   # untouched
    store.save(other, "Jones 2026", replaces=conflict.value.version)  # the user said yes
    assert store.open("Jones 2026") == other
    assert [Plan.load(p) for p in store.backups("Jones 2026")] == [plan]


def test_a_plan_changed_since_it_was_opened_is_not_replaced_silently(store, plan):
    first = store.save(plan, "Jones 2026")
    opened, version = store.open_with_version("Jones 2026")
    assert version == first.version == store.version("Jones 2026")
    theirs = plan.with_earnings([1.0] * 12)
    store.save(theirs, "Jones 2026", replaces=version)        # another session saves first
    mine = plan.with_earnings([2.0] * 12)
    with pytest.raises(SaveConflict, match="changed by someone else since it was opened") as conflict:
        store.save(mine, "Jones 2026", replaces=version)
    assert conflict.value.changed and store.open("Jones 2026") == theirs
    saved = store.save(mine, "Jones 2026", replaces=OVERWRITE)
    assert store.open("Jones 2026") == mine and saved.version == store.version("Jones 2026")
    assert [Plan.load(p) for p in store.backups("Jones 2026")] == [theirs, plan]  # newest first


def test_backups_keep_the_last_five_versions(store, plan):
    versions = [plan.with_earnings([float(i)]) for i in range(BACKUPS_KEPT + 3)]
    saved = store.save(versions[0], "p")
    for version in versions[1:]:
        saved = store.save(version, "p", replaces=saved.version)
    kept = store.backups("p")
    assert len(kept) == BACKUPS_KEPT == 5
    assert [Plan.load(p) for p in kept] == versions[-2:-2 - BACKUPS_KEPT:-1]
    assert store.names() == ["p"]                              # backups are not plans


# --- private by default, whatever the umask (item 11) --------------------------------------------

@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_folders_are_0700_and_files_0600_whatever_the_umask(tmp_path, plan, umask):
    old = os.umask(umask)
    try:
        store = PlanStore(tmp_path / "home" / ".iwp-planner" / "plans")
        saved = store.save(plan, "Jones 2026")
        store.save(plan.with_earnings([1.0]), "Jones 2026", replaces=saved.version)
        session = new_session()
        autosave = store.autosave(plan, "Jones 2026", session)
        exports = store.export_folder()
    finally:
        os.umask(old)
    folders = [tmp_path / "home" / ".iwp-planner", store.folder, store.folder / "backups",
               store.folder / "backups" / "Jones 2026", autosave.parent.parent, autosave.parent,
               exports.parent, exports]
    assert {str(f.relative_to(tmp_path)): oct(f.stat().st_mode & 0o777) for f in folders} == \
        {str(f.relative_to(tmp_path)): "0o700" for f in folders}
    files = [store.path("Jones 2026"), autosave, *store.backups("Jones 2026")]
    assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {f.name: "0o600" for f in files}


def test_a_replaced_file_keeps_the_permissions_it_was_given(store, plan):
    saved = store.save(plan, "shared")
    saved.path.chmod(0o640)  # an administrator's choice
    store.save(plan.with_earnings([5.0]), "shared", replaces=saved.version)
    assert saved.path.stat().st_mode & 0o777 == 0o640


def test_export_folders_of_ended_sessions_are_removed(store):
    first = store.export_folder()
    (first / "Jones-1.csv").write_text("x")
    ended = first.parent / f"{dead_pid()}-abcd1234"
    ended.mkdir()
    (ended / "Jones-0.pdf").write_text("x")
    second = store.export_folder()
    assert second != first and second.parent == store.folder / "exports"
    assert first.is_dir()          # this process still runs: its folder stays
    assert not ended.exists()      # that process ended: its exports are gone


# --- autosave and recovery, per session (items 5, 7 and 8) ---------------------------------------

def test_recover_gives_back_only_this_sessions_unsaved_changes(store, plan):
    a, b = new_session(), new_session()
    saved = store.save(plan, "Jones 2026")
    assert store.recover("Jones 2026", a) is None
    mine = plan.with_earnings([100.0] * 12)
    store.autosave(mine, "Jones 2026", a, shown_name="Jones 2026", based_on=saved.version)
    theirs = plan.with_earnings([200.0] * 12)
    store.autosave(theirs, "jones 2026", b)                    # B's autosave leaves A's alone
    assert store.recover("Jones 2026", a) == (mine, "Jones 2026", saved.version)
    assert store.recover("Jones 2026", b).plan == theirs
    assert store.recover("Jones 2026", new_session()) is None  # a third page: nothing offered


def test_a_draft_belongs_to_its_session_only(store, plan):
    a = new_session()
    store.autosave(plan.with_earnings([3.0]), None, a, shown_name="Jones 2026")
    assert store.names() == []
    assert store.recover(None, a) == (plan.with_earnings([3.0]), "Jones 2026", None)
    assert store.recover(None, new_session()) is None


def test_saving_or_declining_drops_the_autosave(store, plan):
    a = new_session()
    store.autosave(plan.with_earnings([1.0]), "p", a)
    store.save(plan, "p")
    store.discard_autosave("p", a)
    assert store.recover("p", a) is None


def test_an_autosave_equal_to_the_saved_plan_is_not_offered(store, plan):
    a = new_session()
    store.save(plan, "p")
    store.autosave(plan, "p", a)
    assert store.recover("p", a) is None


@pytest.mark.parametrize("damage", ["truncated", "newer schema", "not a recovery file", "not UTF-8"])
def test_a_bad_recovery_file_is_set_aside_with_a_message(store, plan, damage):
    a = new_session()
    path = store.autosave(plan.with_earnings([1.0]), "p", a)
    document = json.loads(path.read_text())
    document["plan"]["schema_version"] = 99
    path.write_bytes({"truncated": path.read_bytes()[:60],
                      "newer schema": json.dumps(document).encode(),
                      "not a recovery file": plan.to_json().encode(),
                      "not UTF-8": b"\xff\xfe{}"}[damage])
    with pytest.raises(PlanError, match=r"^autosave: the recovery file could not be read .*set aside as") as info:
        store.recover("p", a)
    assert info.value.field == "autosave"
    assert not path.exists()
    (aside,) = path.parent.glob("p.*.unreadable")
    assert aside.stat().st_mode & 0o777 == 0o600
    assert store.recover("p", a) is None     # asked again: nothing, and no error


def test_old_autosaves_are_removed_after_a_month(store, plan):
    a, b = new_session(), new_session()
    old = store.autosave(plan, "p", a)
    fresh = store.autosave(plan, "p", b)
    month_ago = old.stat().st_mtime - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    assert store.remove_old_autosaves() == [old]
    assert not old.parent.exists() and fresh.exists()


AUTOSAVE_THEN_DIE = """
import os, signal, sys
from iwp_widgets.plan import Plan
from iwp_widgets.storage import PlanStore
store = PlanStore(sys.argv[1])
plan = Plan.example("ssdi_ramp_to_sga")
saved = store.save(plan, "Jones 2026")
store.autosave(plan.with_earnings([111.0, 222.0, 333.0]), "Jones 2026", sys.argv[2], based_on=saved.version)
os.kill(os.getpid(), signal.SIGKILL)  # the kernel dies before the user saves
"""

RECOVER_IN_A_NEW_KERNEL = """
import json, sys
from iwp_widgets.storage import PlanStore
store = PlanStore(sys.argv[1])
recovered = store.recover("Jones 2026", sys.argv[2])
print(json.dumps(None if recovered is None else list(recovered.plan.earnings)))
"""


def test_autosave_survives_a_kernel_restart_for_the_same_session_only(tmp_path):
    folder, session = str(tmp_path / "plans"), new_session()
    died = subprocess.run([sys.executable, "-c", AUTOSAVE_THEN_DIE, folder, session], capture_output=True, text=True)
    assert died.returncode == -9, died.stderr

    def recover_in_a_new_kernel(key):
        fresh = subprocess.run([sys.executable, "-c", RECOVER_IN_A_NEW_KERNEL, folder, key],
                               capture_output=True, text=True, check=True)
        return json.loads(fresh.stdout)

    assert recover_in_a_new_kernel(session) == [111.0, 222.0, 333.0]   # the same tab, reloaded
    assert recover_in_a_new_kernel(new_session()) is None              # anyone else

