"""Trainer lessons: widget trees build without a kernel, and the exercises are graded by the engine.

Right answers are the engine's (``simulate`` / Ticket layer / thresholds) results for worked examples
from shared/rules.md §7 where one applies; wrong answers must be marked wrong.
"""

from __future__ import annotations

import pytest

from iwp_widgets.lessons import common, epe, exercise, ssi_1619, ssi_earned, ticket_rules, twl_sga, twp
from iwp_widgets.lessons import engine as lessons_engine
from iwp_widgets.lessons.engine import SsiCase
from iwp_widgets.lessons.exercise import Grade
from iwp_widgets.lessons.ticket_rules import Work
from iwp_widgets.thresholds import Thresholds


def all_classes(widget) -> set[str]:
    """CSS classes of a widget and everything under it."""
    found = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        found |= all_classes(child)
    return found


# --- shared pieces -------------------------------------------------------------------------
@pytest.mark.parametrize("typed, expected", [
    ("391.50", 391.5), ("$1,210", 1210.0), (" 20 ", 20.0), (391.5, 391.5), ("abc", None), ("", None),
    ("1.2.3", None), (True, None)])
def test_parse_money(typed, expected):
    assert exercise.parse_money(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("2013-10", "2013-10"), ("Oct 2013", "2013-10"), ("October 2013", "2013-10"), ("soon", None), ("", None)])
def test_parse_month(typed, expected):
    got = exercise.parse_month(typed)
    assert (str(got) if got is not None else None) == expected


def test_exercise_widget_shows_the_grade_and_survives_bad_input():
    from ipywidgets import Text

    from iwp_widgets import PlanError

    def grade(answer):
        if answer == "boom":
            raise PlanError("answer: not understood")
        return Grade(answer == "42", "Because the engine says 42.")

    question = exercise.Exercise("demo", "What is it?", Text(description="Answer"), grade)
    question.answer.value = "42"
    assert question.check() == Grade(True, "Because the engine says 42.")
    assert "Right" in question.feedback.value and "engine says 42" in question.feedback.value
    question.answer.value = "41"
    question.check_button.click()
    assert question.last_grade.correct is False and "Not quite" in question.feedback.value
    question.answer.value = "boom"
    assert question.check() == Grade(False, "answer: not understood")
    question.clear()
    assert question.feedback.value == "" and question.last_grade is None


def test_check_year_before_first_row_projected_and_known():
    labels = {"twl": "the Trial Work Level"}
    early = common.check_year(1989, labels)
    assert not early.usable and "before 1990" in early.message
    first = common.check_year(1990, labels)
    assert first.usable and not first.projected and first.figures == {"twl": 200.0}
    last = common.last_year("twl", Thresholds.default())
    latest = common.check_year(last, labels)
    assert latest.usable and not latest.projected
    future = common.check_year(last + 3, labels)
    assert future.usable and future.projected and "estimate" in future.message
    assert not common.check_year("next year", labels).usable


# --- Lesson 1: TWL and SGA ----------------------------------------------------------------
def test_twl_sga_lesson_builds_with_classes_and_labels():
    lesson = twl_sga.build()
    classes = all_classes(lesson.widget)
    assert {"iwp-lesson-twl-sga", "iwp-app-ready"} <= set(lesson.widget._dom_classes)
    assert "iwp-lesson-twl-sga-year" in classes and "iwp-exercise-twl-amount-check" in classes
    # Every control has a label a screen reader can read.
    for control in (lesson.year_picker.box, lesson.twl_exercise.answer, lesson.twp_earnings,
                    lesson.twp_exercise.answer, lesson.sga_earnings, lesson.sga_exercise.answer):
        assert control.description


def test_twl_sga_history_covers_1990_to_latest_and_marks_july_1999():
    """Non-blind SGA was $500 through June 1999 and $700 from July 1999 (20 CFR §404.1574 Table 1)."""
    frame = twl_sga.history()
    assert str(frame.index[0]) == "1990-01"
    assert frame.loc["1999-06", "sga_non_blind"] == 500 and frame.loc["1999-07", "sga_non_blind"] == 700
    assert frame.loc["1990-01", "twl"] == 200 and frame.loc["1990-01", "sga_blind"] == 780
    lesson = twl_sga.build(1999)
    rows = [r for r in twl_sga.figure_rows(1999) if r["figure"] == "sga_non_blind"]
    assert [(str(r["from"]), r["value"]) for r in rows] == [("1999-01", 500.0), ("1999-07", 700.0)]
    assert "from July" in lesson.figures_table.value
    assert any("July 1999" in a.text for a in lesson.figure.layout.annotations)


def test_twl_sga_year_picker_across_years():
    lesson = twl_sga.build(1990)
    assert "$200" in lesson.figures_table.value and lesson.year_picker.message.value == ""
    lesson.year_picker.box.value = 1989
    assert "before 1990" in lesson.year_picker.message.value
    assert lesson.controls.layout.display == "none" and lesson.figures_table.value == ""
    latest = common.last_year("twl", Thresholds.default())
    lesson.year_picker.box.value = latest
    assert lesson.controls.layout.display is None and lesson.year_picker.message.value == ""
    lesson.year_picker.box.value = latest + 2
    assert "estimate" in lesson.year_picker.message.value and "(estimate)" in lesson.figures_table.value


def test_grade_twl_amount_right_and_wrong():
    """2026 TWL $1,210 (rules.md §1.3; thresholds/twl.csv)."""
    assert twl_sga.grade_twl_amount("$1,210", 2026).correct
    wrong = twl_sga.grade_twl_amount("1160", 2026)
    assert not wrong.correct and "$1,210" in wrong.explanation
    assert not twl_sga.grade_twl_amount("lots", 2026).correct


def test_grade_twp_month_uses_more_than_the_twl():
    """A TWP service month needs gross earnings MORE THAN the TWL (20 CFR §404.1592(b)); 2026 TWL $1,210."""
    assert twl_sga.grade_twp_month("No", 2026, 1210).correct
    assert not twl_sga.grade_twp_month("Yes", 2026, 1210).correct
    assert twl_sga.grade_twp_month("Yes", 2026, 1210.01).correct
    assert not twl_sga.grade_twp_month("maybe", 2026, 1300).correct


