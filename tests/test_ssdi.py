"""SSDI work rules against worked examples (rules.md §7) and the regulation text.

Each test names its source. "DERIVED" marks a case built by applying the cited rule, not an
official example.
"""

import numpy as np
import pandas as pd
import pytest

from iwp_widgets import Plan, PlanError, simulate
from iwp_widgets.thresholds import Thresholds


def ssdi_plan(start, earnings, **profile):
    hours = profile.pop("hours", None)
    expenses = profile.pop("work_expenses", {})
    return Plan.from_dict({
        "schema_version": 1, "start": start, "earnings": list(earnings), "hours": hours,
        "work_expenses": expenses,
        "profile": {"benefits": "ssdi", "ssdi_monthly": 1000.0, **profile},
    })


def months_where(table, column, value=True):
    return [str(m) for m in table.index[table[column] == value]]


def by_month(table, column):
    return {str(m): v for m, v in table[column].items()}


def test_w1_twp_non_consecutive_months_then_cessation_and_grace():
    """W1: 20 CFR 404.1574a(d) Example 2 ("Ms. M").

    $275 a month Jan–May and Jul–Oct 1995 (1995 TWL $200) are 9 TWP months; the TWP ends in
    October 1995 and the reentitlement period begins November 1995. In 1997 SSA averages
    Jan–Mar ($460, $420, $510) to about $467, below the $500 SGA; April's $860 is the cessation
    month; SSDI is paid for April, May and June 1997; month by month from July.
    The engine does not average earnings (documented), so the averaged $467 is entered for
    Jan–Mar 1997, as SSA's averaging finds it.
    """
    y1995 = [275] * 5 + [0] + [275] * 4 + [0, 0]
    y1996 = [0] * 12
    y1997 = [467, 467, 467] + [860] * 6
    table = simulate(ssdi_plan("1995-01", y1995 + y1996 + y1997))
    assert months_where(table, "twp_month") == [
        "1995-01", "1995-02", "1995-03", "1995-04", "1995-05",
        "1995-07", "1995-08", "1995-09", "1995-10"]
    assert table.loc["1995-10", "twp_months_used"] == 9
    assert table.loc["1995-10", "ssdi_status"] == "twp"
    assert table.loc["1995-11", "ssdi_status"] == "epe" and table.loc["1995-11", "epe_month"]
    assert table.loc["1995-10", "twl"] == 200 and table.loc["1997-04", "sga"] == 500
    status = by_month(table, "ssdi_status")
    assert status["1997-03"] == "epe"
    assert status["1997-04"] == "cessation"
    assert [status["1997-05"], status["1997-06"]] == ["grace", "grace"]
    paid = by_month(table, "ssdi_paid")
    assert [paid[m] for m in ("1997-04", "1997-05", "1997-06")] == [1000.0] * 3
    assert status["1997-07"] == "suspended" and paid["1997-07"] == 0.0
    assert "20 CFR 404.1592a" in table.loc["1997-04", "why"]


def test_w1_without_averaging_march_is_the_cessation_month():
    """W1 with the raw 1997 figures: the engine judges each month alone (no averaging,
    a documented simplification), so March's $510 > $500 is found as the cessation month
    where SSA, averaging Jan–Mar to $467, finds April."""
    earnings = [275] * 5 + [0] + [275] * 4 + [0, 0] + [0] * 12 + [460, 420, 510, 860, 860]
    table = simulate(ssdi_plan("1995-01", earnings))
    assert table.loc["1997-03", "ssdi_status"] == "cessation"


