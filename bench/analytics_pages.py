"""Time the analytics pages (Coverage, Discovery, Presentation) on a database: the first load of
each page with every cache empty (Streamlit's and core's memos), then reruns (the page run again
as a widget change would), and a drill-down rerun on Coverage. Server-side script time through
AppTest, which is what the page costs; the browser's drawing comes on top. Wall time and the
process's CPU time (all threads): on a loaded machine the CPU time says what the page needs.

    python -m bench.analytics_pages --db /tmp/analytics-full.duckdb [--reruns 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.accounts import use_for_pages


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--reruns", type=int, default=3)
    args = p.parse_args()
    use_for_pages(args.db)

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from core import coverage, risk
    from tests.apptest_helpers import ROOT, demo_user_id, signed_in_user

    out = {"db": args.db, "load_before": os.getloadavg()}
    for page in ("views/coverage.py", "views/discovery.py", "views/presentation.py"):
        st.cache_data.clear()
        st.cache_resource.clear()
        coverage._FACTS.clear()
        coverage._TIERED.clear()
        risk._ALIGNED.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.session_state["user"] = signed_in_user(demo_user_id("admin"))  # signed in
        at.run()  # the default page (Overview) first, as a user arriving would
        st.cache_data.clear()  # the analytics page's own first load, from cold caches
        coverage._FACTS.clear()
        coverage._TIERED.clear()
        risk._ALIGNED.clear()
        t, cpu = time.perf_counter(), time.process_time()
        at.switch_page(page).run()
        first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
        assert not at.exception, [e.value for e in at.exception]
        reruns, reruns_cpu = [], []
        for _ in range(args.reruns):
            t, cpu = time.perf_counter(), time.process_time()
            at.run()
            reruns.append(time.perf_counter() - t)
            reruns_cpu.append(time.process_time() - cpu)
        row = {"first_load_s": round(first, 2), "first_load_cpu_s": round(first_cpu, 2),
               "rerun_s": [round(r, 2) for r in reruns],
               "rerun_cpu_s": [round(r, 2) for r in reruns_cpu]}  # fmt: skip
        if page == "views/coverage.py":
            t = time.perf_counter()
            at.selectbox(key="coverage_district").set_value("南山区").run()
            row["drill_district_first_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            at.run()
            row["drill_district_rerun_s"] = round(time.perf_counter() - t, 2)
        out[page] = row
        print(page, row, flush=True)
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
