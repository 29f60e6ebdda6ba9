"""The rules engine: pure numpy over arrays of beneficiaries, a loop over months.

- :mod:`.inputs` — :class:`Inputs`, the one front door: built from a plan or a checked caseload.
- :mod:`.ssdi` — Trial Work Period, Extended Period of Eligibility, cessation and grace,
  suspension, termination, Expedited Reinstatement window, Medicare (Title II).
- :mod:`.ssi` — SSI income exclusions in legal order, SEIE, retrospective accounting, 1619(a)/(b),
  breakeven (Title XVI).
- :mod:`.core` — :func:`run` (``run(inputs, figures)``), the month loop over both (concurrent
  beneficiaries included).
- :mod:`.why` — plain-language sentences for one beneficiary's months.

No widgets, no files, no plotting here; every figure comes from the ``Thresholds`` passed in.
"""

from .core import MAY_BE_MISSING, NO_MONTH, NUMERIC_COLUMNS, run
from .inputs import BENEFIT_CODES, PROGRAM_RANK, Inputs
from .ssdi import STATUS_NAMES, twp_months_in_window

__all__ = ["run", "Inputs", "BENEFIT_CODES", "MAY_BE_MISSING", "NO_MONTH", "NUMERIC_COLUMNS", "PROGRAM_RANK",
           "STATUS_NAMES", "twp_months_in_window"]
