"""python -m core merge: merge the campaign's committed draws into visits, save them, and print
the four rounds (计划联合、集中抽取、系统对碰、任务整合) against the baseline."""

from __future__ import annotations

import argparse

import duckdb

from core import merge
from core.commands import add_common, emit, fail, open_database
from core.db import default_db_path
from core.refusal import Refused
from core.writes import cli_actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("merge", help="merge drawn targets into visits and measure the savings")
    add_common(p)
    p.add_argument("--year", type=int, required=True, help="campaign year")
    p.add_argument(
        "--compare",
        action="store_true",
        help="also show the independent-mode draw of the same campaign (computed, not saved)",
    )
    p.set_defaults(func=run)


def _text(summary: dict, title: str) -> list[str]:
    width = 12
    lines = [
        title,
        f"  baseline (department visits)  {summary['baseline_pairs']:>{width},}",
    ]
    for r in summary["rounds"]:
        lines.append(f"  - {r['name']} ({r['key']})".ljust(32) + f"{r['removed']:>{width},}")
    lines += [
        f"  = visits                      {summary['visits']:>{width},}",
        f"    of which desk checks        {summary.get('desk_checks', 0):>{width},}",
        f"  removed                       {summary['removed']:>{width},}"
        f"  ({summary['savings_pct']:.2f} %)",
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    try:
        con = open_database(args)
    except duckdb.IOException as e:
        return fail(f"cannot open {path}: {str(e).splitlines()[0]}")
    try:
        result = merge.merge_campaign(con, args.year, actor=cli_actor())
        saved = merge.saved_run(con, args.year) or {}
    except Refused as e:
        return fail(e.message("en"))
    except (ValueError, merge.NoCommittedDraw) as e:
        return fail(str(e))
    finally:
        con.close()
    summary = result.summary()
    if args.compare:
        summary["independent"] = saved.get("independent") or summary_copy(summary)
    summary["seconds"] = result.seconds
    lines = _text(summary, f"merge {args.year} ({result.mode} draw, {len(result.draw_ids)} draws)")
    if args.compare:
        lines += _text(summary["independent"], "independent-mode draw of the same campaign")
    lines.append(
        f"saved {result.visits_cross_checked:,} visits ({result.task_pairs:,} tasks) to {path} in "
        f"{result.seconds['merge_and_save']} s (+ {result.seconds['counterpart_draw']} s for the "
        "independent counterpart draw)"
    )
    emit(args, summary, "\n".join(lines))
    return 0


def summary_copy(summary: dict) -> dict:
    """An independent-mode draw is its own independent counterpart."""
    keys = ("year", "mode", "baseline_pairs", "plan_pairs", "task_pairs", "visits", "removed",
            "savings_pct", "rounds", "counterpart_measured")  # fmt: skip
    return {k: summary[k] for k in keys}
