"""Accounts and sign-in: who may use the app, and how they prove it.

Passwords are hashed with argon2id (argon2-cffi, RFC 9106 low-memory profile: t=3, m=64 MiB,
p=4, a fresh 16-byte salt per hash) and never stored or logged in clear. After MAX_FAILURES wrong
passwords in a row an account waits LOCK_MINUTES. Every sign-in and sign-out is an audit entry;
a refused sign-in is one attempt entry (core/writes.py: action auth.signin, `attempt: true`, the
refusal's key, the user id tried and why, never the password), and an account's failure count
and lock-out are read back from those entries (sign_in_state), so a wrong password changes no
data and bumps no data_version. The audit actor of everything a user does is their user_id.

Every change goes through core/writes.unit_of_work; refusals are `Refused` with keys in
core/messages/users.py, so the page and the CLI show the same text."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import pandas as pd
from argon2 import PasswordHasher, exceptions, profiles

from core import db, roles, settings
from core.refusal import Refused
from core.vocab import TZ
from core.writes import attempt, turn, unit_of_work

MAX_FAILURES = int(settings.value("sign_in_failures_before_lock"))
LOCK_MINUTES = int(settings.value("sign_in_lock_minutes"))
MIN_PASSWORD = 8
ANONYMOUS = "anonymous"  # the actor of an attempt by someone not (yet) signed in
USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
DEMO_META = "demo_accounts"  # meta key: JSON list of demo user ids whose password is the demo one

_HASHER = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
_DUMMY = _HASHER.hash("suicha-not-a-password")  # unknown users cost as much as known ones

PUBLIC_FIELDS = ("user_id", "display_name", "role", "dept_code", "inspector_id")


@dataclass(frozen=True)
class DemoAccount:
    user_id: str
    role: str
    password: str
    display_name: str


# One account per role that signs in (the public does not). Passwords are shown on the sign-in
# page of a demo dataset; `init --scale full` creates none.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("leader", "leadership", "leader-demo-2026", "演示·协调办领导"),
    DemoAccount("policy", "policy", "policy-demo-2026", "演示·政策制定"),
    DemoAccount("admin", "admin", "admin-demo-2026", "演示·计划管理员"),
    DemoAccount("inspector", "inspector", "inspector-demo-2026", "演示·检查人员"),
    # bound to the demo inspector's department; the demo campaign (core/results/demo.py) moves
    # it to the department with the most visits awaiting review
    DemoAccount("reviewer", "reviewer", "reviewer-demo-2026", "演示·结果审核人员"),
)


def signin_roles() -> tuple[str, ...]:
    """Roles an account may have: every role but the public (who never signs in)."""
    return tuple(r for r in roles.ROLES if r != "public")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _normalise_id(user_id: str) -> str:
    return str(user_id or "").strip().lower()


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in PUBLIC_FIELDS}


def _row(con: db.Connection, user_id: str) -> dict[str, Any] | None:
    cur = con.execute(
        "SELECT user_id, display_name, role, dept_code, inspector_id, email, password_hash, "
        "disabled FROM users WHERE user_id = ?",
        [user_id],
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))


def get_user(con: db.Connection, user_id: str) -> dict[str, Any] | None:
    """The active user `user_id` as the session keeps it, or None (unknown or disabled)."""
    row = _row(con, _normalise_id(user_id))
    return _public(row) if row and not row["disabled"] else None


def account_count(con: db.Connection) -> int:
    return int(con.execute("SELECT count(*) FROM users").fetchone()[0])


def list_users(con: db.Connection, now: datetime | None = None) -> pd.DataFrame:
    """Every account without its hash: id, name, department, role, inspector, state (the
    failures since the last sign-in and a lock-out still in force, from the audit trail)."""
    return con.execute(
        f"WITH state AS ({_STATE_SQL}) "  # noqa: S608 (a constant of this module)
        "SELECT u.user_id, display_name, dept_code, role, inspector_id, email, disabled, "
        "coalesce(s.failed_count, 0) AS failed_count, "
        "CASE WHEN s.locked_until > ? THEN s.locked_until END AS locked_until, "
        "password_hash IS NOT NULL AS has_password, created_at "
        "FROM users u LEFT JOIN state s USING (user_id) ORDER BY u.user_id",
        [now or _now()],
    ).df()


# An account's sign-in state, read from the audit trail: its wrong passwords (attempt entries of
# auth.signin with reason wrong_password; the MAX_FAILURES-th carries `until`, the lock-out)
# since the later of its last reset (a successful sign-in, a new password) and its last lock-out,
# and that lock-out's end unless a reset came after it. Attempts refused while locked are not
# counted, as the password was not tried.
_STATE_SQL = """
    WITH ev AS (
        SELECT seq, action, actor, detail,
               coalesce(TRY_CAST(json_extract(detail, '$.attempt') AS BOOLEAN), false) AS attempt
        FROM audit_log WHERE action IN ('auth.signin', 'users.set_password')
    ), marks AS (
        SELECT seq,
               CASE WHEN attempt OR action = 'users.set_password'
                    THEN json_extract_string(detail, '$.user_id') ELSE actor END AS user_id,
               attempt AND action = 'auth.signin'
                   AND json_extract_string(detail, '$.reason') = 'wrong_password' AS failure,
               TRY_CAST(json_extract_string(detail, '$.until') AS TIMESTAMP) AS until,
               NOT attempt AS reset
        FROM ev
    ), bounds AS (
        SELECT user_id, coalesce(max(seq) FILTER (reset), 0) AS last_reset,
               coalesce(max(seq) FILTER (failure AND until IS NOT NULL), 0) AS last_lock
        FROM marks GROUP BY user_id
    )
    SELECT user_id,
           count(*) FILTER (failure AND seq > greatest(last_reset, last_lock)) AS failed_count,
           max(until) FILTER (failure AND seq = last_lock AND last_lock > last_reset)
               AS locked_until
    FROM marks JOIN bounds USING (user_id) GROUP BY user_id