def test_w2_consecutive_twp_then_cessation_and_grace():
    """W2: 20 CFR 404.1574a(d) Example 1 ("Mrs. H").

    $225 a month Jan–Sep 1995 → TWP Jan–Sep 1995, reentitlement from October 1995. $285 in
    Jan–Feb 1997, $525 (> $500) in March 1997 → cessation March 1997; paid March, April, May;
    month by month from June.
    """
    earnings = [225] * 9 + [0] * 3 + [0] * 12 + [285, 285, 525, 525, 525, 525, 525]
    table = simulate(ssdi_plan("1995-01", earnings))
    assert months_where(table, "twp_month") == [f"1995-{m:02d}" for m in range(1, 10)]
    assert table.loc["1995-10", "epe_month"] and not table.loc["1995-09", "epe_month"]
    status = by_month(table, "ssdi_status")
    assert [status[m] for m in ("1997-02", "1997-03", "1997-04", "1997-05", "1997-06")] == \
        ["epe", "cessation", "grace", "grace", "suspended"]
    paid = by_month(table, "ssdi_paid")
    assert [paid[m] for m in ("1997-03", "1997-04", "1997-05", "1997-06")] == \
        [1000.0, 1000.0, 1000.0, 0.0]


def test_w3_epe_suspension_and_restart():
    """W3: db101 Michigan "Ruth", 2019 (third-party). SSDI $850; $1,000 (> TWL $880) for 9
    months → TWP, full SSDI. Then $1,750 (> SGA $1,220; 2020 SGA $1,260): cessation + 2 grace
    months paid, then 7 months at $0; earnings fall to $1,000 for 4 months → SSDI restarts."""
    earnings = [1000] * 9 + [1750] * 10 + [1000] * 4
    table = simulate(ssdi_plan("2019-01", earnings, ssdi_monthly=850.0))
    assert table["twp_month"].sum() == 9
    assert (table["ssdi_paid"].iloc[:9] == 850).all()
    after = table.iloc[9:]
    assert list(after["ssdi_status"].iloc[:3]) == ["cessation", "grace", "grace"]
    assert list(after["ssdi_paid"].iloc[:3]) == [850.0] * 3
    assert list(after["ssdi_paid"].iloc[3:10]) == [0.0] * 7
    assert (after["ssdi_status"].iloc[3:10] == "suspended").all()
    assert list(after["ssdi_paid"].iloc[10:]) == [850.0] * 4
    assert (after["ssdi_status"].iloc[10:] == "epe").all()
    assert "restarts" in after["why"].iloc[3]


def test_w5a_consecutive_months_end_the_twp():
    """W5(a): Hire Abilities Hawaii, "Dana" (third-party): TWP months Feb–Oct 2013 → the 9th
    month, October 2013, ends the TWP."""
    earnings = [0] + [900] * 9 + [900, 900]
    table = simulate(ssdi_plan("2013-01", earnings))
    assert months_where(table, "twp_month")[-1] == "2013-10"
    assert table.loc["2013-10", "twp_months_used"] == 9
    assert table.loc["2013-11", "ssdi_status"] == "epe"
    assert not table.loc["2013-11", "twp_month"]


def test_w5b_rolling_window_from_the_bpqy():
    """W5(b): "Phil": Feb–Jun 2012 (5 months, here listed by the BPQY) + Jul–Oct 2013 (4)
    → the TWP ends October 2013 (9 months inside 60 consecutive months)."""
    used = [f"2012-{m:02d}" for m in range(2, 7)]
    earnings = [0] * 6 + [900] * 6  # Jan–Jun 2013 nothing, Jul–Dec 2013 above the $750 TWL
    table = simulate(ssdi_plan("2013-01", earnings, twp_months_used=used))
    assert months_where(table, "twp_month") == ["2013-07", "2013-08", "2013-09", "2013-10"]
    assert table.loc["2013-07", "twp_months_used"] == 6
    assert table.loc["2013-10", "twp_months_used"] == 9
    assert table.loc["2013-11", "ssdi_status"] == "epe"


def test_w5b_same_path_projected_month_by_month():
    """W5(b) again with all months projected from January 2012 (same answer)."""
    earnings = [0] + [800] * 5 + [0] * 12 + [900] * 4 + [900, 900]
    table = simulate(ssdi_plan("2012-01", earnings))
    assert months_where(table, "twp_month")[-1] == "2013-10"
    assert table.loc["2013-11", "ssdi_status"] == "epe"


