"""Measure a whole campaign's draw (dev command, not a test): core/sampling.py against the
pandas groupby-sample baseline (core/sampling_baseline.py), each in its own process so that
peak memory (ru_maxrss) is its own. Needs `risk` filled (python -m tests.risk_fixture).

    python -m tests.measure_sampling --db /tmp/issue5-full.duckdb --which engine
    python -m tests.measure_sampling --db /tmp/issue5-full.duckdb --which baseline
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from core import db, sampling, sampling_baseline


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--year", type=int, default=2026)
    p.add_argument("--which", choices=["engine", "baseline"], required=True)
    p.add_argument("--mode", choices=sampling.MODES, default="coordinated")
    args = p.parse_args()
    con = db.connect(args.db)
    out: dict[str, object] = {"which": args.which, "db": args.db}
    if args.which == "engine":
        con.execute("DELETE FROM campaign_prn WHERE year = ?", [args.year])  # cold: hash all
        con.execute("DELETE FROM meta WHERE key = ?", [f"campaign_prn.{args.year}"])
        t = time.perf_counter()
        draw = sampling.preview(con, args.year, secret="measure", beacon="cold", mode=args.mode)
        out["cold_seconds"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        draw = sampling.preview(con, args.year, secret="measure", beacon="cold", mode=args.mode)
        out["warm_seconds"] = round(time.perf_counter() - t, 2)
        out["mode"] = args.mode
        out["selected"] = draw.total_selected
        out["frame_pairs"] = int(draw.strata["frame_size"].sum())
        out["cutoff_fallbacks"] = draw.cutoff_fallbacks
    else:
        t = time.perf_counter()
        inputs = sampling_baseline.load_inputs(con, args.year)
        out["load_seconds"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        sel = sampling_baseline.baseline_draw(con, args.year, seed=2026)
        out["seconds"] = round(time.perf_counter() - t, 2)
        out["selected"] = len(sel)
        del inputs
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["process_cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
