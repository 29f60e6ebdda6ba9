"""Plan files: a folder of saved plans, autosave after each change, and crash-safe writes.

A plan is saved as ``<name>.json`` in the plans folder. ``<name>`` comes from the user, so it is
checked (``check_name``) and never used as a path: no folder separators, no ``..``, no hidden files.
Names compare Unicode-normalised and case-folded (``name_key``): "Jones 2026" and "jones 2026" are
one plan. The folder is ``~/.iwp-planner/plans`` unless ``IWP_PLANS_DIR`` names another; folders the
store creates are readable by their owner only (0700), files 0600.

Saving never replaces a plan the saver has not seen: ``save`` takes the version the caller opened
(``replaces``) and raises ``SaveConflict`` if the file is another one; the replaced version goes to
``backups/<name>/`` (the last five are kept).

After each change the app calls ``PlanStore.autosave`` with its session key, which writes
``autosave/<session>/<plan>.json`` (a plan not saved yet is the session's draft). Only that
session is offered the changes back (``recover``): a reloaded browser tab keeps its key, another
person's tab has another one.

Every file is written with ``atomic_file.atomic_write``: after a crash or power cut at any moment
the file holds either the old bytes or the new bytes, never a mix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from pathlib import Path
from typing import NamedTuple

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from .atomic_file import PRIVATE_FILE_MODE, atomic_write, process_alive, remove_stale_temp_files_in
from .errors import PlanError
from .plan import Plan

PLANS_DIR_ENV = "IWP_PLANS_DIR"
DEFAULT_PLANS_DIR = Path("~/.iwp-planner/plans")
PLAN_SUFFIX = ".json"
AUTOSAVE_SUFFIX = ".autosave.json"
SET_ASIDE_SUFFIX = ".unreadable"  # a recovery file that could not be read, kept for a person to look at
AUTOSAVE_DIR = "autosave"   # autosave/<session>/<plan key>.json
BACKUP_DIR = "backups"      # backups/<plan>/<UTC time>.json
EXPORT_DIR = "exports"      # exports/<pid>-<random>/ per session
LOCK_FILE = ".lock"
DRAFT_KEY = "_draft"        # no plan name starts with "_", so a draft never meets a plan
BACKUPS_KEPT = 5
AUTOSAVE_KEPT_DAYS = 30
PRIVATE_FOLDER_MODE = 0o700
SESSION_PATTERN = re.compile(r"[0-9a-f]{32}")
OVERWRITE = "overwrite"     # save(..., replaces=OVERWRITE): the user confirmed replacing whatever is there
MAX_NAME_LENGTH = 100
# Punctuation people put in plan names ("Jones, A. (2026)"); everything else must be a letter or digit.
NAME_PUNCTUATION = frozenset(" -_.,'()&+")
# Names Windows refuses as file names, whatever the extension; refused everywhere so plan folders can be copied.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)] + [f"lpt{i}" for i in range(1, 10)]
)


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


def name_key(name: str) -> str:
    """What two plan names must share to be the same plan: Unicode-normalised and case-folded,
    so "Jones 2026" and "jones 2026", or "María" typed with a combining accent, are one plan."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


def fingerprint(data: bytes) -> str:
    """A saved file's version: the SHA-256 of its bytes (file times are too coarse to compare)."""
    return hashlib.sha256(data).hexdigest()


def new_session() -> str:
    """A fresh session key (the browser tab keeps one in its sessionStorage, see docs/files.md)."""
    return secrets.token_hex(16)


def check_session(session) -> str:
    """``session`` if it is a session key (32 hex digits), else PlanError: it names a folder."""
    if not isinstance(session, str) or not SESSION_PATTERN.fullmatch(session):
        raise PlanError("session: must be 32 hexadecimal digits")
    return session


