"""Plain-language reasons, one short paragraph per month, for one beneficiary.

Built only by :func:`iwp_widgets.simulate` (one plan), never for a caseload. Each sentence
names the rule it applied and where the rule is written (CFR section or POMS).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import ssdi
from .core import NO_MONTH
from .figures import CARRIED_NOTE


def money(value: float) -> str:
    """$1,300 or $52.50 (huge amounts in whole dollars; infinite ones in words)."""
    value = float(value)
    if not math.isfinite(value):
        return "an amount too large to show"
    if abs(value) >= 1e12:
        return f"${value:,.0f}"
    cents = round(value * 100)
    if cents % 100 == 0:
        return f"${cents // 100:,}"
    return f"${value:,.2f}"


def month_words(month: pd.Period) -> str:
    """A month as people write it: "March 2027"."""
    return month.strftime("%B %Y")


def _month_name(months: pd.PeriodIndex, index: int) -> str:
    return month_words(months[0] + int(index))


def explain(result: dict, months: pd.PeriodIndex, *, benefits: str, ssdi_monthly: float,
            state: str, state_supplement: float, blind: bool, same_month: bool,
            projection_note: str = CARRIED_NOTE) -> list[str]:
    """The "why" text for each month of beneficiary 0 of a ``run(..., detail=True)`` result.

    ``projection_note`` ends each projected month (``figures.projection_note``: the assumption).
    """
    row = {name: np.asarray(array[0]) for name, array in result.items()}
    texts = []
    for t in range(len(months)):
        parts = []
        if benefits != "ssi":
            parts.append(_ssdi_month(row, t, months, ssdi_monthly))
        if benefits != "ssdi":
            parts.append(_ssi_month(row, t, months, state, state_supplement, blind, same_month))
        if row["projected"][t]:
            parts.append(projection_note)
        texts.append(" ".join(p for p in parts if p))
    return texts


def _countable_phrase(row: dict, t: int) -> str:
    gross, countable = row["gross_earnings"][t], row["countable_earnings"][t]
    if math.isclose(gross, countable):
        return f"You earned {money(gross)}"
    return (f"Your countable earnings are {money(countable)} ({money(gross)} minus work expenses "
            f"and subsidy, 20 CFR 404.1574 and 404.1576)")


def _ssdi_month(row: dict, t: int, months: pd.PeriodIndex, benefit: float) -> str:
    status = ssdi.STATUS_NAMES[row["ssdi_status"][t]]
    gross, twl, sga = row["gross_earnings"][t], row["twl"][t], row["sga"][t]
    paid = row["ssdi_paid"][t]
    nine = int(row["twp_service_months"][t])
    used = int(row["twp_months_used"][t])
    twp_end = int(row["twp_end"][t])
    reent = int(row["epe_reentitlement_months"][t])
    grace = int(row["ssdi_grace_months"][t])
    reent_month = t - twp_end
    text: list[str] = []
    if status == "twp":
        if row["twp_month"][t]:
            if gross > twl:
                text.append(f"You earned {money(gross)}, more than the {money(twl)} Trial Work "
                            f"Level, so this is Trial Work Period month {used} of {nine} "
                            f"(20 CFR 404.1592).")
            else:
                text.append(f"You worked more hours in your business than the Trial Work Period "
                            f"hour limit, so this is Trial Work Period month {used} of {nine} "
                            f"(20 CFR 404.1592(b)(2)).")
            if used == nine and twp_end == t:
                text.append(f"That is the last one: the Trial Work Period ends, and the "
                            f"{reent}-month re-entitlement period starts next month "
                            f"(20 CFR 404.1592a).")
        else:
            text.append(f"You earned {money(gross)}, not more than the {money(twl)} Trial Work "
                        f"Level, so this month does not use a Trial Work Period month; {used} of "
                        f"{nine} are used in the last 60 months (20 CFR 404.1592).")
        text.append(f"SSDI of {money(paid)} is paid in full during the Trial Work Period.")
    elif status == "epe":
        phrase = _countable_phrase(row, t)
        if row["epe_month"][t]:
            text.append(f"{phrase}, not more than the {money(sga)} SGA level, so SSDI of "
                        f"{money(paid)} is paid (re-entitlement period month {reent_month} of "
                        f"{reent}, 20 CFR 404.1592a(a)(2)).")
        else:
            if int(row["cessation"][t]) != NO_MONTH:
                then = "a month above SGA now would end SSDI"
            else:
                then = (f"a month above SGA now would be the cessation month, followed by "
                        f"{grace} grace months, and then SSDI would end")
            text.append(f"{phrase}, not more than the {money(sga)} SGA level, so SSDI of "
                        f"{money(paid)} is paid. The {reent}-month re-entitlement period is over; "
                        f"{then} (20 CFR 404.1592a(a)(3)).")
    elif status == "cessation":
        text.append(f"{_countable_phrase(row, t)}, more than the {money(sga)} SGA level for the "
                    f"first time since the Trial Work Period ended, so this is the cessation "
                    f"month. SSDI of {money(paid)} is still paid for it and for the next {grace} "
                    f"grace months (20 CFR 404.1592a(a)(1)-(2)).")
        if not row["epe_month"][t]:
            text.append(f"Because the {reent}-month re-entitlement period is already over, SSDI "
                        f"entitlement ends after the grace months (20 CFR 404.1592a(a)(3)(ii)).")
    elif status == "grace":
        k = t - int(row["cessation"][t])
        text.append(f"Grace month {k} of {grace} after the cessation month: SSDI of "
                    f"{money(paid)} is paid whatever you earn (20 CFR 404.1592a(a)(2)(i)).")
    elif status == "suspended":
        text.append(f"{_countable_phrase(row, t)}, more than the {money(sga)} SGA level, inside "
                    f"the re-entitlement period (month {reent_month} of {reent}), so no SSDI is "
                    f"paid this month. It restarts without a new application in any month at or "
                    f"below SGA (20 CFR 404.1592a(a)(2)(i)).")
    elif status == "offset":
        threshold = row["ssdi_offset_threshold"][t]
        text.append(f"Benefit offset (a what-if scenario, not current law): SSDI is cut by $1 for "
                    f"every $2 of countable earnings above {money(threshold)}, so "
                    f"{money(paid)} is paid instead of {money(benefit)} (as in the Benefit Offset "
                    f"National Demonstration, POMS DI 60099.040).")
    elif status == "terminated":
        ended = int(row["termination"][t])
        if ended == t:
            if int(row["cessation"][t]) > twp_end + reent:
                text.append(f"The grace months are over and the cessation month came after the "
                            f"re-entitlement period, so SSDI entitlement ends this month "
                            f"(20 CFR 404.1592a(a)(3)(ii)).")
            else:
                text.append(f"{_countable_phrase(row, t)}, more than the {money(sga)} SGA level "
                            f"after the {reent}-month re-entitlement period, so SSDI entitlement "
                            f"ends this month (20 CFR 404.1592a(a)(3)(i)).")
        else:
            text.append(f"SSDI ended in {_month_name(months, ended)}; no SSDI is paid.")
        if row["exr_window"][t]:
            last = ended + int(row["exr_window_months"][t]) - 1
            text.append(f"If your condition stops you from working at SGA, you can ask for "
                        f"Expedited Reinstatement until {_month_name(months, last)} "
                        f"(20 CFR 404.1592b-c).")
    if status == "terminated" and twp_end != NO_MONTH:
        if row["medicare"][t]:
            last = twp_end + int(row["medicare_extended_months"][t])
            text.append(f"Medicare continues through {_month_name(months, last)} (Extended "
                        f"Period of Medicare Coverage after the Trial Work Period).")
        else:
            text.append("Extended Medicare coverage has ended.")
    return " ".join(text)


def _ssi_month(row: dict, t: int, months: pd.PeriodIndex, state: str, supplement: float,
               blind: bool, same_month: bool) -> str:
    gross = float(row["gross_earnings"][t])  # Python float: 12 × a huge amount is inf, no warning
    unearned = row["ssi_unearned"][t]
    ssdi_paid = row["ssdi_paid"][t]
    paid = row["ssi_paid"][t]
    text = []
    if unearned > 0:
        from_ssdi = f" (including {money(ssdi_paid)} SSDI)" if ssdi_paid > 0 else ""
        text.append(f"SSI counts your unearned income of {money(unearned)}{from_ssdi} minus the "
                    f"$20 general income exclusion: {money(row['ssi_countable_unearned'][t])} "
                    f"(20 CFR 416.1121, 416.1124(c)(12)).")
    if gross > 0:
        names = (("seie_excluded", "student earned income exclusion (20 CFR 416.1112(c)(3))"),
                 ("excluded_general", "left of the $20 general exclusion"),
                 ("excluded_65", "earned income exclusion"),
                 ("excluded_irwe", "impairment-related work expenses"),
                 ("excluded_half", "half of the rest"),
                 ("excluded_bwe", "blind work expenses"),
                 ("excluded_pass", "set aside in your PASS"))
        excluded = [f"{money(row[name][t])} {label}" for name, label in names if row[name][t] > 0]
        if excluded:
            text.append(f"From your {money(gross)} earnings SSI leaves out, in this order, "
                        f"{', '.join(excluded)}, so {money(row['ssi_countable_earned'][t])} "
                        f"counts (20 CFR 416.1112(c)).")
        else:
            text.append(f"All of your {money(gross)} earnings count (20 CFR 416.1112(c)).")
    used_month = int(row["ssi_income_month"][t])
    used = row["ssi_income_used"][t]
    limit = row["ssi_limit"][t]
    countable = row["ssi_countable_income"][t]
    supplement_text = f" including a {money(supplement)} state supplement" if supplement else ""
    if not row["ssi_eligible"][t]:
        if limit > 0 and countable >= limit:
            text.append(f"SSI first decides whether you can get SSI this month, from this "
                        f"month's own countable income: {money(countable)} is at least the "
                        f"{money(limit)} limit{supplement_text}, so no SSI is paid for "
                        f"{_month_name(months, t)}. The next month with less countable income "
                        f"is paid from its own income (20 CFR 416.420(b)).")
    else:
        if same_month:
            source = "this month's countable income"
        elif used_month == t:
            source = ("this month's own countable income, because it is the first month you can "
                      "get SSI, or the first after a month without it (20 CFR 416.420(b)(1))")
        elif used_month == t - 1:
            source = (f"the countable income of {_month_name(months, used_month)}, the month "
                      f"before, because it is the second month in a row you can get SSI "
                      f"(20 CFR 416.420(b)(2))")
        else:
            source = (f"the countable income of {_month_name(months, used_month)}, two months "
                      f"earlier (retrospective monthly accounting, 20 CFR 416.420(a))")
        if used_month < 0:
            source += "; that month is before the plan, with the income the plan gives for it"
        text.append(f"SSI for this month uses {source}: {money(limit)}{supplement_text} minus "
                    f"{money(used)} = {money(paid)}.")
    if row["ssi_1619a"][t]:
        text.append(f"Your earnings are above the SGA level, but because you got SSI before, SSI "
                    f"cash continues under Section 1619(a) (20 CFR 416.261).")
    elif paid == 0 and not blind and gross > row["sga_non_blind"][t] and limit > countable:
        text.append("Your earnings are above the SGA level and you had no SSI payment in an "
                    "earlier month, so SSI is not paid (20 CFR 416.260-262).")
    threshold = row["medicaid_1619b_threshold"][t]
    if row["medicaid_1619b"][t]:
        text.append(f"SSI cash is $0 because of your earnings, but Medicaid continues under "
                    f"Section 1619(b): {money(12 * gross)} a year is within the {state} "
                    f"threshold of {money(threshold)} plus your work expenses "
                    f"(20 CFR 416.264-269).")
    elif not row["ssi_eligible"][t] and limit > row["ssi_countable_unearned"][t] \
            and gross > 0:
        if np.isnan(threshold):
            text.append(f"SSI cash is $0 because of your earnings. Medicaid may continue under "
                        f"Section 1619(b), but no {state} threshold is on file for "
                        f"{months[t].year}, so this tool cannot check it.")
        elif 12 * gross > threshold:
            text.append(f"SSI cash is $0 and {money(12 * gross)} a year is above the {state} "
                        f"1619(b) threshold of {money(threshold)}; ask SSA for an individualized "
                        f"threshold (POMS SI 02302.300).")
    if row["ssi_breakeven"][t] > 0:
        text.append(f"SSI stops at gross earnings of about {money(row['ssi_breakeven'][t])} a "
                    f"month (breakeven point, POMS SI 00810.350).")
    return " ".join(text)