def test_grade_sga_month_blind_and_not_blind():
    """2026 SGA: $1,690 non-blind, $2,830 blind (rules.md §2.4); the engine's cessation month decides."""
    assert twl_sga.grade_sga_month("Yes", 2026, 1691).correct
    assert twl_sga.grade_sga_month("No", 2026, 1690).correct
    blind = twl_sga.grade_sga_month("Yes", 2026, 1691, blind=True)
    assert not blind.correct and "$2,830" in blind.explanation


# --- Lesson 2: the Trial Work Period ------------------------------------------------------

DANA = twp.EXAMPLES["Dana (9 months in a row)"][2]
PHIL = twp.EXAMPLES["Phil (months in two years)"][2]


def test_w5_dana_twp_ends_october_2013():
    """W5(a), Hire Abilities Hawaii: TWP months Feb–Oct 2013 → the TWP ends October 2013."""
    assert twp.grade_twp_end("2013-10", 2012, DANA).correct
    assert twp.grade_twp_end("Oct 2013", 2012, DANA).correct
    assert not twp.grade_twp_end("2013-09", 2012, DANA).correct
    assert not twp.grade_twp_end(twp.NOT_ENDED, 2012, DANA).correct


def test_w5_phil_rolling_window_ends_october_2013():
    """W5(b): Feb–Jun 2012 (5) + Jul–Oct 2013 (4) inside 60 months → the TWP ends October 2013."""
    right = twp.grade_twp_end("2013-10", 2012, PHIL)
    assert right.correct and "October 2013" in right.explanation
    assert not twp.grade_twp_end("2013-11", 2012, PHIL).correct
    # One month fewer: only 8 months, the TWP has not ended.
    assert twp.grade_twp_end(twp.NOT_ENDED, 2012, PHIL[:-1]).correct
    assert not twp.grade_twp_end("2013-10", 2012, PHIL[:-1]).correct
    assert not twp.grade_twp_end("whenever", 2012, PHIL).correct


def test_pay_not_over_the_twl_does_not_count():
    """Marked months paid exactly the TWL are not service months: the grid follows the engine."""
    table = twp.simulate_grid("2012-01", DANA, earnings=720)  # 2013 TWL is $750, 2012 $720
    assert not table["twp_month"].any()
    assert twp.grade_twp_end(twp.NOT_ENDED, 2012, DANA, earnings=720).correct


def test_twp_lesson_grid_follows_the_engine():
    lesson = twp.build(2012)
    assert len(lesson.buttons) == 60 and all(b.description for b in lesson.buttons)
    assert "iwp-twp-month-2013-10" in all_classes(lesson.widget)
    lesson.example.value = "Phil (months in two years)"
    assert lesson.marked == {twp.pd.Period(m, "M") for m in PHIL}
    assert "October 2013" in lesson.summary.value
    assert lesson.table.loc["2013-10", "twp_months_used"] == 9
    end_button = next(b for b in lesson.buttons if str(b.month) == "2013-10")
    assert end_button.button_style == ""  # the verdict stays hidden until asked for
    lesson.reveal.button.value = True
    assert end_button.button_style == "danger" and lesson.summary.layout.display is None
    lesson.answer.value = "2013-10"
    assert lesson.end_exercise.check().correct
    # Pressing a month (as Space on a focused button does) updates the engine's table.
    first = next(b for b in lesson.buttons if str(b.month) == "2012-02")
    first.value = False
    assert "2012-02" not in {str(m) for m in lesson.marked}
    assert lesson.table.loc["2013-10", "twp_months_used"] == 8
    assert list(lesson.figure.data[0].y) == list(lesson.table["twp_months_used"])


def test_twp_lesson_year_picker():
    lesson = twp.build(1990)
    assert lesson.controls.layout.display is None and len(lesson.buttons) == 60
    lesson.year_picker.box.value = 1989
    assert lesson.controls.layout.display == "none" and "1990" in lesson.year_picker.message.value
    lesson.year_picker.box.value = 2030
    assert lesson.controls.layout.display is None and "estimate" in lesson.year_picker.message.value


# --- Lesson 3: after the TWP ----------------------------------------------------------------


def test_epe_default_path_shows_every_phase_from_the_engine():
    """Over SGA in year 1, under in year 2, over in years 3–6 (20 CFR §404.1592a): cessation, 2 grace
    months, suspension, restart, suspension, then termination after the 36-month re-entitlement period."""
    lesson = epe.build(2020)
    statuses = [status for _first, _last, status in epe.phases(lesson.table)]
    assert statuses == ["cessation", "grace", "suspended", "epe", "suspended", "terminated"]
    spans = {status: (str(first), str(last)) for first, last, status in epe.phases(lesson.table)}
    assert spans["grace"] == ("2020-02", "2020-03") and spans["terminated"][0] == "2023-01"
    assert "Expedited Reinstatement" in lesson.timeline.value
    assert lesson.timeline.layout.display == "none"  # hidden until the learner asks
    lesson.reveal.button.value = True
    assert lesson.timeline.layout.display is None
    assert lesson.figure.data and {"iwp-lesson-epe", "iwp-app-ready"} <= set(lesson.widget._dom_classes)


def test_epe_grade_cessation_and_grace_paid():
    """Cessation month = first month after the TWP over SGA; it and the next 2 months are paid
    (20 CFR §404.1592a(a)(1)–(2)); the engine's table decides."""
    pay = [1900, 600, 1900, 1900]  # 2020 SGA is $1,260
    assert epe.grade_cessation("2020-01", 2020, pay).correct
    assert not epe.grade_cessation("2020-04", 2020, pay).correct
    assert not epe.grade_cessation(epe.NO_CESSATION, 2020, pay).correct
    assert epe.grade_cessation(epe.NO_CESSATION, 2020, [600, 600, 600, 600]).correct
    assert epe.grade_paid("Yes", 2020, pay, "2020-03").correct          # last grace month
    assert epe.grade_paid("No", 2020, pay, "2020-04").correct           # suspended
    assert epe.grade_paid("Yes", 2020, pay, "2021-06").correct          # restarted, pay under SGA
    wrong = epe.grade_paid("Yes", 2020, pay, "2023-02")                 # terminated
    assert not wrong.correct and "Expedited Reinstatement" in wrong.explanation


