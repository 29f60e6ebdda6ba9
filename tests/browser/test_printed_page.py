"""The printed IWP as a browser shows and prints it (issue 15 item 5): axe finds no serious
problem, the text-size choice gives large print without a script, and printing hides the choice."""

from __future__ import annotations

import datetime as dt

import pytest

from iwp_widgets.plan import Plan
from iwp_widgets.report import report_html

pytestmark = pytest.mark.browser

IWP = {"version": 3, "beneficiary_name": "Ana Núñez", "en_name": "Acme Careers",
       "employment_goal": "Pharmacy technician",
       "services": [{"kind": "job_placement", "description": "", "provider": "Acme Careers",
                     "start": "2026-02", "end": "2026-08"}]}


@pytest.fixture
def printed(browser, tmp_path):
    plan = Plan.example("ssdi_ramp_to_sga").replace(iwp=IWP)
    path = report_html(plan.revise({"employment_goal": "Cook"}, "New job offer", "2026-06-01"),
                       path=tmp_path / "iwp.html", today=dt.date(2026, 7, 1))
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    yield page
    assert errors == []
    context.close()


def test_the_printed_page_passes_axe_and_reads_as_a_draft(printed, axe_audit):
    assert axe_audit(printed) == []
    assert printed.evaluate("document.documentElement.lang") == "en-US"
    assert printed.locator(".draft strong").inner_text() == "Draft — not signed"
    assert printed.locator("h1").count() == 1


def test_large_print_is_a_choice_that_needs_no_script(printed):
    def size():
        return printed.evaluate("getComputedStyle(document.querySelector('p')).fontSize")

    assert size() == "16px"  # 12 point
    printed.get_by_label("Large print").check()  # by keyboard or mouse, like any radio button
    assert size() == "24px"  # 18 point
    printed.get_by_label("Normal").check()
    assert size() == "16px"


def test_printing_hides_the_choice(printed):
    assert printed.locator(".text-size").is_visible()
    printed.emulate_media(media="print")
    assert not printed.locator(".text-size").is_visible()
    assert printed.locator(".signatures").is_visible()
