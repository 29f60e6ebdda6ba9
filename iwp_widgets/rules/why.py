"""Plain-language reasons, one short paragraph per month, for one beneficiary.

Built only by :func:`iwp_widgets.simulate` (one plan), never for a caseload. Each sentence
names the rule it applied and where the rule is written (CFR section or POMS).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..words import N_, _, money, month_words
from . import ssdi
from .core import NO_MONTH
from .figures import CARRIED_NOTE


def _month_name(months: pd.PeriodIndex, index: int) -> str:
    return month_words(months[0] + int(index))


def explain(result: dict, months: pd.PeriodIndex, *, benefits: str, ssdi_monthly: float,
            state: str, state_supplement: float, blind: bool, same_month: bool,
            projection_note: str = CARRIED_NOTE) -> list[str]:
    """The "why" text for each month of beneficiary 0 of a ``run(..., detail=True)`` result.

    ``projection_note`` ends each projected month (``figures.projection_note``: the assumption).
    """
    # Python lists: the sentences read single values, which lists hand out faster than arrays.
    row = {name: np.asarray(array[0]).tolist() for name, array in result.items()}
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
        return _("You earned {gross}").format(gross=money(gross))
    return _("Your countable earnings are {countable} ({gross} minus work expenses and subsidy, "
             "20 CFR 404.1574 and 404.1576)").format(countable=money(countable), gross=money(gross))


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
    say = dict(gross=money(gross), twl=money(twl), sga=money(sga), paid=money(paid), nine=nine,
               used=used, reent=reent, grace=grace, reent_month=reent_month)
    text: list[str] = []
    if status == "twp":
        if row["twp_month"][t]:
            if gross > twl:
                text.append(_("You earned {gross}, more than the {twl} Trial Work Level, so this is "
                              "Trial Work Period month {used} of {nine} (20 CFR 404.1592).").format(**say))
            else:
                text.append(_("You worked more hours in your business than the Trial Work Period "
                              "hour limit, so this is Trial Work Period month {used} of {nine} "
                              "(20 CFR 404.1592(b)(2)).").format(**say))
            if used == nine and twp_end == t:
                text.append(_("That is the last one: the Trial Work Period ends, and the "
                              "{reent}-month re-entitlement period starts next month "
                              "(20 CFR 404.1592a).").format(**say))
        else:
            text.append(_("You earned {gross}, not more than the {twl} Trial Work Level, so this "
                          "month does not use a Trial Work Period month; {used} of {nine} are used "
                          "in the last 60 months (20 CFR 404.1592).").format(**say))
        text.append(_("SSDI of {paid} is paid in full during the Trial Work Period.").format(**say))
    elif status == "epe":
        phrase = _countable_phrase(row, t)
        if row["epe_month"][t]:
            text.append(_("{phrase}, not more than the {sga} SGA level, so SSDI of {paid} is paid "
                          "(re-entitlement period month {reent_month} of {reent}, "
                          "20 CFR 404.1592a(a)(2)).").format(phrase=phrase, **say))
        else:
            if int(row["cessation"][t]) != NO_MONTH:
                then = _("a month above SGA now would end SSDI")
            else:
                then = _("a month above SGA now would be the cessation month, followed by "
                         "{grace} grace months, and then SSDI would end").format(**say)
            text.append(_("{phrase}, not more than the {sga} SGA level, so SSDI of {paid} is paid. "
                          "The {reent}-month re-entitlement period is over; {then} "
                          "(20 CFR 404.1592a(a)(3)).").format(phrase=phrase, then=then, **say))
    elif status == "cessation":
        text.append(_("{phrase}, more than the {sga} SGA level for the first time since the Trial "
                      "Work Period ended, so this is the cessation month. SSDI of {paid} is still "
                      "paid for it and for the next {grace} grace months "
                      "(20 CFR 404.1592a(a)(1)-(2)).").format(phrase=_countable_phrase(row, t), **say))
        if not row["epe_month"][t]:
            text.append(_("Because the {reent}-month re-entitlement period is already over, SSDI "
                          "entitlement ends after the grace months "
                          "(20 CFR 404.1592a(a)(3)(ii)).").format(**say))
    elif status == "grace":
        text.append(_("Grace month {k} of {grace} after the cessation month: SSDI of {paid} is "
                      "paid whatever you earn (20 CFR 404.1592a(a)(2)(i)).").format(
                          k=t - int(row["cessation"][t]), **say))
    elif status == "suspended":
        text.append(_("{phrase}, more than the {sga} SGA level, inside the re-entitlement period "
                      "(month {reent_month} of {reent}), so no SSDI is paid this month. It restarts "
                      "without a new application in any month at or below SGA "
                      "(20 CFR 404.1592a(a)(2)(i)).").format(phrase=_countable_phrase(row, t), **say))
    elif status == "offset":
        text.append(_("Benefit offset (a what-if scenario, not current law): SSDI is cut by $1 for "
                      "every $2 of countable earnings above {threshold}, so {paid} is paid instead "
                      "of {benefit} (as in the Benefit Offset National Demonstration, "
                      "POMS DI 60099.040).").format(threshold=money(row["ssdi_offset_threshold"][t]),
                                                    benefit=money(benefit), **say))
    elif status == "terminated":
        ended = int(row["termination"][t])
        if ended == t:
            if int(row["cessation"][t]) > twp_end + reent:
                text.append(_("The grace months are over and the cessation month came after the "
                              "re-entitlement period, so SSDI entitlement ends this month "
                              "(20 CFR 404.1592a(a)(3)(ii))."))
            else:
                text.append(_("{phrase}, more than the {sga} SGA level after the {reent}-month "
                              "re-entitlement period, so SSDI entitlement ends this month "
                              "(20 CFR 404.1592a(a)(3)(i)).").format(
                                  phrase=_countable_phrase(row, t), **say))
        else:
            text.append(_("SSDI ended in {month}; no SSDI is paid.").format(
                month=_month_name(months, ended)))
        if row["exr_window"][t]:
            last = ended + int(row["exr_window_months"][t]) - 1
            text.append(_("If your condition stops you from working at SGA, you can ask for "
                          "Expedited Reinstatement until {month} (20 CFR 404.1592b-c).").format(
                              month=_month_name(months, last)))
    if status == "terminated" and twp_end != NO_MONTH:
        if row["medicare"][t]:
            last = twp_end + int(row["medicare_extended_months"][t])
            text.append(_("Medicare continues through {month} (Extended Period of Medicare Coverage "
                          "after the Trial Work Period).").format(month=_month_name(months, last)))
        else:
            text.append(_("Extended Medicare coverage has ended."))
    return " ".join(text)


# What each SSI earned-income step took off, in legal order (20 CFR 416.1112(c)).
EXCLUSION_WORDS = (("seie_excluded", N_("{amount} student earned income exclusion (20 CFR 416.1112(c)(3))")),
                   ("excluded_general", N_("{amount} left of the $20 general exclusion")),
                   ("excluded_65", N_("{amount} earned income exclusion")),
                   ("excluded_irwe", N_("{amount} impairment-related work expenses")),
                   ("excluded_half", N_("{amount} half of the rest")),
                   ("excluded_bwe", N_("{amount} blind work expenses")),
                   ("excluded_pass", N_("{amount} set aside in your PASS")))


def _ssi_month(row: dict, t: int, months: pd.PeriodIndex, state: str, supplement: float,
               blind: bool, same_month: bool) -> str:
    gross = float(row["gross_earnings"][t])  # Python float: 12 × a huge amount is inf, no warning
    unearned = row["ssi_unearned"][t]
    ssdi_paid = row["ssdi_paid"][t]
    paid = row["ssi_paid"][t]
    text = []
    if unearned > 0:
        if ssdi_paid > 0:
            counted = _("SSI counts your unearned income of {unearned} (including {ssdi} SSDI) minus "
                        "the $20 general income exclusion: {countable} (20 CFR 416.1121, "
                        "416.1124(c)(12)).")
        else:
            counted = _("SSI counts your unearned income of {unearned} minus the $20 general income "
                        "exclusion: {countable} (20 CFR 416.1121, 416.1124(c)(12)).")
        text.append(counted.format(unearned=money(unearned), ssdi=money(ssdi_paid),
                                   countable=money(row["ssi_countable_unearned"][t])))
    if gross > 0:
        excluded = [_(label).format(amount=money(row[name][t]))
                    for name, label in EXCLUSION_WORDS if row[name][t] > 0]
        if excluded:
            text.append(_("From your {gross} earnings SSI leaves out, in this order, {excluded}, so "
                          "{countable} counts (20 CFR 416.1112(c)).").format(
                              gross=money(gross), excluded=", ".join(excluded),
                              countable=money(row["ssi_countable_earned"][t])))
        else:
            text.append(_("All of your {gross} earnings count (20 CFR 416.1112(c)).").format(
                gross=money(gross)))
    used_month = int(row["ssi_income_month"][t])
    used = row["ssi_income_used"][t]
    limit = row["ssi_limit"][t]
    countable = row["ssi_countable_income"][t]
    supplement_text = (_(" including a {supplement} state supplement").format(supplement=money(supplement))
                       if supplement else "")
    if not row["ssi_eligible"][t]:
        if limit > 0 and countable >= limit:
            text.append(_("SSI first decides whether you can get SSI this month, from this month's "
                          "own countable income: {countable} is at least the {limit} "
                          "limit{supplement}, so no SSI is paid for {month}. The next month with "
                          "less countable income is paid from its own income "
                          "(20 CFR 416.420(b)).").format(
                              countable=money(countable), limit=money(limit),
                              supplement=supplement_text, month=_month_name(months, t)))
    else:
        if same_month:
            source = _("this month's countable income")
        elif used_month == t:
            source = _("this month's own countable income, because it is the first month you can "
                       "get SSI, or the first after a month without it (20 CFR 416.420(b)(1))")
        elif used_month == t - 1:
            source = _("the countable income of {month}, the month before, because it is the second "
                       "month in a row you can get SSI (20 CFR 416.420(b)(2))").format(
                           month=_month_name(months, used_month))
        else:
            source = _("the countable income of {month}, two months earlier (retrospective monthly "
                       "accounting, 20 CFR 416.420(a))").format(month=_month_name(months, used_month))
        if used_month < 0:
            source += _("; that month is before the plan, with the income the plan gives for it")
        text.append(_("SSI for this month uses {source}: {limit}{supplement} minus {used} = "
                      "{paid}.").format(source=source, limit=money(limit), supplement=supplement_text,
                                        used=money(used), paid=money(paid)))
    if row["ssi_1619a"][t]:
        text.append(_("Your earnings are above the SGA level, but because you got SSI before, SSI "
                      "cash continues under Section 1619(a) (20 CFR 416.261)."))
    elif paid == 0 and not blind and gross > row["sga_non_blind"][t] and limit > countable:
        text.append(_("Your earnings are above the SGA level and you had no SSI payment in an "
                      "earlier month, so SSI is not paid (20 CFR 416.260-262)."))
    threshold = row["medicaid_1619b_threshold"][t]
    if row["medicaid_1619b"][t]:
        text.append(_("SSI cash is $0.00 because of your earnings, but Medicaid continues under "
                      "Section 1619(b): {yearly} a year is within the {state} threshold of "
                      "{threshold} plus your work expenses (20 CFR 416.264-269).").format(
                          yearly=money(12 * gross), state=state, threshold=money(threshold)))
    elif not row["ssi_eligible"][t] and limit > row["ssi_countable_unearned"][t] \
            and gross > 0:
        if np.isnan(threshold):
            text.append(_("SSI cash is $0.00 because of your earnings. Medicaid may continue under "
                          "Section 1619(b), but no {state} threshold is on file for {year}, so "
                          "this tool cannot check it.").format(state=state, year=months[t].year))
        elif 12 * gross > threshold:
            text.append(_("SSI cash is $0.00 and {yearly} a year is above the {state} 1619(b) "
                          "threshold of {threshold}; ask SSA for an individualized threshold "
                          "(POMS SI 02302.300).").format(yearly=money(12 * gross), state=state,
                                                         threshold=money(threshold)))
    if row["ssi_breakeven"][t] > 0:
        text.append(_("SSI stops at gross earnings of about {breakeven} a month (breakeven point, "
                      "POMS SI 00810.350).").format(breakeven=money(row["ssi_breakeven"][t])))
    return " ".join(text)