def test_epe_lesson_sliders_and_exercise_widgets():
    lesson = epe.build(2024)
    lesson.set_pay([0, 0, 0, 0])
    assert set(lesson.table["ssdi_status"]) == {"epe"}
    lesson.sliders[1].value = 3000
    assert epe.cessation_month(lesson.table) == epe.pd.Period("2025-01", "M")
    lesson.cessation_answer.value = "2025-01"
    assert lesson.cessation_exercise.check().correct
    lesson.paid_month.value = "2025-04"
    lesson.paid_exercise.answer.value = "No"
    assert lesson.paid_exercise.check().correct
    for slider in lesson.sliders:
        assert "pay a month" in slider.description
    lesson.year_picker.box.value = 1989
    assert lesson.controls.layout.display == "none"
    lesson.year_picker.box.value = 1990
    assert lesson.controls.layout.display is None and len(lesson.table) == 72


# --- Lesson 4: SSI earned income ------------------------------------------------------------

W8 = SsiCase(2010, 750.0, irwe=100.0)   # FBR $674 in 2009–2011


def test_w8_ssi_with_irwe_before_halving():
    """W8 (VCU RRTC): $750 − $20 − $65 − $100 IRWE = $565; ÷2 = $282.50 countable; SSI $674 − $282.50 = $391.50."""
    assert ssi_earned.grade_ssi_payment("$391.50", W8).correct
    assert not ssi_earned.grade_ssi_payment("341.50", W8).correct
    assert ssi_earned.grade_countable_earned("282.50", W8).correct
    assert not ssi_earned.grade_countable_earned("332.50", W8).correct  # IRWE after halving: wrong order
    lines = [(line, left) for line, _off, left, _src in ssi_earned.worksheet_rows(W8)]
    assert lines[:6] == [
        ("Gross earned income (pay before taxes)", "$750"),
        ("Unused part of the $20 general income exclusion", "$730"),
        ("$65 earned income exclusion", "$665"),
        ("Impairment-related work expenses (IRWE)", "$565"),
        ("50% of what is left", "$282.50"),
        ("Plan to Achieve Self-Support (PASS)", "$282.50"),
    ]
    assert lines[-1] == ("SSI payment (SSI amount − countable income, not below $0)", "$391.50")


def test_w9b_general_exclusion_used_on_unearned_first():
    """W9(b) (fyitransition "Ed", 2008 FBR $637): wages $361 + unearned $10 → SSI $494."""
    case = SsiCase(2008, 361.0, unearned=10.0)
    assert ssi_earned.grade_ssi_payment("494", case).correct
    sheet = ssi_earned.engine.ssi_worksheet(case)
    assert sheet.earned_after["general"] == 351.0 and sheet.countable_earned == 143.0
    assert sheet.countable_unearned == 0.0


def test_blind_student_worksheet_has_seie_and_bwe_in_order():
    """Legal order (20 CFR §416.1112(c)): SEIE first, BWE after halving, PASS last; no IRWE line if blind."""
    case = SsiCase(2026, 3000.0, unearned=100.0, bwe=200.0, pass_=100.0, blind=True, student=True)
    steps = list(ssi_earned.engine.ssi_worksheet(case).earned_after)
    assert steps == ["seie", "general", "earned", "half", "bwe", "pass"]


def test_ssi_earned_lesson_widgets_and_years():
    lesson = ssi_earned.build(2010)
    lesson.gross.value = 750
    lesson.irwe.value = 100
    lesson.payment_exercise.answer.value = "391.50"
    assert lesson.payment_exercise.check().correct
    assert lesson.worksheet.layout.display == "none"
    lesson.reveal.button.value = True
    assert "$391.50" in lesson.worksheet.value and lesson.worksheet.layout.display is None
    lesson.blind.value = True
    assert lesson.irwe.disabled and not lesson.bwe.disabled
    lesson.year_picker.box.value = 1999
    assert "2000" in lesson.year_picker.message.value and lesson.controls.layout.display == "none"
    lesson.year_picker.box.value = common.last_year("ssi_fbr_individual", Thresholds.default()) + 1
    assert "estimate" in lesson.year_picker.message.value and lesson.controls.layout.display is None


# --- Lesson 5: 1619 and concurrent ----------------------------------------------------------


def test_1619a_above_sga_keeps_ssi_cash():
    """1619(a) (20 CFR §416.261): already on SSI, pay over SGA ($1,690 in 2026) → SSI still paid."""
    assert ssi_1619.grade_1619a("Yes", 2026, 1800).correct
    assert ssi_1619.grade_1619a("No", 2026, 1000).correct     # regular SSI, under SGA
    assert not ssi_1619.grade_1619a("Yes", 2026, 1000).correct
    assert ssi_1619.grade_ssi_payment("136.50", 2026, 1800).correct
    assert not ssi_1619.grade_ssi_payment("0", 2026, 1800).correct


def test_1619b_medicaid_continues_under_the_state_threshold():
    """1619(b) (20 CFR §416.264–269): no SSI cash because of pay, yearly pay under CA's 2026 $66,078."""
    assert ssi_1619.grade_1619b("Yes", 2026, 2500, "CA").correct
    assert ssi_1619.grade_1619b("No", 2026, 6000, "CA").correct   # $72,000 a year: over the threshold
    assert ssi_1619.grade_1619b("No", 2026, 500, "CA").correct    # SSI cash still paid


