"""Properties of the engine checked on generated plans (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iwp_widgets import Plan, simulate, simulate_caseload
from iwp_widgets.caseload.simulation import plans_to_caseload
from iwp_widgets.rules import MAY_BE_MISSING, NUMERIC_COLUMNS
from caseload_checks import assert_rows_match_simulate
from plan_strategies import NINE, WINDOW, plans

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(plans(), st.data())
def test_more_earnings_in_a_month_never_raise_that_months_benefits(plan, data):
    """Two plans identical except month k's earnings are higher in the second: SSDI paid in
    month k is never higher, and neither is SSI paid in month k — except for a concurrent
    beneficiary whose SSI for month k is figured on month k's own income (same-month
    accounting, or the first month under retrospective accounting): there, an SSDI suspension
    caused by the raise lowers unearned income and can lawfully raise SSI."""
    k = data.draw(st.integers(min_value=0, max_value=plan.months - 1))
    raise_by = data.draw(st.floats(min_value=0.01, max_value=3000))
    earnings = list(plan.earnings)
    earnings[k] = round(earnings[k] + raise_by, 2)
    low, high = simulate(plan), simulate(plan.with_earnings(earnings))
    assert high["ssdi_paid"].iloc[k] <= low["ssdi_paid"].iloc[k]
    own_month = plan.options.ssi_accounting == "same_month" or k == 0
    if not (plan.profile.benefits == "concurrent" and own_month):
        assert high["ssi_paid"].iloc[k] <= low["ssi_paid"].iloc[k] + 1e-9
    # Months before k cannot change at all.
    assert high.iloc[:k].drop(columns="why").equals(low.iloc[:k].drop(columns="why"))


@SETTINGS
@given(plans())
def test_no_60_month_window_holds_more_than_nine_twp_months(plan):
    """20 CFR 404.1592(e): BPQY months plus projected TWP months, any 60 consecutive months."""
    table = simulate(plan)
    start = pd.Period(plan.start, "M")
    first = start - (WINDOW - 1)
    flags = np.zeros(WINDOW - 1 + plan.months, int)
    for month in plan.profile.twp_months_used:
        flags[(pd.Period(month, "M") - first).n] = 1
    flags[WINDOW - 1:] = table["twp_month"].to_numpy()
    windows = np.convolve(flags, np.ones(WINDOW, int), mode="valid")
    assert windows.max(initial=0) <= NINE
    assert (table["twp_months_used"] <= NINE).all()


@SETTINGS
@given(plans())
def test_total_income_is_earnings_plus_benefits_plus_unearned(plan):
    table = simulate(plan)
    expected = (table["gross_earnings"] + table["ssdi_paid"] + table["ssi_paid"]
                + plan.profile.unearned_income)
    assert np.allclose(table["total_income"], expected)
    assert (table["ssdi_paid"] >= 0).all() and (table["ssi_paid"] >= 0).all()
    assert (table["ssdi_paid"] <= plan.profile.ssdi_monthly + 1e-9).all()


@SETTINGS
@given(plans())
def test_only_the_1619b_threshold_is_ever_missing(plan):
    """Month-level Parquet files mark every other column as never empty (rules.MAY_BE_MISSING);
    writing a missing value in one of them would fail the file."""
    table = simulate(plan)
    numbers = table[[c for c in NUMERIC_COLUMNS if c not in MAY_BE_MISSING and c != "ssdi_status"]]
    assert not numbers.isna().any().any(), numbers.columns[numbers.isna().any()].tolist()
    assert not table["ssdi_status"].isna().any()


@SETTINGS
@given(st.integers(min_value=1, max_value=18).flatmap(
    lambda months: st.lists(plans(months=months), min_size=1, max_size=4)))
def test_caseload_equals_simulate_plan_by_plan(plan_list):
    frame = plans_to_caseload(plan_list)
    out = simulate_caseload(frame)
    for ident, plan in enumerate(plan_list):
        table = simulate(plan)
        assert_rows_match_simulate(out[out["id"] == ident].set_index("month"), table)
