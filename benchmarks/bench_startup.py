"""Time to interactive of each Voilà app, cold and with a preheated kernel.

Time to interactive = from the start of the page's navigation (the page's own clock) until the
app's root box (`.iwp-app-ready`) is in the page. Each app is served alone from a temporary copy of
its notebook, with the repository's voila.json/voila.py (started from the repository root):

    cold:     a new kernel starts and runs the notebook when the page is requested
    preheat:  --preheat_kernel=True --pool_size=1: a kernel has already run the notebook up to the
              point where it waits for the page's request (voila.utils.wait_for_request)

Usage:  .venv/bin/python benchmarks/bench_startup.py [--samples 3] [app ...]
Prints one line per app and mode; figures depend on the machine's load (see docs/serving.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOKS_DIR,
    READY_OBSERVER_JS,
    VoilaServer,
    new_guarded_page,
)

APPS = ["goal_setting", "earnings_projection"]
PAGE_TIMEOUT_MS = 300_000


def time_to_interactive(browser, server: VoilaServer, app: str) -> float:
    page = new_guarded_page(browser, server.url)
    try:
        page.add_init_script(READY_OBSERVER_JS)
        page.goto(f"voila/render/{app}.ipynb", timeout=PAGE_TIMEOUT_MS)
        page.locator(".iwp-app-ready").first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
        if page.js_errors:
            raise RuntimeError(f"{app}: script errors {page.js_errors}")
        return page.evaluate("window.__iwpReadyAt") / 1000
    finally:
        page.context.close()


def measure(browser, app: str, preheat: bool, samples: int, workdir: Path) -> list[float]:
    root = workdir / ("preheat" if preheat else "cold") / app
    root.mkdir(parents=True)
    shutil.copy(NOTEBOOKS_DIR / f"{app}.ipynb", root)
    extra = ("--preheat_kernel=True", "--pool_size=1") if preheat else ()
    times = []
    with VoilaServer(root, root.parent / f"{app}.log", extra) as server:
        for sample in range(samples):
            if preheat:
                # The pool refills after each page takes its kernel (kernels stay until culled).
                server.wait_until_kernels_idle(sample + 1)
            else:
                time.sleep(2)  # let the previous page's kernel settle
            times.append(time_to_interactive(browser, server, app))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", default=APPS)
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"{'app':22} {'mode':8} {'median s':>9} {'min s':>7} {'max s':>7}  samples")
        for app in args.apps:
            for preheat in (False, True):
                times = measure(browser, app, preheat, args.samples, Path(tmp))
                print(
                    f"{app:22} {'preheat' if preheat else 'cold':8} "
                    f"{statistics.median(times):9.1f} {min(times):7.1f} {max(times):7.1f}  "
                    + ", ".join(f"{t:.1f}" for t in times),
                    flush=True,
                )
        browser.close()


if __name__ == "__main__":
    main()
