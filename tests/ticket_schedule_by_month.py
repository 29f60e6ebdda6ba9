"""The EN payment schedule as it was computed before issue 16: one step per month.

Kept as the reference the whole-array ``iwp_widgets.ticket.payments.schedule`` is checked against
(``test_ticket_properties.test_schedule_matches_the_month_by_month_loop``): the month-by-month
form is the rules' own order of events, so it is the easier one to read against rules.md §6.
"""

import numpy as np
import pandas as pd

from iwp_widgets.thresholds import Thresholds
from iwp_widgets.ticket._table import figure
from iwp_widgets.ticket.payments import (OUTCOME, PHASE1, PHASE2, _window_counts, payment_amounts,
                                         phase1_figures, rules_start)


def schedule_by_month(months, gross, twl, sga, outcome_month, title16, assigned_index, p1_available=None,
                      p4_from_index=None, *, system="milestone_outcome", p1m1_rule="en_guidance",
                      phase2_rule="regulation", p1m4_rule="regulation", thresholds=None):
    """``payments.schedule``'s arguments and result, computed one month at a time (valid options only)."""
    th = thresholds or Thresholds.default()
    n, t_count = gross.shape
    out = {"amount": np.zeros((n, t_count)), "kind": np.zeros((n, t_count), dtype=np.int8),
           "number": np.zeros((n, t_count), dtype=np.int16),
           "reconciliation": np.zeros((n, t_count)), "projected": np.zeros((n, t_count), dtype=bool)}
    start = rules_start(th)
    first_rule_index = int(np.searchsorted(months.asi8, start.ordinal))
    if first_rule_index >= t_count:
        return out
    rule_month = max(months[0], start)
    figure_months = pd.PeriodIndex([max(m, start) for m in months], freq="M")

    def amounts(kind):
        v2, p2 = payment_amounts(kind, "title2", figure_months, th)
        v16, p16 = payment_amounts(kind, "title16", figure_months, th)
        return (np.where(title16[:, None], v16[None, :], v2[None, :]),
                np.where(title16[:, None], p16[None, :], p2[None, :]))

    t_index = np.arange(t_count)[None, :]
    after_assignment = (t_index >= assigned_index[:, None]) & (t_index >= first_rule_index)
    outcome_month = outcome_month & after_assignment
    outcome_cap = np.where(title16, figure(th, "en_outcome_count_title16", rule_month),
                           figure(th, "en_outcome_count_title2", rule_month)).astype(int)
    paid_outcomes = np.zeros(n, dtype=int)
    rows = np.arange(n)

    if system == "outcome_only":
        value, projected = amounts("oo_outcome")
        for t in range(t_count):
            pay = outcome_month[:, t] & (paid_outcomes < outcome_cap)
            paid_outcomes += pay
            out["kind"][pay, t] = OUTCOME
            out["number"][pay, t] = paid_outcomes[pay]
            out["amount"][pay, t] = value[pay, t]
            out["projected"][pay, t] = projected[pay, t]
        return out

    required, windows = phase1_figures(th, rule_month)
    count_p1 = len(required)
    if p1_available is None:
        p1_available = np.ones((n, count_p1), dtype=bool)
    if p4_from_index is None:
        p4_from_index = np.zeros(n, dtype=int)
    p1_value, p1_projected = amounts("phase1")
    p2_value, p2_projected = amounts("phase2")
    oc_value, oc_projected = amounts("mo_outcome")
    p2_cap = np.where(title16, figure(th, "en_phase2_count_title16", rule_month),
                      figure(th, "en_phase2_count_title2", rule_month)).astype(int)
    reconcile_at = int(figure(th, "en_reconciliation_after_outcome_payments", rule_month))

    at_twl = (gross >= twl) & after_assignment
    first_test = gross >= (twl * figure(th, "en_p1m1_regulation_share_of_twl", rule_month)
                           if p1m1_rule == "regulation" else twl)
    counts = np.stack([_window_counts((first_test & after_assignment) if k == 0 else at_twl, windows[k])
                       for k in range(count_p1)])                                   # (4, N, T)
    reached = counts >= np.array(required)[:, None, None]
    if p1m4_rule == "regulation":  # the last milestone's months may lie in any earlier window
        reached[-1] = np.maximum.accumulate(reached[-1], axis=1)
    above_sga = (gross > sga) if phase2_rule == "regulation" else (gross >= sga)
    above_sga &= after_assignment

    # next_available[i, k]: the first available milestone index ≥ k (count_p1 = none left).
    next_available = np.full((n, count_p1 + 1), count_p1)
    remaining = np.zeros((n, count_p1 + 1), dtype=int)
    for k in range(count_p1 - 1, -1, -1):
        next_available[:, k] = np.where(p1_available[:, k], k, next_available[:, k + 1])
        remaining[:, k] = remaining[:, k + 1] + p1_available[:, k]
    next_p1 = next_available[:, 0].copy()
    paid_p2 = np.zeros(n, dtype=int)
    started = np.zeros(n, dtype=bool)
    owed = np.zeros(n)
    owed_projected = np.zeros(n, dtype=bool)

    for t in range(t_count):
        # The outcome period starts with the first outcome payment month; unpaid milestones are owed.
        begins = outcome_month[:, t] & ~started
        if begins.any():
            left_p1 = remaining[rows, next_p1]
            left_p2 = p2_cap - paid_p2
            owed[begins] = (left_p1 * p1_value[:, t] + left_p2 * p2_value[:, t])[begins]
            owed_projected[begins] = ((left_p1 > 0) & p1_projected[:, t]
                                      | (left_p2 > 0) & p2_projected[:, t])[begins]
            started |= begins
        pay = started & outcome_month[:, t] & (paid_outcomes < outcome_cap)
        paid_outcomes += pay
        out["kind"][pay, t] = OUTCOME
        out["number"][pay, t] = paid_outcomes[pay]
        out["amount"][pay, t] = oc_value[pay, t]
        out["projected"][pay, t] = oc_projected[pay, t]
        settle = pay & (paid_outcomes == reconcile_at) & (owed > 0)
        out["reconciliation"][settle, t] = owed[settle]
        out["amount"][settle, t] += owed[settle]
        out["projected"][settle, t] |= owed_projected[settle]

        # Milestones, in sequence, until the outcome period starts.
        open_ = after_assignment[:, t] & ~started
        pending = next_p1 < count_p1
        k = np.minimum(next_p1, count_p1 - 1)
        p1 = (open_ & pending & reached[k, rows, t]
              & ((k != count_p1 - 1) | (t >= p4_from_index)))
        out["kind"][p1, t] = PHASE1
        out["number"][p1, t] = k[p1] + 1
        out["amount"][p1, t] = p1_value[p1, t]
        out["projected"][p1, t] = p1_projected[p1, t]
        next_p1 = np.where(p1, next_available[rows, np.minimum(k + 1, count_p1)], next_p1)

        p2 = open_ & ~pending & (paid_p2 < p2_cap) & above_sga[:, t]
        paid_p2 += p2
        out["kind"][p2, t] = PHASE2
        out["number"][p2, t] = paid_p2[p2]
        out["amount"][p2, t] = p2_value[p2, t]
        out["projected"][p2, t] = p2_projected[p2, t]
    return out
