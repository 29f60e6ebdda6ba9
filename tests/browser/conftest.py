"""Browser tests: Debian's Chromium (through Playwright) against a real Voilà server.

Fixtures (the apps' browser tests use them):
    voila_server   session: `voila notebooks/` started from the repository root with the repo's
                   voila.json/voila.py on a free 127.0.0.1 port; the base URL (a str, with .server:
                   log_text(), log_path, kernel_processes(); plans the apps save go to
                   .server.log_path.parent / "plans" through IWP_PLANS_DIR)
    fixture_voila_server  the same for tests/fixtures/notebooks (placeholder app, failing cell)
    browser        pytest-playwright's browser, launched with Debian's chromium and the flags below
    open_app       open_app(name, query="", timeout_ms=..., server=None) -> a Page at
                   /voila/render/<name>.ipynb once `.iwp-app-ready` is visible; page.js_errors and
                   page.external_requests are lists the test asserts empty
    axe_audit      axe_audit(page) -> serious or critical axe-core violations (WCAG 2.1 A/AA)
Every test in this folder is marked `browser` (deselect with -m "not browser").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIXTURE_NOTEBOOKS_DIR,
    NOTEBOOKS_DIR,
    REPO_ROOT,
    VoilaServer,
    open_app_page,
)

BROWSER_TESTS_DIR = Path(__file__).parent
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                if os.environ.get("CI"):  # in CI the browser tests must run, never skip
                    raise pytest.UsageError("CI is set but Debian's chromium is not installed "
                                            "(make test installs it)")
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))


class ServerURL(str):
    """The server's base URL; `.server` is its VoilaServer (log, kernels, status())."""

    server: VoilaServer


def _serve(root: Path, log_path: Path, extra_args=()):
    server = VoilaServer(root, log_path, extra_args).start()
    url = ServerURL(server.url)
    url.server = server
    return url


_running_servers: list[VoilaServer] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of each running Voilà log to a failed browser test's report."""
    report = yield
    if report.failed and BROWSER_TESTS_DIR in Path(item.path).parents:
        for server in _running_servers:
            served = server.root.relative_to(REPO_ROOT)
            report.sections.append((f"Voilà log ({served})", server.log_text()[-8000:]))
    return report


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """`voila notebooks/` as `make app` runs it, on a free port."""
    if not any(NOTEBOOKS_DIR.rglob("*.ipynb")):
        pytest.skip("notebooks/ holds no notebook yet")
    url = _serve(NOTEBOOKS_DIR, tmp_path_factory.mktemp("voila") / "voila.log")
    _running_servers.append(url.server)
    yield url
    _running_servers.remove(url.server)
    url.server.stop()


@pytest.fixture(scope="session")
def fixture_voila_server(tmp_path_factory):
    """Voilà with the same configuration, serving tests/fixtures/notebooks (placeholder app, a
    notebook whose cell raises)."""
    url = _serve(FIXTURE_NOTEBOOKS_DIR, tmp_path_factory.mktemp("voila-fixtures") / "voila.log")
    _running_servers.append(url.server)
    yield url
    _running_servers.remove(url.server)
    url.server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium (never a downloaded one)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def open_app(browser, request):
    """open_app(name, query="") -> Page of /voila/render/<name>.ipynb, once `.iwp-app-ready` shows."""
    contexts = []

    def _open(name: str, query: str = "", server=None, **kwargs):
        base = server or request.getfixturevalue("voila_server")
        page = open_app_page(browser, base, name, query, **kwargs)
        contexts.append(page.context)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_audit():
    """axe_audit(page) -> the serious and critical WCAG 2.1 A/AA violations axe-core finds."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `npm ci` in the repository root")

    def _audit(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_SCRIPT))
        violations = page.evaluate(
            "async (tags) => (await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}})).violations",
            AXE_TAGS,
        )
        return [v for v in violations if v["impact"] in ("serious", "critical")]

    return _audit
