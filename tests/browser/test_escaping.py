"""No script from a link or a file (issue 13, items 1 and 2), in Chromium against a real Voilà.

Each test opens an app with markup in one path — the ``?plan=`` link, a saved plan file whose
unknown field name is markup, a saved plan whose every text is markup — and checks that the
markup shows as text, that no element was made from it, and that no script ran: the payload's
``onerror`` would set ``window.__iwp_xss``, and the page reports no script or console error.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from iwp_widgets import Plan

pytestmark = pytest.mark.timeout(300)

APPS = ["goal_setting", "earnings_projection"]
PAYLOAD = '<img src=x onerror="window.__iwp_xss=1">'
TIMEOUT = 60_000


@pytest.fixture
def plan_file(voila_server):
    """plan_file(name) -> a path in the served apps' plans folder (IWP_PLANS_DIR, see conftest.py),
    removed after the test so other tests in the session never list it."""
    folder = voila_server.server.log_path.parent / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def _path(name: str) -> Path:
        written.append(folder / f"{name}.json")
        return written[-1]

    yield _path
    for path in written:
        path.unlink(missing_ok=True)


def assert_no_script_ran(page) -> None:
    assert page.evaluate("window.__iwp_xss") is None, "the payload's onerror ran"
    assert page.locator('img[src="x"]').count() == 0, "an element was made from the payload"
    assert page.js_errors == [], page.js_errors
    assert page.external_requests == [], page.external_requests


@pytest.mark.parametrize("app", APPS)
def test_markup_in_the_plan_link_shows_as_text(open_app, app):
    """`?plan=<img src=x onerror=…>` ran script in the page (issue 13, item 1)."""
    page = open_app(app, "plan=" + quote(PAYLOAD))
    note = page.locator(".iwp-note")
    expect(note).to_contain_text("No plan called", timeout=TIMEOUT)
    expect(note).to_contain_text('<img src=x onerror="window.__iwp_xss=1">')
    page.wait_for_timeout(500)  # time for a broken image's onerror to fire, were there one
    assert_no_script_ran(page)


@pytest.mark.parametrize("app", APPS)
def test_a_plan_file_with_a_markup_field_name_shows_the_error_as_text(open_app, plan_file, app):
    """The "Could not open the plan" note repeated the file's unknown field name as markup (item 2)."""
    doc = Plan.example("ssi_student").to_dict()
    doc[PAYLOAD * 10] = 1
    plan_file("Hostile key").write_text(json.dumps(doc), encoding="utf-8")
    page = open_app(app, "plan=Hostile%20key")
    note = page.locator(".iwp-note")
    expect(note).to_contain_text("Could not open the plan", timeout=TIMEOUT)
    expect(note).to_contain_text("<img src=x onerror=")
    expect(note).to_contain_text("unknown field")
    assert len(note.inner_text()) < 400  # the field name is quoted short, not ten times
    page.wait_for_timeout(500)
    assert_no_script_ran(page)


def test_a_plan_whose_every_text_is_markup_shows_it_as_text(open_app, plan_file):
    """Name, goals, services, EN, signatures, notes and a revision reason from a saved file."""
    doc = Plan.example("concurrent_irwe").to_dict()
    doc["profile"]["name"] = PAYLOAD
    doc["iwp"].update({
        "employment_goal": PAYLOAD, "short_term_goals": [PAYLOAD], "long_term_goals": [PAYLOAD],
        "responsibilities": [PAYLOAD], "en_name": PAYLOAD, "notes": PAYLOAD,
        "services": [{"kind": "other", "description": PAYLOAD, "provider": PAYLOAD,
                      "start": "2026-02", "end": "2026-08"}],
        "signatures": {"beneficiary": {"name": PAYLOAD, "date": "2026-01-15"},
                       "en_representative": None},
        "revisions": [{"date": "2026-01-10", "reason": PAYLOAD, "previous": {"version": 2}}],
    })
    Plan.from_dict(doc).save(plan_file("Hostile text"))
    page = open_app("goal_setting", "plan=Hostile%20text")
    services = page.locator(".iwp-services")
    expect(services).to_contain_text(f"{PAYLOAD} — {PAYLOAD}", timeout=TIMEOUT)
    expect(page.locator(".iwp-employment-goal input")).to_have_value(PAYLOAD)
    page.locator(".iwp-counselor-toggle").click()  # counselor detail: citations, EN payments
    expect(page.locator(".iwp-glossary-citations li").first).to_be_visible(timeout=TIMEOUT)
    page.locator(".iwp-print-html").click()  # the printed IWP is offered as a download link
    expect(page.locator(".iwp-downloads a")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert_no_script_ran(page)
