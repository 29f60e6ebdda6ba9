"""Plan files: a folder of saved plans, autosave after each change, and crash-safe writes.

A plan is saved as ``<name>.json`` in the plans folder. ``<name>`` comes from the user, so it is
checked (``check_name``) and never used as a path: no folder separators, no ``..``, no hidden files.
The folder is ``~/.iwp-planner/plans`` unless the environment variable ``IWP_PLANS_DIR`` names another.

After each change the app calls ``PlanStore.autosave``, which writes ``<name>.autosave.json``; a
proper save deletes it. If the kernel dies, the next session calls ``PlanStore.recover(name)`` and
gets the autosaved plan back if it is newer than the saved one.

Every file is written with ``atomic_write``: after a crash or power cut at any moment the file holds
either the old bytes or the new bytes, never a mix.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PlanError

if TYPE_CHECKING:  # plan.py may import atomic_write from here, so Plan is imported lazily below
    from .plan import Plan

PLANS_DIR_ENV = "IWP_PLANS_DIR"
DEFAULT_PLANS_DIR = Path("~/.iwp-planner/plans")
PLAN_SUFFIX = ".json"
AUTOSAVE_SUFFIX = ".autosave.json"
TEMP_SUFFIX = ".tmp"
MAX_NAME_LENGTH = 100
# Punctuation people put in plan names ("Jones, A. (2026)"); everything else must be a letter or digit.
NAME_PUNCTUATION = frozenset(" -_.,'()&+")
# Names Windows refuses as file names, whatever the extension; refused everywhere so plan folders can be copied.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)] + [f"lpt{i}" for i in range(1, 10)]
)


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` so that a crash leaves the old or the new bytes.

    Writes a temporary file in the same folder (``os.replace`` is only atomic within one file
    system), flushes and fsyncs it, renames it over ``path``, then fsyncs the folder so the rename
    itself survives a power cut. Temporary files left by killed writers are removed first.
    A new file is readable by its owner only (plans hold benefit details); a replaced file keeps
    its permissions.
    """
    path = Path(path)
    folder = path.parent
    remove_stale_temp_files(path)
    # The pid in the name lets a later write tell a dead writer's leftover from a live writer's file.
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        try:
            os.chmod(temp_name, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # Windows cannot open a folder; its rename is durable enough without this
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems (and Windows) refuse fsync on a folder
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EACCES):
            raise
    finally:
        os.close(fd)


def remove_stale_temp_files(path: str | os.PathLike) -> list[Path]:
    """Delete temporary files that writers of ``path`` killed mid-write left behind.

    Only files whose writer process no longer exists are removed, so a concurrent writer in
    another live process keeps its temporary file. Returns the files removed.
    """
    path = Path(path)
    removed = []
    prefix = f".{path.name}."
    try:
        candidates = list(path.parent.iterdir())
    except FileNotFoundError:
        return removed
    for candidate in candidates:
        name = candidate.name
        if not (name.startswith(prefix) and name.endswith(TEMP_SUFFIX)):
            continue
        # Ours are ".<file>.<pid>.<random>.tmp"; anything else (e.g. Plan.save's temp files) is left alone.
        parts = name[len(prefix):-len(TEMP_SUFFIX)].split(".")
        if len(parts) != 2 or not parts[0].isdigit() or _process_alive(int(parts[0])):
            continue
        try:
            candidate.unlink()
            removed.append(candidate)
        except FileNotFoundError:  # another writer cleaned it first
            pass
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:  # e.g. pid out of range: no such process
        return False
    return True


