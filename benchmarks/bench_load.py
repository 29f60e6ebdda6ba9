"""Many counselors at once (issue 8): N sessions of the earnings projection opened together on one Voilà server (as
`make app` runs it), as websocket clients instead of browsers. Each session loads the page, fetches
the widget states over the kernel websocket (render check: the `iwp-app-ready` root box), then
moves the "Hours a week" slider and times the kernel's answer (new chart data, kernel idle).
Prints render and response times (median / p95) and memory per kernel (psutil RSS and USS).

With --foreign-burst N (issue 13), once every session has rendered, N requests for the app arrive
at once from another site's links (tests/voila_client.py, foreign_burst) while the sessions keep
moving their slider: prints how many the kernel cap served and refused, the most kernels seen, and
the slider p95 of the moves made during the burst.

Usage:  .venv/bin/python benchmarks/bench_load.py [--sessions 20] [--moves 3] [--no-preheat] [--voila-arg=...]
        .venv/bin/python benchmarks/bench_load.py --sessions 2 --moves 10 --foreign-burst 100 --max-kernels 4
The session count defaults to $IWP_LOAD_SESSIONS, else 20. The CI version is
tests/test_load_websocket.py; the browser version (drawing in Chromium) tests/browser/test_load.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = "earnings_projection"  # the app with the hours slider and chart the sessions use
sys.path.insert(0, str(REPO_ROOT / "tests"))

from voila_client import (NOTEBOOKS_DIR, VoilaServer, foreign_burst, kernel_memory,  # noqa: E402
                          percentile, run_session, run_sessions, shutdown_kernels, summarize)


def sessions_during_burst(server, sessions: int, moves: int, timeout: float, burst_size: int):
    """`sessions` sessions of the app; when all have rendered, a foreign burst of `burst_size`
    page requests while they move their sliders. Returns (results, memory, burst, peak kernels)."""
    import time

    server.wait_until_kernels_idle(server.pooled_kernels())
    results = [None] * sessions
    rendered = threading.Semaphore(0)
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.wait(0.25):
            peak[0] = max(peak[0], len(server.kernel_processes()))

    def session(index):
        results[index] = run_session(server.url, APP, index, moves, timeout,
                                     on_rendered=rendered.release)

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(sessions)]
    threading.Thread(target=watch, daemon=True).start()
    wall = time.monotonic()
    for thread in threads:
        thread.start()
    for _ in range(sessions):
        if not rendered.acquire(timeout=timeout):
            break  # a session failed before rendering; burst anyway, its error is reported
    burst = foreign_burst(server.url, APP, burst_size)
    for thread in threads:
        thread.join(timeout)
    done.set()
    memory = kernel_memory(server, {r.kernel_id for r in results if r and r.kernel_id})
    memory["wall_s"] = time.monotonic() - wall
    return results, memory, burst, peak[0]


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
    parser.add_argument("--foreign-burst", type=int, default=0, metavar="N",
                        help="N page requests from another site's links once the sessions render")
    parser.add_argument("--max-kernels", type=int, help="the server's cap (IWP_MAX_KERNELS)")
    parser.add_argument("--max-kernels-per-client", type=int,
                        help="the per-client cap (IWP_MAX_KERNELS_PER_CLIENT)")
    args = parser.parse_args()
    extra = (*(("--preheat_kernel=False",) if args.no_preheat else ()), *args.voila_arg)
    if args.foreign_burst:
        # The test servers' caps are generous (browser_support.py); a burst gets the real defaults.
        from iwp_widgets import serving

        args.max_kernels = args.max_kernels or serving.default_max_kernels()
        args.max_kernels_per_client = (args.max_kernels_per_client
                                       or serving.DEFAULT_MAX_KERNELS_PER_CLIENT)
    for name, value in (("IWP_MAX_KERNELS", args.max_kernels),
                        ("IWP_MAX_KERNELS_PER_CLIENT", args.max_kernels_per_client)):
        if value is not None:
            os.environ[name] = str(value)  # the server inherits the environment
    burst = None
    with tempfile.TemporaryDirectory() as tmp:
        with VoilaServer(NOTEBOOKS_DIR, Path(tmp) / "voila.log", extra) as server:
            if args.foreign_burst:
                results, memory, burst, peak = sessions_during_burst(
                    server, args.sessions, args.moves, args.timeout, args.foreign_burst)
                results = [r for r in results if r is not None]
            else:
                results, memory = run_sessions(server, APP, args.sessions, args.moves, args.timeout)
            failures = shutdown_kernels(server, results)
    print(f"{APP} {' '.join(extra)}: {summarize(results, memory)}")
    if burst is not None:
        during = [ms for r in results for ms, at in zip(r.response_ms, r.moved_at)
                  if burst.started <= at <= burst.ended]
        print(f"foreign burst of {args.foreign_burst} in {burst.ended - burst.started:.1f} s: "
              f"{burst.statuses.count(200)} served, {burst.statuses.count(429)} refused (429, "
              f"client cap), {burst.statuses.count(503)} refused (503, server cap), other "
              f"{len(burst.statuses) - sum(burst.statuses.count(s) for s in (200, 429, 503))}; "
              f"most kernels at once {peak} ({server.pooled_kernels()} pooled)")
        if during:
            print(f"slider update -> chart data during the burst ({len(during)} moves) (ms): "
                  f"median {statistics.median(during):.0f}, p95 {percentile(during, 0.95):.0f}, "
                  f"max {max(during):.0f}")
        else:
            print("no slider move fell inside the burst (use more --moves)")
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
