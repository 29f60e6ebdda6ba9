"""The benefits summary section of the earnings projection app, in Debian's Chromium: shown by
keyboard, the calendar on screen for the plan opened, a download link, and axe-core clean."""

import base64
import re

TIMEOUT = 60_000


def test_summary_by_keyboard_with_calendar_download_and_axe(open_app, axe_audit):
    page = open_app("earnings_projection", "plan=concurrent_irwe")
    summary = page.locator(".iwp-benefits-summary")
    assert summary.inner_text().strip() == ""  # not built until asked for
    toggle = page.locator(".iwp-summary-show")
    toggle.focus()
    page.keyboard.press("Space")
    calendar = page.locator(".iwp-benefits-summary table.calendar")
    calendar.wait_for(state="visible", timeout=TIMEOUT)
    # The SSI wage report for February's pay (the plan's first month with pay) is due March 6.
    first_pay = calendar.locator("tbody tr", has_text="February 2026")
    assert "by March 6, 2026" in first_pay.inner_text()
    assert page.locator(".iwp-benefits-summary .warning", has_text="June 2026").count() == 1

    page.keyboard.press("Tab")  # to "Summary as a web page"
    page.keyboard.press("Enter")
    link = page.locator(".iwp-summary-downloads a")
    link.wait_for(timeout=TIMEOUT)
    data = re.match(r"data:text/html;base64,(.+)", link.get_attribute("href")).group(1)
    page_html = base64.b64decode(data).decode("utf-8")
    assert page_html.startswith("<!DOCTYPE html>") and "Reporting calendar" in page_html

    assert page.js_errors == []
    assert axe_audit(page) == []