def test_w9a_concurrent_ssdi_is_unearned_income():
    """W9(a) (fyitransition "Ed", 2008): SSDI $361 + other unearned $10, no wages → SSI $286."""
    assert ssi_1619.grade_ssi_payment("286", 2008, 0, concurrent=True, ssdi_monthly=361,
                                      unearned=10).correct
    assert not ssi_1619.grade_ssi_payment("276", 2008, 0, concurrent=True, ssdi_monthly=361,
                                          unearned=10).correct


def test_ssi_1619_lesson_widgets():
    lesson = ssi_1619.build(2026)
    assert lesson.results.layout.display == "none"
    lesson.pay.value = 1800
    lesson.benefits.value = "concurrent"
    assert lesson.ssdi.layout.display is None and "SSDI check" in lesson.results.value
    lesson.reveal.button.value = True
    assert lesson.results.layout.display is None and lesson.figure.data
    lesson.year_picker.box.value = 1999
    assert lesson.controls.layout.display == "none"
    lesson.year_picker.box.value = 2000
    assert "not in our data for 2000" in lesson.results.value


# --- Lesson 6: IWP, progress reviews, EN payments -----------------------------------------------


def test_w14_combination_of_work_and_school_passes_the_first_review():
    """W14 (20 CFR §411.180(a)): 1 month at the TWL (33.3% of 3) + 40% of a school year (66.7% of 60%)."""
    one_month = Work((1, 0, 0), (1210.0, 0.0, 0.0))   # 2026 TWL $1,210 (≥ TWL counts for periods 1–2)
    right = ticket_rules.grade_first_review("Yes", 2026, one_month, school_percent=40)
    assert right.correct and "§411.180" in right.explanation
    assert not ticket_rules.grade_first_review("No", 2026, one_month, school_percent=40).correct
    assert ticket_rules.grade_first_review("No", 2026, one_month, school_percent=0).correct


def test_w15_first_month_over_sga_pays_phase1_milestone_1():
    """W15 (20 CFR §411.525(a)(2)(iii)): first month of work after assignment above SGA → P1M1, not Phase 2."""
    above = Work((12, 12, 12), (2500.0, 2500.0, 2500.0))
    assert ticket_rules.grade_first_payment("Phase 1 milestone", 2026, above).correct
    assert not ticket_rules.grade_first_payment("Phase 2 milestone", 2026, above).correct
    assert ticket_rules.grade_first_payment("", 2026, above).explanation.startswith("Pick")
    assert ticket_rules.grade_first_payment(ticket_rules.NO_PAYMENT, 2026, Work((0, 0, 0), (0, 0, 0))).correct
    outcome_only = ticket_rules.grade_first_payment("Outcome payment", 2026, above, system="outcome_only")
    assert outcome_only.correct


def test_iwp_twl_goal_by_the_tenth_month():
    """YTTW-IWP: TWL pay by the 10th month after signing (check_goals)."""
    assert ticket_rules.grade_twl_goal("Yes", 2026, Work((6, 12, 12), (1300, 1300, 1800))).correct
    assert ticket_rules.grade_twl_goal("No", 2026, Work((0, 12, 12), (0, 1300, 1800))).correct


def test_ticket_lesson_widgets_and_years():
    lesson = ticket_rules.build(2026)
    assert lesson.work.months_worked == (6, 12, 12)
    assert "Progress period 1" in lesson.results.value and "Phase 1 milestone" in lesson.results.value
    lesson.set_work(Work((1, 0, 0), (1210, 0, 0)))
    lesson.school.value = 40
    lesson.review_exercise.answer.value = "Yes"
    assert lesson.review_exercise.check().correct
    # Timely progress rules start in July 2008 (FR-2008), so the lesson's first January is 2009.
    lesson.year_picker.box.value = 2008
    assert lesson.controls.layout.display == "none"
    assert "before July 2008. Pick 2009" in lesson.year_picker.message.value
    lesson.year_picker.box.value = 2009
    assert lesson.controls.layout.display is None and "Progress period 1" in lesson.results.value


def test_rule_text_follows_the_figures_of_the_year():
    """Self-employment hours test: more than 40 hours 1990–2000, more than 80 from 2001
    (20 CFR §404.1592(b)(2); thresholds/twp_self_employed_hours.csv)."""
    lesson = twp.build(1995)
    assert "more than 40 hours" in lesson.rules.children[0].value
    lesson.year_picker.box.value = 2026
    assert "more than 80 hours" in lesson.rules.children[0].value
    assert "9th" in lesson.rules.children[1].value and "60" in lesson.rules.children[1].value
    assert "$500 to $700 in July 1999" in twl_sga.build(2026).rule_text()
    assert "3 months with pay of at least the TWL, or 60%" in ticket_rules.build(2026).rule_text()


ALL_LESSONS = {  # module: first January every figure the lesson uses has data for
    twl_sga: 1990, twp: 1990, epe: 1990, ssi_earned: 2000, ssi_1619: 2000, ticket_rules: 2009}


@pytest.mark.parametrize("lesson_module, earliest", ALL_LESSONS.items(),
                         ids=[m.NAME for m in ALL_LESSONS])
def test_year_picker_earliest_latest_and_projected(lesson_module, earliest):
    """Every lesson works for any year in thresholds/: the earliest and latest years run without a
    message; the year before the earliest hides the lesson's controls with a clear message; a year
    past the data runs, flagged as an estimate."""
    latest = common.last_year("twl", Thresholds.default())  # the newest yearly figures
    lesson = lesson_module.build(earliest)
    assert lesson.year_picker.message.value == "" and lesson.controls.layout.display is None
    assert {f"iwp-lesson-{lesson_module.NAME}", "iwp-app-ready"} <= set(lesson.widget._dom_classes)
    lesson.year_picker.box.value = earliest - 1
    assert lesson.controls.layout.display == "none"
    assert f"Pick {earliest} or a later year" in lesson.year_picker.message.value
    lesson.year_picker.box.value = latest
    assert lesson.year_picker.message.value == "" and lesson.controls.layout.display is None
    lesson.year_picker.box.value = latest + 2
    assert lesson.controls.layout.display is None
    assert "not published in our data yet" in lesson.year_picker.message.value


