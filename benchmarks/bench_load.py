"""Many counselors at once: N pages of one app opened together on one Voilà server (as `make app`
runs it), a slider moved in each. Prints time to interactive, the slider's round trip through the
kernel, and memory per kernel (psutil RSS and USS).

Usage:  .venv/bin/python benchmarks/bench_load.py [--sessions 20] [--app earnings_projection]
The CI version of this is tests/browser/test_load.py (IWP_LOAD_SESSIONS, default 3).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOKS_DIR,
    VoilaServer,
    run_load,
    summarize_load,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--app", default="earnings_projection")
    parser.add_argument("--slider", default=".iwp-start-hours .noUi-handle",
                        help="CSS selector of the slider handle to move in each page")
    parser.add_argument("--no-preheat", action="store_true",
                        help="serve with --preheat_kernel=False (every page starts its own kernel)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        extra = ("--preheat_kernel=False",) if args.no_preheat else ()
        with VoilaServer(NOTEBOOKS_DIR, Path(tmp) / "voila.log", extra) as server:
            figures = run_load(browser, server, args.app, args.sessions, args.slider,
                               timeout_ms=120_000 + 60_000 * args.sessions)
        browser.close()
    print(f"{args.app}: {summarize_load(figures)}")
    print("time to interactive per page (s): " + ", ".join(f"{t:.1f}" for t in figures["ready_s"]))
    print("first change per page (ms): " + ", ".join(f"{t:.0f}" for t in figures["response_ms"]))
    print("settled per page (ms): " + ", ".join(f"{t:.0f}" for t in figures["settled_ms"]))
    if figures["js_errors"] or figures["external_requests"]:
        print(f"script errors: {figures['js_errors']}\nexternal requests: {figures['external_requests']}")
        sys.exit(1)


if __name__ == "__main__":
    main()
