"""python -m core import items|targets|inspectors FILE: validated, all-or-nothing import."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.commands import add_common, emit, fail, open_database
from core.registry_import import MODES, import_file, report_csv
from core.registry_schema import REGISTRIES
from core.writes import cli_actor

SHOWN_ERRORS = 50


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="import a registry from CSV (UTF-8, UTF-8 BOM, GBK/GB18030) or XLSX"
    )
    add_common(p)
    p.add_argument("registry", choices=list(REGISTRIES))
    p.add_argument("file", help="a .csv or .xlsx file in the columns `export` writes")
    p.add_argument(
        "--mode", choices=MODES, default="append",
        help="append: new rows only, an existing key is an error; replace: also update rows "
        "whose key exists",
    )  # fmt: skip
    p.add_argument("--report", help="write the error report (CSV) here when the file is rejected")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"no such file: {path}", 2)
    if args.report and not Path(args.report).resolve().parent.is_dir():
        return fail(f"no folder for the report: {Path(args.report).resolve().parent}", 2)
    actor = cli_actor()  # the OS user: the audit actor is never a free argument
    con = open_database(args)
    try:
        result = import_file(con, args.registry, path, args.mode, actor)
    finally:
        con.close()
    payload = result.summary()
    if result.ok:
        text = (
            f"imported {path.name} into {args.registry} ({result.format}, mode {args.mode}): "
            f"{result.rows:,} rows, {result.added:,} added, {result.updated:,} updated; "
            f"data version {result.data_version}"
        )
        emit(args, payload, text)
        return 0
    if args.report:
        Path(args.report).write_bytes(report_csv(result))
    payload["error_rows"] = result.errors.to_dict("records")
    total = max(result.errors_total, len(result.errors))
    lines = [
        f"rejected {path.name}: {total:,} problem(s); nothing was imported",
        "file,row,column,value,reason",
    ]
    for e in result.errors.head(SHOWN_ERRORS).itertuples(index=False):
        lines.append(f"{e.file},{e.row},{e.column},{e.value},{e.reason} ({e.reason_en})")
    if total > SHOWN_ERRORS:
        more = len(result.errors) - SHOWN_ERRORS
        listed = f"use --report FILE or --json for {more:,} more" if more > 0 else ""
        unlisted = total - len(result.errors)
        if unlisted:
            listed += ("; " if listed else "") + f"{unlisted:,} not listed (fix these first)"
        lines.append(f"… {total - SHOWN_ERRORS:,} more ({listed})")
    emit(args, payload, "\n".join(lines))
    return 1
