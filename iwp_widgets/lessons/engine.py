"""The lessons' only road to the rules: build example plans, run ``simulate``, re-label.

Every number a lesson shows or grades with comes from here, and everything here comes
from ``iwp_widgets.simulate`` (or the Ticket layer). The helpers only build the example
person's plan and pick or rename columns of the engine's table; they decide no rule.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable, Sequence

import pandas as pd

from ..thresholds import Thresholds

# The example person's SSDI check. Not a program figure: a typical amount for the stories.
EXAMPLE_SSDI_MONTHLY = 1400.0


# Recent engine runs: a lesson redraws and then grades the same example, so the second call
# is free. Keyed by the plan and the thresholds object (kept alive here, so its id is not reused).
_RUNS: OrderedDict = OrderedDict()
_RUNS_KEPT = 256


def _simulate(plan_dict: dict, thresholds: Thresholds | None) -> pd.DataFrame:
    # Imported late: the lessons build (and thresholds-only exercises run) without the engine.
    from .. import Plan, simulate

    key = (json.dumps(plan_dict, sort_keys=True), id(thresholds))
    if key in _RUNS:
        _RUNS.move_to_end(key)
        return _RUNS[key][1].copy()
    table = simulate(Plan.from_dict(plan_dict), thresholds=thresholds)
    _RUNS[key] = (thresholds, table)
    if len(_RUNS) > _RUNS_KEPT:
        _RUNS.popitem(last=False)
    return table.copy()


def plan_dict(start, earnings: Sequence[float], benefits: str = "ssdi", *,
              ssdi_monthly: float | None = None, work_expenses: dict | None = None,
              options: dict | None = None, **profile) -> dict:
    """A schema-1 plan for a lesson's example person (see notes/plan_contract.md)."""
    if ssdi_monthly is None:
        ssdi_monthly = EXAMPLE_SSDI_MONTHLY if benefits in ("ssdi", "concurrent") else 0.0
    base_profile = {"benefits": benefits, "ssdi_monthly": float(ssdi_monthly),
                    "ssi_unit": "individual", "state": "CA", "state_supplement": 0.0,
                    "unearned_income": 0.0, "blind": False, "student": False, "birth_month": None,
                    "self_employed": False, "twp_months_used": [], "twp_completed": None,
                    "ssdi_cessation_month": None, "ssi_eligible_before": True,
                    "ticket_assigned": None}
    base_profile.update(profile)
    return {"schema_version": 1, "start": str(pd.Period(start, freq="M")),
            "earnings": [float(e) for e in earnings], "hours": None,
            "work_expenses": {"irwe": 0, "bwe": 0, "subsidy": 0, "pass": 0, **(work_expenses or {})},
            "profile": base_profile,
            "options": {"ssi_accounting": "same_month", "en_payment_system": "milestone_outcome",
                        "p1m1_rule": "en_guidance", **(options or {})},
            "iwp": {}}


def simulate_example(start, earnings: Sequence[float], benefits: str = "ssdi",
                     thresholds: Thresholds | None = None, **kwargs) -> pd.DataFrame:
    """``simulate`` on a lesson's example plan."""
    return _simulate(plan_dict(start, earnings, benefits, **kwargs), thresholds)


# --- SSDI ----------------------------------------------------------------------------------
def one_ssdi_month(month, earnings: float, thresholds: Thresholds | None = None) -> pd.Series:
    """The engine's row for one month of earnings by a person on SSDI with no trial work yet."""
    return simulate_example(month, [earnings], "ssdi", thresholds).iloc[0]


def one_month_after_twp(month, earnings: float, blind: bool = False,
                        thresholds: Thresholds | None = None) -> pd.Series:
    """The engine's row for the first month after the trial work period ended."""
    ended = pd.Period(month, freq="M") - 1
    return simulate_example(month, [earnings], "ssdi", thresholds, blind=blind,
                            twp_completed=str(ended)).iloc[0]


def is_sga_month(row: pd.Series) -> bool:
    """Whether the engine treated a month right after the TWP as substantial work.

    The first such month is the cessation month (20 CFR §404.1592a(a)(1)); re-labels
    the engine's ``ssdi_status``.
    """
    return row["ssdi_status"] == "cessation"


