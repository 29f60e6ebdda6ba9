"""The array path: large, simple caseloads straight through the engine's array core.

``simulate_caseload`` builds the beneficiary-month table, which a summary then folds back into
one row per beneficiary. For summaries alone that table is pure overhead, so this path calls the
engine's array core :func:`iwp_widgets.rules.run` on (beneficiaries × months) arrays (EN
payments by the engine's own caseload step) and summarises them directly: the same rules, the same numbers (``tests/test_caseload_arrays.py``
compares them with the table path), in less time and memory.

It takes validated caseloads with one projection start and none of the per-beneficiary history
the engine reads from text (``twp_months_used``, ``twp_completed``, ``ssdi_cessation_month``) and
no per-month expense or hours columns: every synthetic caseload qualifies. Others raise PlanError
naming the column; use the table path (:mod:`iwp_widgets.caseload.runner`) for them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..rules import NO_MONTH
from ..simulate import EARNED_BEFORE, UNEARNED_BEFORE, caseload_en_payments, run
from ..thresholds import Thresholds
from .format import MONTHLY_PREFIXES, earnings_columns, monthly_columns
from .scenarios import Scenario
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
    """The engine's (n, T) result arrays for a validated simple caseload, plus ``en_payment``."""
    problem = unsupported(caseload)
    if problem is not None:
        raise problem
    earnings = caseload[earnings_columns(caseload)].to_numpy(dtype=float)
    births = np.full(len(caseload), NO_MONTH, np.int64)
    known = caseload["birth_month"].notna().to_numpy()
    if known.any():
        births[known] = pd.PeriodIndex(caseload["birth_month"][known].astype(str), freq="M").asi8
    result = run(
        caseload["start"].iloc[0], earnings, benefits=caseload["benefits"].to_numpy(dtype=str),
        ssdi_monthly=caseload["ssdi_monthly"].to_numpy(dtype=float), state=caseload["state"].to_numpy(dtype=str),
        couple=(caseload["ssi_unit"] == "couple").to_numpy(),
        state_supplement=caseload["state_supplement"].to_numpy(dtype=float),
        unearned_income=caseload["unearned_income"].to_numpy(dtype=float),
        blind=caseload["blind"].to_numpy(dtype=bool), student=caseload["student"].to_numpy(dtype=bool),
        birth_month=births, self_employed=caseload["self_employed"].to_numpy(dtype=bool),
        irwe=caseload["irwe"].to_numpy(dtype=float), bwe=caseload["bwe"].to_numpy(dtype=float),
        subsidy=caseload["subsidy"].to_numpy(dtype=float), pass_=caseload["pass"].to_numpy(dtype=float),
        ssi_eligible_before=caseload["ssi_eligible_before"].to_numpy(dtype=bool),
        ssi_since=_relative_months(caseload, "ssi_since"),
        earnings_before=caseload[list(EARNED_BEFORE)].to_numpy(dtype=float),
        unearned_before=np.where(np.isnan(before := caseload[list(UNEARNED_BEFORE)].to_numpy(
            dtype=float)), caseload[["unearned_income"]].to_numpy(dtype=float), before),
        same_month=(caseload["ssi_accounting"] == "same_month").to_numpy(), thresholds=figures)
    # EN payments exactly as simulate_caseload computes them (the Ticket layer's schedule).
    result["en_payment"] = caseload_en_payments(
        caseload, caseload["id"].to_numpy(), pd.Period(caseload["start"].iloc[0], freq="M"),
        {"state_supplement": caseload["state_supplement"].to_numpy(dtype=float)}, result, figures)
    return result


def _relative_months(caseload: pd.DataFrame, column: str) -> np.ndarray:
    """A month column as months from the (single) start; NO_MONTH where empty."""
    values = caseload.get(column)
    relative = np.full(len(caseload), NO_MONTH, np.int64)
    if values is None:
        return relative
    known = (values.notna() & values.astype(str).str.strip().ne("")).to_numpy()
    if known.any():
        start = pd.Period(caseload["start"].iloc[0], freq="M").ordinal
        relative[known] = pd.PeriodIndex(values[known].astype(str), freq="M").asi8 - start
    return relative


def outcomes_by_arrays(caseload: pd.DataFrame, scenario: Scenario, figures: Thresholds) -> pd.DataFrame:
    """Per-beneficiary outcomes (as :func:`~iwp_widgets.caseload.summary.beneficiary_outcomes`
    gives them) under a scenario, without building the monthly table."""
    prepared = scenario.apply_earnings(caseload)
    return outcomes_from_grids(prepared["id"].to_numpy(), simulate_arrays(prepared, figures))


__all__ = ["simulate_arrays", "outcomes_by_arrays", "unsupported"]
