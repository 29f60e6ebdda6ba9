"""Checks of an IWP's earnings goals against the simulated path (rules.md §5.2, YTTW-IWP).

SSA's guidance to Employment Networks says the beneficiary should earn at least the Trial Work Level
(TWL) by the tenth month after signing the IWP, should aim to earn at or above the SGA amount a month
after the first year of work, that three months of work is a first success, and part-time work is
fine early on. So a plan that never reaches SGA is flagged as one an EN is unlikely to accept.

Each check counts from the month the IWP was signed (the later of the two signatures); an unsigned
IWP counts from the first month of the table and says so. The month counts are figures in
``thresholds/iwp_*.csv``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..thresholds import Thresholds
from ..words import _, month_words
from ._table import column, figure, first_row, months_of
from .iwp import IWP

CITATION = ("Your Ticket to Work (SSA), \"Individual Work Plan\", "
            "https://yourtickettowork.ssa.gov/employment-networks/working-with-ticketholders/"
            "individual-work-plan")


@dataclass(frozen=True)
class GoalCheck:
    """One goal: passed (True/False, or None when the months shown end before it can be told)."""

    name: str
    label: str
    passed: bool | None
    month_first_met: pd.Period | None
    deadline: pd.Period | None
    sentence: str
    citation: str = CITATION


def _first(mask: np.ndarray, months: pd.PeriodIndex, start: int = 0) -> pd.Period | None:
    hits = np.flatnonzero(mask[start:])
    return months[start + hits[0]] if len(hits) else None


def check_goals(table: pd.DataFrame, iwp: IWP | None = None,
                thresholds: Thresholds | None = None) -> list[GoalCheck]:
    """The four IWP goal checks for one simulated path, in the order a counselor reads them."""
    th = thresholds or Thresholds.default()
    iwp = iwp or IWP()
    months = months_of(table)
    gross, twl, sga = column(table, "gross_earnings"), column(table, "twl"), column(table, "sga")
    last = months[-1]
    if iwp.signed_month:
        signed = pd.Period(iwp.signed_month, freq="M")
        counting = _("signing the IWP in {month}").format(month=month_words(signed))
    else:
        signed = months[0]
        counting = _("{month} (the IWP is not signed yet)").format(month=month_words(signed))
    start = min(max(0, int(signed.ordinal - months[0].ordinal)), len(months))
    # SSA's IWP guidance is undated; its figures start with the 2008 Ticket rules.
    guidance_month = max(signed, first_row(th, "iwp_twl_goal_months_after_signing"))

    checks = []

    # 1. TWL by the tenth month after signing.
    months_allowed = int(figure(th, "iwp_twl_goal_months_after_signing", guidance_month))
    deadline = signed + months_allowed
    met = _first(gross >= twl, months, start)
    words = {"met": month_words(met) if met is not None else "", "allowed": months_allowed,
             "counting": counting, "deadline": month_words(deadline)}
    if met is not None and met <= deadline:
        passed, sentence = True, _("Earnings reach the Trial Work Level in {met}, within {allowed} "
                                   "months of {counting} (by {deadline}).").format(**words)
    elif deadline > last and met is None:
        passed, sentence = None, _("Earnings do not reach the Trial Work Level in the months shown; the "
                                   "goal is to reach it by {deadline}, after the last month shown."
                                   ).format(**words)
    elif met is not None:
        passed, sentence = False, _("Earnings reach the Trial Work Level only in {met}. The goal is to "
                                    "reach it within {allowed} months of {counting} (by {deadline})."
                                    ).format(**words)
    else:
        passed, sentence = False, _("Earnings reach the Trial Work Level in none of the months shown. The "
                                    "goal is to reach it within {allowed} months of {counting} (by "
                                    "{deadline}).").format(**words)
    checks.append(GoalCheck("twl_by_month_10", _("Trial Work Level by the 10th month"), passed, met,
                            deadline, sentence))

    # 2. SGA after the first year of work.
    work_months = int(figure(th, "iwp_sga_goal_after_work_months", guidance_month))
    first_work = _first(gross > 0, months, start)
    met = _first(gross >= sga, months, start)
    title = _("SGA after the first year of work")
    if first_work is None:
        checks.append(GoalCheck("sga_after_first_year", title, False, None, None,
                                _("There is no work in the months shown, so the SGA goal is not met.")))
    else:
        deadline = first_work + work_months
        words = {"met": month_words(met) if met is not None else "", "deadline": month_words(deadline),
                 "first_work": month_words(first_work)}
        if met is not None and met <= deadline:
            passed, sentence = True, _("Earnings reach the SGA amount in {met}, by the month after the "
                                       "first year of work ({deadline}; work starts {first_work})."
                                       ).format(**words)
        elif met is None and deadline > last:
            passed, sentence = None, _("Earnings do not reach the SGA amount in the months shown; the "
                                       "goal is to reach it by {deadline}, after the last month shown."
                                       ).format(**words)
        elif met is not None:
            passed, sentence = False, _("Earnings reach the SGA amount only in {met}. The goal is to reach "
                                        "it by the month after the first year of work ({deadline}; work "
                                        "starts {first_work}).").format(**words)
        else:
            passed, sentence = False, _("Earnings reach the SGA amount in none of the months shown. The "
                                        "goal is to reach it by the month after the first year of work "
                                        "({deadline}; work starts {first_work}).").format(**words)
        checks.append(GoalCheck("sga_after_first_year", title, passed, met, deadline, sentence))

    # 3. Three months of work: the first success.
    needed = int(figure(th, "iwp_first_success_work_months", guidance_month))
    worked = np.flatnonzero(gross[start:] > 0)
    title = _("Three months of work")
    if len(worked) >= needed:
        met = months[start + worked[needed - 1]]
        checks.append(GoalCheck("three_months_of_work", title, True, met, None,
                                _("{needed} months of work by {met}: the first success the Ticket "
                                  "program looks for.").format(needed=needed, met=month_words(met))))
    else:
        checks.append(GoalCheck("three_months_of_work", title, False, None, None,
                                _("Only {worked} months of work after {counting}; {needed} months of "
                                  "work is the first success.").format(
                                    worked=len(worked), counting=counting, needed=needed)))

    # 4. The plan must reach SGA at some point to be one an EN will take on.
    met = _first(gross >= sga, months, start)
    title = _("Reaches SGA (acceptable to an EN)")
    if met is not None:
        checks.append(GoalCheck("reaches_sga", title, True, met, None,
                                _("The plan reaches the SGA amount in {met}, so it moves toward working "
                                  "above SGA, as an Employment Network expects.").format(
                                    met=month_words(met))))
    else:
        checks.append(GoalCheck("reaches_sga", title, False, None, None,
                                _("The plan never reaches the SGA amount (part-time work only). "
                                  "Part-time work is fine early on, but an Employment Network is "
                                  "unlikely to accept a plan that never aims for SGA.")))
    return checks


def goals_frame(checks: list[GoalCheck]) -> pd.DataFrame:
    """The checks as a table (one row each) for display and reports."""
    return pd.DataFrame([asdict(c) for c in checks]).set_index("name")
