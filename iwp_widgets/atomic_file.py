"""Crash-safe file writes: after a crash or power cut at any moment a file holds either its old
bytes or its new bytes, never a mix.

Everything the program writes to disk goes through here: plan files and their backups and
autosaves (``storage``, ``Plan.save``), exports and printed plans, and the analysts' result
tables (``caseload.format.TableWriter``). This module is the ground floor: it imports nothing
from the project, so any room can use it.

The new bytes go to a temporary file in the same folder (``os.replace`` is only atomic within
one file system), which is flushed and fsynced, renamed over the target, and then the folder is
fsynced so the rename itself survives a power cut. Temporary files are named
``.<file>.<pid>.<random>.tmp``: the pid lets a later write tell a dead writer's leftover (removed)
from a live writer's file (kept).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

TEMP_SUFFIX = ".tmp"
PRIVATE_FILE_MODE = 0o600  # a new file is readable by its owner only: plans hold benefit details


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` so that a crash leaves the old or the new bytes.

    A new file is readable by its owner only; a replaced file keeps its permissions.
    """
    with atomic_writer(path) as file:
        file.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to write the new contents of ``path`` into; they replace the file only when
    the ``with`` block ends without an error (otherwise the old file stays and the temporary file
    is removed). The file may be closed inside the block, as wrappers such as ``TextIOWrapper``
    or a Parquet writer do when they close: the bytes are made durable either way."""
    path = Path(path)
    folder = path.parent
    remove_stale_temp_files(path)
    # mkstemp creates the file readable and writable by its owner only, whatever the umask.
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as temp:
            yield temp
            _sync(temp, temp_name)
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = PRIVATE_FILE_MODE  # set, not left to the umask
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_folder(folder)


def _sync(temp: BinaryIO, temp_name: str) -> None:
    """Flush ``temp`` to the disk, reopening it if a wrapper already closed it (closing wrote its
    bytes to the operating system, not yet to the disk)."""
    if not temp.closed:
        temp.flush()
        os.fsync(temp.fileno())
        return
    fd = os.open(temp_name, os.O_RDWR)  # Windows can fsync only a file opened for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        # Ours are ".<file>.<pid>.<random>.tmp"; anything else is left alone.
        parts = name[len(prefix):-len(TEMP_SUFFIX)].split(".")
        if len(parts) != 2 or not parts[0].isdigit() or process_alive(int(parts[0])):
            continue
        try:
            candidate.unlink()
            removed.append(candidate)
        except FileNotFoundError:  # another writer cleaned it first
            pass
    return removed


def remove_stale_temp_files_in(folder: str | os.PathLike) -> list[Path]:
    """``remove_stale_temp_files`` for every file in ``folder`` (for folders where each name is
    written once, so no later write of the same file would clean up after a killed writer)."""
    folder = Path(folder)
    removed = []
    for candidate in folder.glob(f".*{TEMP_SUFFIX}"):
        target = candidate.name[1:].rsplit(".", 3)[0]  # ".<file>.<pid>.<random>.tmp" -> "<file>"
        removed += remove_stale_temp_files(folder / target)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (this process counts as alive)."""
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
