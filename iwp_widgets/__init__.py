"""IWP Planner: plan work under Social Security's Ticket to Work program, month by month.

Public API (see the README)::

    import iwp_widgets as iwp
    plan = iwp.Plan.load("plan.json")
    table = iwp.simulate(plan)
    many = iwp.simulate_caseload(frame)
"""

from .errors import PlanError
from . import thresholds
from .plan import Plan
from .simulate import simulate, simulate_caseload

__all__ = ["PlanError", "thresholds", "Plan", "simulate", "simulate_caseload"]
