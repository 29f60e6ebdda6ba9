"""IWP Planner: plan work under Social Security's Ticket to Work program, month by month.

Public API (see the README)::

    import iwp_widgets as iwp
    plan = iwp.Plan.load("plan.json")
    table = iwp.simulate(plan)
    many = iwp.simulate_caseload(frame)
    events = iwp.key_dates(table)
    summary = iwp.benefits_summary(plan)     # the take-home summary and reporting calendar, as data
"""

from .errors import PlanError
from . import thresholds
from .plan import Plan
from .caseload.simulation import simulate_caseload
from .simulate import simulate
from .key_dates import income_by_year, key_dates
from .benefits_summary import benefits_summary

__all__ = ["PlanError", "thresholds", "Plan", "simulate", "simulate_caseload", "key_dates",
           "income_by_year", "benefits_summary"]
