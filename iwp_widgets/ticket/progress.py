"""Timely progress reviews (20 CFR §411.180, as revised July 21 2008; rules.md §5.1).

Progress is checked in 12-month periods. The first starts the month after the ticket was first
assigned; each later one starts the month after the previous one ends. Months when the ticket is in
inactive status are not counted, so they push the periods later (§411.180(b)(2)).

A period is met by work, by school, or by both together:

=========  ===========================================  =======================================
Period     Work (months in the period)                  School (``EducationProgress``)
=========  ===========================================  =======================================
1          3 months with gross earnings ≥ the TWL       high school diploma/GED, or 60% of a
                                                        full-time academic year
2          6 months with gross earnings ≥ the TWL       75% of a year
3          9 months with gross earnings > non-blind SGA  two-year degree or vocational program
                                                        finished, or a full year (four-year)
4          9 months with gross earnings > non-blind SGA  a full year (four-year program)
5          6 months whose earnings stop SSDI and        a full year, or the four-year degree
           federal SSI cash (outcome.py)                finished
6          as period 5                                  the four-year degree finished
7 and on   as period 5                                  —
=========  ===========================================  =======================================

In periods 1–5, work % + school % ≥ 100 also meets the period (§411.180(a)). The school
requirement and the combination are met when within 10% of the goal (the variance tolerance,
§411.166(h)); work alone is not given that margin. Month counts, shares and the tolerance come from
``thresholds/progress_*.csv``.

A period that starts before the table's first month is "not met" when even every month before the
table counting toward the work test (the school figures are known) could not meet it, and "not known"
otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..thresholds import Thresholds
from ._table import column, figure, first_row, memo, months_of, to_month
from .iwp import COMPLETIONS, IWP
from .outcome import table_outcome_months

# Which finished programs meet which period (§411.180(c)(1)(ii), (3)(ii), (3)(iv), (5)(ii), (6)(ii)).
COMPLETION_MEETS: dict[int, tuple[str, ...]] = {
    1: ("high_school_or_ged",),
    3: ("two_year_degree", "vocational_program"),
    5: ("four_year_degree",),
    6: ("four_year_degree",),
}
LAST_PERIOD_WITH_SHARE = 5   # periods 1–5 have a share-of-a-year and a combination alternative
LAST_RULE_PERIOD = 7         # §411.180(c)(7) covers every later period

COLUMNS = ["period", "start", "end", "result", "passed", "work_months", "work_months_required",
           "work_percent", "education_percent", "reason", "citation"]

_EPSILON = 1e-9  # percentages are compared after float arithmetic (33.3…% + 66.6…% = 100%)


def _rule_key(period: int) -> str:
    return str(min(period, LAST_PERIOD_WITH_SHARE))


def _work_test(period: int, table: pd.DataFrame, months: pd.PeriodIndex, th: Thresholds,
               benefits: str | None) -> tuple[np.ndarray, str, str]:
    """Per month: does it count toward this period's work test? Plus the test in words."""
    gross = column(table, "gross_earnings")
    if period <= 2:
        return (gross >= column(table, "twl"),
                "months with earnings equal to or more than the Trial Work Level",
                "earnings of at least the Trial Work Level")
    if period <= 4:
        sga = memo(th, ("sga_non_blind", months[0].ordinal, len(months)),
                   lambda: th.series("sga_non_blind", months)[0])
        return (gross > sga, "months with gross earnings more than the SGA amount (non-blind)",
                "gross earnings more than the SGA amount")
    return (table_outcome_months(table, benefits),
            "months when earnings stopped SSDI and federal SSI cash payments",
            "earnings that stopped SSDI and SSI cash payments")


def period_months(ticket_assigned, inactive_months, last_month: pd.Period,
                  period_length: int) -> list[list[pd.Period]]:
    """The counted months of each progress period that starts on or before ``last_month``."""
    inactive = {pd.Period(m, freq="M") for m in inactive_months}
    periods: list[list[pd.Period]] = []
    month = to_month(ticket_assigned, "profile.ticket_assigned") + 1
    current: list[pd.Period] = []
    while current or month <= last_month:  # ends: the inactive list is finite
        if month not in inactive:
            current.append(month)
            if len(current) == period_length:
                periods.append(current)
                current = []
        month += 1
    return periods


def progress_reviews(table: pd.DataFrame, iwp: IWP | None, ticket_assigned,
                     thresholds: Thresholds | None = None, benefits: str | None = None) -> pd.DataFrame:
    """One row per progress period that starts inside or before the table's months.

    ``benefits`` ("ssdi", "ssi", "concurrent") picks the outcome rule of periods 5 and later; when
    not given it is read from the table (``outcome.benefits_of``).

    ``result`` is "met", "not met", "not finished" (the period ends after the last month shown) or
    "not known" (it starts before the first month shown and the months shown do not settle it).
    ``passed`` is True/False for met/not met and None otherwise. Returns an empty frame when the
    ticket has not been assigned.
    """
    th = thresholds or Thresholds.default()
    iwp = iwp or IWP()
    months = months_of(table)
    if ticket_assigned is None or len(months) == 0:
        return pd.DataFrame(columns=COLUMNS)
    first, last = months[0], months[-1]
    rules_from = first_row(th, "progress_work_months")  # the July 2008 rules
    length = int(figure(th, "progress_period_months", max(first, rules_from)))
    position = {m: i for i, m in enumerate(months)}
    rows = []
    for number, counted in enumerate(period_months(ticket_assigned, iwp.ticket.inactive_months,
                                                   last, length), start=1):
        if counted[-1] < rules_from:
            rows.append(_before_rules(number, counted, rules_from))
        else:
            rows.append(_review(number, counted, table, months, position, iwp, th, first, last,
                                benefits))
    frame = pd.DataFrame(rows, columns=COLUMNS).set_index("period", drop=False)
    frame["passed"] = frame["passed"].astype(object)  # True / False / None, never numpy bools
    return frame


