"""Several counselors at once (issue 8): N app pages opened together on one Voilà server, a slider
moved in each; every page must render and answer. N comes from IWP_LOAD_SESSIONS (default 3, kept
small for CI: each page is a kernel running the app and Chromium must draw it). The 20-session load
test without a browser is tests/test_load_websocket.py (benchmarks/bench_load.py prints its figures).
"""

import os

import pytest

from browser_support import (
    FIXTURE_NOTEBOOKS_DIR,
    NOTEBOOKS_DIR,
    VoilaServer,
    run_load,
    summarize_load,
)

SESSIONS = int(os.environ.get("IWP_LOAD_SESSIONS", "3"))
MAX_SESSIONS = 30  # one kernel each, about 164 MiB: keep the test bounded
LOAD_APP = "earnings_projection"
# Hours worked in the first month: moving it changes every month's pay, so the chart redraws.
LOAD_APP_SLIDER = ".iwp-start-hours .noUi-handle"


@pytest.fixture
def load_server(tmp_path):
    """A fresh server, so every kernel it holds belongs to this test's pages."""
    if (NOTEBOOKS_DIR / f"{LOAD_APP}.ipynb").exists():
        root, app, slider = NOTEBOOKS_DIR, LOAD_APP, LOAD_APP_SLIDER
    else:
        root, app, slider = FIXTURE_NOTEBOOKS_DIR, "placeholder_app", ".iwp-earnings .noUi-handle"
    with VoilaServer(root, tmp_path / "voila.log") as server:
        yield server, app, slider


def test_concurrent_sessions_render_and_respond(browser, load_server, record_property):
    assert 1 <= SESSIONS <= MAX_SESSIONS, f"IWP_LOAD_SESSIONS must be 1..{MAX_SESSIONS}"
    server, app, slider = load_server
    figures = run_load(browser, server, app, SESSIONS, slider, timeout_ms=120_000 + 60_000 * SESSIONS)
    print(f"\n{app}: {summarize_load(figures)}")
    record_property("load_figures", figures)

    assert len(figures["ready_s"]) == SESSIONS
    assert len(figures["response_ms"]) == SESSIONS
    # One kernel per page, plus the preheated pools refilling; no more.
    assert SESSIONS <= figures["kernels"] <= SESSIONS + server.pooled_kernels()
    assert figures["js_errors"] == []
    assert figures["external_requests"] == []
    # Loose bounds that only a broken server would exceed (figures on 2 busy cores: docs/serving.md).
    assert len(figures["settled_ms"]) == SESSIONS
    assert max(figures["settled_ms"]) < 30_000
    assert max(figures["kernel_rss_mib"]) < 1024
