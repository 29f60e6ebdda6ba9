"""How voila.json serves the apps: preheated kernels still read each page's query string, and the
iwp template names slider handles for screen readers."""

import pytest
from playwright.sync_api import expect

from browser_support import NOTEBOOKS_DIR

APPS = ["goal_setting", "earnings_projection"]

pytestmark = pytest.mark.timeout(600)


@pytest.mark.parametrize("app", APPS)
def test_preheated_app_opens_the_plan_named_in_the_query(open_app, voila_server, app):
    """With preheating, the kernel ran the notebook before the page was asked for; the app must
    still open the plan the page's query string names (a second load takes a fresh kernel)."""
    if not (NOTEBOOKS_DIR / f"{app}.ipynb").exists():
        pytest.skip(f"{app}.ipynb does not exist yet")
    for plan in ("ssi_student", "concurrent_irwe"):
        page = open_app(app, query=f"plan={plan}")
        expect(page.locator(".iwp-plan-name input")).to_have_value(plan, timeout=30_000)
        assert page.js_errors == []
    assert f"Using pre-heated kernel: " in voila_server.server.log_text()


def test_template_names_slider_handles(open_app, fixture_voila_server):
    page = open_app("placeholder_app", server=fixture_voila_server)
    expect(page.locator(".iwp-earnings .noUi-handle")).to_have_attribute("aria-label", "Monthly pay")


def test_closing_a_page_opened_by_its_link_shuts_its_kernel_down(browser, fixture_voila_server):
    """The page's shutdown request on leaving needs the _xsrf cookie, which /voila/render/ now sets
    (iwp_widgets/jupyter_workarounds.py); before, it got 403 and the kernel stayed until culled."""
    from browser_support import goto_ready

    server = fixture_voila_server.server
    before = {kernel.pid for kernel in server.kernel_processes()}
    # A plain context: Playwright's request interception (the guarded pages') drops the page's
    # shutdown beacon while the page unloads.
    context = browser.new_context(base_url=fixture_voila_server)
    page = context.new_page()
    goto_ready(page, "voila/render/placeholder_app.ipynb")
    assert any(cookie["name"] == "_xsrf" for cookie in context.cookies())
    mine = [kernel for kernel in server.kernel_processes() if kernel.pid not in before]
    assert len(mine) == 1
    page.goto("about:blank")  # leaving the page sends Voilà's shutdown request
    mine[0].wait(timeout=30)  # psutil: returns once the kernel process has ended
    context.close()
    assert "_xsrf' argument missing" not in server.log_text()