def _before_rules(number: int, counted: list[pd.Period], rules_from: pd.Period) -> dict:
    return {"period": number, "start": counted[0], "end": counted[-1], "result": "not known",
            "passed": None, "work_months": 0, "work_months_required": 0, "work_percent": 0.0,
            "education_percent": None,
            "reason": (f"Progress period {number} ({counted[0]} to {counted[-1]}). Not known: "
                       f"reviews that ended before {rules_from} followed older rules, which this "
                       f"planner does not model."),
            "citation": "20 CFR §411.180 (as revised from July 21 2008)"}


def _review(number, counted, table, months, position, iwp, th, first, last, benefits) -> dict:
    key = _rule_key(number)
    review_month = counted[-1]
    required = int(figure(th, "progress_work_months", review_month, key))
    tolerance = figure(th, "progress_variance_tolerance", review_month)
    qualifies, test_words, short_words = _work_test(number, table, months, th, benefits)
    inside = [position[m] for m in counted if m in position]
    work_months = int(qualifies[inside].sum()) if inside else 0
    work_percent = min(work_months / required, 1.0) * 100

    school = iwp.ticket.education_for(number)
    share = (figure(th, "progress_education_share_of_year", review_month, key)
             if number <= LAST_PERIOD_WITH_SHARE else None)
    education_percent = (school.academic_year_percent / (share * 100) * 100
                         if school is not None and share else None)
    completed = school.completed if school is not None else None
    goal_with_tolerance = 100 * (1 - tolerance)

    citation = f"20 CFR §411.180(c)({min(number, LAST_RULE_PERIOD)})"
    period_words = f"Progress period {number} ({counted[0]} to {counted[-1]})"
    reason, passed = None, None
    if work_months >= required:
        passed = True
        reason = f"Met: {work_months} {test_words}; {required} were needed."
    elif completed in COMPLETION_MEETS.get(number, ()):
        passed = True
        reason = f"Met: finished {COMPLETIONS[completed]} in this period."
    elif education_percent is not None and education_percent >= goal_with_tolerance - _EPSILON:
        passed = True
        reason = (f"Met by school: completed {school.academic_year_percent:g}% of a full-time "
                  f"academic year; {share * 100:g}% was needed")
        reason += "." if education_percent >= 100 - _EPSILON else \
            f" (within the {tolerance:.0%} margin allowed)."
        if education_percent < 100 - _EPSILON:
            citation += "; 20 CFR §411.166(h)"
    elif education_percent is not None and education_percent > 0 and work_months > 0 \
            and work_percent + education_percent >= goal_with_tolerance - _EPSILON:
        passed = True
        total = work_percent + education_percent
        reason = (f"Met by work and school together: {work_percent:.1f}% of the work goal "
                  f"({work_months} of {required} months) plus {education_percent:.1f}% of the school "
                  f"goal makes {total:.1f}%")
        reason += ", at least 100%." if total >= 100 - _EPSILON else \
            f", within the {tolerance:.0%} margin of 100%."
        citation += "; 20 CFR §411.180(a)" + ("" if total >= 100 - _EPSILON else "; 20 CFR §411.166(h)")

    if counted[-1] > last:
        result = "not finished"
        so_far = (f"Already met in the months shown: {reason.split(': ', 1)[1]}" if passed else
                  f"So far: {work_months} of {required} months with {short_words}.")
        passed = None
        reason = f"Not finished: this period runs past the last month shown ({last}). {so_far}"
    elif passed:
        result = "met"
    elif counted[0] < first and _could_be_met(work_months + sum(m < first for m in counted), required,
                                              education_percent, goal_with_tolerance):
        result = "not known"
        reason = (f"Not known: this period starts before the first month shown ({first}). "
                  f"In the months shown: {work_months} of {required} months with {short_words}.")
    else:
        result, passed = "not met", False
        reason = f"Not met: {work_months} {test_words}; {required} were needed"
        if counted[0] < first:
            unknown = sum(m < first for m in counted)
            reason += (f", and even the {unknown} months before the first month shown ({first}) "
                       f"could not make up the difference")
        if education_percent:
            reason += (f". School and work together reach {work_percent + education_percent:.1f}%, "
                       f"below the {goal_with_tolerance:g}% allowed")
        reason += "."
    return {"period": number, "start": counted[0], "end": counted[-1], "result": result,
            "passed": passed, "work_months": work_months, "work_months_required": required,
            "work_percent": round(work_percent, 1),
            "education_percent": None if education_percent is None else round(education_percent, 1),
            "reason": f"{period_words}. {reason}", "citation": citation}


def _could_be_met(most_work_months: int, required: int, education_percent, goal: float) -> bool:
    """Could the period be met if every month before the table counted toward the work test?"""
    if most_work_months >= required:
        return True
    if not education_percent or most_work_months == 0:
        return False
    return most_work_months / required * 100 + education_percent >= goal - _EPSILON
