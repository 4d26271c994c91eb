"""The command line: python -m core <command>. Each command lives in core/commands/<name>.py and
registers itself; exit 0 ok, 1 rejected input, 2 usage."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from core import commands


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core", description="Suicha (随查) engine")
    sub = p.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"core.commands.{info.name}")
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
