"""Support for the browser tests and benchmarks: start and stop a real Voilà server the way
`make app` does (the `voila` script, run from the repository root so voila.json and voila.py
apply), and open guarded Chromium pages. Used by tests/browser and benchmarks/."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psutil
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
FIXTURE_NOTEBOOKS_DIR = REPO_ROOT / "tests" / "fixtures" / "notebooks"
CHROMIUM = shutil.which("chromium")
# Flags that let Debian's Chromium run headless in a container without reaching the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A cold app load takes 5-10 s on 2 cores, several times that when pages load together.
APP_READY_TIMEOUT_MS = 90_000
# The script next to this interpreter; `python -m voila` would import ./voila.py instead.
VOILA_SCRIPT = Path(sys.executable).parent / "voila"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class VoilaServer:
    """One `voila <root>` process bound to 127.0.0.1 on a free port, its output in `log_path`.
    Plans the apps save go to a `plans` folder next to the log (IWP_PLANS_DIR), never to ~."""

    def __init__(self, root: Path, log_path: Path, extra_args: tuple[str, ...] = ()):
        self.root = Path(root)
        self.log_path = Path(log_path)
        self.extra_args = tuple(extra_args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "VoilaServer":
        command = [
            str(VOILA_SCRIPT),
            str(self.root),
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--port={self.port}",
            *self.extra_args,
        ]
        self._log_file = open(self.log_path, "w")
        self.process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "PYTHONUNBUFFERED": "1",
                "IWP_PLANS_DIR": str(self.log_path.parent / "plans"),
                # Every test opens its pages in a fresh browser context (no iwp_client cookie, so
                # they all count for 127.0.0.1) and Playwright drops the pages' shutdown requests,
                # so their kernels stay until culled: generous kernel caps (iwp_widgets/serving.py)
                # unless a test sets its own.
                "IWP_MAX_KERNELS": os.environ.get("IWP_MAX_KERNELS", "100"),
                "IWP_MAX_KERNELS_PER_CLIENT": os.environ.get("IWP_MAX_KERNELS_PER_CLIENT", "100"),
            },
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voilà exited with {self.process.returncode}:\n{self.log_text()}")
            if self.status(self.url) == 200:
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"Voilà did not answer within {timeout} s:\n{self.log_text()}")

    def status(self, url: str, method: str = "GET") -> int | None:
        """HTTP status of a request to this server (None if nothing answered)."""
        request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kernel_processes(self) -> list[psutil.Process]:
        """The kernels this server started (one per open or not yet culled page)."""
        if self.process is None:
            return []
        return [
            child
            for child in psutil.Process(self.process.pid).children(recursive=True)
            if "ipykernel_launcher" in " ".join(child.cmdline())
        ]

    def pooled_kernels(self) -> int:
        """How many preheated kernels voila.json keeps for the notebooks this server serves."""
        if "--preheat_kernel=False" in self.extra_args:
            return 0
        if "--preheat_kernel=True" in self.extra_args:  # the command line's pool size, every notebook
            sizes = [int(arg.split("=")[1]) for arg in self.extra_args if arg.startswith("--pool_size=")]
            return (sizes[-1] if sizes else 1) * sum(1 for _ in self.root.rglob("*.ipynb"))
        config = json.loads((REPO_ROOT / "voila.json").read_text())
        if not config.get("VoilaConfiguration", {}).get("preheat_kernel"):
            return 0
        pools = config.get("VoilaKernelManager", {}).get("kernel_pools_config", {})
        return sum(
            pool.get("pool_size", 0)
            for name, pool in pools.items()
            if name != "default" and (self.root / name).exists()
        )

    def wait_until_kernels_idle(self, kernels: int, timeout: float = 300) -> None:
        """Wait until at least `kernels` kernels exist and all sit idle (a warm pool kernel waits,
        blocked, for its page's request)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            processes = self.kernel_processes()
            if len(processes) >= kernels:
                if sum(process.cpu_percent(interval=0.5) for process in processes) < 5:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{kernels} kernels were not idle within {timeout} s:\n{self.log_text()}")

    def stop(self) -> None:
        if self.process is None:
            return
        kernels = self.kernel_processes() if self.process.poll() is None else []
        if self.process.poll() is None:
            # SIGTERM: Voilà shuts its kernels down before it exits.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for kernel in kernels:  # only if Voilà could not shut them down itself
            if kernel.is_running():
                kernel.kill()
        self._log_file.close()

    def __enter__(self) -> "VoilaServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname in LOCAL_HOSTS


def new_guarded_page(browser, base_url: str | None = None):
    """A page in a fresh context that records console errors and page errors (page.js_errors) and
    any request that would leave localhost (page.external_requests; such requests are blocked, so
    a test behaves the same with or without a network)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.js_errors = []
    page.external_requests = []

    def on_console(message):
        if message.type == "error":
            page.js_errors.append(f"console: {message.text}")

    def block_external(route):
        page.external_requests.append(route.request.url)
        route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.js_errors.append(f"pageerror: {error}"))
    context.route(lambda url: not is_local(url), block_external)
    return page


def open_app_page(browser, base_url: str, name: str, query: str = "",
                  timeout_ms: int = APP_READY_TIMEOUT_MS):
    """A guarded page at /voila/render/<name>.ipynb, returned once `.iwp-app-ready` is visible."""
    page = new_guarded_page(browser, base_url)
    suffix = f"?{query.lstrip('?')}" if query else ""
    goto_ready(page, f"voila/render/{name}.ipynb{suffix}", timeout_ms)
    return page


def goto_ready(page, path: str, timeout_ms: int = APP_READY_TIMEOUT_MS, ready: str = ".iwp-app-ready") -> None:
    """Open ``path`` and wait for ``ready`` (the app's root box); load it once more if it never draws.

    On a loaded 2-core machine a Voilà page now and then connects to its kernel and never draws
    (no server error; cause not found, see docs/serving.md). A user would reload; so does this,
    once, and says so on stderr so the retry stays visible in the test log. The script errors of
    the load given up on (once "widget model not found") are printed there too and not kept in
    ``page.js_errors``, which then holds the drawn page's own.
    """
    for attempt in (1, 2):
        page.goto(path, timeout=timeout_ms)
        try:
            page.locator(ready).first.wait_for(state="visible", timeout=timeout_ms)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            abandoned = getattr(page, "js_errors", [])
            print(f"[iwp-tests] {path} did not draw in {timeout_ms} ms; loading it again "
                  f"(script errors of that load: {abandoned})", file=sys.stderr)
            abandoned.clear()


# Records, in the page's own clock, when the app's root box first appears (time to interactive).
READY_OBSERVER_JS = """
new MutationObserver((mutations, observer) => {
  if (document.querySelector('.iwp-app-ready')) {
    window.__iwpReadyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
"""

# Arms a probe: the next keydown starts a clock. `first` stops at the first change the kernel makes
# to the app outside the slider being moved (the slider's own handle moves without the kernel);
# `settled` at the last change before a second of quiet (the app has finished redrawing).
ARM_RESPONSE_PROBE_JS = """
(handle) => {
  const slider = handle.closest('.widget-slider') || handle;
  const root = document.querySelector('.iwp-app-ready');
  window.__iwpResponse = new Promise((resolve) => {
    let started = null, first = null, last = null, quiet = null;
    document.addEventListener('keydown', () => { started = performance.now(); },
                              {capture: true, once: true});
    const observer = new MutationObserver((mutations) => {
      if (started === null || !mutations.some((m) => !slider.contains(m.target))) return;
      last = performance.now() - started;
      if (first === null) first = last;
      clearTimeout(quiet);
      quiet = setTimeout(() => { observer.disconnect(); resolve({first, settled: last}); }, 1000);
    });
    observer.observe(root, {childList: true, subtree: true, characterData: true, attributes: true});
  });
}
"""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_load(browser, server: VoilaServer, app: str, sessions: int, slider: str = ".noUi-handle",
             timeout_ms: int = APP_READY_TIMEOUT_MS) -> dict:
    """Open `sessions` pages of `app` at once, press ArrowRight on the first `slider` handle in
    each, and measure.

    Returns {"ready_s": [...], "response_ms": [...], "settled_ms": [...], "kernel_rss_mib": [...],
    "kernel_uss_mib": [...], "js_errors": [...], "external_requests": [...], "wall_s": float}.
    Every page must become ready and answer its key press, or this raises.
    """
    # Counselors arrive at a server that has been up a while: its preheated kernels are warm.
    server.wait_until_kernels_idle(server.pooled_kernels())
    pages = []
    started = time.monotonic()
    try:
        for _ in range(sessions):
            page = new_guarded_page(browser, server.url)
            page.add_init_script(READY_OBSERVER_JS)
            # "commit": return once Voilà starts answering, so the loads run at the same time.
            page.goto(f"voila/render/{app}.ipynb", wait_until="commit", timeout=timeout_ms)
            pages.append(page)
        for page in pages:
            page.locator(".iwp-app-ready").first.wait_for(state="visible", timeout=timeout_ms)
        wall_s = time.monotonic() - started
        ready_s = [page.evaluate("window.__iwpReadyAt") / 1000 for page in pages]
        kernels = server.kernel_processes()
        rss = [kernel.memory_info().rss / 2**20 for kernel in kernels]
        uss = [kernel.memory_full_info().uss / 2**20 for kernel in kernels]
        for page in pages:
            handle = page.locator(f".iwp-app-ready {slider}").first
            page.evaluate(ARM_RESPONSE_PROBE_JS, handle.element_handle())
            handle.press("ArrowRight")
        responses = [
            page.evaluate(
                "Promise.race([window.__iwpResponse, new Promise((_, reject) => "
                "setTimeout(() => reject(new Error('no answer from the kernel')), 60000))])"
            )
            for page in pages
        ]
        return {
            "sessions": sessions,
            "wall_s": wall_s,
            "ready_s": ready_s,
            "response_ms": [response["first"] for response in responses],
            "settled_ms": [response["settled"] for response in responses],
            "kernels": len(kernels),
            "kernel_rss_mib": rss,
            "kernel_uss_mib": uss,
            "js_errors": [error for page in pages for error in page.js_errors],
            "external_requests": [url for page in pages for url in page.external_requests],
        }
    finally:
        for page in pages:
            page.context.close()


def summarize_load(figures: dict) -> str:
    """Plain-text lines of a run_load result."""
    ready, response, settled = figures["ready_s"], figures["response_ms"], figures["settled_ms"]
    rss, uss = figures["kernel_rss_mib"], figures["kernel_uss_mib"]
    return "\n".join([
        f"sessions {figures['sessions']}, kernels {figures['kernels']}, "
        f"all ready after {figures['wall_s']:.1f} s",
        f"time to interactive (s): median {_percentile(ready, 0.5):.1f}, "
        f"p90 {_percentile(ready, 0.9):.1f}, max {max(ready):.1f}",
        f"key press -> first change from the kernel (ms): median {_percentile(response, 0.5):.0f}, "
        f"p90 {_percentile(response, 0.9):.0f}, max {max(response):.0f}",
        f"key press -> page settled (ms): median {_percentile(settled, 0.5):.0f}, "
        f"p90 {_percentile(settled, 0.9):.0f}, max {max(settled):.0f}",
        f"kernel memory (MiB): RSS mean {sum(rss) / len(rss):.0f}, max {max(rss):.0f}; "
        f"USS mean {sum(uss) / len(uss):.0f}; total RSS {sum(rss):.0f}",
    ])
