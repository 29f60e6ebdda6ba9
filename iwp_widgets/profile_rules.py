"""The rules that tie a beneficiary's fields together, as one table for plans and caseloads.

This module sits below the plan model (which imports it): it holds the words both share, the
work-expense names and the figures a start month needs.

A plan (``plan.Profile``, ``Plan._check_consistency``) and a caseload row must be refused for the
same reasons: SSI only with a Trial Work Period history, a birth month after the start, blind work
expenses for someone who is not blind, … :data:`RULES` lists them once, in the order the plan model
checks them. Each rule is vectorised: it reads :class:`Facts` (numpy arrays with one entry per
beneficiary; a plan is a caseload of one) and returns which beneficiaries break it.
``caseload/format.validate_caseload`` applies the table; ``tests/test_caseload_format.py`` checks
that the plan model refuses every case the table refuses and nothing else.

To add a field (say, SSI months before the plan): add its array to :class:`Facts` (with a value for
"not given") and its rules to :data:`RULES`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from .errors import PlanError
from .words import N_, _
from .rules import NO_MONTH, twp_months_in_window
from .rules.inputs import twp_figures
from .thresholds import ThresholdError, Thresholds

EXPENSE_FIELDS = ("irwe", "bwe", "subsidy", "pass")
# Figures the first projection month must have, by benefit type (checked against ``start``).
SSDI_FIGURES = ("twl", "sga_non_blind", "sga_blind", "twp_service_months", "twp_window_months",
                "epe_reentitlement_months", "ssdi_grace_months")
SSI_FIGURES = ("ssi_fbr_individual", "ssi_fbr_couple", "ssi_general_exclusion",
               "ssi_earned_exclusion", "ssi_earned_share_excluded", "sga_non_blind")


@functools.lru_cache(maxsize=1024)
def figures_missing(start: str, figures: tuple[str, ...]) -> str:
    """Why the shipped figures cannot serve ``start`` ('' if they can); cached, since apps
    re-validate the plan on every edit."""
    thresholds = Thresholds.default()
    for figure in figures:
        try:
            thresholds.lookup(figure, start)
        except ThresholdError as exc:
            return str(exc)
    return ""


# Fields that are SSDI history (SSA's findings before the plan); SSI alone has none of them.
SSDI_HISTORY = ("twp_months_used", "twp_completed", "ssdi_cessation_month")
# Months that must come before the projection start (the projection begins where the BPQY stops).
MONTHS_BEFORE_START = ("twp_completed", "ssdi_cessation_month", "birth_month", "ssi_since")


@dataclass
class Facts:
    """What the rules read, one entry per beneficiary. Months are pandas monthly ordinals
    (months since 1970-01), ``NO_MONTH`` when not given."""

    benefits: np.ndarray          # "ssdi", "ssi" or "concurrent"
    start: np.ndarray             # first projected month
    ssdi_monthly: np.ndarray
    state_supplement: np.ndarray
    blind: np.ndarray
    student: np.ndarray
    birth_month: np.ndarray
    twp_completed: np.ndarray
    ssdi_cessation_month: np.ndarray
    ssi_eligible_before: np.ndarray   # getting SSI now (a regular payment in an earlier month)
    ssi_since: np.ndarray             # ... since this month (not given: two months or more)
    expenses: dict[str, np.ndarray]   # irwe, bwe, subsidy, pass: above $0 in some month
    twp_rows: np.ndarray          # the twp_months_used months, flattened: whose (row) ...
    twp_used: np.ndarray          # ... and which month, sorted by row then month

    def __len__(self) -> int:
        return len(self.benefits)

    def given(self, name: str) -> np.ndarray:
        """Whether each beneficiary has a value for this SSDI-history or month field."""
        if name == "twp_months_used":
            return np.bincount(self.twp_rows, minlength=len(self)) > 0
        return getattr(self, name) != NO_MONTH

    def per_listed_month(self, bad_month: np.ndarray) -> np.ndarray:
        """Beneficiaries with at least one listed TWP month for which ``bad_month`` is True."""
        return np.bincount(self.twp_rows[bad_month], minlength=len(self)) > 0

    def twp_figures(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(TWP service months, TWP window months) in force at each of these rows' start, from the
        shipped figures (as the plan model reads them); one look-up per start month."""
        return twp_figures(self.start[rows], Thresholds.default())

    def context(self, row: int, reason: str) -> dict[str, object]:
        """The values ``reason`` quotes ({nine}, {window}, {problem}) for one beneficiary."""
        values: dict[str, object] = {}
        if "{problem}" in reason:
            values["problem"] = _start_problem(self, row)
        if "{nine}" in reason or "{window}" in reason:
            nine, window = self.twp_figures(np.array([row]))
            values.update(nine=int(nine[0]), window=int(window[0]))
        return values


