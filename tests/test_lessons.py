"""Trainer lessons: widget trees build without a kernel, and the exercises are graded by the engine.

Right answers are the engine's (``simulate`` / Ticket layer / thresholds) results for worked examples
from shared/rules.md §7 where one applies; wrong answers must be marked wrong.
"""

from __future__ import annotations

import pytest

from iwp_widgets.lessons import common, exercise
from iwp_widgets.lessons import twl_sga
from iwp_widgets.lessons.exercise import Grade
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
    assert lesson.exercises.layout.display == "none" and lesson.figures_table.value == ""
    latest = common.last_year("twl", Thresholds.default())
    lesson.year_picker.box.value = latest
    assert lesson.exercises.layout.display is None and lesson.year_picker.message.value == ""
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
from iwp_widgets.lessons import twp  # noqa: E402

DANA = twp.EXAMPLES["Dana (9 months in a row)"][1]
PHIL = twp.EXAMPLES["Phil (months in two years)"][1]


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
