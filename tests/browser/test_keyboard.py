"""Keyboard use of the counselor apps (issue 14 item 7): a skip link to the plan's controls, no
glossary terms or chart toolbars as tab stops ahead of them, and chart labels where bars cannot
cover them. Real Voilà and Debian's Chromium (fixtures: conftest.py).

Seen before: 27 Tab presses to reach "Hours a week" (11 glossary terms and 8 chart-toolbar
buttons per chart came first); "Check paused" hid under the bars.
"""

from __future__ import annotations

import os
from pathlib import Path

TIMEOUT = 60_000
HOURS = ".iwp-start-hours .noUi-handle"
PAY_CHART = ".iwp-chart-earnings-a .js-plotly-plot"
SCREENSHOTS = Path(os.environ.get("IWP_SCREENSHOTS", "/tmp/iwp-keyboard-screenshots"))

# What has focus, in words a failure message can show: its classes and those of its field.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  const field = el.closest(".iwp-field, .iwp-glossary, .modebar, .iwp-skip-link");
  return `${el.tagName.toLowerCase()}.${el.className} in ${field ? field.className : "-"}`;
}"""


def focus_is(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector)


def tab_until(page, selector: str, limit: int = 60) -> list[str]:
    """Press Tab until ``selector`` has focus; the focused elements on the way, the last one
    ``selector``'s (fails after ``limit`` presses)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if focus_is(page, selector):
            return seen
    raise AssertionError(f"{selector} never got focus in {limit} Tab presses: {seen}")


def test_skip_link_reaches_hours_in_a_few_presses_and_nothing_hides_a_chart_label(open_app, axe_audit):
    page = open_app("earnings_projection")
    page.locator(PAY_CHART).wait_for(state="visible", timeout=TIMEOUT)

    # The first Tab from page load lands on the skip link, which then shows in the window.
    page.keyboard.press("Tab")
    link = page.locator(".iwp-skip-link")
    assert focus_is(page, ".iwp-skip-link"), page.evaluate(FOCUSED)
    assert link.inner_text() == "Skip to the plan's controls"
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 100
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "skip_link_focused.png"), clip={"x": 0, "y": 0, "width": 900, "height": 220})

    # Enter moves focus to the plan's first control; "Hours a week" is three Tabs on.
    page.keyboard.press("Enter")
    assert focus_is(page, ".iwp-preset select"), page.evaluate(FOCUSED)
    after_skip = tab_until(page, HOURS)
    assert len(after_skip) <= 5, after_skip

    # Without the skip link (Tab on from it, the page's first stop): every stop on the way is a
    # control of the app, never a glossary term (they are reached through one "What these words
    # mean") nor a chart's toolbar button.
    link.focus()
    plain = ["the skip link"] + tab_until(page, HOURS)
    print("Tab stops from page load to Hours a week:", len(plain), *plain, sep="\n  ")
    assert not [stop for stop in plain if "iwp-term" in stop or "modebar" in stop], plain
    assert sum("summary" in stop for stop in plain) == 1, plain
    assert len(plain) < 27, plain  # was 27 (issue 14)
    assert page.locator(".modebar").count() == 0

    # The words to know: one summary opens every meaning with Enter; a clicked term explains
    # itself in the live region, and so does one given focus (a script, a screen reader).
    summary = page.locator(".iwp-meanings summary")
    summary.focus()
    page.keyboard.press("Enter")
    page.locator(".iwp-meanings li", has_text="trial work period").first.wait_for(timeout=TIMEOUT)
    page.locator('.iwp-term[data-term="TWL"]').first.click()
    page.locator(".iwp-glossary-live", has_text="Trial Work Level").wait_for(timeout=TIMEOUT)
    page.locator('.iwp-term[data-term="EPE"]').first.focus()
    page.locator(".iwp-glossary-live", has_text="Extended Period of Eligibility").wait_for(timeout=TIMEOUT)

    # Every band label of the pay chart sits above the plot area, where no bar reaches.
    page.locator(PAY_CHART).scroll_into_view_if_needed()
    placed = page.evaluate(f"""() => {{
      const gd = document.querySelector('{PAY_CHART}');
      const plot = gd.querySelector('.nsewdrag').getBoundingClientRect();
      return [...gd.querySelectorAll('.annotation')].map((a) => {{
        const r = a.querySelector('.annotation-text-g').getBoundingClientRect();
        return {{text: a.textContent, bottom: r.bottom, left: r.left, right: r.right, plotTop: plot.top}};
      }});
    }}""")
    texts = [label["text"] for label in placed]
    assert "Check paused (work above SGA)" in texts and "Cessation month (SSDI still paid)" in texts, texts
    assert "Grace months (SSDI still paid)" in texts, texts
    for label in placed:
        assert label["bottom"] <= label["plotTop"], label
    by_row = {}
    for label in placed:
        by_row.setdefault(round(label["bottom"]), []).append(label)
    for row in by_row.values():  # labels in one row do not overlap
        row.sort(key=lambda label: label["left"])
        for left, right in zip(row, row[1:]):
            assert left["right"] <= right["left"], (left, right)
    page.locator(".iwp-chart-earnings-a").screenshot(path=str(SCREENSHOTS / "pay_chart_labels.png"))

    assert page.js_errors == []
    assert axe_audit(page) == []


def test_goal_setting_skip_link_lands_on_the_first_profile_control(open_app, axe_audit):
    page = open_app("goal_setting")
    page.locator(PAY_CHART).wait_for(state="visible", timeout=TIMEOUT)
    page.keyboard.press("Tab")
    assert focus_is(page, ".iwp-skip-link"), page.evaluate(FOCUSED)
    page.keyboard.press("Enter")
    assert focus_is(page, ".iwp-profile-name input"), page.evaluate(FOCUSED)  # who the plan is for
    # The goal-setting chart is narrow: its band labels still sit above the plot area.
    page.locator(PAY_CHART).scroll_into_view_if_needed()
    page.locator(".iwp-chart-earnings-a").screenshot(path=str(SCREENSHOTS / "goal_setting_chart_labels.png"))
    assert page.evaluate(f"""() => {{
      const gd = document.querySelector('{PAY_CHART}');
      const top = gd.querySelector('.nsewdrag').getBoundingClientRect().top;
      const labels = [...gd.querySelectorAll('.annotation-text-g')];
      return labels.length > 0 && labels.every((l) => l.getBoundingClientRect().bottom <= top);
    }}""")
    assert page.js_errors == []
    assert axe_audit(page) == []


def test_the_charts_table_can_be_reached_and_scrolled_by_keyboard(open_app, axe_audit):
    """The table alternative scrolls inside its box; it takes focus so a keyboard user can scroll
    it (axe "scrollable-region-focusable" was serious with the table open)."""
    page = open_app("earnings_projection")
    toggle = page.locator(".iwp-earnings-a-table-toggle button, button.iwp-earnings-a-table-toggle").first
    toggle.scroll_into_view_if_needed()
    toggle.focus()
    page.keyboard.press("Enter")
    table = page.locator(".iwp-earnings-a-table")
    table.locator("table").first.wait_for(state="visible")
    assert table.get_attribute("tabindex") == "0"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('iwp-earnings-a-table')")
    assert axe_audit(page) == []
    assert page.js_errors == []
