"""python -m core init: build the synthetic registries into a new database file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from core import synth
from core.bootstrap import DatabaseExists, DatabaseInUse, build_database
from core.commands import add_common, emit, fail
from core.db import connect, default_db_path
from core.users import list_users
from core.writes import cli_actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="build the synthetic 一单两库 (demo, full or N targets)")
    add_common(p)
    p.add_argument("--scale", default="demo", help="demo (200,000), full (6,430,000) or a number")
    p.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    p.add_argument("--force", action="store_true", help="overwrite an existing database")
    p.add_argument(
        "--campaign", action=argparse.BooleanOptionalAction, default=None,
        help="also draw, merge, staff and simulate results for the campaign year (default: on "
        "for the demo scale; the results are marked simulated)",
    )  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    try:
        synth.parse_scale(args.scale)
    except ValueError as e:
        return fail(str(e), 2)
    if Path(path).is_dir():
        return fail(f"{path} is a folder; name a database file")
    if Path(path).exists() and not args.force:
        return fail(f"{path} already exists; use --force to rebuild it")
    bar = tqdm(total=100, desc="init", unit="%", file=sys.stderr, disable=args.json)
    last = [0]

    def progress(fraction: float, message: str) -> None:
        step = int(fraction * 100)
        bar.set_postfix_str(message)
        bar.update(step - last[0])
        last[0] = step

    try:
        campaign = args.scale == "demo" if args.campaign is None else args.campaign
        summary = build_database(path, args.scale, args.seed, args.force, progress,
                                 actor=cli_actor(), campaign=campaign)  # fmt: skip
    except (DatabaseExists, DatabaseInUse) as e:
        bar.close()
        return fail(str(e))
    bar.close()
    text = "\n".join(
        [
            f"database      {path}",
            f"departments   {summary.departments:>10,}  (+{summary.street_units} street unit)",
            f"items         {summary.items:>10,}",
            f"targets       {summary.targets:>10,}",
            f"inspectors    {summary.inspectors:>10,}",
            f"plans         {summary.plans:>10,}  ({summary.single_plans} single, "
            f"{summary.joint_plans} joint)",
            f"seed {summary.seed}, built in {summary.seconds} s",
        ]
        + ([f"campaign {synth.CAMPAIGN_YEAR}: drawn, merged, staffed, simulated results "
            "(marked simulated)"] if campaign else [])
    )  # fmt: skip
    con = connect(path, read_only=True)
    accounts = list_users(con)["user_id"].tolist()
    con.close()
    if accounts:
        text += f"\ndemo accounts {', '.join(accounts)} (passwords on the sign-in page)"
    else:
        text += (
            "\nno accounts yet: create the first administrator with\n"
            f"  python -m core users add USER_ID --name NAME --role admin --db {path}"
        )
    emit(args, {"db": str(path), **summary.__dict__, "campaign": campaign, "accounts": accounts},
         text)  # fmt: skip
    return 0
