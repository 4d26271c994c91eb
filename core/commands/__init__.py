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