@dataclass(frozen=True)
class Rule:
    """``field`` is the field the message names; ``reason`` the plain words after it, in English
    (marked for the catalogue and translated when shown; ``{nine}``,
    ``{window}`` and ``{problem}`` are filled in by :meth:`Facts.context`); ``broken`` says who
    breaks the rule."""

    field: str
    reason: str
    broken: Callable[[Facts], np.ndarray]


def _takes_ssdi(f: Facts) -> np.ndarray:
    return f.benefits != "ssi"


def _twp_counts(f: Facts) -> tuple[np.ndarray, np.ndarray]:
    """(TWP service months at each listed month's start, how many listed months fall in the window
    ending with it): the engine's one 9-in-60 count (20 CFR 404.1592(e))."""
    nine, window = f.twp_figures(f.twp_rows)
    return nine, twp_months_in_window(f.twp_rows, f.twp_used, window)


def _ten_in_a_window(f: Facts) -> np.ndarray:
    """More listed TWP months inside one window than the TWP has service months: 20 CFR
    404.1592(e) ends the TWP with the 9th of 60 consecutive months."""
    if not len(f.twp_used):
        return np.zeros(len(f), bool)
    nine, count = _twp_counts(f)
    return f.per_listed_month(count > nine)


def _after_the_ninth(f: Facts) -> np.ndarray:
    """A listed TWP month after the 9th in a window, which ended the TWP (when SSA's own end month,
    ``twp_completed``, is not given)."""
    if not len(f.twp_used):
        return np.zeros(len(f), bool)
    nine, count = _twp_counts(f)
    ninth = np.flatnonzero(count >= nine)
    first = np.full(len(f), len(f.twp_used))
    np.minimum.at(first, f.twp_rows[ninth], ninth)
    after = np.arange(len(f.twp_used)) > first[f.twp_rows]
    return f.per_listed_month(after & (f.twp_completed[f.twp_rows] == NO_MONTH))


def _start_problem(f: Facts, row: int) -> str:
    """Why the shipped program figures cannot serve this beneficiary's start ('' if they can)."""
    figures = (SSDI_FIGURES if f.benefits[row] != "ssi" else ()) + (SSI_FIGURES if f.benefits[row] != "ssdi" else ())
    return figures_missing(str(pd.Period(ordinal=int(f.start[row]), freq="M")), figures)


def _outside_figures(f: Facts) -> np.ndarray:
    # One look-up per (start, benefits) pair: a caseload has few of them.
    kinds = np.select([f.benefits == "ssdi", f.benefits == "ssi"], [0, 1], 2)
    _, first, where = np.unique(f.start * 3 + kinds, return_index=True, return_inverse=True)
    return np.array([bool(_start_problem(f, int(row))) for row in first])[where.reshape(-1)]


