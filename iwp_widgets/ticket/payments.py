"""Employment Network (EN) payments under both payment systems (20 CFR §411.500 ff.; rules.md §6).

**Milestone-outcome system** (``system="milestone_outcome"``), paid in sequence (§411.525(a)(2)(iii)):

* Phase 1 milestones 1–4 on gross earnings of at least the TWL: 1 month; 3 months within 6; 6 within
  12; 9 within 18 (and milestone 4 only once the EN has substantially completed its IWP services).
  Earnings already used for an earlier milestone count again inside a later window. The first
  milestone's test is an option, ``p1m1_rule``: ``"en_guidance"`` (SSA's current EN pages: gross ≥ the
  TWL, the default) or ``"regulation"`` (§411.525(a)(2)(i): gross ≥ 50% of the TWL) — rules.md §8.1.
  Milestone 4's test is an option, ``p1m4_rule``: ``"regulation"`` (the default; §411.525(a)(2)(i)
  read literally: 9 months within an 18-month period, at any time since assignment, and services
  substantially completed) or ``"common_window"`` (the 18-month window ending in the month paid must
  still hold 9 such months when services are complete).
* The 18-month look-back (§411.535(a)(1)(ii)): gross earnings more than the TWL in the month before
  the ticket was assigned → no milestone 1; in 3 of the 6 months before → no milestone 2; 6 of 12 →
  no 3; 9 of 18 → no 4. The months before assignment are the table's own months where it has them,
  and earlier ones from ``TicketFacts.earnings_before_assignment`` (oldest first, the last one the
  month just before assignment); months known from neither count as no such earnings. No Phase 1
  milestone at all after a State VR successful closure within 18 months (YTTW-EXCL).
* Phase 2 milestones, one for each month with gross earnings more than the SGA amount: up to 11
  (Title II or concurrent) or 18 (SSI only). The regulation says "more than" SGA and SSA's EN pages
  say "at or above" (rules.md §8.2): ``phase2_rule="regulation"`` (the default) or
  ``"en_guidance"``. Which SGA amount for a blind beneficiary is ``phase2_blind_rule``:
  ``"regulation"`` (the default: the non-blind amount of §404.1574(b)(2), which §411.500(f)(2) and
  §411.525(a)(2)(ii) name, for Title II and SSI alike) or ``"en_guidance"`` (the blind amount, as
  SSA's EN pages list one; for Title II and SSI alike).
* Outcome payments, one for each outcome payment month after assignment (``outcome.py``: SSDI and
  federal SSI cash stopped by earnings, §411.500(b), §411.525(a)(1)). Up to 36 (Title II/concurrent)
  or 60 (SSI only). The first such month starts the outcome payment period; no milestone is paid
  after that.
* Reconciliation (§411.536): when the outcome period starts before every available milestone was
  paid, the unpaid ones are valued at the amounts of the year the outcome period began and paid in
  the month of the 12th outcome payment. That month's type reads "Outcome payment 12; Reconciliation".

**Outcome-only system** (``system="outcome_only"``): one payment of 67% of the PCB for each outcome
payment month, up to 36 / 60 (§411.525(a)(1)(i), §411.550).

Amounts are the published figures for the month's year (``thresholds/en_*.csv``). Where a year's
figure is carried forward but that year's payment calculation base (PCB) is known, the amount is the
share of the PCB rounded to the dollar; a payment that uses a carried-forward figure is flagged
``projected``. Concurrent beneficiaries are paid as Title II (§411.500(a)). Payments are placed in the
month they are earned, not when SSA pays the claim. Months before July 2008 (the rules modelled) and
before the ticket was assigned get no payment. Not modelled: ticket termination (§411.525(d)) and
payments already made before the first month of the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..thresholds import Thresholds
from ._table import column, figure, first_row, memo, months_of, to_month
from .iwp import IWP
from .outcome import BENEFITS, table_outcome_months

SYSTEMS = ("milestone_outcome", "outcome_only")
P1M1_RULES = ("en_guidance", "regulation")
P1M4_RULES = ("regulation", "common_window")
PHASE2_RULES = ("regulation", "en_guidance")
PHASE2_BLIND_RULES = ("regulation", "en_guidance")

NONE, PHASE1, PHASE2, OUTCOME = 0, 1, 2, 3
# What ``schedule`` returns, each an (N, T) array of this type.
SCHEDULE_COLUMNS = {"amount": np.float64, "kind": np.int8, "number": np.int16, "reconciliation": np.float64,
                    "projected": np.bool_}
_LABELS = {PHASE1: "Phase 1 milestone", PHASE2: "Phase 2 milestone", OUTCOME: "Outcome payment"}
RECONCILIATION = "Reconciliation"
PAYMENT_ORDER = ["Phase 1 milestone", "Phase 2 milestone", "Outcome payment", RECONCILIATION]

# Amount figure, the PCB it is a share of, and that share's figure (rules.md §6.3–6.4).
_AMOUNTS = {
    ("phase1", "title2"): ("en_phase1_milestone", "en_pcb_title2", "en_p1_share_of_pcb"),
    ("phase1", "title16"): ("en_phase1_milestone", "en_pcb_title2", "en_p1_share_of_pcb"),
    ("phase2", "title2"): ("en_phase2_milestone_title2", "en_pcb_title2", "en_p2_share_of_pcb"),
    ("phase2", "title16"): ("en_phase2_milestone_title16", "en_pcb_title16", "en_p2_share_of_pcb"),
    ("mo_outcome", "title2"): ("en_mo_outcome_title2", "en_pcb_title2", "en_mo_outcome_share_of_pcb"),
    ("mo_outcome", "title16"): ("en_mo_outcome_title16", "en_pcb_title16",
                                "en_mo_outcome_share_of_pcb"),
    ("oo_outcome", "title2"): ("en_oo_outcome_title2", "en_pcb_title2", "en_oo_outcome_share_of_pcb"),
    ("oo_outcome", "title16"): ("en_oo_outcome_title16", "en_pcb_title16",
                                "en_oo_outcome_share_of_pcb"),
}


def payment_amounts(kind: str, title: str, months: pd.PeriodIndex,
                    th: Thresholds) -> tuple[np.ndarray, np.ndarray]:
    """Dollar amount of one payment of ``kind`` per month, and whether it is projected (read-only)."""
    return memo(th, ("amounts", kind, title, months.asi8.tobytes()),
                lambda: _payment_amounts(kind, title, months, th))


def _payment_amounts(kind, title, months, th):
    name, pcb_name, share_name = _AMOUNTS[(kind, title)]
    values, projected = th.series(name, months)
    pcb, pcb_projected = th.series(pcb_name, months)
    share, _ = th.series(share_name, months)
    from_base = projected & ~pcb_projected   # a carried-forward amount, but that year's base is known
    values = np.where(from_base, np.floor(share * pcb + 0.5), values)
    return values, projected & ~from_base


def _window_counts(qualifies: np.ndarray | None, window: int, total: np.ndarray | None = None) -> np.ndarray:
    """For each month, how many of the last ``window`` months (this one included) qualify.

    ``total`` is ``qualifies``' running count along the months, when the caller already has it.
    """
    if total is None:
        if window == 1:
            return qualifies
        total = np.cumsum(qualifies, axis=1, dtype=np.int16)
    shifted = np.zeros_like(total)
    shifted[:, window:] = total[:, :-window]
    return total - shifted


def phase1_figures(th: Thresholds, month) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Months needed and window of each Phase 1 milestone in force in ``month`` (cached)."""
    month = pd.Period(month, freq="M")
    return memo(th, ("phase1", month.ordinal), lambda: _phase1_figures(th, month))


