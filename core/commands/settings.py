"""python -m core settings: every tunable, its value in force and why it exists."""

from __future__ import annotations

import argparse

from core import settings
from core.commands import emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("settings", help="list the settings in force (override: SUICHA_<NAME>)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    values = settings.in_force()
    width = max(len(s.name) for s in settings.SETTINGS)
    text = "\n".join(
        f"{s.name:<{width}}  {values[s.name]!s:>8}  {s.help}" for s in settings.SETTINGS
    )
    emit(args, values, text)
    return 0
