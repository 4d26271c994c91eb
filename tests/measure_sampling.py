"""Measure a whole campaign's draw (dev command, not a test): core/sampling.py against the
pandas groupby-sample baseline (core/sampling_baseline.py), each in its own process so that
peak memory (ru_maxrss) is its own. Needs `risk` filled (python -m core init scores every target).

    python -m tests.measure_sampling --db /tmp/issue5-full.duckdb --which engine
    python -m tests.measure_sampling --db /tmp/issue5-full.duckdb --which baseline
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from core import db, sampling, sampling_baseline


def cpu() -> float:
    """CPU seconds of this process (all threads): steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
        con.execute("DELETE FROM campaign_prn_seed WHERE year = ?", [args.year])
        for run in ("cold", "warm"):  # cold: hashes every target; warm: u already stored
            t, c = time.perf_counter(), cpu()
            draw = sampling.preview(con, args.year, secret="measure", beacon="b", mode=args.mode)
            out[f"{run}_seconds"] = round(time.perf_counter() - t, 2)
            out[f"{run}_cpu_seconds"] = round(cpu() - c, 2)
        out["mode"] = args.mode
        out["selected"] = draw.total_selected
        out["frame_pairs"] = int(draw.strata["frame_size"].sum())
        out["cutoff_fallbacks"] = draw.cutoff_fallbacks
    else:
        t, c = time.perf_counter(), cpu()
        sel = sampling_baseline.baseline_draw(con, args.year, seed=2026)
        out["seconds"] = round(time.perf_counter() - t, 2)
        out["cpu_seconds"] = round(cpu() - c, 2)
        out["selected"] = len(sel)  # (the time includes reading the tables into pandas)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
