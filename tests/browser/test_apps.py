"""The two counselor apps in a real Voilà server and Debian's Chromium (fixtures: conftest.py).

Each page load costs seconds (a new kernel), so each test loads as few pages as it can and checks
several things on them.
"""

from __future__ import annotations

from pathlib import Path

PAY_CHART = ".iwp-chart-earnings-a .js-plotly-plot"
TIMEOUT = 60_000


def pay_bars(page) -> list[float]:
    return page.evaluate(f"document.querySelector('{PAY_CHART}').data[0].y")


def revision(page) -> str | None:
    return page.evaluate(f"document.querySelector('{PAY_CHART}').getAttribute('data-iwp-revision')")


def wait_for_redraw(page, after: str | None) -> None:
    page.wait_for_function(
        f"document.querySelector('{PAY_CHART}').getAttribute('data-iwp-revision') !== {repr(after) if after else 'null'}",
        timeout=TIMEOUT)


def current_pay_bars(page) -> list[float]:
    """The pay bars once the chart shows the newest figure (a chart out of sight is only redrawn
    when scrolled to, as a user would)."""
    page.locator(PAY_CHART).scroll_into_view_if_needed()
    page.wait_for_function(
        f"(() => {{ const gd = document.querySelector('{PAY_CHART}'); "
        "return gd.getAttribute('data-iwp-revision') === gd.getAttribute('data-iwp-wanted'); })()",
        timeout=TIMEOUT)
    return pay_bars(page)


def set_text(page, css_class: str, value: str) -> None:
    """Type into an ipywidgets text box and commit it (Enter), as a keyboard user would."""
    box = page.locator(f".{css_class} input, .{css_class} textarea").first
    box.fill(value)
    box.press("Enter")


def test_earnings_projection_renders_redraws_and_passes_axe(open_app, axe_audit):
    page = open_app("earnings_projection")
    page.locator(PAY_CHART).wait_for(state="visible", timeout=TIMEOUT)
    assert revision(page) is None, "opening the plan must not change it"
    before = pay_bars(page)

    page.locator(".iwp-preset select").select_option(label="Full-time from the start")
    wait_for_redraw(page, None)
    after = pay_bars(page)
    assert after != before
    assert len(set(after)) == 1  # 40 hours a week at the same wage, every month

    # The income chart's first redraw, once the preset has rested (a chart's first redraw does not
    # wait to learn whether it is in sight).
    income = ".iwp-chart-income-a .js-plotly-plot"
    page.wait_for_function(f"document.querySelector('{income}').getAttribute('data-iwp-revision') === '1'",
                           timeout=TIMEOUT)

    # The keyboard moves a slider too, and the chart follows.
    first = revision(page)
    page.locator(".iwp-start-hours .noUi-handle").focus()
    page.keyboard.press("ArrowLeft")
    wait_for_redraw(page, first)
    assert pay_bars(page)[0] < after[0]

    # The income chart below the window gets its new figure once the slider rests, but a chart out
    # of sight only draws it when scrolled to, or before the page is printed (widgets/chart.py).
    same_pay = (f"JSON.stringify(document.querySelector('{income}').data[0].y) === "
                f"JSON.stringify(document.querySelector('{PAY_CHART}').data[0].y)")
    stale = (f"(() => {{ const gd = document.querySelector('{income}'); "
             "return gd.getAttribute('data-iwp-wanted') !== null && "
             "gd.getAttribute('data-iwp-wanted') !== gd.getAttribute('data-iwp-revision'); })()")
    page.wait_for_function(stale, timeout=TIMEOUT)
    assert not page.evaluate(same_pay)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(same_pay, timeout=TIMEOUT)

    # Scrolled to, a stale chart draws too.
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(stale, timeout=TIMEOUT)
    page.locator(income).scroll_into_view_if_needed()
    page.wait_for_function(same_pay, timeout=TIMEOUT)

    # A glossary term explains itself on keyboard focus, in the live region.
    page.locator('.iwp-term[data-term="EPE"]').first.focus()
    page.locator(".iwp-glossary-live", has_text="Extended Period of Eligibility").wait_for(timeout=TIMEOUT)

    assert page.js_errors == []
    assert page.external_requests == []
    assert axe_audit(page) == []


def test_goal_setting_checklist_save_reload_and_exports(open_app, axe_audit, voila_server):
    # The server's apps save, autosave and export here (its IWP_PLANS_DIR).
    plans_dir = voila_server.server.log_path.parent / "plans"
    page = open_app("goal_setting")
    twl_goal = page.locator('[data-goal="twl_by_month_10"]')
    twl_goal.wait_for(timeout=TIMEOUT)
    assert twl_goal.get_attribute("data-passed") == "True"

    # Part-time at a low wage never reaches the TWL: the live checklist turns.
    page.locator(".iwp-preset select").select_option(label="Part-time, steady")
    wait_for_redraw(page, None)
    set_text(page, "iwp-start-wage", "8")
    page.wait_for_function(
        "document.querySelector('[data-goal=\"twl_by_month_10\"]').getAttribute('data-passed') === 'False'",
        timeout=TIMEOUT)

    # A bad entry shows its message next to the field, as a sentence without the field's path.
    set_text(page, "iwp-ssdi-monthly", "-5")
    page.locator(".iwp-ssdi-monthly-error [role=alert]").wait_for(timeout=TIMEOUT)
    assert page.locator(".iwp-ssdi-monthly-error").inner_text().strip() == (
        "The SSDI check must be $0.00 or more; you typed -5.")
    set_text(page, "iwp-ssdi-monthly", "1450")
    page.locator(".iwp-ssdi-monthly-error [role=alert]").wait_for(state="detached", timeout=TIMEOUT)

    # Save under a new name.
    bars = current_pay_bars(page)
    set_text(page, "iwp-employment-goal", "Bakery assistant")
    set_text(page, "iwp-plan-name", "browser test plan")
    page.locator(".iwp-save").click()
    page.locator(".iwp-files-status", has_text="Saved").wait_for(timeout=TIMEOUT)
    assert (plans_dir / "browser test plan.json").is_file()

    # Exports: files on disk and a download in the browser.
    for button, suffix in ((".iwp-export-csv", ".csv"), (".iwp-export-excel", ".xlsx"), (".iwp-print-pdf", ".pdf")):
        page.locator(button).click()
        link = page.locator(f'.iwp-downloads a[download$="{suffix}"]')
        link.wait_for(timeout=TIMEOUT)
        with page.expect_download(timeout=TIMEOUT) as download:
            link.click()
        saved = Path(download.value.path())
        assert saved.stat().st_size > 0
        assert list((plans_dir / "exports").glob(f"*/browser test plan-*{suffix}"))  # this session's folder

    assert page.js_errors == []
    assert page.external_requests == []
    assert axe_audit(page) == []

    # Reload the saved plan by name: the same plan comes back.
    again = open_app("goal_setting", "plan=browser%20test%20plan")
    goal = again.locator(".iwp-employment-goal input")
    goal.wait_for(timeout=TIMEOUT)
    assert goal.input_value() == "Bakery assistant"
    again.locator(PAY_CHART).wait_for(state="visible", timeout=TIMEOUT)
    assert pay_bars(again) == bars
    assert again.js_errors == []
