"""Reforms and earnings scenarios move the engine's results the way the rules say they should.

Each reform is only data (scenarios/*.json -> Thresholds.with_overrides); these tests check the
engine honours it. Rules: TWP and EPE, 20 CFR 404.1592 and 404.1592a (rules.md §1, §3); SGA,
20 CFR 404.1574 (rules.md §2); SSI earned-income exclusions, 20 CFR 416.1112 (rules.md §4.2);
BOND offset, POMS DI 60099.040.
"""

import numpy as np
import pandas as pd
import pytest

from iwp_widgets.caseload import generate_caseload, run_scenarios, simulate_scenario, validate_caseload
from iwp_widgets.thresholds import Thresholds

MONTHS = 48


def flat_caseload(benefits: str, earnings: float, ssdi: float = 1400.0, months: int = MONTHS) -> pd.DataFrame:
    return validate_caseload(pd.DataFrame({
        "id": ["x"], "start": ["2026-01"], "benefits": [benefits],
        "ssdi_monthly": [ssdi if benefits != "ssi" else 0.0], "state": ["CA"],
        **{f"earnings_{t}": [earnings] for t in range(months)},
    }))


def first_month(table: pd.DataFrame, column: str, value=True) -> int | None:
    hits = np.flatnonzero(table[column].to_numpy() == value)
    return int(hits[0]) if len(hits) else None


def test_higher_sga_pays_ssdi_longer_for_earnings_between_the_two_levels():
    base = Thresholds.default()
    between = (base.value("sga_non_blind", "2026-01") + base.value("sga_blind", "2026-01")) / 2
    caseload = flat_caseload("ssdi", between)
    now = simulate_scenario(caseload, "baseline")
    reform = simulate_scenario(caseload, "higher_sga")
    assert first_month(now, "ssdi_status", "cessation") is not None
    assert first_month(reform, "ssdi_status", "cessation") is None  # never above the higher SGA
    assert reform["ssdi_paid"].sum() > now["ssdi_paid"].sum()


def test_longer_twp_starts_the_epe_three_months_later():
    twl = Thresholds.default().value("twl", "2026-01")
    caseload = flat_caseload("ssdi", twl + 100)  # a TWP month every month, below SGA
    now = simulate_scenario(caseload, "baseline")
    reform = simulate_scenario(caseload, "longer_twp")
    assert first_month(now, "epe_month") == 9       # 9 service months: months 0..8
    assert first_month(reform, "epe_month") == 12   # 12 service months: months 0..11
    assert int(reform["twp_month"].sum()) == 12


def test_bond_offset_pays_more_ssdi_than_the_cliff_above_sga():
    sga = Thresholds.default().value("sga_non_blind", "2026-01")
    caseload = flat_caseload("ssdi", sga + 600, ssdi=1400)
    now = simulate_scenario(caseload, "baseline")
    reform = simulate_scenario(caseload, "bond_offset")
    assert reform["ssdi_paid"].sum() > now["ssdi_paid"].sum()
    # After the TWP (9 months) and the cessation + 2 grace months: $1 less per $2 above SGA.
    month = 20
    threshold = Thresholds.default().value("sga_non_blind", reform["month"].iloc[month])
    expected = 1400 - 0.5 * (sga + 600 - threshold)
    assert now["ssdi_paid"].iloc[month] == 0
    assert reform["ssdi_paid"].iloc[month] == pytest.approx(expected)


def test_bigger_ssi_earned_exclusion_pays_more_ssi():
    caseload = flat_caseload("ssi", 800.0)
    now = simulate_scenario(caseload, "baseline")
    reform = simulate_scenario(caseload, "ssi_bigger_earned_exclusion")
    assert reform["ssi_paid"].sum() > now["ssi_paid"].sum()
    # $400 instead of $65 excluded, then half the rest counted: $167.50 more SSI a month once the
    # two-month retrospective lag has passed.
    assert (reform["ssi_paid"] - now["ssi_paid"]).iloc[6] == pytest.approx((400 - 65) / 2)


def test_earnings_scenarios_change_the_earnings_the_engine_sees():
    caseload = flat_caseload("ssdi", 1000.0)
    grown = simulate_scenario(caseload, "wage_growth_3pct")
    assert grown["gross_earnings"].iloc[11] == 1000 and grown["gross_earnings"].iloc[12] == 1030
    lost = simulate_scenario(caseload, "job_loss_year2")
    assert (lost["gross_earnings"].iloc[12:18] == 0).all() and lost["gross_earnings"].iloc[18] == 1000


