"""python -m core results import FILE | simulate --year Y: bulk entry and simulated results."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from core.commands import add_common, cli_lang, emit, fail, open_database
from core.refusal import Refused
from core.results import bulk, simulate
from core.writes import cli_actor

SHOWN_ERRORS = 50


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("results", help="inspection results: bulk import, simulated results")
    actions = p.add_subparsers(dest="action", required=True)
    imp = actions.add_parser(
        "import", help="results from a department's system (CSV/XLSX), all-or-nothing"
    )
    add_common(imp)
    imp.add_argument("file", help="columns visit_id, plan_id, item_code, outcomes, completed_on, "
                     "note")  # fmt: skip
    imp.add_argument("--reason", help="why approved visits are changed (needed for them)")
    imp.add_argument("--report", help="write the rejection report (CSV) here")
    imp.set_defaults(func=run_import)
    sim = actions.add_parser(
        "simulate", help="fill a committed, assigned campaign with simulated results"
    )
    add_common(sim)
    sim.add_argument("--year", type=int, required=True)
    sim.add_argument(
        "--as-of", type=date.fromisoformat, default=None,
        help="the day the simulation stands on (default: today, Asia/Shanghai)",
    )  # fmt: skip
    sim.set_defaults(func=run_simulate)


def run_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"no such file: {path}", 2)
    con = open_database(args)
    try:
        result = bulk.import_file(con, path, cli_actor(), args.reason)
    except Refused as e:
        return fail(e.message(cli_lang()))
    finally:
        con.close()
    payload = result.summary()
    if result.ok:
        emit(args, payload, (
            f"imported {path.name} ({result.format}): {result.rows:,} results for "
            f"{result.visits:,} visits; {result.to_review:,} now awaiting review, "
            f"{result.corrected:,} approved visits corrected"))  # fmt: skip
        return 0
    if args.report:
        Path(args.report).write_bytes(bulk.report_csv(result))
    payload["error_rows"] = result.errors.to_dict("records")
    lines = [f"rejected {path.name}: {len(result.errors):,} problem(s); nothing was imported",
             "file,row,column,value,reason"]  # fmt: skip
    for e in result.errors.head(SHOWN_ERRORS).itertuples(index=False):
        lines.append(f"{e.file},{e.row},{e.column},{e.value},{e.reason} ({e.reason_en})")
    if len(result.errors) > SHOWN_ERRORS:
        lines.append(f"… {len(result.errors) - SHOWN_ERRORS:,} more (use --report FILE or --json)")
    emit(args, payload, "\n".join(lines))
    return 1


def run_simulate(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        done = simulate.simulate(con, args.year, cli_actor(), args.as_of)
    except Refused as e:
        return fail(e.message(cli_lang()))
    finally:
        con.close()
    s = done.summary()
    rate = "-" if s["discovery_rate"] is None else f"{s['discovery_rate']:.1%}"
    emit(args, s, "\n".join([
        f"simulated results (simulated=true) for {args.year}, as of {s['as_of']}",
        f"visits completed  {s['visits']:>8,}  ({s['done']:,} approved, {s['review']:,} awaiting "
        f"review; {s['pending']:,} not yet done)",
        f"tasks             {s['tasks']:>8,}  ({s['problems']:,} with a problem found, "
        f"discovery rate {rate})",
        f"visits with results entered by people, left as they are: {s['skipped_real']:,}",
    ]))  # fmt: skip
    return 0
