"""Employment Network payments for a whole caseload, from the Ticket layer's vectorised schedule.

``simulate_caseload`` leaves ``en_payment`` at 0 (the engine says the Ticket layer fills it). For
caseloads this module fills it with :func:`iwp_widgets.ticket.payments.schedule`, the same
function the single-plan ``en_payments`` uses, run over all beneficiaries at once. Outcome
payment months are found as ``en_payments`` finds them (20 CFR 411.500(b), 411.525(a)(1)(ii)):
Title II and concurrent beneficiaries, earnings above SGA with no SSDI and no SSI paid; SSI only,
earnings with no SSI paid.

Caseload assumptions (documented in docs/analysts.md): payments only from the ``ticket_assigned``
month (no ticket: no payments); the milestone-outcome system with SSA's current EN-guidance test
for the first milestone (the plan defaults); no earnings before assignment on record (every
Phase 1 milestone available); the EN's IWP services count as substantially completed (milestone 4
may be paid).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..thresholds import Thresholds
from ..ticket.payments import rules_start, schedule


def add_en_payments(table: pd.DataFrame, caseload: pd.DataFrame,
                    thresholds: Thresholds | None = None) -> pd.DataFrame:
    """``table`` (the engine's output for ``caseload``, rows in caseload order, T months each) with
    ``en_payment`` filled in (a new frame)."""
    n = len(caseload)
    if n == 0:
        return table
    months = len(table) // n

    def grid(column: str) -> np.ndarray:
        return table[column].to_numpy(dtype=float).reshape(n, months)

    amount = en_payment_grid(caseload, grid("gross_earnings"), grid("twl"), grid("sga"), grid("ssdi_paid"),
                             grid("ssi_paid"), thresholds)
    return table.assign(en_payment=amount.ravel())  # copy-on-write: the other columns are shared


def en_payment_grid(caseload: pd.DataFrame, gross: np.ndarray, twl: np.ndarray, sga: np.ndarray,
                    ssdi_paid: np.ndarray, ssi_paid: np.ndarray,
                    thresholds: Thresholds | None = None) -> np.ndarray:
    """EN payment per beneficiary and month, (n, T), from the simulated (n, T) arrays."""
    thresholds = thresholds or Thresholds.default()
    n, months = gross.shape
    title16 = (caseload["benefits"] == "ssi").to_numpy()
    no_cash = (ssi_paid == 0)
    outcome = np.where(title16[:, None], (gross > 0) & no_cash, (gross > sga) & (ssdi_paid == 0) & no_cash)
    amount = np.zeros((n, months))
    starts = caseload["start"].astype(str).to_numpy()
    assigned = caseload["ticket_assigned"]
    for start in np.unique(starts):
        rows = np.flatnonzero(starts == start)
        index = pd.period_range(start, periods=months, freq="M")
        has_ticket = assigned.iloc[rows].notna().to_numpy()
        assigned_index = np.full(len(rows), months)  # no ticket: "assigned" after the projection
        if has_ticket.any():
            # Parse each distinct month once (a caseload repeats few of them).
            distinct, which = np.unique(assigned.iloc[rows][has_ticket].astype(str).to_numpy(), return_inverse=True)
            assigned_index[has_ticket] = pd.PeriodIndex(distinct, freq="M").asi8[which] - index[0].ordinal
        milestones = int(thresholds.value("en_phase1_milestone_count", max(index[0], rules_start(thresholds))))
        result = schedule(index, gross[rows], twl[rows], sga[rows], outcome[rows], title16[rows],
                          assigned_index, np.ones((len(rows), milestones), dtype=bool),
                          np.full(len(rows), -10**9), thresholds=thresholds)
        amount[rows] = result["amount"]
    return amount


__all__ = ["add_en_payments", "en_payment_grid"]