def test_epe_expedited_reinstatement_window():
    """EXR may be asked for within 60 months after entitlement ends because of work
    (20 CFR §404.1592c(a)); the engine's exr_window column decides."""
    pay = [1900, 600, 1900, 1900, 0]  # terminated January 2023 (first SGA month after the 36 months)
    assert epe.grade_exr("Yes", 2020, pay, "2025-12").correct
    before = epe.grade_exr("No", 2020, pay, "2022-06")
    assert before.correct and "has not ended yet" in before.explanation
    assert not epe.grade_exr("Yes", 2020, pay, "2022-06").correct
    assert epe.grade_exr("No", 2020, [600, 600, 600, 600, 600], "2025-12").correct
    lesson = epe.build(2020)
    lesson.exr_month.value = "2024-01"
    lesson.exr_exercise.answer.value = "Yes"
    assert lesson.exr_exercise.check().correct


# --- Issue 17 and issue 12 item 4: wrong gradings, as exact cases ---------------------------------


def test_1619b_is_not_graded_where_no_threshold_is_on_file():
    """Issue 17 item 1. No 1619(b) threshold on file (CA 2020; OH 2024): the engine cannot say, so
    neither answer is graded, and the learner is told which years and states have one. The charted
    threshold is at least (2 × FBR + $85) × 12 plus the state's Medicaid amount (rules.md §4.7), so
    "No" was never known to be right."""
    for answer, year, pay, state in (("No", 2020, 1700, "CA"), ("Yes", 2020, 1700, "CA"),
                                     ("Yes", 2024, 2000, "OH"), ("No", 2024, 2000, "OH")):
        grade = ssi_1619.grade_1619b(answer, year, pay, state)
        assert grade.graded is False and grade.correct is False, (answer, year, state)
        assert f"no 1619(b) threshold for {state} in {year}" in grade.explanation
        assert "2026: every state" in grade.explanation and "Pay is above" not in grade.explanation
    # Where a threshold is on file the same questions are graded.
    assert ssi_1619.grade_1619b("Yes", 2024, 2000, "CA").graded


def test_1619b_not_graded_shows_as_cannot_check_in_the_exercise():
    lesson = ssi_1619.build(2020)
    lesson.pay.value = 1700
    lesson.b_exercise.answer.value = "No"
    grade = lesson.b_exercise.check()
    assert not grade.graded
    assert "Can't check this one." in lesson.b_exercise.feedback.value
    assert "Right" not in lesson.b_exercise.feedback.value


def test_exr_before_2001_says_requests_did_not_exist_yet():
    """Issue 17 item 2. A 1990 path ends SSDI in January 1993; in June 1993 (5 months later) "No" is
    right because Expedited Reinstatement requests exist only from January 2001 (rules.md §3.4,
    thresholds/exr_request_allowed.csv), not because 60 months had passed."""
    pay = [1900, 600, 1900, 1900, 0]
    grade = epe.grade_exr("No", 1990, pay, "1993-06")
    assert grade.correct
    assert "January 2001" in grade.explanation and "more than 60" not in grade.explanation
    assert not epe.grade_exr("Yes", 1990, pay, "1993-06").correct
    late = epe.grade_exr("No", 1990, pay, "1995-12")
    assert late.correct and "January 2001" in late.explanation


def test_1619b_reason_when_ssdi_alone_stops_ssi():
    """Issue 17 item 3. SSI is $0 because of a $2,000 SSDI check with no pay: 1619(b) needs SSI cash
    lost because of earnings (rules.md §4.7), so the reason is the SSDI check, not pay."""
    grade = ssi_1619.grade_1619b("No", 2026, 0, "CA", concurrent=True, ssdi_monthly=2000)
    assert grade.correct and grade.graded
    assert "Pay is above" not in grade.explanation
    assert "SSDI check of $2,000" in grade.explanation and "because of earnings" in grade.explanation
    assert not ssi_1619.grade_1619b("Yes", 2026, 0, "CA", concurrent=True, ssdi_monthly=2000).correct


def test_exr_not_while_working_above_sga():
    """Issue 12 item 4. EXR needs the person unable to do SGA in the month of the request
    (20 CFR §404.1592c(a)(3)): in January 2024 the example person earns $1,900, over 2024's SGA of
    $1,550, inside the window after SSDI ended in January 2023: "No"."""
    pay = [1900, 600, 1900, 1900, 1900]
    right = epe.grade_exr("No", 2020, pay, "2024-01")
    assert right.correct and "§404.1592c(a)(3)" in right.explanation and "$1,550" in right.explanation
    assert not epe.grade_exr("Yes", 2020, pay, "2024-01").correct
    # The lesson's example now has months without pay after SSDI ends, where a request is possible.
    lesson = epe.build(2020)
    assert lesson.pay[-1] == 0
    lesson.exr_exercise.answer.value = "Yes"
    assert lesson.exr_exercise.check().correct  # December 2025, no pay, inside the window


# --- Issue 17: misleading words, checked on the rendered rule boxes ---------------------------------


def test_termination_box_and_feedback_name_both_cases():
    """Issue 17 item 4 (rules.md §3.1 step 7, W4): with no cessation inside the 36 months, the first
    month over SGA after them is the cessation month, paid with 2 grace months, then SSDI ends
    (20 CFR §404.1592a(a)(3)(ii)); with one, the first month over SGA ends SSDI ((3)(i))."""
    text = epe.build(2020).rule_text()
    assert "If it has not, the first month with pay over SGA is the cessation month" in text
    assert "(3)(i)–(ii)" in text
    late = [600, 600, 600, 1900, 0]  # TWP ended December 2019; 36 months end December 2022
    table = epe.simulate_path(2020, late)
    assert [s for _f, _l, s in epe.phases(table)][:4] == ["epe", "cessation", "grace", "terminated"]
    assert epe.grade_paid("Yes", 2020, late, "2023-01").correct       # the cessation month is paid
    ended = epe.grade_paid("No", 2020, late, "2023-04")
    assert ended.correct and "(3)(ii)" in ended.explanation and "January 2023" in ended.explanation
    early = epe.grade_paid("No", 2020, [1900, 600, 1900, 1900, 0], "2023-02")
    assert early.correct and "(3)(i)" in early.explanation and "(3)(ii)" not in early.explanation
    lesson = epe.build(2020)
    lesson.reveal.button.value = True
    assert "Cessation month (SSDI still paid)" in lesson.timeline.value
    assert "SSDI stops (cessation)" not in lesson.timeline.value


