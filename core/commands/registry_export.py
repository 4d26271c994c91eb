"""python -m core export items|targets|inspectors FILE: the registry in its import columns."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.commands import add_common, emit, fail, open_database
from core.registry_export import export_file
from core.registry_io import FileFormatError
from core.registry_schema import REGISTRIES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a registry to .csv or .xlsx (a valid import file)")
    add_common(p)
    p.add_argument("registry", choices=list(REGISTRIES))
    p.add_argument("file", help="output path; the suffix (.csv or .xlsx) decides the format")
    p.add_argument("--search", default=None, help="only rows whose code or name match")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        return fail(f"{path.name}: the file must end in .csv or .xlsx", 2)
    con = open_database(args)
    try:
        rows = export_file(con, args.registry, path, text=args.search)
    except FileFormatError as e:
        return fail(str(e), 1)
    finally:
        con.close()
    emit(
        args, {"registry": args.registry, "file": str(path), "rows": rows},
        f"exported {rows:,} {args.registry} rows to {path}",
    )  # fmt: skip
    return 0