def _phase1_figures(th: Thresholds, month: pd.Period) -> tuple[tuple[int, ...], tuple[int, ...]]:
    count = int(figure(th, "en_phase1_milestone_count", month))
    required = tuple(int(figure(th, "en_phase1_required_months", month, str(k))) for k in range(1, count + 1))
    windows = tuple(int(figure(th, "en_phase1_window_months", month, str(k))) for k in range(1, count + 1))
    return required, windows


def rules_start(th: Thresholds) -> pd.Period:
    """The first month the modelled payment rules (and their figures) apply: July 2008."""
    return first_row(th, "en_phase1_milestone")


def phase1_available(above: np.ndarray, state_vr_closure: np.ndarray,
                     required: list[int], windows: list[int]) -> np.ndarray:
    """(N, 4) which Phase 1 milestones the look-back leaves available (§411.535(a)(1)(ii)).

    ``above`` is (N, L): gross earnings more than the TWL in each of the L months before assignment,
    oldest first (``months_before_assignment``).
    """
    available = np.ones((above.shape[0], len(required)), dtype=bool)
    if above.any():  # (no earnings above the TWL before assignment, as usual: every one is available)
        for k, (need, window) in enumerate(zip(required, windows)):
            available[:, k] = above[:, above.shape[1] - min(window, above.shape[1]):].sum(axis=1) < need
    return available & ~state_vr_closure[:, None]


