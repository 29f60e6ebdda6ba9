"""The exposed surface of the served apps (issue 8): what a browser on the network can reach.

Runs against real Voilà processes started as `make app` starts them (voila.json + voila.py from the
repository root): `voila_server` serves notebooks/, `fixture_voila_server` serves
tests/fixtures/notebooks/ (a placeholder app, and a notebook whose cell raises).
"""

from __future__ import annotations

import json
import re
import socket
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect

from browser_support import FIXTURE_NOTEBOOKS_DIR, NOTEBOOKS_DIR, goto_ready, new_guarded_page

pytestmark = pytest.mark.timeout(300)

APPS = ["goal_setting", "earnings_projection"]
DISTINCTIVE_NAME = "Zebulon Testperson"

# Jupyter server endpoints that list or read files, open terminals, start kernels or run code.
# Voilà does not register them; each must answer something other than 200.
CLOSED_ENDPOINTS = [
    ("GET", "api/contents"),
    ("GET", "api/contents/notebooks"),
    ("GET", "files/README.md"),
    ("GET", "tree"),
    ("GET", "lab"),
    ("GET", "terminals"),
    ("GET", "api/terminals"),
    ("POST", "api/terminals"),
    ("GET", "api/kernels"),
    ("POST", "api/kernels"),
    ("GET", "api/sessions"),
    ("POST", "api/sessions"),
    ("GET", "api/kernelspecs"),
    ("GET", "notebooks/placeholder_app.ipynb"),
    ("GET", "edit/README.md"),
    ("GET", "api/status"),
    ("GET", "api/me"),
    # Path traversal out of the served folder, plain and percent-encoded.
    ("GET", "voila/files/../README.md"),
    ("GET", "voila/files/%2e%2e/README.md"),
    ("GET", "voila/files/..%2fvoila.json"),
    ("GET", "voila/static/..%2f..%2fapp.py"),
    ("GET", "voila/api/contents/..%2fREADME.md"),
    ("GET", "voila/templates/lab/static/..%2f..%2f..%2f..%2fREADME.md"),
    # Notebook files themselves (they hold the code) are not served as files.
    ("GET", "voila/files/placeholder_app.ipynb"),
    # /voila/render/<not a notebook> redirects to /voila/files/<path>; follow it to its answer.
    ("GET", "voila/render/../README.md"),
    ("GET", "voila/render/..%2f..%2fvoila.json"),
]


def raw_response(base_url: str, method: str, path: str, headers: dict | None = None,
                 follow: bool = True) -> tuple[int, str]:
    """(status, body) of a request sent with the path exactly as written (no '..' folding) and
    the given headers (Host defaults to the server's own address), following redirects."""
    host, port = base_url.split("//")[1].rstrip("/").split(":")
    headers = {"Host": f"{host}:{port}", **(headers or {})}
    for _ in range(5):
        with socket.create_connection((host, int(port)), timeout=60) as conn:
            body = b"{}" if method == "POST" else b""
            lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            conn.sendall(
                f"{method} /{path} HTTP/1.1\r\n{lines}"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body
            )
            response = b""
            while chunk := conn.recv(65536):
                response += chunk
        head, _, content = response.partition(b"\r\n\r\n")
        head = head.decode("latin-1")
        status = int(head.split()[1])
        location = re.search(r"^Location: (\S+)", head, re.MULTILINE | re.IGNORECASE)
        if follow and status in (301, 302, 303, 307, 308) and location:
            path = location.group(1).lstrip("/")
            continue
        return status, content.decode(errors="replace")
    raise AssertionError(f"too many redirects for {path}")


def raw_status(base_url: str, method: str, path: str) -> int:
    return raw_response(base_url, method, path)[0]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode()


