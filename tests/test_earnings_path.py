"""Earnings paths: pure hours × wage arithmetic (no program rules)."""

import calendar
import json

import pytest

from iwp_widgets import PlanError
from iwp_widgets import earnings_path as ep
from iwp_widgets.earnings_path import (WEEKS_PER_MONTH, Break, EarningsPath, PRESETS, StepUp, fit, preset)


def test_flat_path_is_weekly_hours_times_wage_times_weeks_per_month():
    path = EarningsPath(months=3, start_hours=20, start_wage=15)
    assert path.earnings() == [1300.0, 1300.0, 1300.0]  # 20 × 15 × 52/12
    assert path.hours() == [round(20 * WEEKS_PER_MONTH, 2)] * 3


def test_months_before_start_earn_nothing():
    path = EarningsPath(months=4, start_month=2, start_hours=10, start_wage=12)
    assert path.earnings() == [0.0, 0.0, 520.0, 520.0]
    assert path.hours()[:2] == [0.0, 0.0]


def test_step_ramp_jumps_at_step_ups_and_target():
    path = EarningsPath(months=8, start_hours=10, start_wage=12,
                        step_ups=(StepUp(2, 20, 12),), target_month=5, target_hours=40, target_wage=15)
    assert path.earnings() == [520.0, 520.0, 1040.0, 1040.0, 1040.0, 2600.0, 2600.0, 2600.0]


def test_linear_ramp_climbs_evenly_and_reaches_target_in_target_month():
    path = EarningsPath(months=6, start_hours=10, start_wage=12, target_month=4, target_hours=30,
                        target_wage=12, ramp="linear")
    hours_a_week = [e / 12 / WEEKS_PER_MONTH for e in path.earnings()]
    assert hours_a_week == pytest.approx([10, 15, 20, 25, 30, 30])


def test_target_without_new_wage_keeps_the_start_wage():
    path = EarningsPath(months=3, start_hours=10, start_wage=12, target_month=1, target_hours=20)
    assert path.earnings() == [520.0, 1040.0, 1040.0]


def test_breaks_are_zero_and_work_resumes_after():
    path = EarningsPath(months=6, start_hours=20, start_wage=15, breaks=(Break(1, 2), Break(4, 4)))
    assert path.earnings() == [1300.0, 0.0, 0.0, 1300.0, 0.0, 1300.0]
    assert path.hours()[1] == 0.0


def test_hand_edits_win_over_the_schedule_and_can_be_cleared():
    path = EarningsPath(months=3, start_hours=20, start_wage=15).with_edit(1, 987.65)
    assert path.earnings() == [1300.0, 987.65, 1300.0]
    assert path.with_edit(1, None).earnings() == [1300.0, 1300.0, 1300.0]
    assert path.with_edit(2, 0).hours()[2] == 0.0


def test_preset_part_time_six_months_then_full_time():
    path = preset("Part-time 6 months, then full-time", months=12, wage=15)
    earnings = path.earnings()
    assert earnings[:6] == [1300.0] * 6
    assert earnings[6:] == [2600.0] * 6


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_builds_for_short_and_long_plans(name):
    for months in (1, 12, 60):
        earnings = preset(name, months=months, wage=12.5).earnings()
        assert len(earnings) == months
        assert all(e >= 0 for e in earnings)


def test_round_trip_through_dict():
    path = EarningsPath(months=10, start_hours=10, start_wage=12, step_ups=(StepUp(2, 20, 13),),
                        target_month=6, target_hours=35, target_wage=14, ramp="linear",
                        breaks=(Break(8, 8),), edits={9: 100.0})
    assert EarningsPath.from_dict(path.to_dict()) == path
    assert EarningsPath.from_dict(json.loads(json.dumps(path.to_dict()))) == path  # as a plan file keeps it


@pytest.mark.parametrize("data, field", [
    ({}, "months"),
    ({"months": 10, "step_ups": [[2, 20]]}, "step_ups[0]"),
    ({"months": 10, "step_ups": {"2": 20}}, "step_ups"),
    ({"months": 10, "breaks": [[1, 2, 3]]}, "breaks[0]"),
    ({"months": 10, "edits": {"02": 5.0}}, "edits"),
    ({"months": 10, "edits": {"-1": 5.0}}, "edits"),
    ({"months": 10, "start_wage": 10**400}, "start_wage"),
    ({"months": 10, "hours": 5}, "hours"),
])
def test_from_dict_names_the_bad_field(data, field):
    with pytest.raises(PlanError) as info:
        EarningsPath.from_dict(data)
    assert info.value.field == field and str(info.value).startswith(field + ": ")