def months_before_assignment(gross: np.ndarray, twl: np.ndarray, assigned_index: np.ndarray, span: int,
                             history_above: np.ndarray | None = None) -> np.ndarray:
    """(N, span) more than the TWL in each of the ``span`` months before assignment, oldest first.

    The table's own months are read where the window overlaps them (``gross``/``twl``, (N, T));
    ``history_above`` (N, H) covers the H months just before the table's first month. Months in
    neither count as not above the TWL.
    """
    gross, twl = np.asarray(gross), np.asarray(twl)
    offset = 0 if history_above is None else history_above.shape[1]
    length = offset + gross.shape[1]  # the months known, history first
    first = np.asarray(assigned_index) + offset - span  # each window's first month among them
    out = np.zeros((len(first), span), dtype=bool)
    # Only windows that reach the known months are read (a caseload's tickets are mostly assigned
    # in its first month, with nothing known before).
    rows = np.flatnonzero((first + span > 0) & (first < length))
    if len(rows) == 0:
        return out
    if len(rows) < len(first):
        gross = gross[rows]
        twl = np.broadcast_to(twl[0], gross.shape) if twl.strides[0] == 0 else twl[rows]
    above = gross > twl
    if history_above is not None and history_above.shape[1]:
        above = np.concatenate([history_above[rows], above], axis=1)
    index = first[rows][:, None] + np.arange(span)[None, :]
    inside = (index >= 0) & (index < length)
    picked = np.take_along_axis(above, np.clip(index, 0, max(length - 1, 0)), axis=1)
    out[rows] = picked & inside
    return out


def phase2_sga(sga: np.ndarray, months: pd.PeriodIndex, blind: np.ndarray, rule: str,
               th: Thresholds) -> np.ndarray:
    """(N, T) the SGA amount Phase 2 milestones measure against (``phase2_blind_rule``).

    ``sga`` is the table's (N, T) column, the non-blind amount for anyone not blind. For a blind
    beneficiary "regulation" takes the non-blind amount of §404.1574(b)(2) (§411.500(f)(2),
    §411.525(a)(2)(ii)) and "en_guidance" the blind amount (SSA's EN pages), whichever program.
    """
    if rule not in PHASE2_BLIND_RULES:
        raise PlanError(f"options.phase2_blind_rule: must be one of {', '.join(PHASE2_BLIND_RULES)}, "
                        f"got {rule!r}")
    blind = np.asarray(blind, dtype=bool)
    if not blind.any():
        return sga
    amount = sga_amounts(th, "sga_non_blind" if rule == "regulation" else "sga_blind", months)
    sga = np.asarray(sga)
    if sga.ndim == 2 and len(sga) and sga.strides[0] == 0 and np.array_equal(sga[0], amount):
        return sga  # the same amount for everyone already (np.broadcast_to): nothing changes
    chosen = np.array(sga, dtype=float)  # a copy; only the few blind rows change
    chosen[blind] = amount
    return chosen


def sga_amounts(th: Thresholds, name: str, months: pd.PeriodIndex) -> np.ndarray:
    """``sga_non_blind`` or ``sga_blind`` in each month (cached, read-only)."""
    return memo(th, (name, months.asi8.tobytes()), lambda: th.series(name, months)[0])


