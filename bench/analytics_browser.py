"""Time the Discovery and Coverage pages in a real browser (not a test: timings vary by machine).

    python -m bench.analytics_browser --db COPY.duckdb [--loads 3]

Starts `streamlit run app.py` on the database and, per page, opens it `--loads` times in new
sessions of headless Chromium, each signing in as the demo account `leader` (a full-scale
database needs them: core.users.create_demo_accounts); the time counts from submitting the
sign-in form until every chart is drawn. The first load fills the caches. Then one rerun per
page (Discovery: group by department; Coverage: drill down to 南山区), timed until drawn."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from tests.browser import (
    browser_page,
    demo_password,
    fill_signin,
    streamlit_server,
    wait_until_rendered,
)

CHARTS = {"discovery": 5, "coverage": 5}


def drawn(page, n: int) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}", timeout=300_000
    )
    wait_until_rendered(page, 300_000)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--loads", type=int, default=3)
    args = p.parse_args()
    out: dict = {"load_before": os.getloadavg()}
    with streamlit_server(Path(args.db), timeout=300) as url, browser_page() as page:
        for name, charts in CHARTS.items():
            loads = []
            for _ in range(args.loads):
                page.goto(f"{url}/{name}")  # a new session: signs in, then the page draws
                wait_until_rendered(page, 300_000)
                t = time.perf_counter()
                fill_signin(page, "leader", demo_password("leader"))
                drawn(page, charts)
                loads.append(round(time.perf_counter() - t, 2))
            t = time.perf_counter()
            if name == "discovery":
                page.locator('[data-testid="stRadio"] label', has_text="部门").first.click()
            else:
                page.locator('[data-testid="stSelectbox"]').nth(1).click()  # year, district
                page.get_by_role("option", name="南山区").click()
            page.wait_for_timeout(300)
            drawn(page, charts)
            out[name] = {"loads_s": loads, "rerun_s": round(time.perf_counter() - t, 2)}
            print(name, out[name], flush=True)
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
