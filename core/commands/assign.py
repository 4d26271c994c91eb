"""python -m core assign: draw inspectors for every visit of a merged campaign (双随机's second
random, rule suicha-assign-sha256-v1), or with --capacity only show demand against capacity and
what would close each department's shortfall."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from core.assignment import capacity, run
from core.commands import NoDatabase, add_common, cli_lang, emit, fail, open_database
from core.refusal import Refused
from core.writes import cli_actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assign", help="draw inspectors for every visit of a merged campaign")
    add_common(p)
    p.add_argument("--year", type=int, required=True, help="campaign year")
    p.add_argument(
        "--capacity",
        action="store_true",
        help="only show each department's demand, capacity and shortfall options (no writes)",
    )
    p.add_argument("--record", help="also write the run's record (JSON) to this file")
    p.set_defaults(func=main)


def _capacity(args: argparse.Namespace) -> int:
    try:
        con = open_database(args, read_only=True)
    except (NoDatabase, duckdb.Error) as e:
        return fail(str(e).splitlines()[0])
    try:
        table = capacity.department_capacity(con, args.year)
        options = capacity.shortfall_options(con, args.year)
    finally:
        con.close()
    payload = {
        "year": args.year,
        "departments": table.to_dict(orient="records"),
        "shortfalls": options.to_dict(orient="records"),
    }
    lines = [f"capacity {args.year}: {len(table)} departments, {len(options)} short"]
    lines.append(f"  {'dept':<12}{'inspectors':>11}{'cap':>6}{'capacity':>10}{'demand':>9}"
                 f"{'short':>8}{'cap needed':>12}{'borrow':>8}{'defer':>7}")  # fmt: skip
    for r in options.itertuples():
        lines.append(
            f"  {r.dept_code:<12}{r.inspectors:>11,}{r.cap_per_inspector:>6}{r.capacity:>10,}"
            f"{r.demand:>9,}{r.shortfall:>8,}{r.cap_needed or 0:>12,}{r.borrow_closes:>8,}"
            f"{r.defer_visits:>7,}"
        )
    emit(args, payload, "\n".join(lines))
    return 0


def main(args: argparse.Namespace) -> int:
    if args.capacity:
        return _capacity(args)
    try:
        con = open_database(args)
    except (NoDatabase, duckdb.Error) as e:
        return fail(str(e).splitlines()[0])
    t = time.perf_counter()
    try:
        result = run.assign_campaign(con, args.year, cli_actor())
    except Refused as e:
        return fail(e.message(cli_lang()))
    finally:
        con.close()
    seconds = round(time.perf_counter() - t, 2)
    if args.record:
        Path(args.record).write_text(result.record_json, encoding="utf-8")
    summary = {**result.summary(), "total_seconds": seconds}
    reasons = ", ".join(f"{k} {v:,}" for k, v in summary["unstaffed_by_reason"].items())
    lines = [
        f"assign {args.year} ({summary['algorithm']}, run {result.run_id})",
        f"  visits            {result.visits:>10,}  (of which desk checks {result.desk_checks:,})",
        f"  staffed           {result.staffed:>10,}  with {len(result.assignments):,} inspectors",
        f"  unstaffed         {result.unstaffed_visits:>10,}  departments short: {reasons or '-'}",
        f"  recusal hits      {len(result.recusal_hits):>10,}",
        f"  record sha256     {result.record_sha256}",
        f"  time              {seconds} s "
        + " ".join(f"{k}={v}" for k, v in summary["seconds"].items()),
    ]
    if args.record:
        lines.append(f"  record written to {args.record}")
    emit(args, summary, "\n".join(lines))
    return 0
