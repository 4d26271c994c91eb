"""python -m core publish: publish a year's notices and write the public folder, atomically
(core/publication/release.py): the folder is absent or complete, and the database's new versions
are committed only once the folder is complete. Exit 1 on any refusal, nothing half-done."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.commands import add_common, cli_lang, database_path, emit, fail, open_database
from core.publication import folder, release
from core.refusal import Refused
from core.writes import attempt, cli_actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="publish a year's notices and write the public folder")
    add_common(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--out",
        required=True,
        help="folder to write: new, empty, or a previous publication (replaced)",
    )
    p.add_argument(
        "--auditor-out",
        help="also write the auditor package (per-tier frames, "
        "for the supervising bodies) to this folder, outside the public one",
    )
    p.add_argument("--reason", help="why a changed notice is re-published (a correction)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    database_path(args)  # --db must name an existing database (NoDatabase: one line, exit 1)
    lang = cli_lang()
    try:
        out = folder.check_target(Path(args.out))
        auditor_out = folder.check_target(Path(args.auditor_out)) if args.auditor_out else None
    except Refused as e:
        return fail(e.message(lang))
    con = open_database(args)
    actor = cli_actor()
    try:
        # a refusal, before the write or inside it, is recorded once as the attempt
        with attempt(con, actor, "publication.publish", {"year": args.year, "out": str(out)}):
            done = release.publish_to_folder(
                con, args.year, out, actor, args.reason, auditor_out=auditor_out
            )
    except Refused as e:
        return fail(e.message(lang))
    finally:
        con.close()
    payload = {"year": args.year, "new_publications": len(done.new), **done.__dict__}
    lines = [
        f"year            {args.year}",
        f"new versions    {len(done.new):>6,}  (of which corrections {done.corrections:,}; "
        f"{done.unchanged:,} unchanged)",
        f"plan notices    {done.plan_notices:>6,}",
        "result notices  "
        + (f"{done.result_notices:>6,}" if done.results_available
           else "  none: no results recorded yet"),
        f"draw records    {done.draws:>6,}  ({done.frame_files:,} frame files)",
        f"written to      {done.out}  ({len(done.files):,} files, {folder.MANIFEST} "
        f"sha256 {done.manifest_sha256[:16]}…)",
        *([f"auditor package {done.auditor_out}  ({done.auditor_files:,} files; not public)"]
          if done.auditor_out else []),
    ]  # fmt: skip
    emit(args, payload, "\n".join(lines))
    return 0
