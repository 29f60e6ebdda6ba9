"""SSI (Title XVI) income rules, one month at a time over arrays of beneficiaries.

Rules (rules.md §4):

- Countable unearned income = other unearned income + SSDI paid (concurrent beneficiaries;
  20 CFR 416.1121) − the $20 general income exclusion, not below 0 (20 CFR 416.1124(c)(12)).
- Earned income exclusions in the order of 20 CFR 416.1112(c): student earned income exclusion
  (SEIE, under the age limit and a student: up to the monthly limit, and the yearly limit used
  month by month from January), the unused part of the $20, $65, IRWE (not blind), one half of
  the rest, blind work expenses (blind), PASS. Earned income never goes below 0 and unused
  earned exclusions never reduce unearned income.
- Which month's income pays a month (20 CFR 416.420; rules.md §4.4). Eligibility comes first
  and is decided on the month's own countable income: when it is at least FBR + state supplement,
  no SSI is payable for the month. In an eligible month the amount is max(0, FBR + supplement −
  countable income) of the month named by 416.420(b): the month itself in the first month of
  eligibility or the first after a month of ineligibility (a 1619(b) month is one), the month
  before in the second such month, and two months before (M−2, 416.420(a)) from the third on.
  With the ``same_month`` option every month uses its own income. The two months before the plan
  are real months: their earnings and unearned income are inputs, and whether SSI was paid in
  them ("getting SSI now", and since when) decides where the plan's first month stands in the
  cycle.
- Section 1619(a) (20 CFR 416.261–262): a non-blind person whose gross earnings are above SGA
  keeps SSI cash, computed the usual way, if SSI was paid in an earlier month (getting SSI
  before the plan, or an earlier month of the plan). Without that, a month above SGA pays
  nothing (SGA bars initial eligibility). Blind people are not subject to SGA in SSI.
- Section 1619(b) (20 CFR 416.264–269): Medicaid continues in a month of ineligibility caused by
  earnings (the month's own countable income reaches the limit, its unearned income alone would
  not), SSI was paid before, and 12 × the
  month's gross earnings is at most the state's charted threshold plus 12 × that month's IRWE,
  BWE and PASS (a lower bound of the individualized threshold, POMS SI 02302.300). If no
  threshold is published for the month and state, ``medicaid_1619b`` is False and
  ``medicaid_1619b_threshold`` is NaN (the "why" text says so).
- Breakeven: the gross earnings at which SSI reaches 0 this month, given this month's unearned
  income and exclusions (POMS SI 00810.350): SEIE still available + unused $20 + $65 + IRWE +
  (FBR + SSP − countable unearned + BWE + PASS) / (1 − share excluded).

Simplifications (also in docs/engine.md): living alone (no in-kind support and maintenance,
no one-third reduction); a couple's earnings and unearned income are entered combined; no
deeming; self-employment income is counted in the month given (SSI divides a year's net
earnings by 12); no $30 a quarter infrequent income exclusion; no resource test; no 12-month
suspension/termination rule; no SSDI cost-of-living adjustment in January.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


# Amount each earned-income exclusion removed, in legal order (for the "why" text).
EXCLUSION_DETAILS = ("excluded_general", "excluded_65", "excluded_irwe", "excluded_half",
                     "excluded_bwe", "excluded_pass")


# The (T, n) outputs and detail arrays step() writes.
OUTPUTS = ("ssi_countable_income", "ssi_paid", "ssi_eligible", "ssi_1619a", "medicaid_1619b",
           "ssi_breakeven")
DETAILS = ("ssi_countable_earned", "ssi_income_month", "ssi_income_used", "ssi_unearned",
           "ssi_countable_unearned", "ssi_limit", "seie_excluded", "seie_left", *EXCLUSION_DETAILS)
# The months before the plan the engine looks at: M−2 accounting reaches two months back.
MONTHS_BEFORE = 2


class SSIState:
    """Path-dependent SSI state, carried from month to month, and scratch arrays.

    ``eligible_run`` counts the eligible months in a row up to the last month stepped (0 after a
    month of ineligibility): it decides whose income pays the next eligible month. The rings hold
    the countable income (total and unearned) of the last three months stepped, the months
    before the plan included.
    """

    def __init__(self, eligible_before: np.ndarray):
        n = eligible_before.shape[0]
        self.seie_left = np.zeros(n)
        self.paid_before = eligible_before.astype(bool).copy()
        self.eligible_run = np.zeros(n, np.int32)
        self.steps = 0  # months stepped so far (the ring position)
        self.unearned, self.general_left, self.earned, self.scratch = (np.empty(n) for _ in range(4))
        self.used = np.empty(n)
        self.flag, self.cash, self.seie_counts = (np.empty(n, bool) for _ in range(3))
        self.countable_ring = np.zeros((3, n))  # countable income of the last 3 months
        self.unearned_ring = np.zeros((3, n))   # countable unearned income of the last 3 months


@dataclass(slots=True)
class SSIMonth:
    """What SSI's rules read for one month: per-beneficiary arrays (n,) or one number.

    ``limit``: FBR + state supplement (0 for SSDI-only rows); ``general``, ``earned_exclusion``,
    ``kept_share`` (1 − share excluded), ``sga``: the month's figures. ``irwe`` (0 for blind
    people), ``bwe`` (0 unless blind), ``pass_``: None when nobody has any; ``expenses``: IRWE + BWE
    + PASS for the 1619(b) threshold, or None; ``seie_eligible`` (None: no students), ``seie_month``
    and ``seie_year``: the student exclusion; ``not_blind``: None if nobody is blind;
    ``same_month``: one bool, or per-beneficiary bools, for the accounting method;
    ``monthly_threshold_1619b``: the yearly charted threshold ÷ 12 (NaN if none). ``in_ssi``
    (months before the plan only): who was getting SSI in that month; None = anyone whose income
    allows it (every month of the plan).
    """

    gross: np.ndarray
    ssdi_paid: np.ndarray
    other_unearned: np.ndarray
    limit: np.ndarray
    general: float
    earned_exclusion: float
    kept_share: float
    sga: float
    january: bool = False
    seie_eligible: np.ndarray | None = None
    seie_month: float = 0.0
    seie_year: float = 0.0
    irwe: np.ndarray | None = None
    bwe: np.ndarray | None = None
    pass_: np.ndarray | None = None
    expenses: np.ndarray | None = None
    not_blind: np.ndarray | None = None
    same_month: object = False
    monthly_threshold_1619b: object = np.nan
    in_ssi: np.ndarray | None = None


def _exclude(earned: np.ndarray, amounts: tuple, kept_share: float, steps: list | None) -> None:
    """Take the earned-income exclusions after the SEIE off ``earned``, in place, in the legal order
    of :data:`EXCLUSION_DETAILS` (20 CFR 416.1112(c)): ``amounts`` holds each one's amount (None:
    nothing; the half is ``kept_share``). Earned income never goes below 0. With ``steps`` (a list)
    each exclusion is floored on its own and the income after it recorded (the "why" text); without,
    consecutive deductions share one floor: max(max(x − a, 0) − b, 0) = max(x − a − b, 0), a, b ≥ 0."""
    waiting: list = []  # deductions taken since the last floor

    def floor() -> None:
        if waiting:
            first, *rest = waiting
            np.subtract(earned, first, out=earned)
            if rest:
                np.subtract(earned, sum(rest), out=earned)
            np.maximum(earned, 0.0, out=earned)
            waiting.clear()

    for name, amount in zip(EXCLUSION_DETAILS, amounts):
        if name == "excluded_half":
            floor()
            np.multiply(earned, kept_share, out=earned)
        elif amount is not None:
            waiting.append(amount)
        if steps is not None:
            floor()
            steps.append(earned.copy())
    floor()


def step(state: SSIState, t: int, month: SSIMonth, out: dict, detail: dict | None) -> None:
    """Advance SSI by one month (:class:`SSIMonth`) and write row ``t`` of the outputs."""
    s, m = state, month
    gross, limit, same_month, bwe, pass_ = m.gross, m.limit, m.same_month, m.bwe, m.pass_
    general, kept_share = m.general, m.kept_share
    breakeven_base = m.earned_exclusion + (0.0 if m.irwe is None else m.irwe)  # $65 + IRWE
    now = s.steps % 3
    last, before_last = (s.steps - 1) % 3, (s.steps - 2) % 3
    unearned = np.add(m.other_unearned, m.ssdi_paid, out=s.unearned)
    general_left = np.subtract(general, unearned, out=s.general_left)
    np.maximum(general_left, 0.0, out=general_left)
    countable_unearned = s.unearned_ring[now]
    np.subtract(unearned, general, out=countable_unearned)
    np.maximum(countable_unearned, 0.0, out=countable_unearned)

    earned = s.earned
    seie_available = seie = None
    if m.seie_eligible is not None:
        if m.january or s.steps == 0:
            s.seie_left[:] = m.seie_year  # a new year (or the first month looked at)
        seie_available = np.minimum(s.seie_left, m.seie_month) * m.seie_eligible
        seie = np.minimum(gross, seie_available)
        np.subtract(gross, seie, out=earned)
    else:
        np.copyto(earned, gross)
    steps = None if detail is None else [earned.copy()]  # after each exclusion, for the "why"
    _exclude(earned, (general_left, m.earned_exclusion, m.irwe, None, bwe, pass_), kept_share, steps)
    countable = out["ssi_countable_income"][t]
    np.add(countable_unearned, earned, out=countable)
    np.copyto(s.countable_ring[now], countable)

    # Eligibility first, on the month's own countable income (20 CFR 416.420) ...
    eligible = np.less(countable, limit, out=out["ssi_eligible"][t])
    above_sga = np.greater(gross, m.sga, out=out["ssi_1619a"][t])
    if m.not_blind is not None:
        above_sga &= m.not_blind  # SGA does not apply to blind people in SSI
    barred = np.greater(above_sga, s.paid_before, out=s.flag)  # above SGA, never paid before
    eligible &= ~barred  # SGA bars a first eligibility (20 CFR 416.260–262)
    if m.in_ssi is not None:
        eligible &= m.in_ssi
    run = s.eligible_run
    run += 1
    run *= eligible
    # ... then the amount, from the month 416.420(b) names for its place in the eligible run.
    if same_month is True:
        used = countable
    else:
        used = np.where(run == 1, countable,
                        np.where(run == 2, s.countable_ring[last], s.countable_ring[before_last]))
        if same_month is not False:
            used = np.where(same_month, countable, used)
    paid = np.subtract(limit, used, out=out["ssi_paid"][t])
    np.maximum(paid, 0.0, out=paid)
    paid *= eligible
    if seie is not None:
        # Earnings before the first month of SSI eligibility do not use the yearly limit
        # (POMS SI 00820.510 B.4).
        counts = np.logical_or(eligible, s.paid_before, out=s.seie_counts)
        s.seie_left -= seie * counts
    cash = np.greater(paid, 0.0, out=s.cash)
    above_sga &= cash  # now ssi_1619a: cash paid although above SGA
    # 1619(b): a month of ineligibility caused by earnings (unearned income alone would leave a
    # payment) after SSI was paid ...
    room = np.subtract(limit, countable_unearned, out=s.scratch)
    medicaid = np.greater(room, 0.0, out=out["medicaid_1619b"][t])
    medicaid &= s.paid_before
    np.greater(medicaid, eligible, out=medicaid)
    # ... and gross earnings within a twelfth of the state's yearly threshold plus expenses.
    allowance = gross if m.expenses is None else np.subtract(gross, m.expenses, out=s.scratch)
    medicaid &= allowance <= m.monthly_threshold_1619b
    s.paid_before |= cash
    s.steps += 1

    # Breakeven gross earnings for this month's unearned income and exclusions.
    breakeven = out["ssi_breakeven"][t]
    room = np.subtract(limit, countable_unearned, out=s.scratch)
    np.add(room, 0.0 if bwe is None else bwe, out=breakeven)
    if pass_ is not None:
        breakeven += pass_
    breakeven *= 1.0 / kept_share
    breakeven += general_left
    breakeven += breakeven_base
    if seie_available is not None:
        breakeven += seie_available
    breakeven *= room > 0
    if detail is not None:
        if same_month is True:
            back = np.zeros_like(run)
        else:
            back = np.where(run >= 3, 2, np.maximum(run - 1, 0))
            if same_month is not False:
                back = np.where(same_month, 0, back)
        detail["ssi_income_month"][t] = t - back  # negative: a month before the plan
        detail["ssi_income_used"][t] = used
        detail["ssi_countable_earned"][t] = earned
        detail["ssi_unearned"][t] = unearned
        detail["ssi_countable_unearned"][t] = countable_unearned
        detail["ssi_limit"][t] = limit
        detail["seie_excluded"][t] = 0.0 if seie is None else seie
        detail["seie_left"][t] = 0.0 if seie is None else s.seie_left  # after this month's use
        for name, before, after in zip(EXCLUSION_DETAILS, steps, steps[1:]):
            detail[name][t] = before - after
