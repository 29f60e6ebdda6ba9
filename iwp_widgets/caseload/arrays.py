"""The array path: large, simple caseloads straight through the engine's array core.

``simulate_caseload`` builds the beneficiary-month table, which a summary then folds back into
one row per beneficiary. For summaries alone that table is pure overhead, so this path calls the
engine's array core :func:`iwp_widgets.rules.run` on (beneficiaries × months) arrays through the
same front door (:meth:`iwp_widgets.rules.Inputs.from_caseload`), with EN payments by the caseload
path's own step, and summarises them directly: the same rules, the same numbers
(``tests/test_caseload_arrays.py`` compares them with the table path), in less time and memory.

It takes validated caseloads with one projection start and none of the per-beneficiary history
the engine reads from text (``twp_months_used``, ``twp_completed``, ``ssdi_cessation_month``) and
no per-month expense or hours columns: every synthetic caseload qualifies. Others raise PlanError
naming the column; use the table path (:mod:`iwp_widgets.caseload.runner`) for them.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..rules import PROGRAM_RANK, Inputs, run
from ..thresholds import Thresholds
from .format import MONTHLY_PREFIXES, monthly_columns
from .memory import BATCH, PIECE
from .scenarios import Scenario
from .simulation import TicketColumns, _id_values, en_payment_grid, monthly_schema, monthly_table
from .summary import outcome_values, outcomes_frame

HISTORY_COLUMNS = ("twp_months_used", "twp_completed", "ssdi_cessation_month")


def unsupported(caseload: pd.DataFrame) -> PlanError | None:
    """Why the array path cannot run this caseload (an error naming the column), or None."""
    for column in HISTORY_COLUMNS:
        values = caseload.get(column)
        if values is None:
            continue
        given = values[values.notna()]  # checked caseloads leave these empty: nothing to look at
        if len(given) and given.astype(str).str.strip().ne("").any():
            return PlanError(f"{column}: the array path takes no TWP or cessation history; "
                             f"use the table path (run_scenario)")
    for prefix in MONTHLY_PREFIXES:
        if monthly_columns(caseload, prefix):
            return PlanError(f"{prefix}_0: the array path takes one amount per beneficiary; "
                             f"use the table path (run_scenario)")
    if caseload["start"].nunique() != 1:
        return PlanError("start: the array path runs one projection start at a time")
    return None


def simulate_arrays(caseload: pd.DataFrame, figures: Thresholds) -> dict[str, np.ndarray]:
    """The engine's (n, T) result arrays for a validated simple caseload, plus ``en_payment``,
    rows in the caseload's order."""
    problem = unsupported(caseload)
    if problem is not None:
        raise problem
    caseload = caseload.reset_index(drop=True)
    [(rows, inputs)] = Inputs.from_caseload(caseload, figures, grouped=False)
    result = run(inputs, figures)
    # EN payments exactly as simulate_caseload computes them (the Ticket layer's schedule).
    result["en_payment"] = en_payment_grid(TicketColumns.of(caseload), inputs, result, figures)
    return result


def outcomes_by_arrays(caseload: pd.DataFrame, scenario: Scenario, figures: Thresholds, *,
                       check: bool = True, batch_size: int = BATCH, progress=None, writer=None) -> pd.DataFrame:
    """Per-beneficiary outcomes (as :func:`~iwp_widgets.caseload.summary.beneficiary_outcomes`
    gives them) under a scenario, without building the monthly table. ``check=False``: the caller
    has already found that the array path takes this caseload (:func:`unsupported`).

    The caseload's columns are read once; the engine then runs ``batch_size`` beneficiaries at a
    time, rows grouped by program (as it runs them fastest), and only their outcomes are kept.
    ``progress`` is anything with ``update(n)`` (a tqdm bar) or None. ``writer``: a Parquet
    :class:`~iwp_widgets.caseload.format.TableWriter` that also gets the monthly table, built from
    the engine's arrays, batch by batch in the caseload's order (each batch is then a run of rows,
    grouped by program only while it runs), with the outcomes ``beneficiary_outcomes`` gives.
    """
    problem = unsupported(caseload) if check else None
    if problem is not None:
        raise problem
    caseload = caseload.reset_index(drop=True)
    [(_, inputs)] = Inputs.from_caseload(caseload, figures, grouped=False)
    tickets = TicketColumns.of(caseload)
    ids = _id_values(caseload["id"])
    n, months = inputs.shape
    rank = PROGRAM_RANK[inputs.benefits]
    if writer is None:
        order = np.argsort(rank, kind="stable")
        batches = (order[first:first + batch_size] for first in range(0, n, batch_size))
    else:  # runs of rows in the file's order, each grouped by program while the engine runs it;
        # the first run is one piece, so that the file's writer starts soon
        firsts = [0, *range(min(PIECE, batch_size), n, batch_size)] if n else []
        batches = (first + np.argsort(rank[first:end], kind="stable")
                   for first, end in zip(firsts, [*firsts[1:], n]))
    values: dict[str, np.ndarray] = {}
    schema = None

    def finish(rows: np.ndarray, part: Inputs, result: dict) -> None:
        """A batch after the engine: EN payments exactly as simulate_caseload computes them (the
        Ticket layer's schedule), the monthly table when written, the outcomes."""
        nonlocal schema
        result["en_payment"] = en_payment_grid(tickets.select(rows), part, result, figures)
        for name, column in outcome_values(result).items():
            values.setdefault(name, np.empty(n, column.dtype))[rows] = column
        if writer is None:
            return
        # Written piece by piece in the file's order: where each of the run's rows is in the result.
        first = rows.min()
        where = np.empty(len(rows), np.intp)
        where[rows - first] = np.arange(len(rows))
        start = part.start.ordinal
        schema = schema or monthly_schema(ids, start, result)
        unearned = np.broadcast_to(np.asarray(part.unearned_income, float), (len(rows),))
        for at in range(0, len(rows), PIECE):
            picked = where[at:at + PIECE]
            writer.write(functools.partial(monthly_table, ids[first + at:first + at + len(picked)], start,
                                           months, result, unearned[picked], schema, picked))

    def simulated(rows: np.ndarray) -> tuple[Inputs, dict]:
        part = inputs.select(rows)
        if not scenario.earnings.changes_nothing:
            part = replace(part, earnings=scenario.earnings.applied_to(part.earnings))
        return part, run(part, figures)

    if writer is not None:
        # The file's writer has a thread of its own: batches are finished here, between engine
        # runs: on two cores a third thread for them was no faster (bench_caseload.py), only busier.
        for rows in batches:
            finish(rows, *simulated(rows))
            if progress is not None:
                progress.update(len(rows))
        return outcomes_frame(ids, values, months)
    # The engine runs a batch while a second thread finishes the one before (numpy lets go of
    # Python's lock for its array work, so on two cores the two overlap); one batch at a time is
    # finished, in order, and its error raised before the next one goes.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="caseload") as finishing:
        pending = None
        for rows in batches:
            part, result = simulated(rows)
            if pending is not None:
                pending.result()
            pending = finishing.submit(finish, rows, part, result)
            if progress is not None:
                progress.update(len(rows))
        if pending is not None:
            pending.result()
    return outcomes_frame(ids, values, months)


__all__ = ["simulate_arrays", "outcomes_by_arrays", "unsupported"]
