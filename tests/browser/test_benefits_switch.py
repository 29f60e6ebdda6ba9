"""Switching benefits in the goal-setting app, by keyboard, in a real Voilà server and Chromium
(issue 14 items 5 and 6): one sentence says what was cleared, the chart redraws from the new
valid plan, SSDI-only controls leave the page and the tab order, and switching back restores."""

from __future__ import annotations

import json
import os

PAY_CHART = ".iwp-chart-earnings-a .js-plotly-plot"
NOTE = ".iwp-benefits-note"
TIMEOUT = 60_000


def _revision(page):
    return page.evaluate(f"document.querySelector('{PAY_CHART}').getAttribute('data-iwp-revision')")


def _wait_for_note(page, words: str) -> str:
    page.wait_for_function(
        f"(document.querySelector('{NOTE}') || {{}}).textContent?.includes({words!r})", timeout=TIMEOUT)
    return page.locator(NOTE).inner_text()


def _shown_errors(page) -> list[str]:
    return [text for text in page.locator(".iwp-profile .iwp-error").all_inner_texts() if text.strip()]


def test_switching_benefits_by_keyboard_clears_says_so_and_restores(open_app, axe_audit):
    page = open_app("goal_setting")
    page.locator(PAY_CHART).wait_for(state="visible", timeout=TIMEOUT)
    benefits = page.locator(".iwp-benefits select")
    assert benefits.input_value() == "SSDI only"   # ipywidgets gives options their labels
    assert page.locator(".iwp-ssdi-monthly input").is_visible()
    assert not page.locator(".iwp-ssi-now input").is_visible()   # SSI before the plan: SSDI-only plan
    before = _revision(page)

    benefits.focus()
    page.keyboard.press("ArrowDown")                      # SSDI only -> SSI only
    note = _wait_for_note(page, "Switched to SSI only")
    assert note.strip() == ("Switched to SSI only: the SSDI check amount and the trial work history were "
                            "cleared, because they are about SSDI.")
    page.wait_for_function(
        f"document.querySelector('{PAY_CHART}').getAttribute('data-iwp-revision') !== {json.dumps(before)}",
        timeout=TIMEOUT)
    assert _shown_errors(page) == []                      # no field paths, no blocking messages
    for hidden in (".iwp-ssdi-monthly input", ".iwp-twp-months-used input", ".iwp-twp-completed input",
                   ".iwp-cessation input"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".iwp-ssi-now input").is_visible()
    shot = os.environ.get("IWP_SCREENSHOT_DIR")
    if shot:
        page.screenshot(path=os.path.join(shot, "benefits-switch-ssi-only.png"), full_page=True)
        page.locator(".iwp-profile").screenshot(path=os.path.join(shot, "benefits-switch-ssi-only-profile.png"))
    # The hidden SSDI amount is no tab stop: Tab from Benefits goes to the SSI unit.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.iwp-ssi-unit')")
    assert axe_audit(page) == []

    benefits.focus()
    page.keyboard.press("ArrowDown")                      # SSI only -> SSDI and SSI
    note = _wait_for_note(page, "Switched to SSDI and SSI")
    assert "the SSDI check amount and the trial work history typed earlier were brought back" in note
    page.locator(".iwp-ssdi-monthly input").wait_for(state="visible", timeout=TIMEOUT)
    assert float(page.locator(".iwp-ssdi-monthly input").input_value()) == 1450.0
    assert page.locator(".iwp-twp-months-used input").input_value() == "2024-11, 2024-12"
    assert _shown_errors(page) == []
    assert axe_audit(page) == []
    assert page.js_errors == []
