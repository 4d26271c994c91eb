"""python -m core users add|list|disable|enable|set-password: accounts, from the command line.

Passwords are read from the terminal without echo (or one line from standard input when it is
not a terminal, for scripts); never from an argument, where they would sit in shell history."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from core import users
from core.commands import add_common, emit, fail
from core.db import connect, default_db_path
from core.refusal import Refused
from core.writes import cli_actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="accounts: add, list, disable, enable, set-password")
    verbs = p.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="create an account (asks for its password)")
    add_common(add)
    add.add_argument("user_id", help="sign-in name: 2-32 of a-z 0-9 . _ -")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=users.signin_roles())
    add.add_argument("--dept", help="department code, e.g. 440300M01")
    add.add_argument("--inspector", help="inspector id, for an inspector's own account")
    add.add_argument("--email", help="the identity single sign-on (OIDC) reports, if used")
    add.add_argument(
        "--no-password", action="store_true", help="single sign-on only (needs --email)"
    )
    lst = verbs.add_parser("list", help="every account (never its password)")
    add_common(lst)
    for verb, text in (("disable", "stop an account signing in"), ("enable", "allow it again")):
        v = verbs.add_parser(verb, help=text)
        add_common(v)
        v.add_argument("user_id")
    pw = verbs.add_parser("set-password", help="a new password (also lifts a lock-out)")
    add_common(pw)
    pw.add_argument("user_id")
    p.set_defaults(func=run)


def read_password(confirm: bool = True) -> str:
    """From the terminal (twice, without echo), or one line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if confirm and getpass.getpass("again: ") != first:
        raise Refused("users.password_mismatch")
    return first


def run(args: argparse.Namespace) -> int:
    path = Path(args.db or default_db_path())
    if not path.is_file():
        return fail(f"{path} does not exist; build it with: python -m core init --db {path}")
    con = connect(path)
    try:
        return VERBS[args.verb](con, args)
    except Refused as e:
        return fail(e.message("en"))
    finally:
        con.close()


def _add(con, args: argparse.Namespace) -> int:
    password = None if args.no_password else read_password()
    user = users.add_user(
        con, cli_actor(), args.user_id, args.name, args.role, password,
        dept_code=args.dept, inspector_id=args.inspector, email=args.email,
    )  # fmt: skip
    emit(args, user, f"added {user['user_id']} ({user['role']}, {user['dept_code'] or '-'})")
    return 0


def _list(con, args: argparse.Namespace) -> int:
    df = users.list_users(con)
    records = df.astype(object).where(df.notna(), None).to_dict("records")
    lines = [f"{len(df):,} account(s)"]
    for r in records:
        state = "disabled" if r["disabled"] else "locked" if r["locked_until"] else "active"
        lines.append(
            f"  {r['user_id']:<20} {r['role']:<11} {r['dept_code'] or '-':<10} "
            f"{r['inspector_id'] or '-':<12} {state:<8} {r['display_name']}"
        )
    emit(args, {"users": records}, "\n".join(lines))
    return 0


def _disable(con, args: argparse.Namespace) -> int:
    users.set_disabled(con, cli_actor(), args.user_id, args.verb == "disable")
    emit(args, {"user_id": args.user_id, "verb": args.verb}, f"{args.verb}d {args.user_id}")
    return 0


def _set_password(con, args: argparse.Namespace) -> int:
    users.set_password(con, cli_actor(), args.user_id, read_password())
    emit(args, {"user_id": args.user_id}, f"new password set for {args.user_id}")
    return 0


VERBS = {"add": _add, "list": _list, "disable": _disable, "enable": _disable,
         "set-password": _set_password}  # fmt: skip
