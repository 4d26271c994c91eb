"""One module per CLI command; each defines register(subparsers). Shared option helpers here."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $SUICHA_DB or data/suicha.duckdb)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    """Print JSON with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def cli_lang() -> str:
    """The CLI's language: SUICHA_LANG (zh or en), else English."""
    import os

    lang = os.environ.get("SUICHA_LANG", "en")
    return lang if lang in ("zh", "en") else "en"


class NoDatabase(Exception):
    """--db names no usable database file (missing, a folder, empty, or not DuckDB)."""


def database_path(args: argparse.Namespace):
    """The existing database file a command works on; NoDatabase otherwise.

    Only `init` creates a database: every other command refuses a path that is not already a
    DuckDB file, instead of silently creating an empty one (folders included)."""
    from pathlib import Path

    from core.db import default_db_path

    path = Path(getattr(args, "db", None) or default_db_path())
    if not path.exists():
        raise NoDatabase(f"no database at {path} (build one with: python -m core init)")
    if path.is_dir():
        raise NoDatabase(f"{path} is a folder, not a database file")
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        raise NoDatabase(f"{path} cannot be read: {e.strerror}") from e
    if len(head) < 12 or head[8:12] != b"DUCK":
        raise NoDatabase(f"{path} is not a Suicha database (not a DuckDB file)")
    return path


DATABASE_BUSY = (
    "the database is in use by another process (the app or another command); "
    "stop it or wait, then try again"
)


def open_database(args: argparse.Namespace, read_only: bool = False):
    """Connect to the existing database named by --db (see database_path); NoDatabase with a
    plain message when another process (the app) holds it."""
    import duckdb

    from core import db

    path = database_path(args)
    try:
        return db.connect(path, read_only=read_only)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise NoDatabase(DATABASE_BUSY) from None
        raise
