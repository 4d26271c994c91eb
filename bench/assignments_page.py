"""Time the Assignments page on a database with an assigned campaign: its first load with every
cache empty, reruns (a widget change), and the interactions that read: opening a visit in the
replacement form, and the CSV download's file. Server-side script time through AppTest (what
the page costs; the browser's drawing comes on top), wall and CPU seconds (all threads).

    python -m bench.assignments_page --db /tmp/assign/an.duckdb [--reruns 3]

The database must be writable: the admin demo account is created when it is missing (a
full-scale build has none)."""

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

    from core import db, registry_io
    from core.assignment import report
    from tests.apptest_helpers import ROOT, demo_user_id, signed_in_user

    def timed(fn) -> tuple[float, float]:
        t, cpu = time.perf_counter(), time.process_time()
        fn()
        return round(time.perf_counter() - t, 3), round(time.process_time() - cpu, 3)

    out: dict = {"db": args.db, "load_before": os.getloadavg()}
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["user"] = signed_in_user(demo_user_id("admin"))
    at.run()  # the default page first, as a user arriving would
    st.cache_data.clear()
    out["first_load_s"], out["first_load_cpu_s"] = timed(
        lambda: at.switch_page("views/assignments.py").run()
    )
    assert not at.exception, [e.value for e in at.exception]
    out["reruns"] = [timed(at.run) for _ in range(args.reruns)]
    con = db.connect(args.db)  # the app holds the file read-write: the same configuration
    try:
        year = int(db.get_meta(con, "campaign_year") or 2026)
        visit = con.execute(
            "SELECT a.visit_id FROM assignments a JOIN visits v USING (visit_id) "
            "WHERE a.active AND v.year = ? ORDER BY 1 LIMIT 1",
            [year],
        ).fetchone()[0]
        frame = report.assignments(con, year)
    finally:
        con.close()
    out["open_visit_for_replacement"] = timed(
        lambda: at.text_input(key="replace_visit").set_value(visit).run()
    )
    assert not at.exception, [e.value for e in at.exception]
    out["csv_download_build"] = timed(lambda: registry_io.csv_bytes(report.export_frame(frame)[0]))
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