def twp_table(start, marked: Iterable, earnings: float, window: int,
              thresholds: Thresholds | None = None) -> pd.DataFrame:
    """``simulate`` for ``window`` months from ``start``: ``earnings`` in marked months, 0 otherwise."""
    start = pd.Period(start, freq="M")
    marked = {pd.Period(m, freq="M") for m in marked}
    months = pd.period_range(start, periods=window, freq="M")
    path = [earnings if m in marked else 0.0 for m in months]
    return simulate_example(start, path, "ssdi", thresholds)


def twp_end_month(table: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.Period | None:
    """The month the engine ended the trial work period, or None if it did not end.

    Re-labels the engine's columns: the trial work month in which its rolling count
    ``twp_months_used`` reached ``twp_service_months`` (9) while the status was ``twp``.
    """
    thresholds = thresholds or Thresholds.default()
    nine = thresholds.value("twp_service_months", table.index[0])
    ended = (table["twp_month"].astype(bool) & (table["twp_months_used"] >= nine)
             & (table["ssdi_status"].astype(str) == "twp"))
    months = table.index[ended.to_numpy()]
    return months[0] if len(months) else None


# --- SSI -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SsiCase:
    """One month of SSI for the worksheet lesson (an individual already on SSI).

    The worksheet month is January of ``year`` plus one month for each amount in ``earlier``:
    the gross pay of the earlier months of the same year, from January. Only the student
    exclusion looks back at them (its yearly limit is used up month by month).
    """

    year: int
    gross: float
    unearned: float = 0.0
    irwe: float = 0.0
    bwe: float = 0.0
    pass_: float = 0.0
    blind: bool = False
    student: bool = False
    earlier: tuple[float, ...] = ()

    @property
    def month(self) -> pd.Period:
        return pd.Period(f"{int(self.year)}-01", freq="M") + len(self.earlier)


@dataclass(frozen=True)
class SsiWorksheet:
    """The engine's numbers for every worksheet line of one :class:`SsiCase`."""

    earned_after: dict[str, float]   # step -> earned income left after it, in legal order
    countable_earned: float
    countable_unearned: float
    limit: float                     # the federal benefit rate for the month (no state supplement)
    row: pd.Series                   # the engine's full row for the month


def _ssi_case_plan(case: SsiCase, expenses: dict | None = None) -> dict:
    if expenses is None:
        expenses = {"irwe": case.irwe, "bwe": case.bwe, "pass": case.pass_}
    profile = {"unearned_income": float(case.unearned), "blind": bool(case.blind)}
    if case.student:
        profile.update(student=True, birth_month=_student_birth_month(case))
    return plan_dict(f"{int(case.year)}-01", [*case.earlier, case.gross], "ssi",
                     work_expenses={k: v for k, v in expenses.items() if v}, **profile)


def ssi_case_table(case: SsiCase, thresholds: Thresholds | None = None,
                   expenses: dict | None = None) -> pd.DataFrame:
    """``simulate`` from January to the month of an :class:`SsiCase` (same-month accounting)."""
    return _simulate(_ssi_case_plan(case, expenses), thresholds)


def ssi_worksheet(case: SsiCase, thresholds: Thresholds | None = None) -> SsiWorksheet:
    """Every worksheet line from the engine: what each step took off
    (``simulate.ssi_earned_income_steps``), subtracted in legal order, and ``simulate``'s row."""
    from .. import Plan, simulate
    from ..simulate import SSI_EARNED_STEPS, ssi_earned_income_steps

    base = thresholds or Thresholds.default()
    plan = Plan.from_dict(_ssi_case_plan(case))
    steps = ssi_earned_income_steps(plan, base).iloc[-1]
    after, left = {}, float(case.gross)
    for step in SSI_EARNED_STEPS:  # legal order, 20 CFR §416.1112(c)
        left -= float(steps[step])
        after[step] = left
    row = simulate(plan, thresholds=base).iloc[-1]  # the same plan: built and checked once
    earned = float(steps["countable_earned"])
    shown = {s: v for s, v in after.items() if _shown(s, case)}
    limit = base.value("ssi_fbr_individual", case.month)
    return SsiWorksheet(shown, earned, float(row["ssi_countable_income"]) - earned, limit, row)


def _student_birth_month(case: SsiCase) -> str:
    # A 19-year-old student: under the SEIE age limit in every year the lesson covers.
    return f"{int(case.year) - 19}-01"


def _shown(step: str, case: SsiCase) -> bool:
    """Steps that cannot apply to this person are left off the worksheet (IRWE if blind, etc.)."""
    if step == "seie":
        return case.student
    if step == "irwe":
        return not case.blind
    if step == "bwe":
        return case.blind
    return True
