"""python -m core verify RECORD.json: re-run a published draw from its record and frame files.

The checks are those of the standalone verifier shipped in every publication (verify_draw.py),
imported rather than repeated, so that both always say the same thing."""

from __future__ import annotations

import argparse
from pathlib import Path

from core import verify_draw_standalone as standalone
from core.commands import emit, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="verify a published draw record against its frame files")
    p.add_argument("record", help="draw record JSON, e.g. OUT/draws/<plan_id>.json")
    p.add_argument("--base", help="folder the record's frame_file paths are relative to "
                   "(default: the record's folder, then its parent)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--db", help="accepted for uniformity; verification reads only files")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = standalone.verify_file(Path(args.record), Path(args.base) if args.base else None)
    except (OSError, ValueError) as e:
        return fail(f"{args.record}: {e}")
    emit(args, result, standalone.report_text(result))
    return 0 if result["ok"] else 1