def private_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` (and missing parents) readable by its owner only, whatever the umask.

    Folders that already exist keep their permissions: an administrator may share one on purpose.
    """
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=PRIVATE_FOLDER_MODE)  # the umask can only take bits away from 0700 ...
        except FileExistsError:  # made by another process meanwhile
            continue
        os.chmod(created, PRIVATE_FOLDER_MODE)  # ... so this never widens it for a moment
    return folder


def _own_folder(folder: Path) -> Path:
    """One of the store's own subfolders (autosave, backups, exports): always private."""
    private_folder(folder)
    os.chmod(folder, PRIVATE_FOLDER_MODE)
    return folder


class SaveConflict(PlanError):
    """Saving would replace a plan the saver has not seen: another plan of that name, or this
    plan as changed by someone else since it was opened. ``version`` is the file's version now;
    pass it as ``replaces`` once the user has confirmed."""

    def __init__(self, name: str, version: str, changed: bool):
        self.name = name
        self.version = version
        self.changed = changed
        why = "was changed by someone else since it was opened" if changed else "already exists"
        super().__init__(f"name: a saved plan called {name!r} {why}; saving would replace it", "name")


class Saved(NamedTuple):
    path: Path
    version: str  # the fingerprint of what was written: pass it as ``replaces`` to the next save


class Recovery(NamedTuple):
    """Unsaved changes kept by ``PlanStore.autosave``."""

    plan: Plan
    name: str           # the name the page showed when they were written
    based_on: str | None  # the saved plan's version they started from (None: a new plan)


class PlanStore:
    """Saved plans in one folder, looked up by name; autosaves per session; backups.

    >>> store = PlanStore()              # the default folder (IWP_PLANS_DIR or ~/.iwp-planner/plans)
    >>> store.save(plan, "Jones 2026")   # doctest: +SKIP
    >>> store.names()                    # doctest: +SKIP
    ['Jones 2026']
    """

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder).expanduser() if folder is not None else default_plans_dir()

    def __repr__(self) -> str:
        return f"PlanStore({str(self.folder)!r})"

    # -- names -------------------------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """The saved file for plan ``name``: the existing file whose name matches it without
        regard to case or accent encoding, else ``<folder>/<name>.json`` (the name is checked first)."""
        name = check_name(name)
        return self._find(name) or self.folder / (name + PLAN_SUFFIX)

    def _find(self, name: str) -> Path | None:
        exact = self.folder / (name + PLAN_SUFFIX)
        if exact.is_file():
            return exact
        key = name_key(name)
        for stem, path in sorted(self._plan_files().items()):
            if name_key(stem) == key:
                return path
        return None

    def _plan_files(self) -> dict[str, Path]:
        """Saved plan files by their name as written on disk."""
        if not self.folder.is_dir():
            return {}
        found = {}
        for entry in self.folder.iterdir():
            file_name = entry.name
            if not file_name.endswith(PLAN_SUFFIX) or file_name.endswith(AUTOSAVE_SUFFIX) or not entry.is_file():
                continue
            stem = file_name[: -len(PLAN_SUFFIX)]
            try:
                check_name(stem)
            except PlanError:  # a file someone else put here; not a plan this store wrote
                continue
            found[stem] = entry
        return found

    def names(self) -> list[str]:
        """Names of the saved plans (Unicode-normalised), sorted without regard to case."""
        return sorted({check_name(stem) for stem in self._plan_files()}, key=lambda n: (n.casefold(), n))

    def exists(self, name: str) -> bool:
        return self._find(check_name(name)) is not None

    # -- saved plans -------------------------------------------------------------------------------
    def version(self, name: str) -> str | None:
        """The saved file's version now (``fingerprint`` of its bytes), None if there is none."""
        found = self._find(check_name(name))
        try:
            return fingerprint(found.read_bytes()) if found else None
        except FileNotFoundError:
            return None

    def open(self, name: str) -> Plan:
        """Load the saved plan ``name``; PlanError if there is none or it is not a valid plan."""
        return self.open_with_version(name)[0]

    def open_with_version(self, name: str) -> tuple[Plan, str]:
        """The saved plan and the version it was read from (pass it as ``replaces`` when saving)."""
        found = self._find(check_name(name))
        if found is None:
            raise PlanError(f"name: no saved plan called {name!r} in {self.folder}")
        data = found.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlanError(f"file: {found.name} is not UTF-8 text ({exc.reason})") from None
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise PlanError(f"file: {found.name} is not a complete plan file ({exc})") from None
        return Plan.from_dict(document), fingerprint(data)

    def save(self, plan: Plan, name: str, *, replaces: str | None = None) -> Saved:
        """Save ``plan`` as ``name``; the version replaced is kept in the backups.

        ``replaces`` is the version of the saved plan the caller started from (``Saved.version``
        or ``open_with_version``), None for a new plan, or ``OVERWRITE`` once the user confirmed.
        Any other plan file of that name is never replaced silently: ``SaveConflict``.
        """
        name = check_name(name)
        data = plan.to_json().encode("utf-8")
        private_folder(self.folder)
        with self._locked():
            path = self.path(name)
            try:
                old = path.read_bytes()
            except FileNotFoundError:
                old = None
            if old is not None:
                current = fingerprint(old)
                if replaces != OVERWRITE and replaces != current:
                    raise SaveConflict(path.name[: -len(PLAN_SUFFIX)], current, changed=replaces is not None)
                self._back_up(path, old)
            atomic_write(path, data)
        return Saved(path, fingerprint(data))

    def delete(self, name: str) -> None:
        """Delete the saved plan ``name`` (its last version stays in the backups)."""
        with self._locked():
            found = self._find(check_name(name))
            if found is None:
                raise PlanError(f"name: no saved plan called {name!r} in {self.folder}")
            self._back_up(found, found.read_bytes())
            found.unlink()

    @contextlib.contextmanager
    def _locked(self):
        """Hold the folder's lock file so that check-then-write is one step between processes."""
        if fcntl is None:  # Windows: no advisory locks here; the version check still runs
            yield
            return
        private_folder(self.folder)
        fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    # -- backups -----------------------------------------------------------------------------------
    def backups(self, name: str) -> list[Path]:
        """Earlier versions of plan ``name``, newest first (the last ``BACKUPS_KEPT``)."""
        folder = self._backup_folder(self.path(name))
        if not folder.is_dir():
            return []
        return sorted((p for p in folder.glob(f"*{PLAN_SUFFIX}") if not p.name.startswith(".")), reverse=True)

    def _backup_folder(self, path: Path) -> Path:
        return self.folder / BACKUP_DIR / path.name[: -len(PLAN_SUFFIX)]

    def _back_up(self, path: Path, data: bytes) -> None:
        folder = self._backup_folder(path)
        _own_folder(folder.parent)
        _own_folder(folder)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        atomic_write(folder / f"{stamp}{PLAN_SUFFIX}", data)
        for old in self.backups(path.name[: -len(PLAN_SUFFIX)])[BACKUPS_KEPT:]:
            old.unlink(missing_ok=True)
        remove_stale_temp_files_in(folder)

    # -- autosave, per session ---------------------------------------------------------------------
    def autosave_path(self, name: str | None, session: str) -> Path:
        """Session ``session``'s recovery file for plan ``name`` (None: the session's draft)."""
        key = DRAFT_KEY if name is None else name_key(check_name(name))
        return self.folder / AUTOSAVE_DIR / check_session(session) / (key + PLAN_SUFFIX)

    def autosave(self, plan: Plan, name: str | None, session: str, *, shown_name: str | None = None,
                 based_on: str | None = None) -> Path:
        """Keep ``plan``'s unsaved changes for ``session``: for the saved plan ``name``, or the
        session's draft when ``name`` is None. ``shown_name`` is the name the page showed,
        ``based_on`` the saved version the changes started from."""
        path = self.autosave_path(name, session)
        _own_folder(self.folder / AUTOSAVE_DIR)
        _own_folder(path.parent)
        document = {"name": shown_name if shown_name is not None else (name or ""), "based_on": based_on,
                    "plan": plan.to_dict()}
        atomic_write(path, json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8"))
        return path

    def recover(self, name: str | None, session: str) -> Recovery | None:
        """The unsaved changes ``session`` kept for ``name`` (None: its draft), if they differ from
        the saved plan; else None. An unreadable recovery file is renamed aside (never read again)
        and reported as a PlanError starting ``autosave:``."""
        path = self.autosave_path(name, session)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            document = json.loads(data.decode("utf-8"))
            if not isinstance(document, dict) or not isinstance(document.get("plan"), dict):
                raise PlanError("file: not a recovery file")
            plan = Plan.from_dict(document["plan"])
            shown = document.get("name")
            based_on = document.get("based_on")
            if not isinstance(shown, str) or not (based_on is None or isinstance(based_on, str)):
                raise PlanError("file: not a recovery file")
        except (ValueError, RecursionError) as exc:  # PlanError, JSON and UTF-8 errors are ValueErrors
            aside = self._set_aside(path)
            raise PlanError(f"autosave: the recovery file could not be read ({exc}); it was set aside as "
                            f"{aside.name}") from None
        if name is not None and self.exists(name):
            try:
                if self.open(name).to_dict() == plan.to_dict():
                    return None  # nothing was lost
            except PlanError:
                pass  # the saved file is unreadable, so the autosave is the best copy there is
        return Recovery(plan, shown, based_on)

    @staticmethod
    def _set_aside(path: Path) -> Path:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        aside = path.with_name(f"{path.stem}.{stamp}{SET_ASIDE_SUFFIX}")
        os.replace(path, aside)
        return aside

    def discard_autosave(self, name: str | None, session: str) -> None:
        """Delete ``session``'s recovery file for ``name`` (after a save, or when declined)."""
        self.autosave_path(name, session).unlink(missing_ok=True)

    def remove_old_autosaves(self, days: float = AUTOSAVE_KEPT_DAYS) -> list[Path]:
        """Delete recovery files (and set-aside ones) not written for ``days`` days: their browser
        tabs are long closed, so nobody can be offered them. Returns the files removed."""
        root = self.folder / AUTOSAVE_DIR
        if not root.is_dir():
            return []
        cutoff = time.time() - days * 86400
        removed = []
        for session in root.iterdir():
            if not session.is_dir() or not SESSION_PATTERN.fullmatch(session.name):
                continue
            for entry in session.iterdir():
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    entry.unlink(missing_ok=True)
                    removed.append(entry)
            with contextlib.suppress(OSError):  # not empty: a session still in use
                session.rmdir()
        return removed

    # -- exports -----------------------------------------------------------------------------------
    def export_folder(self) -> Path:
        """A new private folder for one session's exports, ``exports/<pid>-<random>``; folders
        of sessions whose process has ended are removed first, so exports do not pile up."""
        root = _own_folder(self.folder / EXPORT_DIR)
        for entry in root.iterdir():
            pid = entry.name.split("-", 1)[0]
            if entry.is_dir() and pid.isdigit() and not process_alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)
        return _own_folder(root / f"{os.getpid()}-{secrets.token_hex(4)}")
