"""python -m core bench: time the annual cycle at a scale (see core/bench.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core import bench, synth
from core.commands import emit, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="time every stage of the annual cycle at a scale")
    p.add_argument("--scale", default="demo", help="demo, full or a number of targets")
    p.add_argument("--repeat", type=int, default=3, help="runs per stage; the median is shown")
    p.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    p.add_argument("--workdir", help="folder for the temporary database (default: system tmp)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument(
        "--scaling",
        action="store_true",
        help="run at 0.5 M, 1 M, 2 M and 6.43 M targets (or --scales) instead",
    )
    p.add_argument("--scales", help="comma-separated scales for --scaling")
    p.add_argument("--out", help="also write the JSON result to this file")
    p.add_argument(
        "--compare",
        action="store_true",
        help="only our whole-campaign draw against the pandas baseline, alternately in child "
        "processes, --repeat rounds; prints the ratio",
    )
    p.add_argument(
        "--db", help="time the stages (or --compare) on a copy of this database instead of a build"
    )
    p.add_argument("--stages", help="comma-separated stage names to run (default: all)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        synth.parse_scale(args.scale)
    except ValueError as e:
        return fail(str(e), 2)
    if args.repeat < 1:
        return fail("--repeat must be at least 1", 2)

    def say(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    if args.scaling:
        return run_scaling(args, say)
    if args.compare:
        return run_compare(args, say)
    if args.db and not Path(args.db).is_file():
        return fail(f"no database at {args.db}", 2)
    only = [s.strip() for s in args.stages.split(",") if s.strip()] if args.stages else None
    try:
        result = bench.run_bench(
            args.scale, args.repeat, args.seed, args.workdir, say, args.db, only
        )
    except ValueError as e:
        return fail(str(e), 2)
    write_out(args, result)
    lines = [f"scale {result['scale']:,} targets, peak RSS {result['peak_rss_mb']:,.0f} MB"]
    for s in result["stages"]:
        if "absent" in s:
            lines.append(f"  {s['name']:<20} absent: {s['absent']}")
        else:
            line = f"  {s['name']:<20} {s['median_s']:>9.3f} s  (median of {s['runs']})"
            if "detail" in s:
                line += f"  slowest {s['detail']['slowest']} {s['detail']['slowest_s']:.3f} s"
            lines.append(line)
    dvp = result.get("draw_vs_pandas")
    if dvp:
        lines.append(
            f"  draw vs pandas: ours {dvp['ours_s']:.3f} s, pandas {dvp['pandas_s']:.3f} s, "
            f"{dvp['ratio']:.1f}x faster"
        )
    emit(args, result, "\n".join(lines))
    return 0


def write_out(args: argparse.Namespace, result: dict) -> None:
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=2)


def run_scaling(args: argparse.Namespace, say) -> int:
    try:
        scales = (
            tuple(synth.parse_scale(s) for s in args.scales.split(","))
            if args.scales
            else bench.SCALING
        )
    except ValueError as e:
        return fail(str(e), 2)
    result = bench.run_scaling(scales, args.repeat, args.seed, args.workdir, progress=say)
    write_out(args, result)
    header = "stage".ljust(20) + "".join(f"{n:>14,}" for n in scales)
    lines = [header]
    for name, by_scale in result["seconds_by_stage"].items():
        cells = "".join(
            f"{by_scale[n]:>13.3f}s" if by_scale[n] is not None else f"{'-':>14}" for n in scales
        )
        lines.append(name.ljust(20) + cells)
    lines.append(
        "peak RSS MB".ljust(20) + "".join(f"{r['peak_rss_mb']:>14,.0f}" for r in result["runs"])
    )
    emit(args, result, "\n".join(lines))
    return 0


def run_compare(args: argparse.Namespace, say) -> int:
    if args.db and not Path(args.db).is_file():
        return fail(f"no database at {args.db}", 2)
    result = bench.run_compare(
        args.scale, args.repeat, args.seed, args.workdir, args.db, progress=say
    )
    write_out(args, result)
    text = "\n".join(
        [
            f"{result['targets']:,} targets, {result['rounds']} rounds, alternately "
            f"(load average {', '.join(f'{x:.2f}' for x in result['load_average'])})",
            f"  ours    {result['ours_median_s']:>8.3f} s median  {result['ours_s']}  "
            f"peak {result['ours_peak_rss_mb']:,.0f} MB, {result['selected_ours']:,} drawn",
            f"  pandas  {result['pandas_median_s']:>8.3f} s median  {result['pandas_s']}  "
            f"peak {result['pandas_peak_rss_mb']:,.0f} MB, {result['selected_pandas']:,} drawn",
            f"  ratio   {result['ratio']:.1f}x (pandas median / ours); CPU time "
            f"{result['pandas_cpu_median_s']:.2f} s / {result['ours_cpu_median_s']:.2f} s = "
            f"{result['cpu_ratio']:.1f}x",
        ]
    )
    emit(args, result, text)
    return 0