def test_sga_is_taught_with_averaging_and_countable_earnings():
    """Issue 17 item 5 (rules.md §2.1–2.3): averaging and unsuccessful work attempts at the first SGA
    decision; SGA uses countable earnings; amounts fixed until 2000/2001; 1999's mid-year SGA."""
    for lesson in (twl_sga.build(2026), epe.build(2026)):
        text = lesson.rule_text()
        assert "<b>average</b>" in text and "unsuccessful work attempt" in text
    one = twl_sga.build(1990)
    intro = " ".join(str(getattr(w, "value", "")) for w in one.widget.children)
    assert "<b>countable</b> earnings" in intro and "Both are about" not in intro
    assert "In 1990 the amounts did not follow wages yet" in one.rule_text()
    assert "Each year the amounts follow" not in one.rule_text()
    assert "Since 2001 (SGA) and 2002 (TWL)" in twl_sga.build(2026).rule_text()
    assert "net</b> earnings" in one.rule_text() and "more than 40 hours" in one.rule_text()
    for lesson in (twl_sga.build(1999), epe.build(1999)):
        assert "$500 a month from January to June, then $700 a month from July" in lesson.rule_text()


def test_twp_grid_can_show_a_month_dropping_out():
    """Issue 17 item 6 (20 CFR §404.1592(e)): on a longer grid, 8 months February–September 2012
    and January 2017 end the TWP (February 2012 is 59 months back); with February 2017 instead, the
    month exactly 60 months back has dropped out and the TWP does not end (built from the rule)."""
    eight = [f"2012-{m:02d}" for m in range(2, 10)]
    assert twp.grade_twp_end("2017-01", 2012, eight + ["2017-01"], years=8).correct
    assert twp.grade_twp_end(twp.NOT_ENDED, 2012, eight + ["2017-02"], years=8).correct
    assert not twp.grade_twp_end("2017-02", 2012, eight + ["2017-02"], years=8).correct
    lesson = twp.build(2012)
    lesson.example.value = "Lee (a month drops out of the window)"
    assert len(lesson.buttons) == 96 and "has not ended" in lesson.summary.value
    assert "dropped out of the window" in lesson.summary.value
    boxes = lesson.rule_text()
    assert "a month 60 or more months earlier has dropped out" in boxes
    assert "more than 60 months back" not in boxes
    assert "net</b> earnings" in boxes
    early = twp.build(1990).rule_text()
    assert "Before 1992 there was no window" in early
    assert "no window" not in twp.build(1992).rule_text()


SSI_MONTH_WORDS = ("own countable income", "first month of eligibility", "previous month's income",
                   "two months before from the third month")


def test_ssi_lessons_state_which_months_income_counts():
    """Issue 17 item 7 (rules.md §4.4, 20 CFR §416.420): eligibility on the month's own income; the
    amount from the month's own income in the first month of eligibility, the previous month's in
    the second and two months before from the third."""
    for lesson in (ssi_earned.build(2026), ssi_1619.build(2026)):
        text = lesson.rule_text()
        for words in SSI_MONTH_WORDS:
            assert words in text, words
        assert "normally" not in text


def test_student_exclusion_limits_and_the_yearly_cap_w6():
    """Issue 17 item 7 and W6 (POMS SI 00820.510 "Jim Thayer", 2005: $1,410 a month, $5,670 a year):
    three months at $1,600 leave $52.50 countable each; after $800 more, $640 of the yearly limit is
    left, so a further $800 leaves $37.50."""
    text = ssi_earned.build(2005).rule_text()
    assert "$1,410 a month" in text and "$5,670" in text
    assert ssi_earned.grade_countable_earned("52.50", SsiCase(2005, 1600.0, student=True)).correct
    fifth = SsiCase(2005, 800.0, student=True, earlier=(1600.0, 1600.0, 1600.0, 800.0))
    assert ssi_earned.grade_countable_earned("37.50", fifth).correct
    assert not ssi_earned.grade_countable_earned("0", fifth).correct
    lesson = ssi_earned.build(2005)
    lesson.student.value = True
    lesson.gross.value = 800
    lesson.month.value = 5
    lesson.earlier.value = 1600
    lesson.reveal.button.value = True
    assert "May 2005" in lesson.worksheet.value and lesson.case.month == twp.pd.Period("2005-05", "M")


def test_state_supplement_changes_the_ssi_amount():
    """Issue 17 item 7: a state supplement paid with SSI adds to the SSI amount (rules.md §4.2):
    2026, $1,800 pay → SSI $136.50 federal, $236.50 with a $100 supplement."""
    assert ssi_1619.grade_ssi_payment("236.50", 2026, 1800, supplement=100).correct
    assert not ssi_1619.grade_ssi_payment("136.50", 2026, 1800, supplement=100).correct
    lesson = ssi_1619.build(2026)
    assert "State supplements" in lesson.rule_text()
    lesson.pay.value = 1800
    lesson.supplement.value = 100
    assert "$236.50" in lesson.results.value


def test_ticket_lesson_tolerance_default_example_and_carried_forward_rates():
    """Issue 17 item 8: the 10% variance tolerance (20 CFR §411.166(h)) is in the box and 54% of a
    school year alone passes review 1; the default example passes review 2 in every year named; EN
    rates for 2009–2024 are said to be the 2008 rate carried forward."""
    text = ticket_rules.build(2026).rule_text()
    assert "within 10% of the goal" in text and "54% of a school year" in text
    nothing = Work((0, 0, 0), (0.0, 0.0, 0.0))
    assert ticket_rules.grade_first_review("Yes", 2026, nothing, school_percent=54).correct
    assert ticket_rules.grade_first_review("No", 2026, nothing, school_percent=53).correct
    for year in (2015, 2019, 2022, 2023, 2025):
        reviews = ticket_rules.run(year, ticket_rules.default_work(year)).reviews
        assert bool(reviews.iloc[1]["passed"]), year
    lesson = ticket_rules.build(2015)
    assert "the 2008 rate, carried forward" in lesson.results.value
    assert "not published yet" not in lesson.results.value


