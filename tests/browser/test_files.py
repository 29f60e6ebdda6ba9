"""Saved plans and unsaved changes across browser tabs (issue 13, items 5-7), in a real Voilà server.

Each browser context is another counselor's tab (its own sessionStorage); a reload keeps the tab.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from browser_support import goto_ready

TIMEOUT = 60_000


def set_text(page, css_class: str, value: str) -> None:
    box = page.locator(f".{css_class} input").first
    box.fill(value)
    box.press("Enter")


def wait_for_autosave(plans_dir: Path, text: str, timeout_s: float = 30) -> Path:
    """The recovery file that holds ``text`` (autosave runs half a second after the last change)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for path in (plans_dir / "autosave").glob("*/*.json"):
            if text in path.read_text(encoding="utf-8"):
                return path
        time.sleep(0.2)
    raise AssertionError(f"no autosave holding {text!r} within {timeout_s} s")


def test_unsaved_edits_stay_with_their_tab_and_saving_asks_before_replacing(open_app, voila_server, axe_audit,
                                                                          tmp_path):
    plans_dir = voila_server.server.log_path.parent / "plans"

    # Counselor A edits the example without naming it: a draft of A's tab, not the example's name.
    a = open_app("goal_setting")
    set_text(a, "iwp-employment-goal", "Secret goal of A")
    set_text(a, "iwp-sign-beneficiary", "Ana Jones, 2026-03-01")
    draft = wait_for_autosave(plans_dir, "Ana Jones")
    assert draft.name == "_draft.json"
    assert json.loads(draft.read_text())["plan"]["iwp"]["employment_goal"] == "Secret goal of A"
    assert not list(plans_dir.glob("ssdi_ramp_to_sga*"))
    assert draft.parent.stat().st_mode & 0o777 == 0o700 and draft.stat().st_mode & 0o777 == 0o600

    # The next counselor (another tab) is not offered A's changes.
    b = open_app("goal_setting")
    b.locator(".iwp-employment-goal input").wait_for(timeout=TIMEOUT)
    b.wait_for_function("document.querySelector('.iwp-session-key input').value.length === 32", timeout=TIMEOUT)
    b.wait_for_timeout(1000)  # room for a wrong offer to arrive
    assert not b.locator(".iwp-recover").is_visible()
    assert "Secret goal" not in b.locator(".iwp-employment-goal input").input_value()

    # A reloads the tab (a new kernel): A's own changes are offered and come back.
    goto_ready(a, a.url)
    recover = a.locator(".iwp-recover")
    recover.wait_for(state="visible", timeout=TIMEOUT)
    recover.focus()
    a.keyboard.press("Enter")
    a.locator(".iwp-files-status", has_text="Recovered the unsaved changes").wait_for(timeout=TIMEOUT)
    assert a.locator(".iwp-employment-goal input").input_value() == "Secret goal of A"

    # A saves as "Jones 2026"; B types "jones 2026" (the same plan) and is asked before anything is replaced.
    set_text(a, "iwp-plan-name", "Jones 2026")
    a.locator(".iwp-save").click()
    a.locator(".iwp-files-status", has_text="Saved “Jones 2026”").wait_for(timeout=TIMEOUT)
    saved = (plans_dir / "Jones 2026.json").read_bytes()
    set_text(b, "iwp-employment-goal", "Goal of B")
    set_text(b, "iwp-plan-name", "jones 2026")
    b.locator(".iwp-save").click()
    question = b.locator(".iwp-save-question")
    question.wait_for(state="visible", timeout=TIMEOUT)
    assert "A saved plan called “Jones 2026” already exists" in question.inner_text()
    assert (plans_dir / "Jones 2026.json").read_bytes() == saved
    # Focus went to the safe answer; the others are a Tab away.
    b.wait_for_function("document.activeElement.classList.contains('iwp-cancel-save')", timeout=TIMEOUT)
    b.locator(".iwp-files").screenshot(path=str(tmp_path / "save_question.png"))
    assert axe_audit(b) == []
    b.locator(".iwp-cancel-save").focus()
    b.keyboard.press("Shift+Tab")
    b.keyboard.press("Enter")  # "Save under another name"
    b.wait_for_function("document.querySelector('.iwp-plan-name input').value === 'Jones 2026 (2)'",
                        timeout=TIMEOUT)
    question.wait_for(state="hidden", timeout=TIMEOUT)
    b.locator(".iwp-save").click()
    b.locator(".iwp-files-status", has_text="Saved “Jones 2026 (2)”").wait_for(timeout=TIMEOUT)
    assert (plans_dir / "Jones 2026.json").read_bytes() == saved
    assert "Goal of B" in (plans_dir / "Jones 2026 (2).json").read_text(encoding="utf-8")
    assert sorted(p.name for p in plans_dir.glob("[Jj]ones*")) == ["Jones 2026 (2).json", "Jones 2026.json"]
    assert a.js_errors == [] and b.js_errors == []


def test_exports_leave_with_the_session(browser, voila_server):
    """Exports go to a private folder of the page's session, removed when its kernel shuts down."""
    exports = voila_server.server.log_path.parent / "plans" / "exports"
    before = set(exports.iterdir()) if exports.is_dir() else set()
    # A plain context: the guarded pages' request interception drops the shutdown beacon on leaving.
    context = browser.new_context(base_url=voila_server)
    page = context.new_page()
    goto_ready(page, "voila/render/earnings_projection.ipynb")
    page.locator(".iwp-export-csv").click()
    page.locator(".iwp-downloads a[download$='.csv']").wait_for(timeout=TIMEOUT)
    (folder,) = set(exports.iterdir()) - before
    assert exports.stat().st_mode & 0o777 == 0o700 and folder.stat().st_mode & 0o777 == 0o700
    (export,) = folder.iterdir()
    assert export.suffix == ".csv" and export.stat().st_mode & 0o777 == 0o600
    page.goto("about:blank")  # leaving the page shuts its kernel down
    deadline = time.monotonic() + 60
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    context.close()
    assert not folder.exists()