PROFILE_RULES: tuple[Rule, ...] = (  # what plan.Profile checks (it knows no start or expenses)
    Rule("twp_months_used", N_("lists a month twice"),
         lambda f: f.per_listed_month((np.diff(f.twp_rows, prepend=-1) == 0) & (np.diff(f.twp_used, prepend=0) == 0))),
    Rule("ssdi_monthly", N_("must be more than zero for someone who gets SSDI"),
         lambda f: _takes_ssdi(f) & (f.ssdi_monthly <= 0)),
    Rule("ssdi_monthly", N_("must be zero for someone who gets SSI only (choose “SSDI and SSI” for both)"),
         lambda f: ~_takes_ssdi(f) & (f.ssdi_monthly > 0)),
    *(Rule(name, N_("is SSDI history, and this person gets SSI only (the trial work period is an SSDI rule)"),
           lambda f, name=name: ~_takes_ssdi(f) & f.given(name)) for name in SSDI_HISTORY),
    Rule("ssi_since", N_("is for someone who gets SSI, and this person gets SSDI only"),
         lambda f: f.given("ssi_since") & (f.benefits == "ssdi")),
    Rule("ssi_since", N_("is for someone getting SSI now, and “Getting SSI now” is not checked"),
         lambda f: f.given("ssi_since") & (f.benefits != "ssdi") & ~f.ssi_eligible_before),
    Rule("state_supplement", N_("is paid with SSI, and this person gets SSDI only"),
         lambda f: (f.benefits == "ssdi") & (f.state_supplement > 0)),
    Rule("birth_month", N_("is needed for a student (the student earned income exclusion depends on age)"),
         lambda f: f.student & ~f.given("birth_month")),
    Rule("ssdi_cessation_month", N_("needs the month the trial work period ended (a cessation month comes after it)"),
         lambda f: f.given("ssdi_cessation_month") & ~f.given("twp_completed")),
    Rule("ssdi_cessation_month", N_("must be after the month the trial work period ended"),
         lambda f: f.given("ssdi_cessation_month") & f.given("twp_completed")
         & (f.ssdi_cessation_month <= f.twp_completed)),
    Rule("twp_months_used", N_("lists a month after the trial work period ended; there is one trial work period"),
         lambda f: f.per_listed_month((f.twp_completed[f.twp_rows] != NO_MONTH)
                                      & (f.twp_used > f.twp_completed[f.twp_rows]))),
)
RULES: tuple[Rule, ...] = PROFILE_RULES + (
    # Plan._check_consistency
    Rule("bwe", N_("count only for someone who is blind (enter other disability work costs as impairment-related work expenses)"),
         lambda f: f.expenses["bwe"] & ~f.blind),
    Rule("irwe", N_("are entered as blind work expenses for a blind person on SSI (SSI deducts those)"),
         lambda f: (f.benefits == "ssi") & f.blind & f.expenses["irwe"]),
    Rule("subsidy", N_("matters only for the SSDI earnings test, and this person gets SSI only"),
         lambda f: (f.benefits == "ssi") & f.expenses["subsidy"]),
    Rule("pass", N_("is an SSI exclusion, and this person gets SSDI only"),
         lambda f: (f.benefits == "ssdi") & f.expenses["pass"]),
    *(Rule(name, N_("must be before the plan's first month"), lambda f, name=name: f.given(name) & (getattr(f, name) >= f.start))
      for name in MONTHS_BEFORE_START),
    Rule("twp_months_used", N_("must be before the plan's first month; months from then on are projected"),
         lambda f: f.per_listed_month(f.twp_used >= f.start[f.twp_rows])),
    Rule("start", N_("is outside the program figures ({problem})"), _outside_figures),
    Rule("twp_months_used", N_("lists more than {nine} months within {window} months in a row; the trial "
                               "work period ends with the {nine}th (20 CFR 404.1592(e))"),
         lambda f: _takes_ssdi(f) & _ten_in_a_window(f)),
    Rule("twp_months_used", N_("lists a month after the {nine}th, which ended the trial work period "
                               "(20 CFR 404.1592(e)); there is one trial work period"),
         lambda f: _takes_ssdi(f) & _after_the_ninth(f)),
)
assert {r.field for r in RULES if r.field in EXPENSE_FIELDS} == set(EXPENSE_FIELDS)


def broken_rules(facts: Facts, rules: tuple[Rule, ...] = RULES) -> Iterator[tuple[Rule, np.ndarray]]:
    """Each rule some beneficiary breaks, in table order, with who breaks it."""
    for rule in rules:
        bad = np.asarray(rule.broken(facts), dtype=bool)
        if bad.any():
            yield rule, bad


def check_profile(profile) -> None:
    """PlanError for the first of :data:`PROFILE_RULES` a plan's ``Profile`` breaks, naming the field
    (``profile.ssdi_monthly: …``): the plan model and the caseload format refuse the same profiles
    with the same words."""
    ordinal = lambda month: NO_MONTH if month is None else (int(month[:4]) - 1970) * 12 + int(month[5:7]) - 1  # noqa: E731
    used = np.array([ordinal(m) for m in profile.twp_months_used], np.int64)  # sorted by the profile
    facts = Facts(
        benefits=np.array([profile.benefits]), start=np.array([NO_MONTH], np.int64),
        ssdi_monthly=np.array([profile.ssdi_monthly]), state_supplement=np.array([profile.state_supplement]),
        blind=np.array([profile.blind]), student=np.array([profile.student]),
        birth_month=np.array([ordinal(profile.birth_month)]), twp_completed=np.array([ordinal(profile.twp_completed)]),
        ssdi_cessation_month=np.array([ordinal(profile.ssdi_cessation_month)]),
        ssi_eligible_before=np.array([profile.ssi_eligible_before]), ssi_since=np.array([ordinal(profile.ssi_since)]),
        expenses={}, twp_rows=np.zeros(len(used), np.int64), twp_used=used)
    for rule, _broken in broken_rules(facts, PROFILE_RULES):
        raise PlanError(f"profile.{rule.field}: " + _(rule.reason))


__all__ = ["Facts", "Rule", "RULES", "PROFILE_RULES", "check_profile", "SSDI_HISTORY", "MONTHS_BEFORE_START", "broken_rules"]
