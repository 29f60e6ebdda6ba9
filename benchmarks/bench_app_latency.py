"""Input change → redrawn chart, measured in the browser, for the earnings-projection app.

Starts Voilà the way `make app` does (tests/browser/browser_support.py), opens the app in Debian's
Chromium, then 50 times presses an arrow key on the "Hours a week" slider and measures, inside the
page, from the keydown event to the moment Plotly.react has finished redrawing the pay chart (the
chart's `data-iwp-revision` attribute is set when the redraw promise resolves).

    .venv/bin/python benchmarks/bench_app_latency.py [--changes 50]

Prints the page's time to ready and the latency figures (ms). Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS_DIR, VoilaServer, open_app_page  # noqa: E402

CHART = ".iwp-chart-earnings-a .js-plotly-plot"

WATCH = """
(selector) => {
  window.__iwp = {keys: [], draws: [], calls: []};
  const gd = document.querySelector(selector);
  // Split each latency: kernel round trip (key -> Plotly.react called) and drawing (-> resolved).
  const react = window.Plotly.react;
  window.Plotly.react = function (...args) {
    if (args[0] === gd) window.__iwp.calls.push(performance.now());
    return react.apply(this, args);
  };
  document.addEventListener("keydown", () => window.__iwp.keys.push(performance.now()), true);
  new MutationObserver(() => window.__iwp.draws.push(performance.now()))
    .observe(gd, {attributes: true, attributeFilter: ["data-iwp-revision"]});
}
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, \
            VoilaServer(NOTEBOOKS_DIR, Path(scratch) / "voila.log") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Measure a page served from a warm kernel pool, as a counselor's page is once the
        # server has been up for a little while.
        server.wait_until_kernels_idle(server.pooled_kernels())
        started = time.perf_counter()
        page = open_app_page(browser, server.url, "earnings_projection")
        ready = time.perf_counter() - started
        page.locator(CHART).wait_for(state="visible")
        drawn = time.perf_counter() - started
        # Start from a preset so every arrow press changes every working month.
        page.locator(".iwp-preset select").select_option(label="Part-time, steady")
        page.wait_for_function(f"document.querySelector('{CHART}').getAttribute('data-iwp-revision') !== null")
        page.evaluate(WATCH, CHART)
        handle = page.locator(".iwp-start-hours .noUi-handle")
        handle.focus()
        latencies, round_trips = [], []
        for i in range(args.changes):
            page.keyboard.press("ArrowRight" if (i // 10) % 2 == 0 else "ArrowLeft")
            page.wait_for_function("(n) => window.__iwp.draws.length >= n", arg=i + 1, timeout=30_000)
            keys, calls, draws = page.evaluate("[window.__iwp.keys, window.__iwp.calls, window.__iwp.draws]")
            latencies.append(draws[i] - keys[i])
            round_trips.append(calls[i] - keys[i])
        browser.close()

    print(f"earnings_projection (warm kernel pool): ready {ready:.1f} s, first chart drawn {drawn:.1f} s after navigation")
    print(f"input change -> redrawn chart over {len(latencies)} changes (ms): "
          f"median {statistics.median(latencies):.1f}, p95 {percentile(latencies, 0.95):.1f}, "
          f"max {max(latencies):.1f}, min {min(latencies):.1f}")
    drawing = [total - trip for total, trip in zip(latencies, round_trips)]
    print(f"  of which key -> new figure in the browser (kernel round trip): median "
          f"{statistics.median(round_trips):.1f}, p95 {percentile(round_trips, 0.95):.1f}")
    print(f"  and Plotly.react drawing: median {statistics.median(drawing):.1f}, "
          f"p95 {percentile(drawing, 0.95):.1f}")
    print("target p95 < 100 ms:", "met" if percentile(latencies, 0.95) < 100 else "NOT met")


if __name__ == "__main__":
    main()
