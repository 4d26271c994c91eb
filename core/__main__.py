"""The command line: python -m core <command>. Each command lives in core/commands/<name>.py and
registers itself; exit 0 ok, 1 rejected input, 2 usage.

Whatever goes wrong, the user gets one line on stderr, never a traceback: a refusal in the
catalogue's words, a database another process holds, a full disk, or (last resort) the error's
one-line description. SUICHA_DEBUG=1 shows the traceback for developers."""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import sys

import duckdb

from core import commands
from core.refusal import Refused


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; or, when `command` names a module of core/commands that
    registers it, only that one (so `python -m core assign` does not import the whole engine:
    about half a second of start-up)."""
    p = argparse.ArgumentParser(prog="python -m core", description="Suicha (随查) engine")
    sub = p.add_subparsers(dest="command", required=True)
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    if command in names:
        names = [command]
    for name in names:
        module = importlib.import_module(f"core.commands.{name}")
        module.register(sub)
    if len(names) == 1 and command not in sub.choices:  # a module registering another name
        return parser()
    return p


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def failure_message(e: BaseException) -> str:
    """The one line a user reads for an error that reached the top of a command."""
    if isinstance(e, Refused):
        return e.message(commands.cli_lang())
    if isinstance(e, commands.NoDatabase):
        return str(e)
    if isinstance(e, duckdb.IOException) and "lock" in str(e).lower():
        return commands.DATABASE_BUSY
    if isinstance(e, OSError) and e.errno == errno.ENOSPC:
        return f"the disk is full ({e.filename or 'no file name'}); nothing was changed"
    if isinstance(e, duckdb.Error) and "No space left" in str(e):
        return "the disk is full; nothing was changed"
    if isinstance(e, OSError):
        where = f": {e.filename}" if e.filename else ""
        return f"{e.strerror or _one_line(e)}{where}"
    if isinstance(e, duckdb.Error):
        return f"database error: {_one_line(e)}"
    if isinstance(e, MemoryError):
        return "out of memory"
    return f"{type(e).__name__}: {_one_line(e)}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    first = argv[0] if argv and not argv[0].startswith("-") else None
    args = parser(first).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("error: interrupted; nothing was changed by the interrupted step", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("SUICHA_DEBUG"):
            raise
        print(f"error: {failure_message(e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
