"""Time every page of every role on a database: each page's first load with Streamlit's and
core's caches empty, then a rerun (what a widget change costs when nothing it reads changed).
Server-side script time through AppTest; the browser's drawing comes on top. Wall and CPU time
(all threads of this process), with the load average.

    python -m bench.all_pages --db FULL_COPY_WITH_CAMPAIGN [--roles admin,inspector] [--json]

The demo accounts are added when the database has none (a full-scale build)."""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.accounts import use_for_pages


def _clear_caches() -> None:
    import streamlit as st

    from core import coverage, risk

    st.cache_data.clear()
    st.cache_resource.clear()
    coverage._FACTS.clear()
    coverage._TIERED.clear()
    risk._ALIGNED.clear()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--roles", default="")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    use_for_pages(args.db)

    from streamlit.testing.v1 import AppTest

    from tests.app_pages import pages_for, walking_roles
    from tests.apptest_helpers import ROOT, demo_user_id, signed_in_user

    roles = [r for r in args.roles.split(",") if r] or walking_roles()
    out: dict = {"db": args.db, "load_before": os.getloadavg(), "pages": []}
    for role in roles:
        user = demo_user_id(role)
        try:
            session_user = signed_in_user(user) if user is not None else None
        except LookupError:
            print(f"{role:10s} skipped: the database has no demo account of this role", flush=True)
            continue
        for page in pages_for(role):
            _clear_caches()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            if session_user is not None:
                at.session_state["user"] = session_user
            at.run()
            _clear_caches()
            t, cpu = time.perf_counter(), time.process_time()
            at.switch_page(page).run()
            first, first_cpu = time.perf_counter() - t, time.process_time() - cpu
            t, cpu = time.perf_counter(), time.process_time()
            at.run()
            rerun, rerun_cpu = time.perf_counter() - t, time.process_time() - cpu
            row = {"role": role, "page": page, "first_s": round(first, 2),
                   "first_cpu_s": round(first_cpu, 2), "rerun_s": round(rerun, 2),
                   "rerun_cpu_s": round(rerun_cpu, 2),
                   "exception": [str(e.value)[:200] for e in at.exception]}  # fmt: skip
            out["pages"].append(row)
            if not args.json:
                print(f"{role:10s} {page:32s} first {first:6.2f} s ({first_cpu:5.2f} CPU)  "
                      f"rerun {rerun:5.2f} s ({rerun_cpu:5.2f} CPU)"
                      + (f"  EXCEPTION {row['exception']}" if row["exception"] else ""),
                      flush=True)  # fmt: skip
    out["load_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"load average before {out['load_before']}, after {out['load_after']}")


if __name__ == "__main__":
    main()
