"""The Ticket to Work layer: the IWP as data, its goal checks, timely progress reviews and EN payments.

Pure functions over the simulated monthly table (``iwp_widgets.simulate``) and an ``IWP``; no widgets,
no I/O. See docs/ticket.md.
"""

from .iwp import (COMPLETIONS, DEFAULT_RESPONSIBILITIES, IWP, IWP_VERSION, SERVICE_KINDS,
                  EducationProgress, Revision, Service, Signature, TicketFacts, migrate_v1)

__all__ = ["COMPLETIONS", "DEFAULT_RESPONSIBILITIES", "IWP", "IWP_VERSION", "SERVICE_KINDS",
           "EducationProgress", "Revision", "Service", "Signature", "TicketFacts", "migrate_v1"]
