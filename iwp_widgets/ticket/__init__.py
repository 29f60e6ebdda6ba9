"""The Ticket to Work layer: the IWP as data, its goal checks, timely progress reviews and EN payments.

Pure functions over the simulated monthly table (``iwp_widgets.simulate``) and an ``IWP``; no widgets,
no I/O. See docs/ticket.md.
"""

from .goals import GoalCheck, check_goals, goals_frame
from .iwp import (COMPLETIONS, DEFAULT_RESPONSIBILITIES, IWP, IWP_VERSION, SERVICE_KINDS,
                  EducationProgress, Revision, Service, Signature, TicketFacts, migrate_v1)
from .outcome import outcome_months, table_outcome_months
from .payments import (P1M1_RULES, P1M4_RULES, PHASE2_BLIND_RULES, PHASE2_RULES, SYSTEMS, en_payments,
                       en_summary_by_year)
from .progress import progress_reviews

__all__ = ["COMPLETIONS", "DEFAULT_RESPONSIBILITIES", "IWP", "IWP_VERSION", "SERVICE_KINDS",
           "EducationProgress", "GoalCheck", "P1M1_RULES", "P1M4_RULES", "PHASE2_BLIND_RULES",
           "PHASE2_RULES", "Revision", "SYSTEMS",
           "Service", "Signature", "TicketFacts", "check_goals", "en_payments", "en_summary_by_year",
           "goals_frame", "migrate_v1", "outcome_months", "progress_reviews",
           "table_outcome_months"]