@pytest.mark.parametrize("changes, field", [
    ({"start_hours": -5}, "start_hours"),
    ({"start_wage": float("nan")}, "start_wage"),
    ({"start_hours": 200}, "start_hours"),
    ({"months": 0}, "months"),
    ({"months": 241}, "months"),
    ({"start_month": 24}, "start_month"),
    ({"target_month": 0}, "target_month"),
    ({"ramp": "curvy"}, "ramp"),
    ({"step_ups": (StepUp(0, 10, 10),)}, "step_ups[0].month"),
    ({"target_month": 5, "step_ups": (StepUp(6, 10, 10),)}, "step_ups[0].month"),
    ({"breaks": (Break(4, 2),)}, "breaks[0].last"),
    ({"edits": {3: -1}}, "edits[3]"),
    ({"edits": {99: 10}}, "edits"),
])
def test_bad_input_raises_plan_error_naming_the_field(changes, field):
    with pytest.raises(PlanError) as info:
        EarningsPath(months=24).with_changes(**changes)
    assert str(info.value).startswith(field + ":")
    assert info.value.field == field


def test_unknown_preset_is_an_error():
    with pytest.raises(PlanError, match="^preset:"):
        preset("Night shift forever")


@pytest.mark.parametrize("earnings", [
    [0, 0, 600, 650, 700, 900, 1250, 1250, 1300],
    [500.0, 0, 0, 500.0, 1000.0],
    [0.0, 0.0],
    [123.45, 99999.0],  # more than 168 hours a week at $15: kept by a hand edit
])
def test_fit_reproduces_the_plan_earnings(earnings):
    path = fit(earnings, wage=15)
    assert path.earnings() == [float(e) for e in earnings]
    assert path.months == len(earnings)


def test_fit_uses_whole_hours_so_a_one_hour_slider_does_not_move_them():
    path = fit([0, 0, 600, 650, 700, 900, 1250, 1250, 1300], wage=15)
    assert path.start_hours == round(path.start_hours)
    assert all(s.hours_per_week == round(s.hours_per_week) for s in path.step_ups)
    assert len(path.edits) <= 2


def test_summary_lines_say_each_change_in_words():
    path = ep.EarningsPath(months=36, start_month=2, start_hours=20, start_wage=16,
                           target_month=12, target_hours=35, target_wage=18)
    assert ep.summary_lines(path, "2026-01") == [
        "From January 2026: no work yet",
        "From March 2026: 20 hours a week at $16.00 = $1,386.67 a month",
        "From January 2027: 35 hours a week at $18.00 = $2,730.00 a month",
    ]


def test_summary_lines_cover_breaks_edits_quarter_hours_and_a_climb():
    path = ep.EarningsPath(months=12, start_hours=21.3, start_wage=15.004,
                           breaks=(ep.Break(3, 4),), edits={8: 500.0})
    assert ep.summary_lines(path, "2025-11") == [
        "From November 2025: 21.25 hours a week at $15.00 = $1,384.87 a month",  # 21.3 h, paid as worked
        "From February 2026: off work, $0.00 a month",
        "From April 2026: 21.25 hours a week at $15.00 = $1,384.87 a month",
        "From July 2026: $500.00 a month, typed by hand",
        "From August 2026: 21.25 hours a week at $15.00 = $1,384.87 a month",
    ]
    climb = ep.EarningsPath(months=6, start_hours=10, start_wage=15, target_month=4, target_hours=30,
                            target_wage=15, ramp="linear")
    assert ep.summary_lines(climb, "2026-01") == [
        "From January 2026: a little more each month until May 2026, starting at 10 hours a week "
        "at $15.00 = $650.00 a month",
        "From May 2026: 30 hours a week at $15.00 = $1,950.00 a month",
    ]


def test_summary_lines_follow_the_earnings_the_path_gives():
    """Each line's pay is the simulated month's: the lines can't say one thing and draw another."""
    path = ep.gradual_ramp(months=24, wage=16.5).with_edit(20, 0.0)
    earnings = path.earnings()
    for line in ep.summary_lines(path, "2026-01"):
        month_text, _, rest = line.removeprefix("From ").partition(": ")
        name, year = month_text.split()
        month = (int(year) - 2026) * 12 + list(calendar.month_name).index(name) - 1
        pay = rest.split("$")[-1].split(" ")[0].replace(",", "")
        assert float(pay) == earnings[month], line
