"""The lessons' only road to the rules: build example plans, run ``simulate``, re-label.

Every number a lesson shows or grades with comes from here, and everything here comes
from ``iwp_widgets.simulate`` (or the Ticket layer). The helpers only build the example
person's plan and pick or rename columns of the engine's table; they decide no rule.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from ..thresholds import Thresholds

# The example person's SSDI check. Not a program figure: a typical amount for the stories.
EXAMPLE_SSDI_MONTHLY = 1400.0


def _simulate(plan_dict: dict, thresholds: Thresholds | None) -> pd.DataFrame:
    # Imported late: the lessons build (and thresholds-only exercises run) without the engine.
    from .. import Plan, simulate

    return simulate(Plan.from_dict(plan_dict), thresholds=thresholds)


def plan_dict(start, earnings: Sequence[float], benefits: str = "ssdi", *,
              ssdi_monthly: float | None = None, work_expenses: dict | None = None,
              options: dict | None = None, **profile) -> dict:
    """A schema-1 plan for a lesson's example person (see notes/plan_contract.md)."""
    if ssdi_monthly is None:
        ssdi_monthly = EXAMPLE_SSDI_MONTHLY if benefits in ("ssdi", "concurrent") else 0.0
    base_profile = {"name": "Example", "benefits": benefits, "ssdi_monthly": float(ssdi_monthly),
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


def twp_end_month(table: pd.DataFrame) -> pd.Period | None:
    """The month the engine ended the trial work period: the 9th service month in the window.

    Re-labels the engine's columns: the first month whose rolling count reached the
    engine's ``twp_service_months``, i.e. the last month before the status leaves ``twp``.
    """
    statuses = table["ssdi_status"].astype(str)
    after = statuses[(statuses != "twp") & (statuses != "none")]
    used = table.loc[table["twp_month"].astype(bool), "twp_months_used"]
    if after.empty:
        return None
    first_after = after.index[0]
    before = used[used.index < first_after]
    return before.index[-1] if len(before) else None