def schedule(months: pd.PeriodIndex, gross: np.ndarray, twl: np.ndarray, sga: np.ndarray,
             outcome_month: np.ndarray, title16: np.ndarray, assigned_index: np.ndarray,
             p1_available: np.ndarray | None = None, p4_from_index: np.ndarray | None = None, *,
             system: str = "milestone_outcome",
             p1m1_rule: str = "en_guidance", phase2_rule: str = "regulation",
             p1m4_rule: str = "regulation",
             thresholds: Thresholds | None = None,
             columns: tuple[str, ...] = tuple(SCHEDULE_COLUMNS)) -> dict[str, np.ndarray]:
    """EN payments for N beneficiaries over the same months, vectorised over beneficiaries and months.

    2-D inputs are (N, T); ``sga`` is the amount Phase 2 measures against (``phase2_sga``) and
    ``outcome_month`` the outcome rule (``outcome.outcome_months``). ``title16`` (SSI only),
    ``assigned_index`` (month index of first assignment; may be negative) and ``p4_from_index``
    (first month index milestone 4 may be paid) are (N,); ``p1_available`` is (N, 4). Without
    ``p1_available`` every Phase 1 milestone is available; without ``p4_from_index`` milestone 4
    has no services condition.

    Returns (N, T) arrays ``amount``, ``kind`` (NONE/PHASE1/PHASE2/OUTCOME), ``number`` (the
    payment's number within its kind), ``reconciliation`` (amount) and ``projected``, or only the
    ``columns`` asked for (``amount`` always: a caseload wants it alone).

    The payments follow each other in a fixed order, so each kind is found with whole-array steps
    rather than month by month: the first outcome payment month ends the milestones; Phase 1
    milestones are paid one after another (a loop over the four milestones, not the months);
    Phase 2 milestones are the months above SGA after the last Phase 1 payment, up to the cap.
    The work is done month-major (months × beneficiaries), where running counts along the months
    are one vector addition a month; a caseload's (N, T) arrays in Fortran order (the engine's
    layout) are read without a copy.
    """
    th = thresholds or Thresholds.default()
    for name, value, allowed in (("options.en_payment_system", system, SYSTEMS),
                                 ("options.p1m1_rule", p1m1_rule, P1M1_RULES),
                                 ("options.phase2_rule", phase2_rule, PHASE2_RULES),
                                 ("options.p1m4_rule", p1m4_rule, P1M4_RULES)):
        if value not in allowed:
            raise PlanError(f"{name}: must be one of {', '.join(allowed)}, got {value!r}")
    n, t_count = gross.shape
    out = {name: np.zeros((n, t_count), dtype=SCHEDULE_COLUMNS[name]) for name in dict.fromkeys(("amount", *columns))}
    start = rules_start(th)
    first_rule_index = int(np.searchsorted(months.asi8, start.ordinal))
    if first_rule_index >= t_count or n == 0:
        return out
    rule_month = max(months[0], start)
    figure_months = pd.PeriodIndex.from_ordinals(np.maximum(months.asi8, start.ordinal), freq="M")
    title16 = np.asarray(title16, dtype=bool)
    # The first month each one's payments can be earned in: from assignment, and not before the rules.
    opens = np.maximum(np.asarray(assigned_index), first_rule_index)
    if (opens >= t_count).all():  # every ticket assigned after the last month (or none)
        return out
    t_index = np.arange(t_count)[:, None]
    after = t_index >= opens
    outcome = _month_major(outcome_month) & after
    if system == "outcome_only":
        qualifying = {"outcome": outcome}
        candidates = outcome
    else:
        gross_t, twl_t = _month_major(gross), _month_major(twl)
        at_twl = np.greater_equal(gross_t, twl_t)
        at_twl &= after
        if p1m1_rule == "regulation":
            share = figure(th, "en_p1m1_regulation_share_of_twl", rule_month)
            first = np.greater_equal(gross_t, twl_t * share)
            first &= after
        else:
            first = at_twl
        sga_t = _month_major(sga)
        above_sga = np.greater(gross_t, sga_t) if phase2_rule == "regulation" else np.greater_equal(gross_t, sga_t)
        above_sga &= after
        qualifying = {"first": first, "twl": at_twl, "sga": above_sga, "outcome": outcome}
        candidates = at_twl | above_sga
        candidates |= outcome
        if first is not at_twl:
            candidates |= first
    # Most beneficiaries earn too little for any payment: leave them out too.
    keep = candidates.any(axis=0)
    if not keep.any():
        return out
    rows = np.arange(n)
    if not keep.all():
        rows = rows[keep]
        # (compress keeps month-major order, as [:, keep] does not); "first" may be "twl" itself.
        picked = {id(value): np.compress(keep, value, axis=1) for value in qualifying.values()}
        qualifying = {key: picked[id(value)] for key, value in qualifying.items()}
    opens = opens[rows]
    outcome_cap = cap_for(th, "en_outcome_count", rule_month, title16[rows])
    if system == "outcome_only":
        paid = {OUTCOME: _outcome_payments(qualifying["outcome"], outcome_cap)[0]}
        amount_kinds = {OUTCOME: "oo_outcome"}
        settled = None
    else:
        required, windows = phase1_figures(th, rule_month)
        available = (np.ones((n, len(required)), dtype=bool) if p1_available is None
                     else np.asarray(p1_available, dtype=bool))[rows]
        p4_from = (np.zeros(n, dtype=np.int64) if p4_from_index is None
                   else np.asarray(p4_from_index))[rows]
        paid, settled = _milestone_outcome(
            qualifying, opens, outcome_cap, cap_for(th, "en_phase2_count", rule_month, title16[rows]),
            available, p4_from, required, windows, p1m4_rule,
            int(figure(th, "en_reconciliation_after_outcome_payments", rule_month)))
        amount_kinds = {PHASE1: "phase1", PHASE2: "phase2", OUTCOME: "mo_outcome"}

    flat = {name: values.reshape(-1) for name, values in out.items()}  # views: C-ordered (N, T)
    for kind, (local, month, number) in paid.items():
        row = rows[local]
        where = row * t_count + month
        if "kind" in flat:
            flat["kind"][where] = kind
        if "number" in flat:
            flat["number"][where] = number
        amount, projected = _by_title(amount_kinds[kind], figure_months, title16[row], month, th,
                                      projected="projected" in flat)
        flat["amount"][where] = amount
        if "projected" in flat:
            flat["projected"][where] = projected
    if settled is not None:
        # Reconciliation: milestones unpaid when the outcome period began, valued at that month's
        # amounts, paid with the outcome payment numbered ``reconcile_at`` (§411.536).
        local, began_month, left_p1, left_p2, month = settled
        ssi_only = title16[rows[local]]
        p1_value, p1_projected = _by_title("phase1", figure_months, ssi_only, began_month, th)
        p2_value, p2_projected = _by_title("phase2", figure_months, ssi_only, began_month, th)
        owed = left_p1 * p1_value + left_p2 * p2_value
        due = owed > 0
        where = rows[local[due]], month[due]
        if "reconciliation" in out:
            out["reconciliation"][where] = owed[due]
        out["amount"][where] += owed[due]
        if "projected" in out:
            out["projected"][where] |= ((left_p1 > 0) & p1_projected | (left_p2 > 0) & p2_projected)[due]
    return out