# --- Issue 17 item 9: what trainers always teach ----------------------------------------------------


def test_payment_timing_reporting_medicare_and_exr_after_reinstatement():
    """rules.md §3.4 (24-month initial reinstatement period, new TWP), thresholds medicare_extended_months
    (93 months from October 2000), 20 CFR §404.1807/§416.502 (when checks come), §416.714 (reports)."""
    three = epe.build(2026).rule_text()
    assert "paid the <b>next</b> month" in three and "overpayment" in three
    assert "at least 93 months" in three
    assert "24 such months" in three and "new trial work period" in three
    assert "at least 39 months" in epe.build(1999).rule_text()
    assert "did not exist yet" in epe.build(1999).rule_text()
    four = ssi_earned.build(2026).rule_text()
    assert "<b>1st</b> of that month" in four and "first 6 days" in four and "10 days" in four
    assert "overpayment" in four
    six = ticket_rules.build(2026).rule_text()
    assert "does not start a medical review" in six
    assert "milestone 2: 3 months within 6" in six and "milestone 4: 9 months within 18" in six


# --- one base class: year change, rule boxes, answers reset --------------------------------------------


LESSON_ANSWERS = {  # lesson module: (year, another year, {exercise attribute: an answer})
    twl_sga: (2026, 2025, {"twl_exercise": "1210", "twp_exercise": "Yes", "sga_exercise": "No"}),
    twp: (2012, 2013, {"end_exercise": "2013-10"}),
    epe: (2020, 2021, {"cessation_exercise": "2020-01", "paid_exercise": "Yes", "exr_exercise": "No"}),
    ssi_earned: (2026, 2025, {"payment_exercise": "100", "earned_exercise": "100"}),
    ssi_1619: (2026, 2025, {"payment_exercise": "100", "a_exercise": "Yes", "b_exercise": "No"}),
    ticket_rules: (2026, 2025, {"goal_exercise": "Yes", "review_exercise": "No",
                                "payment_exercise": "Phase 1 milestone"}),
}


@pytest.mark.parametrize("module", LESSON_ANSWERS, ids=[m.NAME for m in LESSON_ANSWERS])
def test_every_lesson_shares_the_base_and_resets_answers_on_a_new_year(module):
    year, other, answers = LESSON_ANSWERS[module]
    lesson = module.build(year)
    assert isinstance(lesson, common.Lesson) and lesson.rules.children
    assert len(lesson.exercises) == len(answers)
    for attribute, answer in answers.items():
        exercise = getattr(lesson, attribute)
        exercise.answer.value = answer
        exercise.check()
        assert exercise.feedback.value
    boxes = lesson.rule_text()
    lesson.year_picker.box.value = other
    for attribute in answers:
        exercise = getattr(lesson, attribute)
        assert exercise.answer.value in ("", None), attribute
        assert exercise.feedback.value == "" and exercise.last_grade is None
    assert lesson.rule_text() != boxes or module is ticket_rules  # rewritten for the new year


def test_figure_labels_come_from_thresholds():
    """Labels are read from thresholds/figures.csv, not retyped in the lessons."""
    import csv

    from iwp_widgets.thresholds import ABOUT_FILE, DATA_DIR

    with open(DATA_DIR / ABOUT_FILE, newline="", encoding="utf-8") as handle:
        labels = {row["figure"]: row["label"] for row in csv.DictReader(handle)}
    for name in ("twl", "sga_non_blind", "sga_blind", "ssi_fbr_individual"):
        assert common.figure_label(name) == labels[name]
    lesson = twl_sga.build(2026)
    assert {trace.name for trace in lesson.figure.data} >= {common.figure_label(n) for n in twl_sga.FIGURES}
    assert common.figure_label("twl") in lesson.figures_table.value
    lesson.year_picker.box.value = 1989
    assert common.figure_label("twl") in lesson.year_picker.message.value


# --- sweep: every exercise at and a cent around each threshold, every year the picker offers ------------

TH = Thresholds.default()
CENT = 0.01


def picker_years(first: int) -> range:
    """The years a lesson runs for: its first usable year to one year past the newest figures."""
    return range(first, common.last_year("twl", TH) + 2)


def around(amount: float) -> tuple[float, float, float]:
    return (round(amount - CENT, 2), amount, round(amount + CENT, 2))


def engine_rows(start, earnings, **profile):
    """The engine's own table, run here without the lessons' helpers."""
    from iwp_widgets import Plan, simulate

    return simulate(Plan.from_dict(lessons_engine.plan_dict(start, earnings, **profile)))


def assert_graded(grade_of, right, wrong) -> None:
    """The engine's answer is graded right and the other answer wrong."""
    assert grade_of(right).correct, grade_of(right).explanation
    assert not grade_of(wrong).correct


def yes_no(flag: bool) -> tuple[str, str]:
    return ("Yes", "No") if flag else ("No", "Yes")


