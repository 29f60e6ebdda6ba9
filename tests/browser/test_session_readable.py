"""Issue 14, what a counselor and a beneficiary see in the session that only the browser shows:
whole month words in the earnings path's sliders, readable widths in the IWP form, the IWP's
disclosure state, the coverage strip's label on the income chart.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

SHOTS = Path(os.environ.get("IWP_SCREENSHOTS", "/tmp/iwp-session-readable"))
CODE = re.compile(r"\d{4}-\d{2}")


@pytest.fixture(scope="module")
def session(browser, voila_server):
    from browser_support import open_app_page

    page = open_app_page(browser, voila_server, "session")
    yield page
    page.context.close()


def shot(page, locator, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_month_sliders_show_the_whole_month_in_words(session):
    for css_class in ("iwp-start-month", "iwp-target-month"):
        readout = session.locator(f".{css_class} .widget-readout").first
        text = readout.inner_text().strip()
        assert not CODE.search(text), text
        width, shown = readout.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert width <= shown, f"{css_class}'s readout {text!r} is cut ({width} px in {shown} px)"
    session.locator(".iwp-start-month .noUi-handle").focus()
    session.keyboard.press("ArrowRight")
    session.wait_for_function(
        "() => /^[A-Z][a-z]+ \\d{4} \\(month \\d+\\)$/.test("
        "document.querySelector('.iwp-start-month .widget-readout').innerText.trim())")
    shot(session, session.locator(".iwp-earnings-path").first, "earnings-path-months")


def open_iwp(page):
    form = page.locator(".iwp-iwp-form").first
    if not form.is_visible():
        page.locator(".iwp-iwp-toggle button").first.click()
    form.wait_for(state="visible", timeout=60_000)
    return form


def test_the_iwp_forms_sentences_have_a_readable_width(session):
    form = open_iwp(session)
    page_width = session.evaluate("document.querySelector('.iwp-app').getBoundingClientRect().width")
    name = session.locator(".iwp-iwp-form .iwp-beneficiary-name").first.bounding_box()["width"]
    for css_class in ("iwp-employment-goal", "iwp-pa-contact"):
        width = session.locator(f".{css_class}").first.bounding_box()["width"]
        assert name <= width <= 0.6 * page_width, (css_class, width, page_width)
    # A service's months ("2026-03") were typed into boxes wider than the provider's name (noticed
    # in this test's screenshot, 2026-11-26): each is now sized for a month.
    provider = session.locator(".iwp-service-provider input").first.bounding_box()["width"]
    for css_class in ("iwp-service-start", "iwp-service-end"):
        box = session.locator(f".{css_class} input").first.bounding_box()["width"]
        assert box < provider, (css_class, box, provider)
    shot(session, form, "iwp-form")


def test_the_iwp_is_a_disclosure_a_keyboard_opens_and_a_screen_reader_hears(session):
    button = session.locator(".iwp-iwp-toggle button")
    form = session.locator(".iwp-iwp-form").first
    if button.get_attribute("aria-expanded") == "true":  # opened by an earlier test: close it
        button.click()
    # The form hides when the kernel has heard the click: wait for it (it raced in one CI run).
    form.wait_for(state="hidden", timeout=60_000)
    assert button.get_attribute("aria-expanded") == "false"
    name = button.evaluate("e => e.textContent")
    button.focus()
    session.keyboard.press("Enter")
    form.wait_for(state="visible", timeout=60_000)
    assert button.get_attribute("aria-expanded") == "true"
    assert button.evaluate("e => e === document.activeElement")
    shot(session, session.locator(".iwp-iwp-section"), "iwp-disclosure-open")
    session.keyboard.press("Space")
    form.wait_for(state="hidden", timeout=60_000)
    assert button.get_attribute("aria-expanded") == "false" and button.evaluate("e => e.textContent") == name
    role = session.evaluate("""async () => {
        const b = document.querySelector('.iwp-iwp-toggle button');
        return [b.tagName, b.getAttribute('type'), b.textContent.trim().length > 10];
    }""")
    assert role == ["BUTTON", "button", True]
    shot(session, session.locator(".iwp-iwp-section"), "iwp-disclosure-closed")


LABELS_INSIDE_BOXES = """() => {
  const gd = document.querySelector('.iwp-chart-income-a .js-plotly-plot');
  return [...gd.querySelectorAll('.shapelayer .shape-group')].map(group => {
    const box = group.querySelector('path').getBBox();
    const text = group.querySelector('.shape-label-text');
    const label = text ? text.getBBox() : null;
    return {text: text ? text.textContent : '', box: [box.x, box.x + box.width],
            label: label ? [label.x, label.x + label.width] : null};
  });
}"""


def test_the_coverage_labels_fit_their_boxes_in_a_narrow_chart(browser, voila_server):
    """On main a half-width chart read "Medicaid through S" over Medicaid's five SSI months."""
    from browser_support import goto_ready

    context = browser.new_context(base_url=voila_server, viewport={"width": 720, "height": 900})
    try:
        page = context.new_page()
        goto_ready(page, "voila/render/session.ipynb?plan=concurrent_irwe")
        chart = page.locator(".iwp-chart-income-a").first
        chart.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('.iwp-chart-income-a .js-plotly-plot .shape-label-text')")
        boxes = page.evaluate(LABELS_INSIDE_BOXES)
        assert any(b["text"] for b in boxes), boxes
        for b in boxes:
            if b["label"]:
                assert b["box"][0] <= b["label"][0] and b["label"][1] <= b["box"][1], b
        shot(page, chart, "income-chart-narrow")
    finally:
        context.close()


def test_the_charts_keep_their_height_when_the_window_is_resized(session):
    """On main a window resize left every chart 0 px high: plotly sized it from a box with no height."""
    heights = "() => [...document.querySelectorAll('.iwp-chart .js-plotly-plot')].map(gd => gd.getBoundingClientRect().height)"
    before = session.evaluate(heights)
    assert before and min(before) >= 300, before
    session.set_viewport_size({"width": 1000, "height": 900})
    try:
        session.wait_for_timeout(1500)  # plotly's resize handler is debounced
        assert session.evaluate(heights) == before
        width = session.evaluate("document.querySelector('.iwp-chart-income-a .js-plotly-plot').getBoundingClientRect().width")
        assert width < 1000  # and the chart follows the window's width
    finally:
        session.set_viewport_size({"width": 1280, "height": 900})
