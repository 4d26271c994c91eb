"""python -m core verify PACKAGE [--auditor DIR]: re-run a published draw from its package.

The checks are those of the standalone verifier shipped in every publication (verify_draw.py),
imported rather than repeated, so both always say the same thing and accept the same inputs (a
package folder, one draws/<plan_id>.json in it, or a record of the first format)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core import verify_draw_standalone as standalone
from core.commands import emit, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="verify a published draw package (or one record in it)")
    p.add_argument("target", help="the public package folder, or OUT/draws/<plan_id>.json")
    p.add_argument("--auditor", help="the auditor package folder: recompute every selection")
    p.add_argument("--commitment-sha256", help="the notice's hash as published before the draw")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--db", help="accepted for uniformity; verification reads only files")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        result = standalone.verify_path(
            Path(args.target), Path(args.auditor) if args.auditor else None,
            args.commitment_sha256,
        )  # fmt: skip
    except standalone.Unreadable as e:
        return fail(str(e))
    except (OSError, ValueError, MemoryError, RecursionError) as e:
        return fail(f"{args.target}: {type(e).__name__}: {e}")
    emit(args, standalone.plain(result), standalone.report_text(result))
    return 0 if result["ok"] else 1
