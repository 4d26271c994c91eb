"""Time the Overview page in a real browser on a database (not a test: timings vary by machine).

    python -m bench.overview_page --db /tmp/full.duckdb

Starts `streamlit run app.py` on 127.0.0.1 against the database, loads the page four times in
headless Chromium and prints each load's seconds until the headline numbers and every chart are
drawn; the first load fills the caches, the later ones are what a returning user waits."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tests.browser import browser_page, streamlit_server, wait_until_rendered


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--loads", type=int, default=4)
    args = p.parse_args()
    with streamlit_server(Path(args.db)) as url, browser_page() as page:
        for i in range(args.loads):
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
            wait_until_rendered(page)
            page.wait_for_selector(".js-plotly-plot >> nth=5", timeout=120_000)
            shown = page.locator('[data-testid="stMetricValue"]').nth(2).inner_text()
            print(f"load {i + 1}: {time.perf_counter() - t:.2f} s (targets shown: {shown})")


if __name__ == "__main__":
    main()
