"""python -m core publish: publish a year's notices and write the public folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from core import db, export, publish
from core.commands import add_common, emit, fail, open_database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="publish a year's notices and write the public folder")
    add_common(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help="folder to write (created if missing)")
    p.add_argument("--actor", default="cli", help="who publishes, for the audit log")
    p.add_argument("--reason", help="why a changed notice is re-published (a correction)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.db or db.default_db_path())
    if not path.exists():
        return fail(f"{path}: no database (run python -m core init first)")
    con = open_database(args)
    try:
        if args.year not in publish.publication_years(con):
            return fail(f"--year {args.year}: no plans for that year")
        stored = publish.publish_year(con, args.year, args.actor, args.reason)
        written = export.write_publication(con, args.year, Path(args.out))
    finally:
        con.close()
    payload = {"year": args.year, "new_publications": len(stored.new),
               "unchanged": stored.unchanged, "corrections": stored.corrections,
               **written.__dict__}  # fmt: skip
    lines = [
        f"year            {args.year}",
        f"new versions    {len(stored.new):>6,}  (of which corrections {stored.corrections:,}; "
        f"{stored.unchanged:,} unchanged)",
        f"plan notices    {written.plan_notices:>6,}",
        "result notices  "
        + (f"{written.result_notices:>6,}" if written.results_available
           else "  none: no results recorded yet"),
        f"draw records    {written.draws:>6,}  ({written.frame_files:,} frame files)",
        f"written to      {written.out}",
        *(f"not exported: {p}" for p in written.problems),
    ]  # fmt: skip
    emit(args, payload, "\n".join(lines))
    return 0
