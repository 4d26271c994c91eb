"""python -m core bench: time the annual cycle at a scale (see core/bench.py)."""

from __future__ import annotations

import argparse
import sys

from core import bench, synth
from core.commands import emit, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="time every stage of the annual cycle at a scale")
    p.add_argument("--scale", default="demo", help="demo, full or a number of targets")
    p.add_argument("--repeat", type=int, default=3, help="runs per stage; the median is shown")
    p.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    p.add_argument("--workdir", help="folder for the temporary database (default: system tmp)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
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

    result = bench.run_bench(args.scale, args.repeat, args.seed, args.workdir, progress=say)
    lines = [f"scale {result['scale']:,} targets, peak RSS {result['peak_rss_mb']:,.0f} MB"]
    for s in result["stages"]:
        if "absent" in s:
            lines.append(f"  {s['name']:<20} absent: {s['absent']}")
        else:
            lines.append(f"  {s['name']:<20} {s['median_s']:>9.3f} s  (median of {s['runs']})")
    dvp = result.get("draw_vs_pandas")
    if dvp:
        lines.append(
            f"  draw vs pandas: ours {dvp['ours_s']:.3f} s, pandas {dvp['pandas_s']:.3f} s, "
            f"{dvp['ratio']:.1f}x faster"
        )
    emit(args, result, "\n".join(lines))
    return 0
