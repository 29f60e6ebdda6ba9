"""The analyst what-if notebook in a real Voilà server and Debian's Chromium (fixtures: conftest.py).

What was seen (issue 16): dollar signs in the scenario titles were typeset as math ("$1 for $2"
read as an italic "1 for 2"), the "Percent of beneficiaries" and "Beneficiaries" axes carried
dollar signs, and the page logged "r.setData is not a function" once per chart. One page load
checks all three, then runs the panel below the charts once.
"""

from __future__ import annotations

import os
from pathlib import Path

from browser_support import goto_ready, new_guarded_page

from iwp_widgets.caseload.scenarios import load_scenario

TIMEOUT = 120_000
PLOTS = ".js-plotly-plot"
# Every chart's y-axis: its title and the text of its tick labels, as drawn.
AXES_JS = """
(plots) => plots.map((gd) => ({
  title: (gd.layout.yaxis && gd.layout.yaxis.title && gd.layout.yaxis.title.text) || '',
  ticks: Array.from(gd.querySelectorAll('.ytick text')).map((t) => t.textContent),
}))
"""
COUNT_AXES = {"Percent of beneficiaries", "Beneficiaries"}


def _counts_axes(page) -> list[dict]:
    axes = page.locator(PLOTS).evaluate_all(AXES_JS)
    return [axis for axis in axes if axis["title"] in COUNT_AXES]


def test_what_if_notebook_shows_titles_as_text_and_counts_without_dollars(browser, voila_server):
    page = new_guarded_page(browser, voila_server)
    try:
        # The panel is the last cell: once it shows, every chart above it has been sent. Twice in
        # CI the page connected to its fresh kernel and never drew (Voilà's log ends at "Starting
        # buffering"; the symptom goto_ready describes): a person would reload, and so does this.
        goto_ready(page, "voila/render/what_if.ipynb", TIMEOUT, ready=".iwp-whatif-run")
        page.locator(PLOTS).nth(5).wait_for(state="attached", timeout=TIMEOUT)
        page.wait_for_timeout(1_000)  # let the renderers (and any typesetting) finish

        # 1. Titles with dollar amounts read as written, with no math typeset anywhere.
        intro = page.locator("p", has_text="beneficiaries.").first.inner_text()
        for name in ("bond_offset", "ssi_bigger_earned_exclusion", "higher_sga"):
            title = load_scenario(name).title
            assert "$" in title or name == "higher_sga"
            assert title in intro, (title, intro)
        assert page.locator("mjx-container, .MathJax, .katex").count() == 0

        # 2. Axes that count people carry no dollar signs; the dollar axes keep theirs.
        page.locator(PLOTS).first.scroll_into_view_if_needed()
        counts = _counts_axes(page)
        assert {axis["title"] for axis in counts} == COUNT_AXES
        for axis in counts:
            assert axis["ticks"] and not any("$" in tick for tick in axis["ticks"]), axis

        # 3. No script error: the charts draw without "r.setData is not a function".
        assert page.locator(PLOTS).count() == 6
        assert page.js_errors == []
        assert page.external_requests == []

        # The panel runs the same code: a small caseload, one reform, its charts drawn alike.
        size = page.locator(".iwp-whatif-size input")
        size.fill("30")
        size.press("Enter")
        bond = f"bond_offset: {load_scenario('bond_offset').title}"
        page.locator(".iwp-whatif-reforms select").select_option(label=bond)
        page.locator(".iwp-whatif-run").click()
        page.get_by_role("status").filter(has_text="Done: 30 beneficiaries, 2 scenarios.").wait_for(
            timeout=TIMEOUT)
        # Eight charts, waited for (CI, 2026-11-26: one second after the eighth first appeared, a
        # loaded machine showed seven; a chart lost for good still fails here, after the timeout).
        page.wait_for_function(f"() => document.querySelectorAll('{PLOTS}').length === 8", timeout=TIMEOUT)
        page.wait_for_timeout(1_000)
        assert page.locator(PLOTS).count() == 8
        counts = _counts_axes(page)
        assert len(counts) == 8  # every chart counts people: 6 above, 2 from the panel
        for axis in counts:
            assert not any("$" in tick for tick in axis["ticks"]), axis
        assert page.js_errors == []
        assert page.locator("mjx-container, .MathJax, .katex").count() == 0

        shot = os.environ.get("IWP_SCREENSHOT_DIR")
        if shot:
            page.screenshot(path=str(Path(shot) / "what_if.png"), full_page=True)
    finally:
        page.context.close()