def test_sweep_lesson_1_twl_and_sga_every_year():
    for year in picker_years(ALL_LESSONS[twl_sga]):
        twl = TH.value("twl", f"{year}-01")
        for amount in around(twl):
            assert twl_sga.grade_twl_amount(f"{amount:.2f}", year).correct is (amount == twl)
        rows = engine_rows(f"{year}-01", around(twl), benefits="ssdi")
        for amount, counted in zip(around(twl), rows["twp_month"].astype(bool)):
            assert counted is (amount > twl)  # the engine agrees with the rule: MORE than the TWL
            assert_graded(lambda a: twl_sga.grade_twp_month(a, year, amount), *yes_no(counted))
        for blind, name in ((False, "sga_non_blind"), (True, "sga_blind")):
            sga = TH.value(name, f"{year}-01")
            # Rising pay after the TWP: only the last month (over SGA) can be the cessation month.
            rows = engine_rows(f"{year}-01", around(sga), benefits="ssdi", blind=blind,
                               twp_completed=f"{year - 1}-12")
            for amount, status in zip(around(sga), rows["ssdi_status"].astype(str)):
                substantial = status == "cessation"
                assert substantial is (amount > sga)
                assert_graded(lambda a: twl_sga.grade_sga_month(a, year, amount, blind),
                              *yes_no(substantial))


def test_sweep_lesson_2_ninth_month_every_year():
    for year in picker_years(ALL_LESSONS[twp]):
        start = f"{year}-01"
        nine = [f"{year + 1}-{m:02d}" for m in range(1, 10)]
        twl = max(TH.value("twl", f"{year + 1}-01"), TH.value("twl", start))
        for amount in around(twl):  # a 2-year grid keeps the sweep short
            end = lessons_engine.twp_end_month(twp.simulate_grid(start, nine, amount, years=2))
            answers = (nine[-1], twp.NOT_ENDED) if amount > twl else (twp.NOT_ENDED, nine[-1])
            assert str(end) == (f"{year + 1}-09" if amount > twl else "None")
            assert_graded(lambda a: twp.grade_twp_end(a, year, nine, amount, years=2), *answers)


def test_sweep_lesson_3_cessation_and_exr_every_year():
    exr_from = epe.exr_first_month()
    for year in picker_years(ALL_LESSONS[epe]):
        sga = TH.value("sga_non_blind", f"{year}-01")
        for amount in around(sga):
            pay = [amount, 0, 0, 0, 0]
            ceased = epe.cessation_month(epe.simulate_path(year, pay))
            assert (ceased is not None) is (amount > sga)
            right = f"{year}-01" if ceased is not None else epe.NO_CESSATION
            wrong = epe.NO_CESSATION if ceased is not None else f"{year}-01"
            assert_graded(lambda a: epe.grade_cessation(a, year, pay), right, wrong)
        # Ended after the 36 months; a request in the first month of year 5, at and around SGA.
        month = epe.pd.Period(f"{year + 4}-01", freq="M")
        sga5 = TH.value("sga_non_blind", month)
        for amount in around(sga5):
            pay = [2 * sga, 0, 0, 2 * sga, amount]
            row = epe.simulate_path(year, pay).loc[month]
            can_ask = bool(row["exr_window"]) and amount <= sga5
            assert bool(row["exr_window"]) is (month >= exr_from)
            assert_graded(lambda a: epe.grade_exr(a, year, pay, month), *yes_no(can_ask))


def test_sweep_lesson_4_ssi_at_the_breakeven_every_year():
    for year in picker_years(ALL_LESSONS[ssi_earned]):
        breakeven = float(engine_rows(f"{year}-01", [0.0], benefits="ssi",
                                      options={"ssi_accounting": "same_month"})["ssi_breakeven"].iloc[0])
        assert breakeven == 2 * TH.value("ssi_fbr_individual", f"{year}-01") + 85  # rules.md §4.5
        for gross in around(breakeven):
            row = engine_rows(f"{year}-01", [gross], benefits="ssi").iloc[0]
            assert bool(row["ssi_paid"] > 0) is (gross < breakeven)
            paid = round(float(row["ssi_paid"]), 2)  # graded to the cent the learner sees
            case = SsiCase(year, gross)
            assert_graded(lambda a: ssi_earned.grade_ssi_payment(a, case), f"{paid:.2f}",
                          f"{paid + CENT:.2f}")


def test_sweep_lesson_5_sga_and_1619b_threshold_every_year():
    for year in picker_years(ALL_LESSONS[ssi_1619]):
        sga = TH.value("sga_non_blind", f"{year}-01")
        for pay in around(sga):
            row = ssi_1619.simulate_case(year, pay).iloc[0]
            assert bool(row["ssi_1619a"]) is bool(pay > sga and row["ssi_paid"] > 0)
            assert_graded(lambda a: ssi_1619.grade_1619a(a, year, pay), *yes_no(bool(row["ssi_1619a"])))
        states = ssi_1619.states_with_threshold(year)
        for state in ("CA", "OH"):
            if state not in states:
                grade = ssi_1619.grade_1619b("Yes", year, 2 * sga, state)
                assert not grade.graded or grade.correct is False
                continue
            monthly = TH.value("medicaid_1619b_threshold", f"{year}-01", key=state) / 12
            for pay in around(round(monthly, 2)):
                row = ssi_1619.simulate_case(year, pay, state).iloc[0]
                protected = bool(row["medicaid_1619b"])
                assert protected is bool(pay <= monthly)  # yearly pay not over the threshold
                assert_graded(lambda a: ssi_1619.grade_1619b(a, year, pay, state), *yes_no(protected))


def test_sweep_lesson_6_first_review_and_first_payment_every_year():
    for year in picker_years(ALL_LESSONS[ticket_rules]):
        twl = TH.value("twl", f"{year}-01")
        for pay in around(twl):
            work = Work((3, 0, 0), (pay, 0.0, 0.0))
            outcome = ticket_rules.run(year, work)
            passed = bool(outcome.reviews.iloc[0]["passed"])
            assert passed is (pay >= twl)  # periods 1–2: at least the TWL (rules.md §5.1)
            assert_graded(lambda a: ticket_rules.grade_first_review(a, year, work), *yes_no(passed))
            first = ticket_rules.first_payment(outcome.payments)
            kind = ticket_rules.NO_PAYMENT if first is None else ticket_rules._kind(first[1])
            assert (kind == "Phase 1 milestone") is (pay >= twl)
            wrong = "Outcome payment" if kind != "Outcome payment" else ticket_rules.NO_PAYMENT
            assert_graded(lambda a: ticket_rules.grade_first_payment(a, year, work), kind, wrong)
