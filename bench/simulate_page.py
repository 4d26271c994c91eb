"""Time a slider move on the Simulation page in a real browser (not a test: timings vary).

    python -m bench.simulate_page --db /tmp/full.duckdb [--moves 6]

Starts `streamlit run app.py` against the database, opens the Simulation page as policy staff
in headless Chromium (the demo account, created if missing), then clicks along the A类事项 /
A级 slider's track; each move is timed from the click until the page shows the re-evaluated
figures (the inspections metric changed and the script run finished). The first page load
(frames read once per data version) is reported apart."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.accounts import ensure_demo_accounts
from tests.browser import browser_page, sign_in, streamlit_server, wait_until_rendered


def inspections(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--moves", type=int, default=6)
    args = p.parse_args()
    ensure_demo_accounts(args.db)
    with streamlit_server(Path(args.db), timeout=300) as url, browser_page() as page:
        t = time.perf_counter()
        sign_in(page, url, "policy", path="simulate")
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=300_000)
        print(f"first load (signed in, frames read): {time.perf_counter() - t:.2f} s")
        slider = page.locator('[data-testid="stSlider"]').first
        value = slider.locator('input[type="range"]')
        rail = slider.locator('[role="group"] > div').first
        box = rail.bounding_box()
        times = []
        for i in range(args.moves):
            before = inspections(page)
            x = box["x"] + box["width"] * (0.15 + 0.7 * ((i * 0.37) % 1))
            t = time.perf_counter()
            page.mouse.click(x, box["y"] + box["height"] / 2)
            page.wait_for_function(
                "v => document.querySelector('[data-testid=stMetricValue]').innerText !== v",
                arg=before, timeout=120_000,
            )  # fmt: skip
            wait_until_rendered(page)
            times.append(time.perf_counter() - t)
            print(f"move {i + 1}: {times[-1]:.3f} s (slider {value.get_attribute('value')},"
                  f" inspections {before} -> {inspections(page)})")  # fmt: skip
        print(f"median {statistics.median(times):.3f} s over {len(times)} moves")


if __name__ == "__main__":
    main()