"""


def sign_in_state(con: db.Connection, user_id: str) -> tuple[int, datetime | None]:
    """(wrong passwords since the last reset or lock-out, the last lock-out's end or None) of
    `user_id`, from the audit trail (see _STATE_SQL); the end may be past."""
    row = con.execute(
        f"SELECT failed_count, locked_until FROM ({_STATE_SQL}) WHERE user_id = ?",  # noqa: S608 (a constant of this module)
        [_normalise_id(user_id)],
    ).fetchone()
    return (int(row[0]), row[1]) if row else (0, None)


# ---- changes ----------------------------------------------------------------------------------


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise Refused("users.short_password", n=MIN_PASSWORD)


def _check_links(con: db.Connection, dept_code: str | None, inspector_id: str | None) -> None:
    if (
        dept_code
        and not con.execute("SELECT 1 FROM departments WHERE dept_code = ?", [dept_code]).fetchone()
    ):
        raise Refused("users.unknown_dept", dept=dept_code)
    if inspector_id:
        row = con.execute(
            "SELECT dept_code FROM inspectors WHERE inspector_id = ?", [inspector_id]
        ).fetchone()
        if row is None:
            raise Refused("users.unknown_inspector", inspector=inspector_id)
        if dept_code and row[0] != dept_code:
            raise Refused(
                "users.inspector_dept", inspector=inspector_id, dept=row[0], given=dept_code
            )


def add_user(
    con: db.Connection,
    actor: str,
    user_id: str,
    display_name: str,
    role: str,
    password: str | None,
    dept_code: str | None = None,
    inspector_id: str | None = None,
    email: str | None = None,
) -> dict[str, Any]:
    """Create an account. A user linked to an inspector takes that inspector's department
    unless one is given (and must then match). `password=None` makes an OIDC-only account,
    which needs an email. Returns the user as the session keeps it."""
    uid = _normalise_id(user_id)
    if not USER_ID.match(uid):
        raise Refused("users.bad_id", user_id=str(user_id)[:40])
    if role not in signin_roles():
        raise Refused("users.bad_role", role=str(role)[:40], roles=", ".join(signin_roles()))
    name = (display_name or "").strip()
    if not name:
        raise Refused("users.name_required")
    if password is None and not email:
        raise Refused("users.needs_password")
    if password is not None:
        _check_password(password)
    dept_code = (dept_code or "").strip().upper() or None
    inspector_id = (inspector_id or "").strip() or None
    email = (email or "").strip().lower() or None
    pw_hash = hash_password(password) if password is not None else None  # outside the lock
    detail = {"user_id": uid, "role": role, "dept_code": dept_code, "inspector_id": inspector_id}
    with unit_of_work(con, actor, "users.add", detail):
        if _row(con, uid) is not None:
            raise Refused("users.exists", user_id=uid)
        _check_links(con, dept_code, inspector_id)
        if inspector_id and not dept_code:
            dept_code = con.execute(
                "SELECT dept_code FROM inspectors WHERE inspector_id = ?", [inspector_id]
            ).fetchone()[0]
            detail["dept_code"] = dept_code
        if email and con.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone():
            raise Refused("users.email_taken", email=email)
        con.execute(
            "INSERT INTO users (user_id, display_name, dept_code, role, inspector_id, email, "
            "password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [uid, name, dept_code, role, inspector_id, email, pw_hash, _stamp()],
        )
    return {"user_id": uid, "display_name": name, "role": role, "dept_code": dept_code,
            "inspector_id": inspector_id}  # fmt: skip


def _stamp() -> str:
    return datetime.now(TZ).isoformat(timespec="seconds")


def _require(con: db.Connection, user_id: str) -> str:
    uid = _normalise_id(user_id)
    if _row(con, uid) is None:
        raise Refused("users.unknown", user_id=uid[:40])
    return uid


def set_password(con: db.Connection, actor: str, user_id: str, password: str) -> None:
    """A new password; also lifts a lock-out (its audit entry resets the sign-in state) and ends
    the account's demo status."""
    _check_password(password)
    pw_hash = hash_password(password)
    with unit_of_work(con, actor, "users.set_password", {"user_id": _normalise_id(user_id)}):
        uid = _require(con, user_id)
        con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?", [pw_hash, uid])
        _forget_demo(con, uid)


def set_disabled(con: db.Connection, actor: str, user_id: str, disabled: bool = True) -> None:
    """Disable (or enable again) an account; a disabled user cannot sign in, and a session
    already open loses its pages on its next rerun."""
    action = "users.disable" if disabled else "users.enable"
    with unit_of_work(con, actor, action, {"user_id": _normalise_id(user_id)}):
        uid = _require(con, user_id)
        con.execute("UPDATE users SET disabled = ? WHERE user_id = ?", [disabled, uid])
        if disabled:
            _forget_demo(con, uid)


def link_inspector(con: db.Connection, actor: str, user_id: str, inspector_id: str) -> dict:
    """Link an account to another inspector of the directory (and that inspector's
    department). Returns the user as the session keeps it."""
    detail = {"user_id": _normalise_id(user_id), "inspector_id": inspector_id}
    with unit_of_work(con, actor, "users.link_inspector", detail):
        uid = _require(con, user_id)
        _check_links(con, None, inspector_id)
        con.execute(
            "UPDATE users SET inspector_id = ?, dept_code = "
            "(SELECT dept_code FROM inspectors WHERE inspector_id = ?) WHERE user_id = ?",
            [inspector_id, inspector_id, uid],
        )
    return get_user(con, uid) or {}


def set_department(con: db.Connection, actor: str, user_id: str, dept_code: str) -> dict:
    """Move an account that is not an inspector's (a reviewer) to another department. Returns
    the user as the session keeps it."""
    dept_code = (dept_code or "").strip().upper()
    detail = {"user_id": _normalise_id(user_id), "dept_code": dept_code}
    with unit_of_work(con, actor, "users.set_department", detail):
        uid = _require(con, user_id)
        _check_links(con, dept_code, None)
        con.execute("UPDATE users SET dept_code = ? WHERE user_id = ?", [dept_code, uid])
    return get_user(con, uid) or {}


def add_demo_account(con: db.Connection, actor: str, account: DemoAccount,
                     dept_code: str | None = None) -> dict:  # fmt: skip
    """Create one more demo account (listed on the sign-in page with its password)."""
    with unit_of_work(con, actor, "users.demo_accounts", {"user_ids": [account.user_id]}):
        user = add_user(con, actor, account.user_id, account.display_name, account.role,
                        account.password, dept_code=dept_code)  # fmt: skip
        ids = json.loads(db.get_meta(con, DEMO_META, "[]") or "[]")
        db.set_meta(con, DEMO_META, json.dumps([*ids, account.user_id]))
    return user


def demo_accounts(con: db.Connection) -> list[DemoAccount]:
    """The demo accounts of this dataset that still sign in with the demo password (for the
    sign-in page's banner); empty for a real (`--scale full` or imported) database."""
    ids = set(json.loads(db.get_meta(con, DEMO_META, "[]") or "[]"))
    active = {r[0] for r in con.execute("SELECT user_id FROM users WHERE NOT disabled").fetchall()}
    return [a for a in DEMO_ACCOUNTS if a.user_id in ids and a.user_id in active]


def _forget_demo(con: db.Connection, user_id: str) -> None:
    ids = json.loads(db.get_meta(con, DEMO_META, "[]") or "[]")
    if user_id in ids:
        db.set_meta(con, DEMO_META, json.dumps([i for i in ids if i != user_id]))


def demo_inspector(con: db.Connection) -> str | None:
    """A real inspector for the demo inspector account: the first active, certified inspector
    of the department that leads the most plans of the latest campaign."""
    row = con.execute(
        """
        WITH lead AS (
            SELECT pd.dept_code, count(*) AS n FROM plan_depts pd JOIN plans p USING (plan_id)
            WHERE pd.role = 'lead' AND p.year = (SELECT max(year) FROM plans)
            GROUP BY pd.dept_code
        )
        SELECT i.inspector_id FROM inspectors i JOIN lead USING (dept_code)
        WHERE i.active AND i.certified
        ORDER BY lead.n DESC, i.dept_code, i.inspector_id LIMIT 1
        """
    ).fetchone()
    return row[0] if row else None


def create_demo_accounts(con: db.Connection, actor: str) -> list[str]:
    """One account per signing-in role, with the passwords the sign-in page shows. The
    inspector is a real inspector; the reviewer reviews that inspector's department."""
    created: list[str] = []
    with unit_of_work(con, actor, "users.demo_accounts", {"user_ids": created}):
        inspector = demo_inspector(con)
        dept = None
        if inspector is not None:
            dept = con.execute(
                "SELECT dept_code FROM inspectors WHERE inspector_id = ?", [inspector]
            ).fetchone()[0]
        for account in DEMO_ACCOUNTS:
            add_user(con, actor, account.user_id, account.display_name, account.role,
                     account.password,
                     inspector_id=inspector if account.role == "inspector" else None,
                     dept_code=dept if account.role == "reviewer" else None)  # fmt: skip
            created.append(account.user_id)
        db.set_meta(con, DEMO_META, json.dumps(created))
    return created


# ---- sign-in ----------------------------------------------------------------------------------


def _verify(pw_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(pw_hash or _DUMMY, password or "") and pw_hash is not None
    except (exceptions.VerificationError, exceptions.InvalidHashError):
        return False


def authenticate(
    con: db.Connection, user_id: str, password: str, now: datetime | None = None
) -> dict[str, Any]:
    """Sign in with a password: the user (as the session keeps it), or Refused `auth.failed`
    (unknown user, wrong password or disabled: the same words, so names cannot be probed) or
    `auth.locked` (wait). A sign-in is an audit entry, a refused one its attempt (the user id
    tried, the method, why; the failure count and lock-out's end); `now` (UTC) is for tests."""
    now = now or _now()
    uid = _normalise_id(user_id)[:64]
    row = _row(con, uid) if uid else None
    usable = row is not None and not row["disabled"] and row["password_hash"] is not None
    # argon2 takes a tenth of a second: outside the writer's turn; unknown users cost the same
    right = _verify(row["password_hash"] if usable else None, password)
    detail: dict[str, Any] = {"user_id": uid, "method": "password"}
    # the failures before this one are counted and this one recorded in one turn of the writer
    with turn(), attempt(con, ANONYMOUS, "auth.signin", detail):
        if not usable:
            detail["reason"] = (
                "unknown_user" if row is None else "disabled" if row["disabled"] else "no_pw"
            )
            raise Refused("auth.failed")
        failures, until = sign_in_state(con, uid)
        if until is not None and until > now:
            detail.update(reason="locked", until=str(until))
            raise Refused("auth.locked", minutes=_minutes_left(until, now))
        if not right:
            _fail(detail, failures + 1, now)
        with unit_of_work(con, uid, "auth.signin", {"method": "password"}):
            if _HASHER.check_needs_rehash(row["password_hash"]):
                con.execute(
                    "UPDATE users SET password_hash = ? WHERE user_id = ?",
                    [hash_password(password), uid],
                )
    return _public(row)


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def _fail(detail: dict[str, Any], count: int, now: datetime) -> NoReturn:
    """A wrong password, the `count`-th in a row: the MAX_FAILURES-th locks the account until
    LOCK_MINUTES from now (the attempt's entry carries `until`)."""
    detail.update(reason="wrong_password", failed_count=count)
    if count >= MAX_FAILURES:
        detail["until"] = str(now + timedelta(minutes=LOCK_MINUTES))
        raise Refused("auth.locked", minutes=LOCK_MINUTES)
    raise Refused("auth.failed")


def authenticate_oidc(con: db.Connection, email: str, subject: str = "") -> dict[str, Any]:
    """Sign in someone an OIDC provider (st.login) vouched for, by their email: the user, or
    Refused `auth.oidc_unknown` when no active account carries that email."""
    address = (email or "").strip().lower()
    row = con.execute(
        "SELECT user_id FROM users WHERE email = ? AND NOT disabled", [address]
    ).fetchone()
    if not address or row is None:
        detail = {"email": address[:120], "method": "oidc", "reason": "unmapped"}
        with attempt(con, ANONYMOUS, "auth.signin", detail):
            raise Refused("auth.oidc_unknown", email=address[:120])
    uid = row[0]
    with unit_of_work(con, uid, "auth.signin", {"method": "oidc", "subject": subject[:120]}):
        pass
    return get_user(con, uid)


def sign_out(con: db.Connection, user_id: str) -> None:
    """Record that the user signed out (the session forgets them)."""
    with unit_of_work(con, _normalise_id(user_id), "auth.signout", {}):
        pass
