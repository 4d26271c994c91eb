"""The draw's stages at any scale, on a copy of a database: wall and CPU seconds (CPU counts
every thread of this process, a fairer figure on a shared machine), with the load average.

    python bench/draw_stages.py DB [--year 2026] [--repeat 3]

Stages: whole-campaign preview (coordinated, independent), one-plan preview, the Sampling page's
preview report, stratum sizes, the commitment notice, the first commit (with merge's independent
counterpart), a re-draw commit (counterpart already stored), the merge."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import db, merge, sampling, sampling_report  # noqa: E402
from core.vocab import TZ  # noqa: E402


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    con = db.connect(args.db)
    year = args.year
    res: dict[str, dict] = {}

    def stage(name, fn, repeat=1):
        walls, cpus, out = [], [], None
        for _ in range(repeat):
            out, w, c = timed(fn)
            walls.append(w)
            cpus.append(c)
        res[name] = {"wall_s": round(statistics.median(walls), 3),
                     "cpu_s": round(statistics.median(cpus), 3), "runs": repeat}  # fmt: skip
        print(name, res[name], flush=True)
        return out

    n = iter(range(1000))
    d = stage("preview_campaign", lambda: sampling.preview(con, year, secret=f"b{next(n)}",
                                                          beacon=""), args.repeat)  # fmt: skip
    res["preview_campaign"]["selected"] = d.total_selected
    stage("preview_independent", lambda: sampling.preview(con, year, secret="i", beacon="",
                                                         mode="independent"))  # fmt: skip
    plan = con.execute("SELECT plan_id FROM plans WHERE year = ? ORDER BY plan_id LIMIT 1",
                       [year]).fetchone()[0]  # fmt: skip
    stage("preview_one_plan", lambda: sampling.preview(con, year, plan_id=plan, secret="p",
                                                      beacon=""), args.repeat)  # fmt: skip
    stage("stratum_sizes", lambda: sampling.stratum_sizes(con, year), args.repeat)
    published = dt.datetime(2026, 1, 5, 10, tzinfo=TZ)
    stage("commitment_notice", lambda: sampling.publish_commitment(
        con, year, "bench", dt.date(2026, 1, 8), clock=lambda: published))  # fmt: skip
    stage("preview_page_report", lambda: sampling_report.preview_report(
        con, year, None, "10523.47", "coordinated"))  # fmt: skip
    day = dt.datetime(2026, 1, 8, 16, tzinfo=TZ)
    drawn = stage("commit_first", lambda: sampling.commit(con, year, "bench", beacon="10523.47",
                                                         clock=lambda: day))  # fmt: skip
    res["commit_first"]["draws"] = len(drawn.draw_ids)
    stage("commit_redraw", lambda: sampling.commit(con, year, "bench", beacon="10523.47",
                                                  reason="bench", clock=lambda: day))  # fmt: skip
    stage("merge", lambda: merge.merge_campaign(con, year, "bench"))
    res["load_average"] = os.getloadavg()
    con.close()
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
