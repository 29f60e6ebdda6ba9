"""Re-take the app screenshots in this folder: `.venv/bin/python docs/screenshots/capture.py`.

Starts Voilà as `make app` does, opens each app in Debian's Chromium once it is ready, and saves
a PNG (downscaled and palette-reduced to stay small).
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests" / "browser"))

from browser_support import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS_DIR, VoilaServer  # noqa: E402

APPS = {
    # name: (query, actions before the picture)
    "goal_setting": "",
    "earnings_projection": "",
}


def main() -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, \
            VoilaServer(NOTEBOOKS_DIR, Path(scratch) / "voila.log") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, query in APPS.items():
            page = browser.new_page(viewport={"width": 1280, "height": 2200})
            page.goto(f"{server.url}voila/render/{name}.ipynb{query}", timeout=120_000)
            page.locator(".iwp-app-ready").first.wait_for(state="visible", timeout=120_000)
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
            if name == "earnings_projection":
                page.locator(".iwp-compare").click()
                page.locator(".iwp-chart-earnings-b .js-plotly-plot").wait_for(state="visible", timeout=60_000)
                page.locator(".iwp-path-b .iwp-preset select").select_option(label="Part-time 6 months, then full-time")
            time.sleep(3)  # let plotly finish its transitions
            height = page.evaluate("document.querySelector('.iwp-app').getBoundingClientRect().bottom") + 20
            picture = Image.open(io.BytesIO(page.screenshot(clip={"x": 0, "y": 0, "width": 1280,
                                                                  "height": min(height, 2200)})))
            picture = picture.resize((picture.width * 3 // 4, picture.height * 3 // 4), Image.LANCZOS)
            picture.convert("RGB").quantize(colors=128).save(HERE / f"{name}.png", optimize=True)
            print(f"{name}.png: {(HERE / f'{name}.png').stat().st_size // 1024} KiB")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
