"""SSI income rules against the regulation text; the worked examples month by month are the
table in tests/cases/ssi_months.yaml (tests/test_ssi_cases.py).

Each test names its source. "DERIVED" marks a case built by applying the cited rule, not an
official example.
"""

import pytest

from iwp_widgets import Plan, simulate


def ssi_plan(start, earnings, *, accounting="same_month", expenses=None, **profile):
    profile = {"benefits": "ssi", **profile}
    return Plan.from_dict({
        "schema_version": 1, "start": start, "earnings": list(earnings),
        "work_expenses": expenses or {}, "profile": profile,
        "options": {"ssi_accounting": accounting},
    })


def test_seie_yearly_limit_resets_in_january():
    """DERIVED from 20 CFR 416.1112(c)(3) and POMS SI 00820.510: the yearly limit is used month by
    month and starts again each January (2005 $5,670; 2006 $1,460 a month)."""
    table = simulate(ssi_plan("2005-07", [1600] * 7, student=True, birth_month="1986-01"))
    # Jul–Oct use 4 × $1,410 = $5,640 of the $5,670; November has $30 left, December none.
    assert list(table["ssi_countable_income"].iloc[:4]) == [52.5] * 4
    assert table.loc["2005-11", "ssi_countable_income"] == (1600 - 30 - 20 - 65) / 2
    assert table.loc["2005-12", "ssi_countable_income"] == (1600 - 20 - 65) / 2
    assert table.loc["2006-01", "ssi_countable_income"] == (1600 - 1460 - 20 - 65) / 2


def test_seie_stops_at_the_age_limit():
    """20 CFR 416.1112(c)(3): only under age 22. DERIVED: born May 2004, 22 in May 2026."""
    table = simulate(ssi_plan("2026-03", [800, 800, 800], student=True, birth_month="2004-05"))
    assert list(table["ssi_countable_income"]) == [0.0, 0.0, (800 - 85) / 2]


def test_breakeven_rises_with_work_expenses_and_supplement():
    """POMS SI 00810.350 §D: IRWE and a state supplement raise the breakeven. DERIVED, 2026:
    2 × ($994 + $100) + $85 + $120 = $2,393."""
    table = simulate(ssi_plan("2026-01", [0], expenses={"irwe": 120}, state_supplement=100.0))
    assert table["ssi_breakeven"].iloc[0] == 2393
    assert table["ssi_paid"].iloc[0] == 1094


def test_1619b_medicaid_with_state_thresholds():
    """20 CFR 416.264–269, POMS SI 02302.200: cash $0 because of earnings, yearly gross within
    the state's charted threshold (2026 CA $66,078; CA blind $68,103)."""
    table = simulate(ssi_plan("2026-01", [2500, 5600, 5700], state="CA"))
    assert list(table["ssi_paid"]) == [0.0, 0.0, 0.0]
    assert list(table["medicaid_1619b"]) == [True, False, False]  # 67,200 > 66,078
    assert table["medicaid_1619b_threshold"].iloc[0] == 66078
    blind = simulate(ssi_plan("2026-01", [5600, 5700], state="CA", blind=True))
    assert list(blind["medicaid_1619b"]) == [True, False]  # 67,200 ≤ 68,103 < 68,400
    assert "Section 1619(b)" in table["why"].iloc[0]
    # Work expenses raise the threshold (individualized threshold, POMS SI 02302.300).
    with_irwe = simulate(ssi_plan("2026-01", [5600], state="CA", expenses={"irwe": 200}))
    assert with_irwe["medicaid_1619b"].iloc[0]


def test_1619b_needs_an_earlier_payment_and_a_published_threshold():
    """No SSI before → no 1619(b). A year without a published threshold for the state (AL has
    none before 2023 in thresholds/medicaid_1619b_threshold.csv) → not claimed, and said so."""
    table = simulate(ssi_plan("2026-01", [2500], ssi_eligible_before=False))
    assert not table["medicaid_1619b"].iloc[0]
    old = simulate(ssi_plan("2015-01", [2500], state="AL"))
    assert old["ssi_paid"].iloc[0] == 0 and not old["medicaid_1619b"].iloc[0]
    assert "no AL threshold is on file" in old["why"].iloc[0]


@pytest.mark.parametrize("name", ["ssi_student", "concurrent_irwe"])
def test_examples_pay_ssi_and_explain(name):
    table = simulate(Plan.example(name))
    assert (table["ssi_paid"] >= 0).all()
    assert table["why"].str.contains("20 CFR 416.420").all()


def test_why_names_the_month_whose_income_pays():
    """20 CFR 416.420(a), (b)(1)-(2): the "why" text says which month's income paid the month,
    and says so when a month is not eligible on its own income (DERIVED, 2017: issue 12's
    example 1)."""
    table = simulate(ssi_plan("2017-01", [0, 1800, 0, 0, 0], accounting="retrospective"))
    why = table["why"]
    assert "November 2016, two months earlier" in why.iloc[0]
    assert "before the plan" in why.iloc[0]
    assert "$857.50 is at least the $735.00 limit" in why.iloc[1]
    assert "first month you can get SSI, or the first after a month without it" in why.iloc[2]
    assert "March 2017, the month before" in why.iloc[3]
    assert "March 2017, two months earlier" in why.iloc[4]


def test_why_explains_ssdi_as_unearned_income_and_exclusions():
    """W9(a) and W8 (rules.md §7): the words name SSDI in the unearned income and each
    earned-income exclusion with its amount."""
    concurrent = simulate(ssi_plan("2008-01", [0], benefits="concurrent", ssdi_monthly=361.0,
                                   unearned_income=10.0))
    assert "including $361.00 SSDI" in concurrent["why"].iloc[0]
    irwe = simulate(ssi_plan("2009-01", [750], expenses={"irwe": 100}))
    assert "$100.00 impairment-related work expenses" in irwe["why"].iloc[0]
    above_sga = simulate(ssi_plan("2026-01", [1800]))
    assert "1619(a)" in above_sga["why"].iloc[0]
    barred = simulate(ssi_plan("2026-01", [1800], ssi_eligible_before=False))
    assert "no SSI payment in an earlier month" in barred["why"].iloc[0]

