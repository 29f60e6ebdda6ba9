"""The answer at the top of the session (widgets/outlook.py) and scenario B against A
(widgets/compare.py): both only read the simulated tables (issue #14)."""

import html
import re

import pandas as pd
import pytest

import iwp_widgets as iwp
from iwp_widgets.widgets.compare import Difference, difference, difference_html
from iwp_widgets.widgets.outlook import Outlook, outlook_html
from iwp_widgets.widgets.state import PlanState
from iwp_widgets.words import money, month_words


@pytest.mark.parametrize("name", iwp.Plan.examples())
def test_the_outlook_shows_every_key_date_and_the_income_by_year(name):
    plan = iwp.Plan.example(name)
    table = iwp.simulate(plan)
    page = html.unescape(re.sub(r"<[^>]+>", "", outlook_html(plan, table)))  # the words read
    dates = iwp.key_dates(table)
    assert len(dates) > 0
    for row in dates.itertuples(index=False):
        assert f"{month_words(row.month)}: {row.text}" in page
    for year, row in iwp.income_by_year(plan).iterrows():
        assert str(year) in page
        for column in ("with_work", "without_work", "difference"):
            assert money(row[column]) in page


def test_health_coverage_is_said_only_for_the_plan_s_programs():
    ssi_only = iwp.Plan.example("ssi_student")
    page = outlook_html(ssi_only, iwp.simulate(ssi_only))
    assert "Medicaid in every month" in page and "Medicare" not in page
    ssdi_only = iwp.Plan.example("ssdi_ramp_to_sga")
    page = outlook_html(ssdi_only, iwp.simulate(ssdi_only))
    assert "Medicare in every month" in page and "Medicaid" not in page


def test_a_plan_with_no_change_says_so():
    plan = iwp.Plan.example("ssdi_ramp_to_sga")
    idle = plan.replace(earnings=(0.0,) * plan.months, earnings_path=None, hours=None)
    assert "Your benefits stay the same in every month of this plan." in outlook_html(idle, iwp.simulate(idle))


def test_the_outlook_follows_the_plan():
    state = PlanState(iwp.Plan.example("ssdi_ramp_to_sga"))
    panel = Outlook(state)
    before = panel.value
    state.set_earnings([0.0] * state.plan.months)
    assert panel.value != before
    assert "Your benefits stay the same" in panel.value


def test_scenario_b_minus_a_month_by_month_and_over_the_plan():
    a = iwp.Plan.example("concurrent_irwe")
    raised = a.replace(earnings=tuple(e + 100.0 for e in a.earnings), earnings_path=None, hours=None)
    table_a, table_b = iwp.simulate(a), iwp.simulate(raised)
    diff = difference(table_a, table_b)
    assert (diff["gross_earnings"].round(2) == 100.0).all()
    assert diff["total_income"].tolist() == pytest.approx(
        (table_b["total_income"] - table_a["total_income"]).tolist())
    page = html.unescape(difference_html(table_a, table_b))
    assert f"+{money(100 * a.months)}" in page   # pay over the whole plan
    total = float(diff["total_income"].sum())
    assert f"{money(abs(total))} {'more' if total > 0 else 'less'} total income" in page
    assert f"{month_words(table_a.index[0])}</th>" in page
    same = html.unescape(difference_html(table_a, table_a))
    assert "the same total income" in same


def test_the_difference_follows_both_scenarios():
    plan = iwp.Plan.example("ssdi_ramp_to_sga")
    a, b = PlanState(plan), PlanState(plan)
    panel = Difference(a, b)
    assert "the same total income" in panel.value
    b.set_earnings([e + 50.0 for e in plan.earnings])
    assert "more total income" in panel.value
