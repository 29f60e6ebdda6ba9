"""The rules engine: pure numpy over arrays of beneficiaries, a loop over months.

- :mod:`.ssdi` — Trial Work Period, Extended Period of Eligibility, cessation and grace,
  suspension, termination, Expedited Reinstatement window, Medicare (Title II).
- :mod:`.ssi` — SSI income exclusions in legal order, SEIE, retrospective accounting, 1619(a)/(b),
  breakeven (Title XVI).
- :mod:`.core` — :func:`run`, the month loop over both (concurrent beneficiaries included).
- :mod:`.why` — plain-language sentences for one beneficiary's months.

No widgets, no files, no plotting here; every figure comes from ``iwp_widgets.thresholds``.
"""

from .core import BENEFIT_CODES, NO_MONTH, NUMERIC_COLUMNS, PROGRAM_RANK, run
from .ssdi import STATUS_NAMES

__all__ = ["run", "BENEFIT_CODES", "NO_MONTH", "NUMERIC_COLUMNS", "PROGRAM_RANK", "STATUS_NAMES"]
