"""How much a caseload run holds at a time, and glibc's malloc told to keep freed memory.

A caseload run allocates and frees the same few hundred megabytes of arrays batch after batch.
By default glibc gives large freed blocks back to the system, and every page of the next batch's
arrays then faults in again. On the two-core virtual machine measured, keeping freed memory cut the
month-level run of ``benchmarks/bench_caseload.py`` from about 40,000 page faults to 4,000-9,000
and from 1.44 s to 1.33-1.37 s, and a Dask worker's time in the kernel from about a third of its CPU
time to 2 %. It costs no more memory than the largest batch already needs.

``MALLOC`` is given to worker processes as environment variables (read when a process starts);
:func:`keep_freed_memory` sets the same values in this process (the caseload command calls it).
Other C libraries: nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# Beneficiaries per engine call. The array path holds about 7 KB per beneficiary over 60 months
# while a batch runs (the engine's result, the EN schedule's masks), so a batch of 20,000 needs
# some 150 MB; the engine's month loop costs the same per call whatever its size, so larger
# batches spread it thinner (bench_caseload.py).
BATCH = 20_000
# Beneficiaries per piece of a written monthly table (a Parquet row group of 300,000 rows over
# 60 months, about 40 MB): an engine batch is written in several pieces, so the file's writer
# starts early and the last batch leaves little writing after the engine has finished.
PIECE = 5_000
# Pieces that may wait for the thread writing the file.
PIECES_WAITING = 3

MALLOC = {
    "MALLOC_TRIM_THRESHOLD_": 1 << 30,   # keep up to 1 GiB of freed heap
    "MALLOC_MMAP_THRESHOLD_": 1 << 28,   # arrays below 256 MiB come from the heap
    "MALLOC_TOP_PAD_": 1 << 26,          # grow the heap 64 MiB at a time
}
# mallopt's parameter numbers (malloc.h) for the variables above.
_MALLOPT = {"MALLOC_TRIM_THRESHOLD_": -1, "MALLOC_TOP_PAD_": -2, "MALLOC_MMAP_THRESHOLD_": -3}


def malloc_environment() -> dict[str, str]:
    """``MALLOC`` as environment variables, for processes about to start."""
    return {name: str(value) for name, value in MALLOC.items()}


def keep_freed_memory() -> bool:
    """Set ``MALLOC`` in this process; False where the C library is not glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return all(mallopt(_MALLOPT[name], value) == 1 for name, value in MALLOC.items())
