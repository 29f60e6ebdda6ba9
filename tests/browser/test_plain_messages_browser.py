"""Messages on the page are plain sentences, in a real Voilà server and Chromium (issue 14 item 5):
a bad service end month and a negative SSDI check read as sentences, without field paths
(`iwp.services[4].end:`, `profile.ssdi_monthly:`) or code words."""

from __future__ import annotations

import os
import re

TIMEOUT = 60_000
DEVELOPER_WORDS = re.compile(r"\b[a-z]+\.[a-z_]+|\b[a-z0-9]+_[a-z0-9_]+\b|\[\d+\]|YYYY")


def _wait_for_text(page, selector: str, words: str) -> str:
    page.wait_for_function(
        f"(document.querySelector({selector!r}) || {{}}).textContent?.includes({words!r})", timeout=TIMEOUT)
    return page.locator(selector).inner_text().strip()


def test_a_bad_service_end_and_a_negative_ssdi_check_read_as_sentences(open_app):
    page = open_app("goal_setting")
    page.locator(".iwp-service-start input").fill("2026-05")
    page.locator(".iwp-service-end input").fill("2026-03")
    page.locator(".iwp-service-add").click()
    service = _wait_for_text(page, ".iwp-services-list-error", "service")
    assert service == ("The end month of service 1 must not be before the service starts (May 2026); "
                       "you typed March 2026.")
    assert not DEVELOPER_WORDS.search(service), service

    ssdi = page.locator(".iwp-ssdi-monthly input")
    ssdi.fill("-5")
    ssdi.press("Enter")
    check = _wait_for_text(page, ".iwp-ssdi-monthly-error", "SSDI check")
    assert check == "The SSDI check must be $0.00 or more; you typed -5."
    assert not DEVELOPER_WORDS.search(check), check
    shot = os.environ.get("IWP_SCREENSHOT_DIR")
    if shot:
        page.locator(".iwp-ssdi-monthly-error").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(shot, "plain-messages-ssdi.png"))
        page.locator(".iwp-services-list-error").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(shot, "plain-messages-service.png"))
