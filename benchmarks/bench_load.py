"""Many counselors at once (issue 8): N sessions of the earnings projection opened together on one Voilà server (as
`make app` runs it), as websocket clients instead of browsers. Each session loads the page, fetches
the widget states over the kernel websocket (render check: the `iwp-app-ready` root box), then
moves the "Hours a week" slider and times the kernel's answer (new chart data, kernel idle).
Prints render and response times (median / p95) and memory per kernel (psutil RSS and USS).

Usage:  .venv/bin/python benchmarks/bench_load.py [--sessions 20] [--moves 3] [--no-preheat] [--voila-arg=...]
The session count defaults to $IWP_LOAD_SESSIONS, else 20. The CI version is
tests/test_load_websocket.py; the browser version (drawing in Chromium) tests/browser/test_load.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = "earnings_projection"  # the app with the hours slider and chart the sessions use
sys.path.insert(0, str(REPO_ROOT / "tests"))

from voila_client import NOTEBOOKS_DIR, VoilaServer, run_sessions, shutdown_kernels, summarize  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="N concurrent websocket sessions of the earnings "
                                     "projection app on one Voilà server; prints the figures.")
    parser.add_argument("--sessions", type=int, default=int(os.environ.get("IWP_LOAD_SESSIONS", "20")))
    parser.add_argument("--moves", type=int, default=3, help="slider moves per session")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per session")
    parser.add_argument("--no-preheat", action="store_true",
                        help="serve with --preheat_kernel=False (every page starts its own kernel)")
    parser.add_argument("--voila-arg", action="append", default=[], metavar="ARG",
                        help="extra Voilà command-line option, e.g. --voila-arg=--pool_size=4 (repeatable)")
    args = parser.parse_args()
    extra = (*(("--preheat_kernel=False",) if args.no_preheat else ()), *args.voila_arg)
    with tempfile.TemporaryDirectory() as tmp:
        with VoilaServer(NOTEBOOKS_DIR, Path(tmp) / "voila.log", extra) as server:
            results, memory = run_sessions(server, APP, args.sessions, args.moves, args.timeout)
            failures = shutdown_kernels(server, results)
    print(f"{APP} {' '.join(extra)}: {summarize(results, memory)}")
    print("page returned per session (s): "
          + ", ".join("-" if r.page_s is None else f"{r.page_s:.1f}" for r in results))
    print("rendered per session (s): "
          + ", ".join("-" if r.rendered_s is None else f"{r.rendered_s:.1f}" for r in results))
    if failures:
        print("kernel shutdown failed: " + "; ".join(failures))
    if failures or not all(r.ok for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
