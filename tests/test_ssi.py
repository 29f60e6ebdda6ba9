"""SSI income rules against worked examples (rules.md §7) and the regulation text.

Each test names its source. "DERIVED" marks a case built by applying the cited rule, not an
official example.
"""

import pytest

from iwp_widgets import Plan, simulate
from iwp_widgets.thresholds import Thresholds


def ssi_plan(start, earnings, *, accounting="same_month", expenses=None, **profile):
    profile = {"benefits": "ssi", **profile}
    return Plan.from_dict({
        "schema_version": 1, "start": start, "earnings": list(earnings),
        "work_expenses": expenses or {}, "profile": profile,
        "options": {"ssi_accounting": accounting},
    })


def test_w6_student_earned_income_exclusion_2005():
    """W6: POMS SI 00820.510 example "Jim Thayer" (2005): age 19, monthly limit $1,410, yearly
    $5,670. Three months of $1,600 → $52.50 countable each; $800 → $0; another $800 with $640
    of the yearly limit left → $37.50."""
    table = simulate(ssi_plan("2005-01", [1600, 1600, 1600, 800, 800], student=True,
                              birth_month="1986-01"))
    assert list(table["ssi_countable_income"]) == [52.5, 52.5, 52.5, 0.0, 37.5]
    assert "student earned income exclusion" in table["why"].iloc[0]


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


def test_w8_irwe_is_deducted_before_halving():
    """W8: VCU RRTC slide (FBR $674, 2009–2011): gross $750, IRWE $100 → $282.50 countable,
    SSI $391.50."""
    table = simulate(ssi_plan("2009-01", [750], expenses={"irwe": 100}))
    assert table["ssi_countable_income"].iloc[0] == 282.5
    assert table["ssi_paid"].iloc[0] == 391.5
    assert "$100 impairment-related work expenses" in table["why"].iloc[0]


def test_bwe_is_deducted_after_halving():
    """DERIVED from POMS SI 00820.535 §B.2 and 20 CFR 416.1112(c)(8) (BWE after one half): blind,
    2009, gross $750, BWE $100: ($750 − $20 − $65) / 2 = $332.50 − $100 = $232.50 countable;
    SSI $674 − $232.50 = $441.50."""
    table = simulate(ssi_plan("2009-01", [750], expenses={"bwe": 100}, blind=True))
    assert table["ssi_countable_income"].iloc[0] == 232.5
    assert table["ssi_paid"].iloc[0] == 441.5


def test_w9a_ssdi_counts_as_unearned_income():
    """W9(a): fyitransition.org "Ed" (FBR $637, 2008): SSDI $361 + other unearned $10, no wages →
    $351 countable, SSI $286, total income $657."""
    plan = ssi_plan("2008-01", [0], benefits="concurrent", ssdi_monthly=361.0,
                    unearned_income=10.0)
    table = simulate(plan)
    assert table["ssi_countable_income"].iloc[0] == 351
    assert table["ssi_paid"].iloc[0] == 286
    assert table["total_income"].iloc[0] == 657
    assert "including $361 SSDI" in table["why"].iloc[0]


def test_w9b_earned_income_with_unused_general_exclusion():
    """W9(b): wages $361 + unearned $10: $10 of the $20 is left for wages; ($361 − $10 − $65) / 2
    = $143 → SSI $494; total $865."""
    table = simulate(ssi_plan("2008-01", [361], unearned_income=10.0))
    assert table["ssi_countable_income"].iloc[0] == 143
    assert table["ssi_paid"].iloc[0] == 494
    assert table["total_income"].iloc[0] == 865


def test_w11_breakeven_2015():
    """W11: POMS SI 00810.350: 2015 individual, earned income only: $1,551 (= 2 × $733 + $85);
    couple $2,285. SSI is $0 at the breakeven and $1 at $2 less."""
    table = simulate(ssi_plan("2015-01", [1551, 1549]))
    assert list(table["ssi_breakeven"]) == [1551.0, 1551.0]
    assert list(table["ssi_paid"]) == [0.0, 1.0]
    couple = simulate(ssi_plan("2015-01", [0], ssi_unit="couple"))
    assert couple["ssi_breakeven"].iloc[0] == 2285


def test_breakeven_rises_with_work_expenses_and_supplement():
    """POMS SI 00810.350 §D: IRWE and a state supplement raise the breakeven. DERIVED, 2026:
    2 × ($994 + $100) + $85 + $120 = $2,393."""
    table = simulate(ssi_plan("2026-01", [0], expenses={"irwe": 120}, state_supplement=100.0))
    assert table["ssi_breakeven"].iloc[0] == 2393
    assert table["ssi_paid"].iloc[0] == 1094


