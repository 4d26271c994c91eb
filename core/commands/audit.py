"""python -m core audit verify|head|anchor: check the audit trail's hash chain against its anchor
(exit 0 when it holds, 1 naming the first broken entry), print the head, or anchor a checked
chain that has no anchor yet (a file from before anchoring)."""

from __future__ import annotations

import argparse

from core import audit
from core.commands import add_common, cli_lang, emit, fail, open_database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit trail: verify the chain, show or anchor its head")
    verbs = p.add_subparsers(dest="verb", required=True)
    for verb, text in (
        ("verify", "walk the hash chain and compare its head with the anchor"),
        ("head", "print the chain's head (seq and row hash)"),
        ("anchor", "anchor the current head (only when the chain verifies)"),
    ):
        add_common(verbs.add_parser(verb, help=text))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    con = open_database(args, read_only=args.verb != "anchor")
    try:
        path = audit.database_file(con)
        anchor_file = str(audit.anchor_path(path)) if path else "-"
        if args.verb == "head":
            value = audit.head(con)
            emit(args, value, f"seq {value['seq']}  row_hash {value['row_hash']}")
            return 0
        result = audit.verify(con)
        if args.verb == "anchor":
            if result["problem"] not in (None, "anchor_missing"):
                return fail(audit.describe(result, cli_lang(), anchor_file))
            value = audit.write_anchor(con)
            emit(args, value or {}, f"anchored seq {value['seq']} in {anchor_file}")
            return 0
        text = audit.describe(result, cli_lang(), anchor_file)
        if not result["ok"]:
            if args.json:
                emit(args, result, text)
            return fail(text)
        emit(args, result, text)
        return 0
    finally:
        con.close()