def code_lines(notebook: Path) -> list[str]:
    """Distinctive source lines of the notebook's code cells (long enough not to occur by chance)."""
    cells = json.loads(notebook.read_text())["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines += [line.strip() for line in source.splitlines() if len(line.strip()) >= 12]
    return lines


def available_apps() -> list[str]:
    return [name for name in APPS if (NOTEBOOKS_DIR / f"{name}.ipynb").exists()]


@pytest.fixture(params=["fixture_voila_server", "voila_server"])
def any_server(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(("method", "path"), CLOSED_ENDPOINTS, ids=lambda v: str(v))
def test_jupyter_endpoints_are_closed(any_server, method, path):
    assert raw_status(any_server, method, path) != 200


def test_notebook_listing_api_shows_names_only(fixture_voila_server):
    """/voila/api/contents is open (Voilà's tree page uses it) but lists the served folder's
    notebook names and dates only: no content, nothing outside that folder."""
    listing = json.loads(fetch(fixture_voila_server + "voila/api/contents"))
    assert {entry["name"] for entry in listing["content"]} == {
        path.name for path in FIXTURE_NOTEBOOKS_DIR.glob("*.ipynb")
    }
    single = json.loads(fetch(fixture_voila_server + "voila/api/contents/placeholder_app.ipynb"))
    assert single["content"] is None


def test_placeholder_sources_are_stripped(fixture_voila_server):
    html = fetch(fixture_voila_server + "voila/render/placeholder_app.ipynb")
    assert "application/vnd.jupyter.widget-view+json" in html  # the notebook ran
    notebook = FIXTURE_NOTEBOOKS_DIR / "placeholder_app.ipynb"
    assert "IWP-SOURCE-MARKER" not in html
    leaked = [line for line in code_lines(notebook) if line in html]
    assert leaked == []


@pytest.mark.parametrize("app", APPS)
def test_app_sources_are_stripped(voila_server, app):
    notebook = NOTEBOOKS_DIR / f"{app}.ipynb"
    if not notebook.exists():
        pytest.skip(f"{notebook.name} does not exist yet")
    html = fetch(voila_server + f"voila/render/{app}.ipynb")
    leaked = [line for line in code_lines(notebook) if line in html]
    assert leaked == []


def test_failing_cell_shows_a_plain_message_not_a_traceback(fixture_voila_server):
    html = fetch(fixture_voila_server + "voila/render/failing_cell.ipynb")
    assert "Before the failure" in html  # cells before the failure ran
    for private in ("IWP-TRACEBACK-MARKER", "/home/secret", "Traceback", "RuntimeError",
                    "load_private_plan"):
        assert private not in html
    assert "Please reload the page" in html
    # The traceback goes to the server log instead, for whoever runs the server.
    assert "IWP-TRACEBACK-MARKER" in fixture_voila_server.server.log_text()


def test_server_listens_on_loopback_only(any_server):
    server = any_server.server
    processes = [psutil.Process(server.process.pid), *server.kernel_processes()]
    listening = [
        (process.pid, conn.laddr.ip, conn.laddr.port)
        for process in processes
        for conn in process.net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN
    ]
    assert any(port == server.port for _, _, port in listening)
    assert [entry for entry in listening if entry[1] not in ("127.0.0.1", "::1")] == []


def test_server_refuses_connections_on_other_addresses(any_server):
    addresses = {
        address.address
        for addresses in psutil.net_if_addrs().values()
        for address in addresses
        if address.family == socket.AF_INET and not address.address.startswith("127.")
    }
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address")
    for address in addresses:
        with pytest.raises(OSError):
            socket.create_connection((address, any_server.server.port), timeout=3).close()


def test_template_loads_nothing_from_outside(browser, fixture_voila_server):
    """The iwp template drops the lab template's CDN links: the page works offline."""
    page = new_guarded_page(browser, fixture_voila_server)
    try:
        goto_ready(page, "voila/render/placeholder_app.ipynb")
        page.wait_for_load_state("networkidle")
        assert page.external_requests == []
        page.goto("", timeout=30_000)  # the notebook list uses the template's page.html
        page.wait_for_load_state("networkidle")
        assert page.external_requests == []
    finally:
        page.context.close()


def test_placeholder_page_has_no_script_errors_or_serious_axe_violations(
    open_app, fixture_voila_server, axe_audit
):
    """The template itself (shared by every app) passes axe-core's serious/critical WCAG checks."""
    page = open_app("placeholder_app", server=fixture_voila_server)
    assert page.js_errors == []
    assert page.external_requests == []
    assert axe_audit(page) == []


@pytest.mark.parametrize("app", APPS)
def test_app_loads_nothing_from_outside(open_app, app):
    if not (NOTEBOOKS_DIR / f"{app}.ipynb").exists():
        pytest.skip(f"{app}.ipynb does not exist yet")
    page = open_app(app)
    page.wait_for_load_state("networkidle")
    assert page.external_requests == []


# Fields where a counselor types a beneficiary's name, and what to type there.
NAME_FIELDS = [
    (".iwp-name input", DISTINCTIVE_NAME),
    (".iwp-sign-beneficiary input", f"{DISTINCTIVE_NAME}, 2026-01-15"),
]


def _type_name_and_move_slider(page) -> bool:
    """Type the distinctive name into each name field the app has, then nudge a slider.
    Returns whether there was a name field."""
    typed = False
    for selector, text in NAME_FIELDS:
        field = page.locator(selector).first
        if field.count() == 0:
            continue
        field.fill(text)
        field.press("Tab")  # fields with continuous_update=False send their value on blur
        typed = True
    handle = page.locator(".noUi-handle").first
    if handle.count():
        handle.focus()
        handle.press("ArrowRight")
    page.wait_for_timeout(2000)  # let the kernel receive and handle the changes
    return typed


def test_no_beneficiary_name_in_server_log(open_app, fixture_voila_server):
    page = open_app("placeholder_app", server=fixture_voila_server)
    assert _type_name_and_move_slider(page)
    # The kernel received the name: it drew it into the summary.
    expect(page.locator(".iwp-summary")).to_contain_text(DISTINCTIVE_NAME, timeout=30_000)
    assert DISTINCTIVE_NAME not in fixture_voila_server.server.log_text()


@pytest.mark.parametrize("app", APPS)
def test_no_beneficiary_name_in_app_server_log(open_app, voila_server, app):
    if not (NOTEBOOKS_DIR / f"{app}.ipynb").exists():
        pytest.skip(f"{app}.ipynb does not exist yet")
    page = open_app(app)
    if _type_name_and_move_slider(page):
        assert DISTINCTIVE_NAME not in voila_server.server.log_text()
    else:
        # No name field: the plan's own name (from the example plan) must stay out of the log.
        from iwp_widgets.apps.base import DEFAULT_EXAMPLE
        from iwp_widgets.plan import Plan

        example_name = Plan.example(DEFAULT_EXAMPLE).iwp.beneficiary_name
        assert example_name and example_name not in voila_server.server.log_text()
    assert page.js_errors == []


# --- Who may reach the server (issue 13, items 3 and 11) -----------------------------------------

FOREIGN_HOST = "evil.example"
# What a page of the app loads besides the kernel websocket, and the list and logout pages.
APP_PATHS = [
    "",
    "voila/tree",
    "voila/render/placeholder_app.ipynb",
    "voila/api/contents",
    "voila/static/voila.js",
    "voila/templates/iwp/static/index.css",
    "voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json",
    "logout",
]


def _port(base_url: str) -> int:
    return int(base_url.rstrip("/").rsplit(":", 1)[1])


@pytest.mark.parametrize("path", APP_PATHS)
def test_requests_naming_another_host_are_refused(fixture_voila_server, path):
    """DNS rebinding: a page of evil.example whose name now points to 127.0.0.1 sends
    `Host: evil.example:<port>`. Every endpoint refuses it, the page one before starting a kernel;
    the server's own names still work."""
    server = fixture_voila_server.server
    port = _port(fixture_voila_server)
    kernels_before = len(server.kernel_processes())
    status, body = raw_response(fixture_voila_server, "GET", path,
                                {"Host": f"{FOREIGN_HOST}:{port}"}, follow=False)
    assert status == 403
    assert FOREIGN_HOST not in body and "This server answers only at its own address." in body
    assert len(server.kernel_processes()) == kernels_before
    if not path.startswith("voila/render/"):  # the allowed names, without starting kernels
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            assert raw_response(fixture_voila_server, "GET", path, {"Host": host})[0] == 200


@pytest.fixture
def placeholder_kernel(fixture_voila_server):
    """The kernel id of a freshly opened placeholder page; the kernel is shut down afterwards."""
    from types import SimpleNamespace

    from voila_client import KERNEL_ID, shutdown_kernels

    html = fetch(fixture_voila_server + "voila/render/placeholder_app.ipynb")
    kernel_id = KERNEL_ID.search(html).group(1)
    yield kernel_id
    shutdown_kernels(fixture_voila_server.server, [SimpleNamespace(kernel_id=kernel_id, index=0)])


def _websocket_status(base_url: str, path: str, host: str | None = None,
                      origin: str | None = None) -> int:
    """101 if the websocket opened, else the HTTP status the server refused it with."""
    import websocket

    url = base_url.replace("http://", "ws://").rstrip("/") + "/" + path
    options = {"host": host} if host else {}
    if origin is None:
        options["suppress_origin"] = True
    else:
        options["origin"] = origin
    try:
        websocket.create_connection(url, timeout=30, **options).close()
    except websocket.WebSocketBadStatusException as refused:
        return refused.status_code
    return 101


def test_kernel_websocket_accepts_only_allowed_hosts_and_origins(fixture_voila_server,
                                                                 placeholder_kernel):
    """Before: any Origin equal to the Host passed, so a rebound evil.example page could talk to
    the kernel. Now Host and Origin must both be one of the server's own addresses (port too)."""
    port = _port(fixture_voila_server)
    path = f"api/kernels/{placeholder_kernel}/channels"
    foreign = f"{FOREIGN_HOST}:{port}"
    assert _websocket_status(fixture_voila_server, path, foreign, f"http://{foreign}") == 403
    assert _websocket_status(fixture_voila_server, path, origin=f"http://{foreign}") == 403
    assert _websocket_status(fixture_voila_server, path, origin=f"http://127.0.0.1:{port + 1}") == 403
    assert _websocket_status(fixture_voila_server, path, origin="null") == 403
    local = f"localhost:{port}"
    assert _websocket_status(fixture_voila_server, path, local, f"http://{local}") == 101
    assert _websocket_status(fixture_voila_server, path, origin=f"http://127.0.0.1:{port}") == 101


def test_preheat_query_websocket_refuses_other_hosts(fixture_voila_server, placeholder_kernel):
    """/voila/query/<kernel id> (a plain tornado handler, outside jupyter_server's Host check)
    hands a preheated kernel its page's query string."""
    port = _port(fixture_voila_server)
    path = f"voila/query/{placeholder_kernel}"
    assert _websocket_status(fixture_voila_server, path, host=f"{FOREIGN_HOST}:{port}") == 403


def test_logout_answers_a_plain_page(any_server):
    """/logout was a 500 (jupyter_server's template needs a static_path Voilà has not set)."""
    status, body = raw_response(any_server, "GET", "logout")
    assert status == 200
    assert "nothing to sign out of" in body


def _voila_command(port: int, *args: str) -> list[str]:
    """`make app`'s command for the fixture notebooks, with its own --Voila.ip (VoilaServer
    always adds 127.0.0.1, and traitlets refuses a second value)."""
    from browser_support import VOILA_SCRIPT

    return [str(VOILA_SCRIPT), str(FIXTURE_NOTEBOOKS_DIR), "--no-browser", f"--port={port}", *args]


def test_server_will_not_listen_beyond_loopback_without_a_token():
    import subprocess

    from browser_support import REPO_ROOT, free_port

    port = free_port()
    finished = subprocess.run(_voila_command(port, "--Voila.ip=0.0.0.0"), cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=120)
    log = finished.stdout + finished.stderr
    assert finished.returncode == 1, log
    assert "IWP Planner will not start" in log and "--Voila.token" in log
    assert "Voilà is running at" not in log


def test_server_beyond_loopback_with_a_token_asks_for_it(tmp_path):
    import subprocess
    import time

    from browser_support import REPO_ROOT, free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    token = "iwp-test-" + "7" * 32
    with open(tmp_path / "voila.log", "w") as log:
        process = subprocess.Popen(_voila_command(port, "--Voila.ip=0.0.0.0", f"--Voila.token={token}"),
                                   cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while "Voilà is running at" not in (tmp_path / "voila.log").read_text():
            assert process.poll() is None and time.monotonic() < deadline, (
                (tmp_path / "voila.log").read_text())
            time.sleep(0.25)
        assert raw_response(base, "GET", "voila/api/contents")[0] == 403
        status, body = raw_response(base, "GET", f"voila/api/contents?token={token}")
        assert status == 200 and "placeholder_app.ipynb" in body
        status, body = raw_response(base, "GET", "logout")
        assert status == 200 and "You are signed out" in body
    finally:
        process.terminate()
        process.wait(timeout=30)