def test_reforms_never_pay_less_to_anyone_in_a_mixed_caseload():
    """Per beneficiary: higher SGA and the offset never lower SSDI. A bigger SSI exclusion never
    lowers SSI with same-month accounting. With retrospective accounting it can, lawfully: a
    month it turns from ineligible to eligible no longer restarts the 20 CFR 416.420(b) cycle,
    so a later month is paid on an earlier, higher income instead of its own. Anyone paid less
    must have such a month."""
    caseload = generate_caseload(300, seed=21)
    runs = run_scenarios(caseload, ["baseline", "higher_sga", "bond_offset", "ssi_bigger_earned_exclusion",
                                    "longer_twp"], keep_monthly=True)
    base = runs["baseline"].outcomes
    for name, column in (("higher_sga", "ssdi_paid"), ("bond_offset", "ssdi_paid"),
                         ("ssi_bigger_earned_exclusion", "ssi_paid")):
        diff = runs[name].outcomes[column] - base[column]
        assert diff.sum() > 0, name
        if name != "ssi_bigger_earned_exclusion":
            assert (diff >= -1e-6).all(), name
            continue
        before = runs["baseline"].monthly.set_index(["id", "month"])["ssi_eligible"]
        after = runs[name].monthly.set_index(["id", "month"])["ssi_eligible"]
        turned_eligible = (after & ~before).groupby(level="id").any()
        paid_less = diff[diff < -1e-6].index
        assert turned_eligible.loc[paid_less].all(), name
    same_month = caseload.assign(ssi_accounting="same_month")
    runs_same = run_scenarios(same_month, ["baseline", "ssi_bigger_earned_exclusion"])
    diff = (runs_same["ssi_bigger_earned_exclusion"].outcomes["ssi_paid"]
            - runs_same["baseline"].outcomes["ssi_paid"])
    assert (diff >= -1e-6).all() and diff.sum() > 0
    later = runs["longer_twp"].summary.table().loc["months_to_epe", "mean"]
    assert later > runs["baseline"].summary.table().loc["months_to_epe", "mean"]


def custom(figures: dict):
    from iwp_widgets.caseload import Scenario
    return Scenario.from_dict({"name": "custom", "figures": figures})


def test_shorter_epe_terminates_ssdi_earlier():
    """20 CFR 404.1592a: after the reentitlement period the first SGA month terminates entitlement."""
    sga = Thresholds.default().value("sga_non_blind", "2026-01")
    caseload = flat_caseload("ssdi", sga + 500, months=60)
    now = simulate_scenario(caseload, "baseline")
    shorter = simulate_scenario(caseload, custom({"epe_reentitlement_months": 12}))
    assert first_month(now, "ssdi_status", "terminated") == 8 + 36 + 1   # TWP ends month 8
    assert first_month(shorter, "ssdi_status", "terminated") == 8 + 12 + 1


def test_longer_twp_window_completes_a_spread_out_twp():
    """20 CFR 404.1592(e): 9 service months within a rolling window of 60 months."""
    months = 72
    # Each month's TWL (projected after 2026: it rises with average wages) plus $100.
    twl, _ = Thresholds.default().series("twl", pd.period_range("2026-01", periods=months, freq="M"))
    earnings = [twl[t] + 100 if t % 8 == 0 else 0.0 for t in range(months)]  # service months 0, 8, …, 64
    caseload = validate_caseload(pd.DataFrame({
        "id": ["x"], "start": ["2026-01"], "benefits": ["ssdi"], "ssdi_monthly": [1400.0], "state": ["CA"],
        **{f"earnings_{t}": [e] for t, e in enumerate(earnings)}}))
    now = simulate_scenario(caseload, "baseline")
    wider = simulate_scenario(caseload, custom({"twp_window_months": 72}))
    assert first_month(now, "epe_month") is None          # never 9 inside 60 months
    assert first_month(wider, "epe_month") == 65


def test_higher_fbr_pays_more_ssi():
    caseload = flat_caseload("ssi", 500.0)
    now = simulate_scenario(caseload, "baseline")
    richer = simulate_scenario(caseload, custom({"ssi_fbr_individual": {"times": 1.1}}))
    fbr = Thresholds.default().value("ssi_fbr_individual", "2026-06")
    assert (richer["ssi_paid"] - now["ssi_paid"]).iloc[5] == pytest.approx(0.1 * fbr, abs=1)