def test_w12_retrospective_accounting_uses_month_minus_two():
    """W12: 20 CFR 416.420(a) Example 1: September's payment uses July's income. DERIVED
    amounts (2015 FBR $733): July $400 → countable $157.50 → September pays $575.50."""
    earnings = [400, 1000, 0, 0]  # Jul, Aug, Sep, Oct 2015
    table = simulate(ssi_plan("2015-07", earnings, accounting="retrospective"))
    assert table.loc["2015-09", "ssi_paid"] == 733 - 157.5
    assert table.loc["2015-10", "ssi_paid"] == 733 - (1000 - 85) / 2
    # Before the projection the plan assumes the first month's income (documented choice).
    assert table.loc["2015-07", "ssi_paid"] == table.loc["2015-08", "ssi_paid"] == 575.5
    assert "two months earlier" in table.loc["2015-09", "why"]
    same = simulate(ssi_plan("2015-07", earnings, accounting="same_month"))
    assert same.loc["2015-09", "ssi_paid"] == 733


def test_1619a_cash_continues_above_sga():
    """20 CFR 416.261–262: already on SSI, gross above SGA ($1,690 in 2026): SSI cash goes on,
    figured the usual way. DERIVED: $1,800 → ($1,800 − $85) / 2 = $857.50 → $136.50."""
    table = simulate(ssi_plan("2026-01", [1800]))
    assert table["ssi_paid"].iloc[0] == 136.5
    assert table["ssi_1619a"].iloc[0]
    assert "1619(a)" in table["why"].iloc[0]


def test_sga_bars_a_first_payment():
    """20 CFR 416.260–262: 1619(a) needs an earlier SSI payment; without one, a month above SGA
    pays nothing; once SSI was paid, later SGA months are 1619(a). Blind people are not subject
    to SGA in SSI."""
    table = simulate(ssi_plan("2026-01", [1800, 0, 1800], ssi_eligible_before=False))
    assert list(table["ssi_paid"]) == [0.0, 994.0, 136.5]
    assert list(table["ssi_1619a"]) == [False, False, True]
    blind = simulate(ssi_plan("2026-01", [1800], ssi_eligible_before=False, blind=True))
    assert blind["ssi_paid"].iloc[0] == 136.5 and not blind["ssi_1619a"].iloc[0]


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


def test_concurrent_ssi_uses_ssdi_paid_in_the_accounting_month():
    """Concurrent: SSI counts the SSDI actually paid in the month whose income it uses
    (20 CFR 416.420, 416.1121). DERIVED, 2026: after the TWP and grace, an SGA month stops
    SSDI; with retrospective accounting SSI rises two months later, not in the same month."""
    earnings = [1300] * 9 + [1800] * 3 + [1800, 1000, 1000, 1000]
    plan = Plan.from_dict({
        "schema_version": 1, "start": "2026-01", "earnings": earnings,
        "profile": {"benefits": "concurrent", "ssdi_monthly": 600.0, "state": "TX"},
    })
    table = simulate(plan)
    assert table.loc["2027-01", "ssdi_status"] == "suspended"
    assert table.loc["2027-01", "ssdi_paid"] == 0
    # January's SSI uses November's income (SSDI $600 + $1,800 wages: countable over the FBR);
    # March uses January's (no SSDI, $1,800 wages): FBR − ($1,800 − $85) / 2. 2027's FBR is not
    # published yet: the projected one ($1,029 with the 3.6% COLA; $994 carried forward).
    fbr_2027 = Thresholds.default().value("ssi_fbr_individual", "2027-01")
    assert table.loc["2027-01", "ssi_paid"] == 0
    assert table.loc["2027-03", "ssi_paid"] == fbr_2027 - (1800 - 85) / 2
    same = simulate(plan.replace(options={"ssi_accounting": "same_month"}))
    assert same.loc["2027-01", "ssi_paid"] == fbr_2027 - (1800 - 85) / 2


def test_couple_fbr_and_state_supplement():
    """FBR for a couple (2026 $1,491) plus a federally administered state supplement."""
    table = simulate(ssi_plan("2026-01", [0], ssi_unit="couple", state_supplement=200.0))
    assert table["ssi_paid"].iloc[0] == 1691


@pytest.mark.parametrize("name", ["ssi_student", "concurrent_irwe"])
def test_examples_pay_ssi_and_explain(name):
    table = simulate(Plan.example(name))
    assert (table["ssi_paid"] >= 0).all()
    assert table["why"].str.contains("20 CFR 416.420").all()
