"""How voila.json serves the apps: preheated kernels still read each page's query string, and the
iwp template names slider handles for screen readers."""

import contextlib

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


# --- Kernels only for counselors' pages (issue 13, item 4) ---------------------------------------

FOREIGN_SUBRESOURCES = 100


@contextlib.contextmanager
def other_local_sites(body: str):
    """Another web site on this machine (another port; 'localhost' is cross-site to 127.0.0.1, and
    127.0.0.1 on another port same-site), serving `body` at /. Chromium blocks a public http://
    page's requests to loopback (Local Network Access) but not these, and not every browser does."""
    import http.server
    import threading

    from browser_support import free_port

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    port = site.server_address[1]
    try:
        yield [f"http://localhost:{port}/", f"http://127.0.0.1:{port}/"]
    finally:
        site.shutdown()
        site.server_close()


def test_another_sites_images_and_frames_start_no_kernel(browser, fixture_voila_server):
    """Another site's page with <img> (and a few <iframe>, <script>) pointing at an app used to
    start one 200 MiB kernel each. Chromium marks such requests (Sec-Fetch-Site: cross-site or
    same-site, Sec-Fetch-Dest: image, iframe, script) and the server refuses them before any
    kernel starts. Two such pages, FOREIGN_SUBRESOURCES images in all."""
    server = fixture_voila_server.server
    before = len(server.kernel_processes())
    app = f"{fixture_voila_server}voila/render/placeholder_app.ipynb"
    per_page = FOREIGN_SUBRESOURCES // 2
    tags = [f'<img src="{app}?i={i}" alt="">' for i in range(per_page)]
    tags += [f'<iframe src="{app}?f={i}" title="f{i}"></iframe>' for i in range(2)]
    tags += [f'<script src="{app}?s={i}"></script>' for i in range(2)]
    refused_before = server.log_text().count("requested as part of another site's page")
    with other_local_sites("<!DOCTYPE html><title>other site</title>" + "".join(tags)) as sites:
        context = browser.new_context()
        try:
            for site in sites:
                page = context.new_page()
                page.goto(site, wait_until="load", timeout=120_000)
            page.wait_for_timeout(2000)
        finally:
            context.close()
    assert len(server.kernel_processes()) == before
    refused = server.log_text().count("requested as part of another site's page") - refused_before
    assert refused >= FOREIGN_SUBRESOURCES  # the requests did reach the server


CAP = 2
CAP_PER_CLIENT = 1
BURST = 100
COUNSELOR_MOVES = 12


@pytest.mark.timeout(240)
def test_burst_of_foreign_page_requests_stays_under_the_cap(tmp_path, monkeypatch, record_property,
                                                            capsys):
    """While a counselor's session is open, 100 requests for the app arrive at once from another
    site's links (navigations, so only the cap can stop them; half with fresh client cookies). No
    more page kernels than the cap start, the rest get the plain 'Too many open sessions' page,
    and the counselor's slider keeps answering."""
    import statistics
    import threading
    from types import SimpleNamespace

    from voila_client import (VoilaServer, foreign_burst, percentile, run_session,
                              shutdown_kernels)

    if not (NOTEBOOKS_DIR / "earnings_projection.ipynb").exists():
        pytest.skip("notebooks/earnings_projection.ipynb does not exist yet")
    monkeypatch.setenv("IWP_MAX_KERNELS", str(CAP))
    monkeypatch.setenv("IWP_MAX_KERNELS_PER_CLIENT", str(CAP_PER_CLIENT))
    with VoilaServer(NOTEBOOKS_DIR, tmp_path / "voila.log") as server:
        pooled = server.pooled_kernels()
        server.wait_until_kernels_idle(pooled)
        peak = [len(server.kernel_processes())]
        done = threading.Event()

        def watch_kernels():
            while not done.wait(0.25):
                peak[0] = max(peak[0], len(server.kernel_processes()))

        rendered = threading.Event()
        counselor = {}
        threading.Thread(target=watch_kernels, daemon=True).start()
        worker = threading.Thread(target=lambda: counselor.update(result=run_session(
            server.url, "earnings_projection", 0, COUNSELOR_MOVES, 180,
            on_rendered=rendered.set)), daemon=True)
        worker.start()
        assert rendered.wait(180), "the counselor's page did not render"
        burst = foreign_burst(server.url, "earnings_projection", BURST)
        worker.join(180)
        done.set()
        session = counselor["result"]
        kernel_ids = [*burst.kernel_ids, session.kernel_id]
        failures = shutdown_kernels(server, [SimpleNamespace(kernel_id=k, index=i)
                                             for i, k in enumerate(kernel_ids)])
        log = server.log_text()

    assert session.ok, session.error
    during = [ms for ms, at in zip(session.response_ms, session.moved_at)
              if burst.started <= at <= burst.ended]
    summary = (f"burst of {BURST}: {burst.statuses.count(200)} served, "
               f"{burst.statuses.count(429)} refused for the client, "
               f"{burst.statuses.count(503)} for the server, in {burst.ended - burst.started:.1f} s; "
               f"kernels at most {peak[0]} ({pooled} pooled); counselor slider (ms): median "
               f"{statistics.median(session.response_ms):.0f}, p95 "
               f"{percentile(session.response_ms, 0.95):.0f}, max {max(session.response_ms):.0f}; "
               f"{len(during)} of {len(session.response_ms)} moves during the burst")
    with capsys.disabled():
        print("\n" + summary)
    record_property("burst_summary", summary)

    assert set(burst.statuses) <= {200, 429, 503}
    assert 1 <= burst.statuses.count(200) <= CAP - 1  # the counselor holds one page kernel
    assert burst.statuses.count(429) >= 1 and burst.statuses.count(503) >= 1
    assert all("Too many open sessions" in body for body in burst.refusal_bodies)
    assert all("<script" not in body for body in burst.refusal_bodies)
    assert peak[0] <= CAP + pooled
    assert len(session.response_ms) == COUNSELOR_MOVES and during
    assert max(session.response_ms) < 30_000  # loose: only a stalled server exceeds it
    assert failures == []
    assert "too many open sessions" in log


def test_a_page_reloaded_at_the_cap_gets_its_kernel(browser, tmp_path, monkeypatch):
    """With room for one page, reloading it works: the old page's shutdown request frees its place
    at once (iwp_widgets/serving.py), not when the old kernel has exited; a second tab meanwhile
    gets the plain 'Too many open sessions' page."""
    from browser_support import FIXTURE_NOTEBOOKS_DIR, VoilaServer, goto_ready

    monkeypatch.setenv("IWP_MAX_KERNELS", "1")
    monkeypatch.setenv("IWP_MAX_KERNELS_PER_CLIENT", "1")
    with VoilaServer(FIXTURE_NOTEBOOKS_DIR, tmp_path / "voila.log") as server:
        # A plain context: the guarded pages' request interception drops the shutdown beacon.
        context = browser.new_context(base_url=server.url)
        try:
            page = context.new_page()
            goto_ready(page, "voila/render/placeholder_app.ipynb")
            other = context.new_page()
            response = other.goto("voila/render/placeholder_app.ipynb")
            assert response.status == 429
            expect(other.locator("h1")).to_have_text("Too many open sessions")
            other.close()
            response = page.reload()
            assert response.status == 200
            page.locator(".iwp-app-ready").first.wait_for(state="visible", timeout=90_000)
            assert len(server.kernel_processes()) <= 2  # the new kernel, the old one exiting
        finally:
            context.close()
