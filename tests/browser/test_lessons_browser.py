"""The six trainer lessons in a real Voilà server and Debian's Chromium (fixtures: conftest.py).

Each lesson loads once: it must render (root box with `iwp-app-ready`), raise no JavaScript error,
ask for nothing outside localhost and pass axe-core's WCAG 2.1 A/AA checks. Two lessons are also
driven from the keyboard, the way a learner without a mouse would use them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from iwp_widgets.lessons import common

TIMEOUT = 60_000
LESSONS = {
    "lessons/1_twl_and_sga": "twl-sga",
    "lessons/2_trial_work_period": "twp",
    "lessons/3_after_the_twp": "epe",
    "lessons/4_ssi_earned_income": "ssi-earned",
    "lessons/5_1619_and_concurrent": "ssi-1619",
    "lessons/6_iwp_progress_and_en_payments": "ticket",
}


def pick_year(page, lesson: str, year: int) -> None:
    box = page.locator(f".iwp-lesson-{lesson}-year input")
    box.fill(str(year))
    box.press("Enter")


def settle(page, css: str, text: str) -> None:
    page.locator(css).filter(has_text=text).first.wait_for(state="visible", timeout=TIMEOUT)


@pytest.mark.parametrize("notebook, name", LESSONS.items(), ids=list(LESSONS.values()))
def test_lesson_renders_and_passes_axe(open_app, axe_audit, notebook, name):
    page = open_app(notebook)
    page.locator(f".iwp-lesson-{name}.iwp-app-ready").wait_for(state="visible", timeout=TIMEOUT)
    if name == "twl-sga":
        # The history chart is drawn by JupyterLab's plotly renderer inside the Output widget.
        page.locator(".iwp-lesson-twl-sga-chart .js-plotly-plot").wait_for(timeout=TIMEOUT)
        traces = page.evaluate("document.querySelector('.iwp-lesson-twl-sga-chart .js-plotly-plot').data"
                               ".map(t => t.name)")
        assert {common.figure_label(n) for n in ("twl", "sga_non_blind", "sga_blind")} <= set(traces)
    assert page.js_errors == []
    assert page.external_requests == []
    assert axe_audit(page) == []


def test_twp_grid_from_the_keyboard(open_app):
    """Tab to a month, press Space to mark it, check an answer with Enter: the engine grades it."""
    page = open_app("lessons/2_trial_work_period")
    page.locator(".iwp-lesson-twp-example select").select_option("Phil (months in two years)")
    page.locator(".iwp-lesson-twp-reveal").click()
    settle(page, ".iwp-lesson-twp-summary", "October 2013")
    month = page.locator(".iwp-twp-month-2012-02")
    month.focus()
    page.keyboard.press("Space")
    settle(page, ".iwp-lesson-twp-summary", "has not ended")
    page.keyboard.press("Space")
    settle(page, ".iwp-lesson-twp-summary", "October 2013")
    page.locator(".iwp-exercise-twp-end-answer select").select_option(label="October 2013")
    page.locator(".iwp-exercise-twp-end-check").focus()
    page.keyboard.press("Enter")
    settle(page, ".iwp-exercise-twp-end-feedback", "Right")
    assert page.js_errors == []


def test_ssi_worksheet_w8_typed_answer(open_app):
    """W8: 2010, $750 pay, $100 IRWE → the engine says SSI is $391.50."""
    page = open_app("lessons/4_ssi_earned_income")
    pick_year(page, "ssi-earned", 2010)
    for css, value in (("gross", "750"), ("irwe", "100")):
        box = page.locator(f".iwp-lesson-ssi-earned-{css} input")
        box.fill(value)
        box.press("Enter")
    answer = page.locator(".iwp-exercise-ssi-payment-answer input")
    answer.fill("391.50")
    answer.press("Enter")
    page.locator(".iwp-exercise-ssi-payment-check").click()
    settle(page, ".iwp-exercise-ssi-payment-feedback", "Right")
    assert page.js_errors == []


def screenshot(page, name: str) -> None:
    """Keep a picture of the window when IWP_SCREENSHOTS names a folder (for a person to look at)."""
    folder = os.environ.get("IWP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_epe_exr_month_above_sga_is_no(open_app):
    """Issue 12 item 4: asking for Expedited Reinstatement in a month with pay over SGA is "No"."""
    page = open_app("lessons/3_after_the_twp")
    pick_year(page, "epe", 2020)
    page.locator(".iwp-lesson-epe-exr-month select").select_option(label="January 2023")
    page.locator(".iwp-exercise-exr").get_by_role("radio", name="Yes").check()
    page.locator(".iwp-exercise-exr-check").click()
    settle(page, ".iwp-exercise-exr-feedback", "Not quite")
    settle(page, ".iwp-exercise-exr-feedback", "keeps them from working at SGA")
    page.locator(".iwp-lesson-epe-reveal").click()
    settle(page, ".iwp-lesson-epe-timeline", "Cessation month (SSDI still paid)")
    screenshot(page, "lesson3_epe")
    assert page.js_errors == []


def test_1619b_without_a_threshold_is_not_graded(open_app):
    """Issue 17 item 1: 2020 has no 1619(b) threshold on file, so the answer is not graded."""
    page = open_app("lessons/5_1619_and_concurrent")
    pick_year(page, "ssi-1619", 2020)
    settle(page, ".iwp-lesson-ssi-1619-rules", "State supplements")
    page.locator(".iwp-exercise-1619b").get_by_role("radio", name="No").check()
    page.locator(".iwp-exercise-1619b-check").click()
    settle(page, ".iwp-exercise-1619b-feedback", "Can't check this one.")
    page.locator(".iwp-lesson-ssi-1619-reveal").click()
    settle(page, ".iwp-lesson-ssi-1619-results", "not in our data for 2020")
    screenshot(page, "lesson5_1619")
    assert page.js_errors == []
