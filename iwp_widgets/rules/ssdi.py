"""SSDI (Title II) work rules, one month at a time over arrays of beneficiaries.

Rules (rules.md §1–3):

- Trial Work Period (20 CFR 404.1592): a service month is a month with gross earnings MORE
  THAN the Trial Work Level of that month's year (self-employed: net earnings more than the
  TWL, or more than ``twp_self_employed_hours`` hours in the business). IRWE and subsidies are
  not deducted for this test. The TWP ends with the 9th service month inside a rolling window
  of 60 consecutive months, counting the months the BPQY lists before the projection.
- Extended Period of Eligibility (20 CFR 404.1592a): the 36-month reentitlement period starts
  the month after the TWP ends. The cessation month is the first month after the TWP with
  countable earnings (gross − IRWE − subsidy) MORE THAN SGA (blind SGA if blind). SSDI is paid
  for the cessation month and the 2 grace months after it. Afterwards, inside the 36 months, no
  SSDI for a month above SGA and full SSDI for a month at or below it. After the 36 months the
  first month above SGA terminates entitlement (paid 0 from then on). If the first SGA month
  comes only after the 36 months, it is the cessation month, the 2 grace months are paid, and
  entitlement then terminates (20 CFR 404.1592a(a)(3)(ii)).
- Expedited Reinstatement (20 CFR 404.1592b–d): the 60 months starting with the termination
  month are flagged ``exr_window`` (only in months from January 2001, when requests became
  possible: ``exr_request_allowed``); reinstatement itself is not simulated.
- Medicare: shown as continuing while entitled and, after termination, until the end of the
  ``medicare_extended_months``-th month after the TWP ended (93 since October 2000, Extended
  Period of Medicare Coverage; third-party sources, see thresholds/medicare_extended_months.csv).
  Assumes the 24-month Medicare waiting period is already over.
- Benefit offset (reform only): if the figure ``ssdi_offset_threshold`` exists for a month,
  after the cessation month and grace period SSDI is reduced by ``ssdi_offset_share`` of
  countable earnings above it instead of being suspended or terminated (Benefit Offset National
  Demonstration, POMS DI 60099.040).

Simplifications (also in docs/engine.md): no earnings averaging and no unsuccessful work
attempts when finding the cessation month (each month stands alone); no auxiliary
beneficiaries; the SSDI amount stays as given (no COLA); no medical improvement, no CDRs, no
waiting period; the reentitlement period is always 36 months (the 15-month rule for people not
entitled after December 1987 is not modelled); earnings are counted in the month they are given.
"""

from __future__ import annotations

import numpy as np

# ssdi_status codes (int8) and their names in the output table.
NONE, TWP, EPE, CESSATION, GRACE, SUSPENDED, TERMINATED, OFFSET = range(8)
STATUS_NAMES = ("none", "twp", "epe", "cessation", "grace", "suspended", "terminated", "offset")
NO_MONTH = np.int32(-(2 ** 30))
# The (T, n) outputs and detail arrays step() writes.
OUTPUTS = ("ssdi_status", "ssdi_paid", "twp_month", "twp_months_used", "epe_month",
           "exr_window", "medicare")
DETAILS = ("twp_end", "cessation", "termination")  # "no such month yet" for month indexes relative to the start


def twp_months_in_window(rows: np.ndarray, months: np.ndarray, window) -> np.ndarray:
    """How many listed TWP service months fall in the ``window`` consecutive months ending with
    each one: the one 9-in-60 count (20 CFR 404.1592(e)) for plans, caseloads and the engine.

    ``months`` are month ordinals sorted by row, then month; ``rows`` says whose each is;
    ``window`` is one number or one per listed month. The TWP ends with the month whose count
    reaches the service months (9); a count above that cannot happen (the TWP ended earlier).
    """
    rows, months = np.asarray(rows, np.int64), np.asarray(months, np.int64)
    if not len(months):
        return np.zeros(0, np.int64)
    window = np.asarray(window, np.int64)
    span = int(months.max() - months.min()) + int(window.max()) + 1  # rows never overlap
    key = rows * span + (months - months.min())
    first = np.searchsorted(key, key - (window - 1), side="left")
    return np.arange(len(key)) - first + 1


class SSDIState:
    """Path-dependent SSDI state for n beneficiaries (month indexes relative to the start).

    Masks are combined with arithmetic on bool/int8 arrays rather than masked assignment:
    with scattered masks, masked writes cost ten times more in numpy.
    """

    def __init__(self, twp_history: np.ndarray, twp_end: np.ndarray, cessation: np.ndarray,
                 window: int, nine: int, epe_months: int):
        n = twp_end.shape[0]
        # ring[t % window] holds month t's service flag for the months t-window+1..t.
        self.window = window
        self.ring = np.zeros((window, n), np.int8)
        history = twp_history.shape[1]  # months start-history..start-1
        for k in range(history):
            month = k - history
            if month > -window:
                self.ring[month % window] = twp_history[:, k]
        self.done = twp_end != NO_MONTH
        self.ring[:, self.done] = 0  # a finished TWP keeps its count at nine
        self.count = self.ring.sum(axis=0, dtype=np.int16)
        self.count[self.done] = nine
        self.twp_end = twp_end.astype(np.int32).copy()
        self.cessation = cessation.astype(np.int32).copy()
        self.has_cessation = self.cessation != NO_MONTH
        # A cessation month after the reentitlement period: entitlement ends after the grace.
        self.late_cessation = self.has_cessation & (self.cessation > self.twp_end + epe_months)
        self.terminated = np.zeros(n, bool)
        self.termination = np.full(n, NO_MONTH, np.int32)
        self.new, self.after, self.above = (np.empty(n, bool) for _ in range(3))
        self.grace, self.post, self.reent, self.suspended, self.flag = (
            np.empty(n, bool) for _ in range(5))
        self.since, self.reent_end = np.empty(n, np.int32), np.empty(n, np.int32)