def test_old_twp_months_leave_the_60_month_window():
    """DERIVED from 20 CFR 404.1592(e)(2): 5 months in Feb–Jun 2012 and 4 months in Mar–Jun
    2017 are not 9 months within 60 consecutive months (the window of January 2017 is
    Feb 2012–Jan 2017), so the TWP continues; the count falls as old months leave the window."""
    used = [f"2012-{m:02d}" for m in range(2, 7)]
    table = simulate(ssdi_plan("2017-01", [0, 0] + [900] * 4, twp_months_used=used))
    assert table.loc["2017-01", "twp_months_used"] == 5  # Feb 2012 is the window's first month
    assert table.loc["2017-02", "twp_months_used"] == 4  # Feb 2012 left the window
    assert table.loc["2017-06", "twp_months_used"] == 4  # all 2012 months gone, 4 new ones
    assert (table["ssdi_status"] == "twp").all()


def test_one_nine_in_sixty_count_for_plans_caseloads_and_the_engine():
    """W5(b) months (Feb–Jun 2012, Jul–Oct 2013) and the months of the window test above, counted by
    rules.twp_months_in_window, the one 9-in-60 count (20 CFR 404.1592(e)): October 2013 is the 9th
    month inside 60 consecutive months; in 2017 the early 2012 months leave the window."""
    from iwp_widgets.rules import twp_months_in_window

    phil = [pd.Period(m, "M").ordinal for m in
            [f"2012-{m:02d}" for m in range(2, 7)] + [f"2013-{m:02d}" for m in range(7, 11)]]
    assert twp_months_in_window(np.zeros(9), phil, 60).tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    late = phil[:5] + [pd.Period(m, "M").ordinal for m in ("2017-02", "2017-03")]
    # Feb 2012 is outside the window ending March 2017 (Apr 2012–Mar 2017), Mar 2012 too.
    assert twp_months_in_window(np.zeros(7), late, 60).tolist() == [1, 2, 3, 4, 5, 5, 5]
    # Two beneficiaries' months side by side never count each other's.
    rows = np.array([0] * 9 + [1] * 2)
    assert twp_months_in_window(rows, phil + phil[-2:], 60).tolist()[-2:] == [1, 2]


def test_a_month_after_the_ninth_is_refused_where_it_was_a_simulate_error():
    """Nine listed months in 60 end the TWP (20 CFR 404.1592(e)), so a later listed month cannot be a
    TWP month: the plan refuses it when built (before issue 16 it loaded and simulate failed)."""
    used = [f"2019-{m:02d}" for m in range(1, 10)] + ["2025-03"]
    with pytest.raises(PlanError, match=r"^profile.twp_months_used: lists March 2025, after September 2019, the 9th"):
        ssdi_plan("2026-01", [0] * 3, twp_months_used=used)
    assert ssdi_plan("2026-01", [0] * 3, twp_months_used=used[:9]).twp_history()[0] == "2019-09"


def test_twp_counts_gross_earnings_but_sga_counts_irwe_and_subsidy():
    """20 CFR 404.1576(f)(2) and POMS DI 10520.015: IRWE is not deducted for TWP months;
    20 CFR 404.1574(a)(2) and 404.1576: subsidy and IRWE are deducted for SGA. DERIVED: 2026
    TWL $1,210, SGA $1,690; $1,300 with $200 IRWE is a TWP month; $1,800 with $100 IRWE and
    $50 subsidy is $1,650 countable, not SGA."""
    earnings = [1300] * 9 + [1800, 1800]
    table = simulate(ssdi_plan("2026-01", earnings,
                               work_expenses={"irwe": [200] * 9 + [100, 100], "subsidy": 50}))
    assert table["twp_month"].iloc[:9].all()
    assert table.loc["2026-10", "countable_earnings"] == 1650
    assert table.loc["2026-10", "ssdi_status"] == "epe"


