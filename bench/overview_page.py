"""Time the Overview page in a real browser on a database (not a test: timings vary by machine).

    python -m bench.overview_page --db /tmp/full.duckdb

Starts `streamlit run app.py` on 127.0.0.1 against the database, loads the page four times in
headless Chromium and prints each load's seconds until the headline numbers and every chart are
drawn; the first load fills the caches, the later ones are what a returning user waits. Each
load is a new session that signs in (as the demo account `leader`, or --user/--password: a
full-scale database has no demo accounts, create one with `python -m core users add`); the time
counts from submitting the sign-in form."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tests.browser import (
    browser_page,
    demo_password,
    fill_signin,
    streamlit_server,
    wait_until_rendered,
)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--loads", type=int, default=4)
    p.add_argument("--user", default="leader")
    p.add_argument("--password", default=None, help="default: the demo account's")
    args = p.parse_args()
    with streamlit_server(Path(args.db)) as url, browser_page() as page:
        for i in range(args.loads):
            page.goto(f"{url}/overview")  # a new session: signs in, then the page draws
            wait_until_rendered(page)
            t = time.perf_counter()
            fill_signin(page, args.user, args.password or demo_password(args.user))
            page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
            wait_until_rendered(page)
            page.wait_for_selector(".js-plotly-plot >> nth=5", timeout=120_000)
            shown = page.locator('[data-testid="stMetricValue"]').nth(2).inner_text()
            print(f"load {i + 1}: {time.perf_counter() - t:.2f} s (targets shown: {shown})")


if __name__ == "__main__":
    main()
