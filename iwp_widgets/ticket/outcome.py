"""Outcome payment months: the one rule for "earnings, not something else, stopped the cash".

An outcome payment month is a month in which SSDI and federal SSI cash are not payable *because of
work or earnings* (20 CFR §411.500(b)). The same test decides EN outcome payments (§411.525(a)(1)),
progress periods 5 and later (§411.180(c)(5)–(7): months whose earnings "preclude payment" of SSDI
and federal SSI) and the caseload path, so all three read this module.

Per month, for the programs the beneficiary is on:

* **SSDI** (Title II and concurrent): no SSDI paid and gross earnings more than the SGA amount. Before
  entitlement ends SSDI is only withheld for work above SGA (countable ≤ gross earnings); after it
  ends the month needs gross earnings above SGA (§411.525(a)(1)(ii)(A)). Either way: gross > SGA.
* **SSI** (SSI only and concurrent): no federal SSI paid, some earnings, and the month's unearned
  income alone would still leave a payment (the engine's ``ssi_breakeven`` is above $0). With
  unearned income alone at or above the FBR + $20 there is no SSI whatever the earnings, so the
  month is not stopped by earnings (§411.500(b), §411.525(a)(1)(i)).

Only the engine's table columns are read (``gross_earnings``, ``sga``, ``ssdi_paid``,
``ssi_federal_paid`` or ``ssi_paid``, ``ssi_breakeven``, ``ssdi_status``); nothing is recomputed.
Not modelled: SSI termination after 12 months of suspension (§416.1335), after which §411.525(a)(1)(ii)
would also ask for gross earnings above SGA.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PlanError
from ..rules.inputs import BENEFIT_CODES
from ._table import column, federal_ssi_paid

BENEFITS = tuple(BENEFIT_CODES)  # ssdi, ssi, concurrent: the engine's words


def federal_ssi(ssi_paid, state_supplement) -> np.ndarray:
    """Federal SSI cash: SSI paid less the state supplement, which is paid last (the Ticket rules
    look at federal SSI only). ``state_supplement`` is one amount or one per row of ``ssi_paid``."""
    supplement = np.asarray(state_supplement, dtype=float)
    ssi_paid = np.asarray(ssi_paid, dtype=float)
    if supplement.ndim and ssi_paid.ndim == 2:
        supplement = supplement[:, None]
    return np.maximum(ssi_paid - supplement, 0.0)


def programs(benefits) -> tuple[np.ndarray, np.ndarray]:
    """(takes SSDI, takes SSI) per beneficiary from "ssdi" / "ssi" / "concurrent" (scalar or array)."""
    benefits = np.atleast_1d(np.asarray(benefits, dtype=object))
    bad = ~np.isin(benefits, BENEFITS)
    if bad.any():
        raise PlanError(f"profile.benefits: must be one of {', '.join(BENEFITS)}, "
                        f"got {benefits[bad][0]!r}")
    return benefits != "ssi", benefits != "ssdi"


def outcome_months(gross: np.ndarray, sga: np.ndarray, ssdi_paid: np.ndarray,
                   federal_ssi: np.ndarray, ssi_without_earnings: np.ndarray,
                   takes_ssdi: np.ndarray, takes_ssi: np.ndarray) -> np.ndarray:
    """(N, T) months whose earnings stop SSDI and federal SSI cash (the rules in the module docstring).

    2-D inputs are (N, T); ``ssi_without_earnings`` is True where unearned income alone would leave
    an SSI payment. ``takes_ssdi`` / ``takes_ssi`` are (N,).
    """
    no_cash = (ssdi_paid == 0) & (federal_ssi == 0)
    ssdi_by_work = ~takes_ssdi[:, None] | (gross > sga)
    ssi_by_work = ~takes_ssi[:, None] | ((gross > 0) & ssi_without_earnings)
    return no_cash & ssdi_by_work & ssi_by_work


def benefits_of(table: pd.DataFrame) -> str:
    """The programs a simulated table is about, read from its columns (for callers that do not say).

    SSDI when the table shows SSDI cash or an SSDI status other than "none"; SSI when it shows SSI
    cash; a table with neither is taken as SSDI.
    """
    ssdi = bool((column(table, "ssdi_paid", default=0.0) > 0).any())
    if "ssdi_status" in table.columns:
        ssdi |= bool((table["ssdi_status"].astype(str) != "none").any())
    ssi = bool((column(table, "ssi_paid", default=0.0) > 0).any())
    return "concurrent" if ssdi and ssi else "ssi" if ssi else "ssdi"


def table_outcome_months(table: pd.DataFrame, benefits: str | None = None) -> np.ndarray:
    """Outcome months of one simulated table (1-D bool). ``benefits`` defaults to ``benefits_of``.

    A table without ``ssi_breakeven`` (one written by hand) is taken to have no unearned income that
    stops SSI by itself.
    """
    takes_ssdi, takes_ssi = programs(benefits or benefits_of(table))
    gross = column(table, "gross_earnings")[None, :]
    breakeven = column(table, "ssi_breakeven", default=np.inf)[None, :]
    return outcome_months(gross, column(table, "sga")[None, :],
                          column(table, "ssdi_paid", default=0.0)[None, :],
                          federal_ssi_paid(table)[None, :], breakeven > 0,
                          takes_ssdi, takes_ssi)[0]