def test_blind_people_use_the_blind_sga():
    """20 CFR 404.1584(d): blind SGA ($2,830 in 2026, thresholds/sga_blind.csv)."""
    earnings = [1300] * 9 + [2500, 2900]
    table = simulate(ssdi_plan("2026-01", earnings, blind=True))
    assert table.loc["2026-10", "sga"] == 2830
    assert list(table["ssdi_status"].iloc[9:]) == ["epe", "cessation"]


def test_self_employed_hours_make_a_twp_month():
    """20 CFR 404.1592(b)(2): self-employed, more than 80 hours in the business (from 2001)
    is a service month even with net earnings under the TWL."""
    table = simulate(ssdi_plan("2026-01", [500, 500, 500], self_employed=True,
                               hours=[80, 81, 10]))
    assert list(table["twp_month"]) == [False, True, False]
    assert "hour" in table["why"].iloc[1]


def test_termination_after_the_reentitlement_period_and_exr_window():
    """DERIVED from 20 CFR 404.1592a(a)(3)(i), 404.1592b–c and the Extended Period of Medicare
    Coverage. TWP Jan–Sep 2026; cessation Jan 2027 inside the 36 months (Oct 2026–Sep 2029);
    grace Feb–Mar 2027; then earnings below SGA until after September 2029; the first SGA month
    after that (Nov 2029) terminates entitlement. EXR can be asked for 60 months from then;
    Medicare runs 93 months after the TWP ended (through June 2034)."""
    earnings = [1300] * 9 + [1000] * 3 + [2000] * 3 + [1000] * 31 + [2500] * 4
    plan = ssdi_plan("2026-01", earnings)
    table = simulate(plan)
    status = by_month(table, "ssdi_status")
    assert status["2027-01"] == "cessation"
    assert status["2029-09"] == "epe" and table.loc["2029-09", "epe_month"]
    assert not table.loc["2029-10", "epe_month"]
    assert status["2029-11"] == "terminated" and table.loc["2029-11", "ssdi_paid"] == 0
    assert status["2030-02"] == "terminated"
    assert table.loc["2029-11", "exr_window"] and not table.loc["2029-10", "exr_window"]
    assert table.loc["2029-11", "medicare"]
    assert "Expedited Reinstatement" in table.loc["2029-11", "why"]
    assert "June 2034" in table.loc["2029-11", "why"]
    # A longer plan shows the EXR window and Medicare ending.
    long = simulate(plan.with_earnings(earnings + [2500] * 60))
    assert long.loc["2034-06", "medicare"] and not long.loc["2034-07", "medicare"]
    assert long.loc["2034-10", "exr_window"] and not long.loc["2034-11", "exr_window"]


def test_first_sga_after_the_reentitlement_period_is_cessation_then_termination():
    """DERIVED from 20 CFR 404.1592a(a)(3)(ii): no SGA during the 36 months; the first SGA
    month after them is the cessation month, 2 grace months are paid, then entitlement ends
    even if earnings drop."""
    earnings = [1300] * 9 + [1000] * 36 + [2000, 2000, 2000, 500, 500]
    table = simulate(ssdi_plan("2026-01", earnings))
    tail = table.iloc[45:]
    assert list(tail["ssdi_status"]) == ["cessation", "grace", "grace", "terminated",
                                         "terminated"]
    assert list(tail["ssdi_paid"]) == [1000.0, 1000.0, 1000.0, 0.0, 0.0]


