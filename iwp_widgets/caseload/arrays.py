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

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..rules import Inputs, run
from ..thresholds import Thresholds
from .format import MONTHLY_PREFIXES, monthly_columns
from .scenarios import Scenario
from .simulation import _id_values, caseload_en_payments
from .summary import outcomes_from_grids

HISTORY_COLUMNS = ("twp_months_used", "twp_completed", "ssdi_cessation_month")


def unsupported(caseload: pd.DataFrame) -> PlanError | None:
    """Why the array path cannot run this caseload (an error naming the column), or None."""
    for column in HISTORY_COLUMNS:
        values = caseload.get(column)
        if values is not None and (values.notna() & values.astype(str).str.strip().ne("")).any():
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
    return _arrays(caseload, figures, grouped=False)[1]


def _arrays(caseload: pd.DataFrame, figures: Thresholds, grouped: bool, check: bool = True
            ) -> tuple[np.ndarray, dict]:
    """(caseload row of each result row, the result); ``grouped``: rows grouped by program, as
    the engine runs them fastest (worth it when the result is folded per beneficiary anyway);
    ``check=False`` when the caller has already asked :func:`unsupported`."""
    problem = unsupported(caseload) if check else None
    if problem is not None:
        raise problem
    caseload = caseload.reset_index(drop=True)
    [(rows, inputs)] = Inputs.from_caseload(caseload, figures, grouped)
    result = run(inputs, figures)
    # EN payments exactly as simulate_caseload computes them (the Ticket layer's schedule).
    result["en_payment"] = caseload_en_payments(caseload, rows, inputs, result, figures)
    return rows, result


def outcomes_by_arrays(caseload: pd.DataFrame, scenario: Scenario, figures: Thresholds, *,
                       check: bool = True) -> pd.DataFrame:
    """Per-beneficiary outcomes (as :func:`~iwp_widgets.caseload.summary.beneficiary_outcomes`
    gives them) under a scenario, without building the monthly table. ``check=False``: the caller
    has already found that the array path takes this caseload (:func:`unsupported`)."""
    prepared = scenario.apply_earnings(caseload)
    rows, result = _arrays(prepared, figures, grouped=True, check=check)
    outcomes = outcomes_from_grids(_id_values(prepared["id"])[rows], result)  # text ids stay Arrow text
    return outcomes.iloc[np.argsort(rows)]


__all__ = ["simulate_arrays", "outcomes_by_arrays", "unsupported"]
