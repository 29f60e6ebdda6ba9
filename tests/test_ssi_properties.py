"""SSI month logic on generated plans, in both accounting modes (20 CFR 416.420; rules.md §4.4).

Each example draws a caseload of plans (SSI only or concurrent, with the months before the plan
drawn too) and runs it through the engine once; 30 examples × 40 plans = 1,200 plans per mode.
The properties:

- no SSI is paid for a month whose own countable income is at least FBR + state supplement;
- the first eligible month after a month of ineligibility is paid on its own income, as is
  every eligible month under same-month accounting;
- under retrospective accounting, the third eligible month in a row (and later ones) is paid on
  the income of two months before (416.420(a)).
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iwp_widgets import simulate_caseload
from iwp_widgets.caseload.simulation import plans_to_caseload
from iwp_widgets.thresholds import Thresholds
from plan_strategies import plans

MONTHS = 12
PLANS_PER_EXAMPLE = 40
SETTINGS = settings(max_examples=30, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])
FIGURES = Thresholds.default()


def caseloads(accounting):
    one = st.sampled_from(["ssi", "concurrent"]).flatmap(
        lambda benefits: plans(months=MONTHS, benefits=benefits, accounting=accounting))
    return st.lists(one, min_size=PLANS_PER_EXAMPLE, max_size=PLANS_PER_EXAMPLE)


def grids(plan_list):
    """(limit, countable, eligible, paid) as (plans × months) arrays."""
    out = simulate_caseload(plans_to_caseload(plan_list))
    shape = (len(plan_list), MONTHS)
    countable = out["ssi_countable_income"].to_numpy().reshape(shape)
    eligible = out["ssi_eligible"].to_numpy(bool).reshape(shape)
    paid = out["ssi_paid"].to_numpy().reshape(shape)
    limit = np.empty(shape)
    for i, plan in enumerate(plan_list):
        name = "ssi_fbr_couple" if plan.profile.ssi_unit == "couple" else "ssi_fbr_individual"
        limit[i] = FIGURES.series(name, plan.month_index)[0] + plan.profile.state_supplement
    return limit, countable, eligible, paid


def own_income_amount(limit, countable):
    return np.maximum(limit - countable, 0.0)


@pytest.mark.parametrize("accounting", ["retrospective", "same_month"])
def test_ssi_month_logic_on_generated_plans(accounting):
    @SETTINGS
    @given(caseloads(accounting))
    def check(plan_list):
        limit, countable, eligible, paid = grids(plan_list)
        over = countable >= limit
        assert not (paid[over] > 0).any(), "SSI paid in a month whose own income is over the limit"
        assert not eligible[over].any()
        own = own_income_amount(limit, countable)
        if accounting == "same_month":
            np.testing.assert_allclose(paid[eligible], own[eligible])
            return
        restart = eligible[:, 1:] & ~eligible[:, :-1]
        np.testing.assert_allclose(paid[:, 1:][restart], own[:, 1:][restart])
        third = eligible[:, 2:] & eligible[:, 1:-1] & eligible[:, :-2]
        from_m2 = own_income_amount(limit[:, 2:], countable[:, :-2])
        np.testing.assert_allclose(paid[:, 2:][third], from_m2[third])
        # Not getting SSI before the plan: the plan's first month, if eligible, is the first.
        new = np.array([not p.profile.ssi_eligible_before for p in plan_list])
        first = new & eligible[:, 0]
        np.testing.assert_allclose(paid[first, 0], own[first, 0])

    check()