def test_history_from_the_bpqy_twp_completed_and_cessation():
    """DERIVED: the BPQY says the TWP ended June 2025 and SSA found cessation in December
    2025: the grace months (January, February 2026) are paid, then SGA months are not."""
    table = simulate(ssdi_plan("2026-01", [2000] * 4, twp_completed="2025-06",
                               ssdi_cessation_month="2025-12"))
    assert list(table["ssdi_status"]) == ["grace", "grace", "suspended", "suspended"]
    assert list(table["ssdi_paid"]) == [1000.0, 1000.0, 0.0, 0.0]
    assert table["epe_month"].all()
    # July 2025 was EPE month 1, so January 2026 is month 7 (20 CFR 404.1592a(b)(2)).
    assert table["epe_month_number"].tolist() == [7, 8, 9, 10]


def test_epe_months_are_counted_from_the_month_after_the_twp():
    """20 CFR 404.1592a(b)(2): the reentitlement period is the 36 months after the TWP's 9th
    month. TWP January–September 2026 (DERIVED, as in the termination test above): October 2026
    is month 1, September 2029 month 36, October 2029 outside it."""
    earnings = [1300] * 9 + [1000] * 45
    table = simulate(ssdi_plan("2026-01", earnings))
    number = by_month(table, "epe_month_number")
    assert [number[m] for m in ("2026-09", "2026-10", "2027-09", "2029-09", "2029-10")] == [0, 1, 12, 36, 0]
    assert ((table["epe_month_number"] > 0) == table["epe_month"]).all()


def test_nine_bpqy_months_end_the_twp_before_start():
    """20 CFR 404.1592(e): 9 listed months inside 60 end the TWP with the 9th."""
    used = [f"2025-{m:02d}" for m in range(1, 10)]
    table = simulate(ssdi_plan("2026-01", [2000, 2000], twp_months_used=used))
    assert list(table["ssdi_status"]) == ["cessation", "grace"]
    assert table["twp_months_used"].tolist() == [9, 9]


def test_benefit_offset_reform():
    """BOND-style reform (POMS DI 60099.040): with an ``ssdi_offset_threshold`` figure, after
    the cessation month and grace period SSDI is cut $1 for every $2 above the threshold
    instead of stopping. DERIVED: threshold $1,690; $2,090 countable → $1,000 − $200 = $800."""
    reform = Thresholds.default().with_overrides({"ssdi_offset_threshold": {"2026-01": 1690}})
    earnings = [1300] * 9 + [2090] * 5
    table = simulate(ssdi_plan("2026-01", earnings), thresholds=reform)
    assert list(table["ssdi_status"].iloc[9:]) == ["cessation", "grace", "grace", "offset",
                                                   "offset"]
    assert list(table["ssdi_paid"].iloc[9:]) == [1000.0, 1000.0, 1000.0, 800.0, 800.0]
    assert "not current law" in table["why"].iloc[12]
    current_law = simulate(ssdi_plan("2026-01", earnings))
    assert list(current_law["ssdi_paid"].iloc[12:]) == [0.0, 0.0]


def test_projected_months_are_flagged():
    """Figures after the last published year (2026) are carried forward and flagged."""
    table = simulate(ssdi_plan("2026-11", [0] * 4))
    assert list(table["projected"]) == [False, False, True, True]
    assert "estimate" in table["why"].iloc[2]


def test_why_names_the_twp_month_and_rule():
    table = simulate(ssdi_plan("2026-01", [1300, 0]))
    assert table["why"].iloc[0].startswith(
        "You earned $1,300.00, more than the $1,210.00 Trial Work Level, so this is Trial Work Period "
        "month 1 of 9 (20 CFR 404.1592).")


def test_thresholds_without_a_month_name_start():
    """A thresholds set whose figures begin after the plan's start: PlanError naming start."""
    late = Thresholds.default().with_overrides({"twl": {"2030-01": 2000}}, source="test")
    only_late = late.table("twl")
    assert not only_late.empty
    plan = ssdi_plan("2026-01", [0])
    bad = Thresholds({name: late.table(name) if name != "twl"
                      else only_late[only_late["effective"] >= pd.Period("2030-01", "M")]
                      for name in late.names()})
    with pytest.raises(PlanError) as caught:
        simulate(plan, thresholds=bad)
    assert caught.value.field == "start"
    assert np.isfinite(simulate(plan)["twl"].iloc[0])


