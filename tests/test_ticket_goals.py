"""IWP goal checks (Your Ticket to Work, "Individual Work Plan" — rules.md §5.2, source YTTW-IWP):
TWL by the tenth month after signing; SGA a month after the first year of work; three months of work
as the first success; a plan that never reaches SGA is not one an EN will take on.
"""

import numpy as np
import pandas as pd

from iwp_widgets.ticket import IWP, check_goals, goals_frame

TWL, SGA = 1210.0, 1690.0


def path(gross, start="2026-01"):
    months = pd.period_range(start, periods=len(gross), freq="M", name="month")
    return pd.DataFrame({"gross_earnings": np.asarray(gross, dtype=float), "twl": TWL, "sga": SGA},
                        index=months)


SIGNED = IWP.from_dict({"version": 2, "signatures": {
    "beneficiary": {"name": "Ana", "date": "2026-01-10"},
    "en_representative": {"name": "Lee", "date": "2026-01-15"}}})


def goals(gross, iwp=SIGNED):
    return {c.name: c for c in check_goals(path(gross), iwp)}


def test_twl_by_the_tenth_month_after_signing():
    """Signed January 2026 → TWL (≥ $1,210) by November 2026 passes; December 2026 is too late."""
    on_time = goals([0.0] * 10 + [TWL] + [0.0] * 13)["twl_by_month_10"]
    assert on_time.passed is True and str(on_time.month_first_met) == "2026-11"
    assert str(on_time.deadline) == "2026-11"
    late = goals([0.0] * 11 + [TWL] + [0.0] * 12)["twl_by_month_10"]
    assert late.passed is False and "only in December 2026" in late.sentence
    assert "individual-work-plan" in late.citation


def test_twl_goal_not_known_when_the_path_ends_first():
    """A six-month path that has not reached the TWL cannot show whether month 10 is met."""
    check = goals([0.0] * 6)["twl_by_month_10"]
    assert check.passed is None and check.month_first_met is None


def test_sga_a_month_after_the_first_year_of_work():
    """Work starts March 2026 → SGA (≥ $1,690) is due by March 2027."""
    gross = [0.0, 0.0] + [TWL] * 12 + [SGA] * 4
    check = goals(gross)["sga_after_first_year"]
    assert check.passed is True and str(check.month_first_met) == "2027-03"
    late = goals([0.0, 0.0] + [TWL] * 13 + [SGA] * 4)["sga_after_first_year"]
    assert late.passed is False


def test_three_months_of_work_is_the_first_success():
    check = goals([0.0, 300.0, 0.0, 300.0, 300.0, 0.0])["three_months_of_work"]
    assert check.passed is True and str(check.month_first_met) == "2026-05"
    assert goals([300.0, 300.0, 0.0, 0.0])["three_months_of_work"].passed is False


def test_part_time_only_plan_is_flagged():
    """Never at SGA (part-time only) → flagged as not acceptable for an EN."""
    check = goals([900.0] * 36)["reaches_sga"]
    assert check.passed is False and "never reaches the SGA amount" in check.sentence
    assert goals([900.0] * 12 + [SGA] * 2)["reaches_sga"].passed is True


def test_unsigned_iwp_counts_from_the_first_month_shown():
    check = {c.name: c for c in check_goals(path([0.0] * 10 + [TWL]), IWP())}["twl_by_month_10"]
    assert check.passed is True and "not signed yet" in check.sentence


def test_months_before_signing_do_not_count():
    signed_later = IWP.from_dict({"version": 2, "signatures": {
        "beneficiary": {"name": "Ana", "date": "2026-03-02"},
        "en_representative": {"name": "Lee", "date": "2026-03-02"}}})
    check = goals([TWL, 0.0, 0.0, 0.0, TWL] + [0.0] * 12, signed_later)["twl_by_month_10"]
    assert str(check.month_first_met) == "2026-05"


def test_goals_frame_has_one_row_per_check():
    frame = goals_frame(check_goals(path([SGA] * 14), SIGNED))
    assert list(frame.index) == ["twl_by_month_10", "sga_after_first_year", "three_months_of_work",
                                 "reaches_sga"]
    assert frame["passed"].tolist() == [True, True, True, True]


def test_goals_work_for_plans_before_2008():
    """SSA's IWP guidance is undated; its month counts apply to older worked examples too."""
    checks = {c.name: c for c in check_goals(path([TWL] * 12, start="1997-01"), IWP())}
    assert checks["twl_by_month_10"].passed is True