def step(state: SSDIState, t: int, gross: np.ndarray, countable: np.ndarray, service: np.ndarray,
         sga: np.ndarray | float, benefit: np.ndarray, nine: int, epe_months: int,
         grace_months: int, exr_months: int, exr_allowed: bool, medicare_months: int,
         offset_threshold: float,
         offset_share: float, out: dict, detail: dict | None) -> None:
    """Advance the SSDI rules by month ``t`` and write that month's row of the outputs.

    ``service``: gross earnings (or hours) make this a TWP service month candidate;
    ``countable``: earnings for the SGA test; ``sga``: the SGA level per beneficiary.
    """
    s = state
    # np.count_nonzero tests "any row?" below: ndarray.any() costs a Python-level call per month.
    new = np.greater(service, s.done, out=s.new)  # a service month while the TWP is open
    slot = t % s.window
    s.count += new
    s.count -= s.ring[slot]
    s.ring[slot] = new
    just_done = new & (s.count >= nine)
    if np.count_nonzero(just_done):
        s.done |= just_done
        np.copyto(s.twp_end, t, where=just_done)
        s.ring[:, just_done] = 0
    after = np.greater(s.done, just_done, out=s.after)  # the TWP ended in an earlier month
    above_sga = np.greater(countable, sga, out=s.above)
    reent_end = np.add(s.twp_end, epe_months, out=s.reent_end)  # last reentitlement month
    new_cessation = np.greater(after & above_sga, s.has_cessation, out=s.flag)
    if np.count_nonzero(new_cessation):
        np.copyto(s.cessation, t, where=new_cessation)
        s.has_cessation |= new_cessation
        s.late_cessation |= new_cessation & (t > reent_end)
    since = np.subtract(t, s.cessation, out=s.since)
    in_grace = np.less_equal(since, grace_months, out=s.grace)
    in_grace &= s.has_cessation
    post_grace = np.greater(s.has_cessation, in_grace, out=s.post)
    in_reent = np.less_equal(t, reent_end, out=s.reent)

    # Status codes by arithmetic: TWP (1) or EPE (2), then +2 grace, −1 cessation month,
    # +3 suspended, +4 terminated, +5 offset (all these rows are EPE rows).
    status = out["ssdi_status"][t]
    np.add(after.view(np.int8), TWP, out=status)
    status += in_grace.view(np.int8) * np.int8(GRACE - EPE)
    status -= (in_grace & (since == 0)).view(np.int8)
    paid = out["ssdi_paid"][t]
    if np.isnan(offset_threshold):
        terminate = (above_sga & ~in_reent) | s.late_cessation
        terminate &= post_grace
        terminate = np.greater(terminate, s.terminated, out=terminate)
        if np.count_nonzero(terminate):
            s.terminated |= terminate
            np.copyto(s.termination, t, where=terminate)
        suspended = np.logical_and(post_grace, above_sga, out=s.suspended)
        suspended &= in_reent
        status += suspended.view(np.int8) * np.int8(SUSPENDED - EPE)
        stopped = suspended | s.terminated
        np.multiply(benefit, ~stopped, out=paid)
    else:
        # Reform: $1 less benefit per $(1/share) of countable earnings above the threshold.
        reduction = np.maximum(countable - offset_threshold, 0.0) * offset_share
        offset = np.maximum(benefit - reduction, 0.0)
        use = post_grace & ~s.terminated
        reduced = use & (offset < benefit)
        np.multiply(benefit, ~s.terminated, out=paid)
        paid -= (benefit - offset) * use
        status += reduced.view(np.int8) * np.int8(OFFSET - EPE)
    status += s.terminated.view(np.int8) * np.int8(TERMINATED - EPE)

    out["twp_month"][t] = new
    out["twp_months_used"][t] = s.count
    np.logical_and(after, in_reent, out=out["epe_month"][t])
    if np.count_nonzero(s.terminated):
        if exr_allowed:  # Expedited Reinstatement exists from January 2001
            out["exr_window"][t] = s.terminated & (t < s.termination + exr_months)
        out["medicare"][t] = ~s.terminated | (t <= s.twp_end + medicare_months)
    else:
        out["medicare"][t] = True
    if detail is not None:
        detail["twp_end"][t] = s.twp_end
        detail["cessation"][t] = s.cessation
        detail["termination"][t] = s.termination