def test_exr_window_only_from_2001():
    """DERIVED from 20 CFR 404.1592d(b): Expedited Reinstatement requests exist from January
    2001 (thresholds/exr_request_allowed.csv). TWP Jan–Sep 1995, cessation March 1997, first SGA
    month after the reentitlement period (Oct 1995–Sep 1998) is January 1999: terminated, but
    the EXR window is shown only from January 2001 (until December 2003, 60 months)."""
    earnings = ([225] * 9 + [0] * 17 + [525] * 3 + [0] * 19 + [600] * 30)
    table = simulate(ssdi_plan("1995-01", earnings))
    assert table.loc["1997-03", "ssdi_status"] == "cessation"
    assert table.loc["1999-01", "ssdi_status"] == "terminated"
    assert not table.loc["1999-01":"2000-12", "exr_window"].any()
    assert table.loc["2001-01":"2001-06", "exr_window"].all()
    assert "Expedited Reinstatement" not in table.loc["1999-01", "why"]


def test_bpqy_cessation_after_the_reentitlement_period_ends_entitlement_after_grace():
    """DERIVED from 20 CFR 404.1592a(a)(3)(ii): the TWP ended June 2020, so the 36 months ran
    to June 2023; SSA found cessation in December 2025 (after them): the grace months January
    and February 2026 are paid and entitlement then ends, whatever the earnings."""
    table = simulate(ssdi_plan("2026-01", [2000, 2000, 500, 500], twp_completed="2020-06",
                               ssdi_cessation_month="2025-12"))
    assert list(table["ssdi_status"]) == ["grace", "grace", "terminated", "terminated"]
    assert list(table["ssdi_paid"]) == [1000.0, 1000.0, 0.0, 0.0]


def test_w18_expedited_reinstatement_window_after_termination():
    """W18 (20 CFR 404.1592e(b)(4), "Mr. K", rules.md §7): terminated January 2012 for work over
    SGA; a request in January 2015 is within the 60 months (§404.1592c(a)(4)), and the window ends
    after December 2016. The provisional benefits W18 describes are not simulated (docs/engine.md).
    DERIVED set-up: TWP ended September 2008, cessation January 2009, so the 36-month re-entitlement
    period ends September 2011; no work until January 2012's $1,500 (over the $1,010 SGA)."""
    plan = Plan.from_dict({
        "schema_version": 4, "start": "2011-10", "earnings": [0, 0, 0] + [1500] * 70,
        "profile": {"benefits": "ssdi", "ssdi_monthly": 900.0, "twp_completed": "2008-09",
                    "ssdi_cessation_month": "2009-01"}})
    table = simulate(plan)
    assert table.loc["2011-12", "ssdi_paid"] == 900 and table.loc["2012-01", "ssdi_paid"] == 0
    assert table.loc["2012-01", "ssdi_status"] == "terminated"
    assert table.loc["2015-01", "exr_window"]
    assert table.loc["2016-12", "exr_window"] and not table.loc["2017-01", "exr_window"]


def test_w13a_irwe_is_deducted_from_earnings_for_sga():
    """W13(a) (20 CFR 404.1576(e), rules.md §7): a device paid $115 a month is deducted in each
    working month: earnings $400 count as $285. (The engine takes IRWE as the monthly amount the
    counselor allocated; the allocation rules of W13(b)-(e) are the counselor's.)"""
    plan = Plan.from_dict({
        "schema_version": 4, "start": "2026-01", "earnings": [400.0, 400.0],
        "work_expenses": {"irwe": 115.0},
        "profile": {"benefits": "ssdi", "ssdi_monthly": 900.0}})
    assert list(simulate(plan)["countable_earnings"]) == [285.0, 285.0]