def cap_for(th: Thresholds, name: str, month: pd.Period, title16: np.ndarray) -> np.ndarray:
    """How many payments of a kind (``{name}_title2`` / ``_title16``), one per beneficiary."""
    return np.where(title16, figure(th, f"{name}_title16", month),
                    figure(th, f"{name}_title2", month)).astype(np.int64)


def _month_major(values) -> np.ndarray:
    """(T, N) of an (N, T) array: in memory order when the array is in Fortran order, as a
    caseload's are (the engine's layout)."""
    return np.asarray(values).T


def _by_title(kind: str, months: pd.PeriodIndex, title16: np.ndarray, at: np.ndarray,
              th: Thresholds, projected: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """Amount of one ``kind`` payment in month index ``at`` (one per beneficiary of ``title16``) and
    whether it is projected (None unless ``projected``)."""
    v2, p2 = payment_amounts(kind, "title2", months, th)
    v16, p16 = payment_amounts(kind, "title16", months, th)
    return np.where(title16, v16[at], v2[at]), np.where(title16, p16[at], p2[at]) if projected else None


def _running_count(mask: np.ndarray) -> np.ndarray:
    """(T, n) how many of the months so far (this one included) are True, as int16: one vector
    addition a month (numpy's cumsum of small whole numbers goes element by element)."""
    if mask.shape[1] < 64:
        return np.cumsum(mask, axis=0, dtype=np.int16)
    total = np.empty(mask.shape, np.int16)
    if len(mask):
        np.copyto(total[0], mask[0])
    for t in range(1, len(mask)):
        np.add(total[t - 1], mask[t], out=total[t])
    return total


def _first_from(total: np.ndarray, lowest: np.ndarray) -> np.ndarray:
    """Per beneficiary, the first month at or after ``lowest`` whose running count (``total``,
    (T, n)) goes up, i.e. the first True month from there on; T when there is none."""
    months, n = total.shape
    before = np.clip(lowest - 1, 0, max(months - 1, 0))
    base = total[before, np.arange(n)] if months else np.zeros(n, total.dtype)
    base = np.where(lowest > 0, base, 0)
    # Months up to the one before ``lowest`` never count more than ``base``; from there on the
    # count stays at ``base`` until the first True month: counting them finds that month.
    first = (total <= base).sum(axis=0)
    return np.where(lowest >= months, months, first)


def _window_total(total: np.ndarray, window: int) -> np.ndarray:
    """``_window_counts`` month-major: (T, n) running count in, counts of the last ``window`` months out."""
    counts = total.copy()
    counts[window:] -= total[:-window]
    return counts


def _events(mask: np.ndarray, number: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, month, number) of every True in a (T, n) mask."""
    where = np.flatnonzero(mask)
    month = where // mask.shape[1]  # (a division by one number: numpy's fast whole-number division)
    row = where - month * mask.shape[1]
    return row, month, number[month, row]


def _outcome_payments(outcome: np.ndarray, outcome_cap: np.ndarray):
    """((row, month, number) of every outcome payment: each outcome payment month, in order, up to
    the cap; the running count of outcome months, (T, n))."""
    number = _running_count(outcome)
    return _events(outcome & (number <= outcome_cap), number), number


def _milestone_outcome(qualifying: dict, opens: np.ndarray, outcome_cap: np.ndarray, p2_cap: np.ndarray,
                       available: np.ndarray, p4_from: np.ndarray, required: list[int], windows: list[int],
                       p1m4_rule: str, reconcile_at: int):
    """The milestone-outcome system on (T, n) masks of the months that qualify after assignment
    (``opens``: the first month of each one's payments).

    The payments follow each other in a fixed order, so each kind is found with whole-array steps
    instead of month by month: the first outcome payment month ends the milestones; Phase 1
    milestones are paid one after another (a loop over the milestones, not the months); Phase 2
    milestones are the months above SGA after the last Phase 1 payment, up to the cap; outcome
    payments are every outcome payment month up to the cap. A milestone is paid in the first
    month from ``max(opens, the previous payment's month + 1)`` in which it is reached, if that
    comes before the outcome period.

    Returns ({kind: (row, month, number)}, the reconciliations: (row, month the outcome period began,
    Phase 1 and Phase 2 milestones left unpaid then, month of outcome payment ``reconcile_at``)).
    """
    t_count, n = qualifying["outcome"].shape
    t_index = np.arange(t_count)[:, None]
    outcome = qualifying["outcome"]
    outcome_paid, outcome_number = _outcome_payments(outcome, outcome_cap)
    outcome_start = (outcome_number == 0).sum(axis=0)  # the first outcome month (T: none)

    # Phase 1 in sequence: each available milestone in the first open month after the previous
    # payment in which it is reached; one never reached holds back every later milestone.
    last_paid = np.full(n, -1)          # month of the latest Phase 1 payment
    held = np.zeros(n, dtype=bool)      # an available milestone was never reached
    paid_p1 = np.zeros(n, dtype=np.int64)
    twl_total = _running_count(qualifying["twl"])
    p1_rows, p1_months, p1_numbers = [], [], []
    count_p1 = len(required)
    for k in range(count_p1):
        lowest = np.maximum(opens, last_paid + 1)
        if k == 0 and qualifying["first"] is qualifying["twl"] and windows[k] == 1 and required[k] == 1:
            reached_total = twl_total  # the first milestone's months are the TWL months
        elif k == 0:
            first = qualifying["first"]
            reached_total = _running_count((first if windows[k] == 1 else
                                            _window_total(_running_count(first), windows[k])) >= required[k])
        else:
            reached_total = _running_count(_window_total(twl_total, windows[k]) >= required[k])
        if k == count_p1 - 1:
            if p1m4_rule == "regulation":  # the last milestone's months may lie in any earlier window
                ever = (reached_total == 0).sum(axis=0)  # the first month it is reached (T: never)
                month = np.where(ever < t_count, np.maximum(np.maximum(ever, p4_from), lowest), t_count)
            else:
                month = _first_from(reached_total, np.maximum(lowest, p4_from))
        else:
            month = _first_from(reached_total, lowest)
        found = month < np.minimum(outcome_start, t_count)
        wanted = available[:, k] & ~held
        paid = wanted & found
        held |= wanted & ~found
        p1_rows.append(np.flatnonzero(paid))
        p1_months.append(month[paid])
        p1_numbers.append(np.full(paid.sum(), k + 1))
        last_paid = np.where(paid, month, last_paid)
        paid_p1 += paid

    # Phase 2: months above SGA once every available Phase 1 milestone was paid, up to the cap.
    p2_month = qualifying["sga"] & (t_index >= np.maximum(opens, last_paid + 1))
    p2_month &= t_index < outcome_start
    p2_month &= ~held
    p2_number = _running_count(p2_month)
    p2_paid = _events(p2_month & (p2_number <= p2_cap), p2_number)
    paid = {PHASE1: (np.concatenate(p1_rows), np.concatenate(p1_months), np.concatenate(p1_numbers)),
            PHASE2: p2_paid, OUTCOME: outcome_paid}

    # Reconciliation is paid with outcome payment number ``reconcile_at``, for what was left unpaid
    # when the outcome period began.
    outcome_row, outcome_at, number = outcome_paid
    hit = number == reconcile_at
    row, month = outcome_row[hit], outcome_at[hit]
    left_p1 = available[row].sum(axis=1) - paid_p1[row]
    left_p2 = p2_cap[row] - np.bincount(p2_paid[0], minlength=n)[row]
    return paid, (row, outcome_start[row], left_p1, left_p2, month)


def payment_labels(kind: np.ndarray, number: np.ndarray, reconciliation: np.ndarray) -> np.ndarray:
    """Plain-language payment type per month, e.g. "Phase 1 milestone 2" ("" when none)."""
    labels = np.full(kind.shape, "", dtype=object)
    for code, text in _LABELS.items():
        hit = kind == code
        labels[hit] = [f"{text} {int(x)}" for x in number[hit]]
    recon = reconciliation > 0
    labels[recon] = [f"{label}; {RECONCILIATION}" if label else RECONCILIATION for label in labels[recon]]
    return labels


def en_payments(table: pd.DataFrame, benefits: str, ticket_assigned, iwp: IWP | None = None, *,
                system: str = "milestone_outcome", p1m1_rule: str = "en_guidance",
                phase2_rule: str = "regulation", phase2_blind_rule: str = "regulation",
                p1m4_rule: str = "regulation", blind: bool = False,
                thresholds: Thresholds | None = None) -> pd.DataFrame:
    """EN payments for one simulated path: a frame indexed like ``table`` with ``en_payment``,
    ``en_payment_type``, ``en_payment_projected`` and ``en_reconciliation`` (the reconciliation part of
    ``en_payment``). No ticket assigned → no payments.

    ``table`` needs ``gross_earnings``, ``twl``, ``sga``, ``ssdi_paid`` and ``ssi_paid`` (or
    ``ssi_federal_paid``), and uses ``ssi_breakeven`` when it has it (``outcome.py``); ``benefits`` is
    the profile's "ssdi", "ssi" or "concurrent"; ``blind`` the profile's statutory blindness.
    """
    months = months_of(table)
    if benefits not in BENEFITS:
        raise PlanError(f"profile.benefits: must be one of {', '.join(BENEFITS)}, got {benefits!r}")
    if ticket_assigned is None or len(months) == 0:
        payments = path_payments(months, *np.zeros((3, len(months))), np.zeros(len(months), dtype=bool),
                                 benefits, None)
    else:
        payments = path_payments(months, column(table, "gross_earnings"), column(table, "twl"),
                                 column(table, "sga"), table_outcome_months(table, benefits), benefits,
                                 ticket_assigned, iwp, system=system, p1m1_rule=p1m1_rule,
                                 phase2_rule=phase2_rule, phase2_blind_rule=phase2_blind_rule,
                                 p1m4_rule=p1m4_rule, blind=blind, thresholds=thresholds)
    return pd.DataFrame(payments, index=table.index, copy=False)


def path_payments(months: pd.PeriodIndex, gross: np.ndarray, twl: np.ndarray, sga: np.ndarray,
                  outcome: np.ndarray, benefits: str, ticket_assigned, iwp: IWP | None = None, *,
                  system: str = "milestone_outcome", p1m1_rule: str = "en_guidance",
                  phase2_rule: str = "regulation", phase2_blind_rule: str = "regulation",
                  p1m4_rule: str = "regulation", blind: bool = False,
                  thresholds: Thresholds | None = None) -> dict[str, np.ndarray]:
    """``en_payments`` on one path's month arrays (``outcome``: ``outcome.outcome_months`` of the
    path), without a table: the columns ``en_payment``, ``en_payment_type`` (text),
    ``en_payment_projected`` and ``en_reconciliation``. ``simulate`` calls it while it builds its table."""
    th = thresholds or Thresholds.default()
    iwp = iwp or IWP()
    size = len(months)
    if ticket_assigned is None or size == 0:
        return _payment_columns(np.zeros(size), np.full(size, ""), np.zeros(size, dtype=bool), np.zeros(size))
    assigned = to_month(ticket_assigned, "profile.ticket_assigned")
    gross, twl = np.asarray(gross, dtype=float)[None, :], np.asarray(twl, dtype=float)[None, :]
    title16 = benefits == "ssi"

    start = rules_start(th)
    required, windows = phase1_figures(th, max(assigned, start))
    assigned_index = np.array([assigned.ordinal - months[0].ordinal])
    above = months_before_assignment(gross, twl, assigned_index, max(windows),
                                      _history_above(iwp, assigned, months[0], max(windows), th))
    available = phase1_available(above, np.array([iwp.ticket.state_vr_closure_within_18_months]),
                                 required, windows)
    services_done = iwp.services_end_month()
    p4_from = (-10**9 if services_done is None
               else int(pd.Period(services_done, freq="M").ordinal - months[0].ordinal))
    sga = phase2_sga(np.asarray(sga, dtype=float)[None, :], months, np.array([blind]), phase2_blind_rule, th)
    result = schedule(months, gross, twl, sga, np.asarray(outcome, dtype=bool)[None, :], np.array([title16]),
                      assigned_index, available, np.array([p4_from]), system=system, p1m1_rule=p1m1_rule,
                      phase2_rule=phase2_rule, p1m4_rule=p1m4_rule, thresholds=th)
    return _payment_columns(result["amount"][0],
                            payment_labels(result["kind"], result["number"], result["reconciliation"])[0],
                            result["projected"][0], result["reconciliation"][0])


def _payment_columns(amount, labels, projected, reconciliation) -> dict:
    return {"en_payment": amount, "en_payment_type": pd.array(labels.astype(str), dtype="str"),
            "en_payment_projected": projected, "en_reconciliation": reconciliation}


def _history_above(iwp: IWP, assigned: pd.Period, first: pd.Period, span: int,
                   th: Thresholds) -> np.ndarray | None:
    """(1, H) more than the TWL in the H months before the table that the look-back reaches, from
    ``earnings_before_assignment`` (its last value is the month before ``assigned``)."""
    reach = first.ordinal - (assigned.ordinal - span)  # look-back months before the table
    if reach <= 0:
        return None
    listed = iwp.ticket.earnings_before_assignment or ()
    history = pd.period_range(end=first - 1, periods=reach, freq="M")
    earnings = np.zeros(reach)
    for j, value in enumerate(listed):
        position = (assigned - len(listed) + j).ordinal - history[0].ordinal
        if 0 <= position < reach:
            earnings[position] = value
    if not earnings.any():
        return np.zeros((1, reach), dtype=bool)
    return (earnings > th.series("twl", history)[0])[None, :]


def en_summary_by_year(table: pd.DataFrame) -> pd.DataFrame:
    """Count and dollars of EN payments per calendar year and payment type (long form).

    Columns: ``year``, ``payment`` ("Phase 1 milestone", "Phase 2 milestone", "Outcome payment",
    "Reconciliation"), ``count``, ``dollars``, ``projected`` (any payment in the group projected).
    """
    months = months_of(table)
    types = table["en_payment_type"].astype(str).to_numpy()
    amount = column(table, "en_payment")
    recon = column(table, "en_reconciliation", default=0.0)
    projected_column = "en_payment_projected" if "en_payment_projected" in table.columns else "projected"
    projected = (table[projected_column].to_numpy(dtype=bool) if projected_column in table.columns
                 else np.zeros(len(table), dtype=bool))
    records = []
    for month, text, dollars, reconciled, flag in zip(months, types, amount, recon, projected):
        for part in filter(None, text.split("; ")):
            group = RECONCILIATION if part == RECONCILIATION else part.rsplit(" ", 1)[0]
            value = reconciled if group == RECONCILIATION else dollars - reconciled
            records.append((month.year, group, value, bool(flag)))
    if not records:
        return pd.DataFrame({"year": pd.Series(dtype=int), "payment": pd.Series(dtype=str),
                             "count": pd.Series(dtype=int), "dollars": pd.Series(dtype=float),
                             "projected": pd.Series(dtype=bool)})
    long = pd.DataFrame(records, columns=["year", "payment", "dollars", "projected"])
    summary = (long.groupby(["year", "payment"], sort=False)
               .agg(count=("dollars", "size"), dollars=("dollars", "sum"), projected=("projected", "any"))
               .reset_index())
    summary["order"] = summary["payment"].map(PAYMENT_ORDER.index)
    return summary.sort_values(["year", "order"]).drop(columns="order").reset_index(drop=True)