def check_name(name) -> str:
    """Return ``name`` (Unicode-normalised) if it is a safe plan name, else raise PlanError.

    A safe name is 1 to 100 letters, digits, spaces and ``-_.,'()&+``; it starts with a letter or
    digit, does not end with a space or dot, holds no ``..`` and is not a reserved device name.
    """
    if not isinstance(name, str):
        raise PlanError(f"name: must be text, got {type(name).__name__}")
    name = unicodedata.normalize("NFC", name)
    if not name:
        raise PlanError("name: must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise PlanError(f"name: must be at most {MAX_NAME_LENGTH} characters, got {len(name)}")
    bad = sorted({ch for ch in name if not (ch.isalnum() or ch in NAME_PUNCTUATION)})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        raise PlanError(f"name: may hold only letters, digits, spaces and - _ . , ' ( ) & +; found {shown}")
    if not name[0].isalnum():
        raise PlanError(f"name: must start with a letter or digit, got {name[0]!r}")
    if name[-1] in " .":
        raise PlanError("name: must not end with a space or a dot")
    if ".." in name:
        raise PlanError("name: must not contain '..'")
    if name.split(".", 1)[0].strip().lower() in RESERVED_NAMES:
        raise PlanError(f"name: {name!r} is reserved by Windows; choose another name")
    if name.lower().endswith(AUTOSAVE_SUFFIX[: -len(PLAN_SUFFIX)]):
        raise PlanError("name: must not end with '.autosave' (used for recovery files)")
    return name


def default_plans_dir() -> Path:
    """The plans folder: ``$IWP_PLANS_DIR`` if set, else ``~/.iwp-planner/plans``."""
    configured = os.environ.get(PLANS_DIR_ENV, "").strip()
    return Path(configured or DEFAULT_PLANS_DIR).expanduser()


class PlanStore:
    """Saved plans in one folder, looked up by name.

    >>> store = PlanStore()              # the default folder (IWP_PLANS_DIR or ~/.iwp-planner/plans)
    >>> store.save(plan, "Jones 2026")   # doctest: +SKIP
    >>> store.names()                    # doctest: +SKIP
    ['Jones 2026']
    """

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder).expanduser() if folder is not None else default_plans_dir()

    def __repr__(self) -> str:
        return f"PlanStore({str(self.folder)!r})"

    def path(self, name: str) -> Path:
        """The saved file for plan ``name`` (the name is checked first)."""
        return self.folder / (check_name(name) + PLAN_SUFFIX)

    def autosave_path(self, name: str) -> Path:
        """The recovery file for plan ``name``."""
        return self.folder / (check_name(name) + AUTOSAVE_SUFFIX)

    def names(self) -> list[str]:
        """Names of the saved plans, sorted without regard to case."""
        return sorted(self._names_with_suffix(PLAN_SUFFIX), key=lambda n: (n.casefold(), n))

    def recoverable_names(self) -> list[str]:
        """Names of plans with an autosave newer than the saved file (or never saved)."""
        return sorted(
            (name for name in self._names_with_suffix(AUTOSAVE_SUFFIX) if self._autosave_is_newer(name)),
            key=lambda n: (n.casefold(), n),
        )

    def _names_with_suffix(self, suffix: str) -> set[str]:
        if not self.folder.is_dir():
            return set()
        found = set()
        for entry in self.folder.iterdir():
            file_name = entry.name
            if not file_name.endswith(suffix) or not entry.is_file():
                continue
            if suffix == PLAN_SUFFIX and file_name.endswith(AUTOSAVE_SUFFIX):
                continue
            name = file_name[: -len(suffix)]
            try:
                found.add(check_name(name))
            except PlanError:  # a file someone else put here; not a plan this store wrote
                continue
        return found

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def open(self, name: str) -> "Plan":
        """Load the saved plan ``name``; PlanError if there is none or it is not a valid plan."""
        from .plan import Plan

        path = self.path(name)
        if not path.is_file():
            raise PlanError(f"name: no saved plan called {name!r} in {self.folder}")
        return Plan.load(path)

    def save(self, plan: "Plan", name: str) -> Path:
        """Save ``plan`` as ``name`` (replacing any earlier version) and drop its autosave."""
        path = self.path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, plan.to_json().encode("utf-8"))
        self.discard_autosave(name)
        return path

    def autosave(self, plan: "Plan", name: str) -> Path:
        """Write the recovery file for ``name``; call after each change."""
        path = self.autosave_path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, plan.to_json().encode("utf-8"))
        return path

    def recover(self, name: str) -> "Plan | None":
        """The autosaved plan for ``name`` if it is newer than the saved one, else None."""
        from .plan import Plan

        if not self._autosave_is_newer(name):
            return None
        autosave_path = self.autosave_path(name)
        try:
            plan = Plan.load(autosave_path)
        except PlanError as exc:
            if not autosave_path.exists():  # removed by a save in another process since we looked
                return None
            raise PlanError(f"autosave: the recovery file {autosave_path.name} cannot be read: {exc}") from exc
        saved_path = self.path(name)
        if saved_path.is_file():
            try:
                if Plan.load(saved_path).to_dict() == plan.to_dict():
                    return None  # nothing was lost
            except PlanError:
                pass  # the saved file is unreadable, so the autosave is the best copy there is
        return plan

    def _autosave_is_newer(self, name: str) -> bool:
        try:
            autosaved = self.autosave_path(name).stat().st_mtime_ns
        except FileNotFoundError:
            return False
        try:
            saved = self.path(name).stat().st_mtime_ns
        except FileNotFoundError:
            return True
        # save() deletes the autosave, so an autosave that still exists was written after the last
        # save by this app; equal times (coarse file-system clocks) therefore count as newer.
        return autosaved >= saved

    def discard_autosave(self, name: str) -> None:
        """Delete the recovery file for ``name`` (after a save, or when the user declines recovery)."""
        try:
            self.autosave_path(name).unlink()
        except FileNotFoundError:
            pass

    def delete(self, name: str) -> None:
        """Delete the saved plan ``name`` and its recovery file."""
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            raise PlanError(f"name: no saved plan called {name!r} in {self.folder}") from None
        self.discard_autosave(name)


def revise(plan: "Plan", changes, reason: str, date: str | None = None) -> "Plan":
    """A new plan whose IWP has ``changes`` applied, the old IWP kept in its revisions.

    ``changes`` maps IWP fields (their JSON form, e.g. ``{"employment_goal": "Cook"}``) to new
    values; ``reason`` says why, in the user's words; ``date`` (YYYY-MM-DD) defaults to today.
    The revision itself is the Ticket model's (``IWP.revise``); this adds it to the plan.
    """
    import datetime as dt

    from .ticket.iwp import IWP

    current = IWP.from_dict(plan.iwp or {})
    revised = current.revise(changes, reason, date or dt.date.today().isoformat())
    return plan.replace(iwp=revised.to_dict())
