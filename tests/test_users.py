"""Accounts: argon2id hashes, refusals with message keys, the lock-out after five wrong
passwords, an audit entry for every sign-in, failure and lock-out, and the users command."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pandas as pd
import pytest

from core import audit, bootstrap, db, users
from core.refusal import Refused
from core.writes import attempt
from tests.apptest_helpers import ROOT


def actions(con, since: int = 0) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT actor, action FROM audit_log WHERE seq > ? ORDER BY seq", [since]
    ).fetchall()


def last_seq(con) -> int:
    return con.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]


def test_demo_dataset_has_one_account_per_role(small_con):
    df = users.list_users(small_con)
    assert sorted(df["role"]) == ["admin", "inspector", "leadership", "policy", "reviewer"]
    assert set(df["role"]) == set(users.signin_roles())
    assert "public" not in set(df["role"])
    inspector = df[df["role"] == "inspector"].iloc[0]
    real = small_con.execute(
        "SELECT dept_code FROM inspectors WHERE inspector_id = ?", [inspector["inspector_id"]]
    ).fetchone()
    assert real is not None and real[0] == inspector["dept_code"]
    reviewer = df[df["role"] == "reviewer"].iloc[0]
    assert reviewer["dept_code"] == inspector["dept_code"]  # department-bound, a real one
    assert [a.user_id for a in users.demo_accounts(small_con)] == [
        a.user_id for a in users.DEMO_ACCOUNTS
    ]


def test_passwords_are_argon2id_hashes_never_clear(small_con):
    hashes = [r[0] for r in small_con.execute("SELECT password_hash FROM users").fetchall()]
    assert all(h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") for h in hashes)
    assert len(set(hashes)) == len(hashes)  # a salt per hash
    users.authenticate(small_con, "policy", "policy-demo-2026")
    with pytest.raises(Refused):
        users.authenticate(small_con, "policy", "a-wrong-guess")
    every_text = " ".join(
        str(v) for row in small_con.execute("SELECT * FROM audit_log").fetchall() for v in row
    )
    assert "policy-demo-2026" not in every_text and "a-wrong-guess" not in every_text


def test_sign_in_is_audited_with_the_user_as_actor(small_con):
    seq = last_seq(small_con)
    user = users.authenticate(small_con, " Policy ", "policy-demo-2026")
    assert user == {"user_id": "policy", "display_name": "演示·政策制定", "role": "policy",
                    "dept_code": None, "inspector_id": None}  # fmt: skip
    users.sign_out(small_con, "policy")
    assert actions(small_con, seq) == [("policy", "auth.signin"), ("policy", "auth.signout")]


def attempts(con, since: int) -> list[dict]:
    """The sign-in attempt entries after `since`: actor, action and detail together."""
    return [{"actor": a, "action": b, **json.loads(d)} for a, b, d in con.execute(
        "SELECT actor, action, detail FROM audit_log WHERE seq > ? ORDER BY seq", [since]
    ).fetchall()]  # fmt: skip


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(small_con):
    seq = last_seq(small_con)
    version = db.data_version(small_con)
    users_table = db.content_hash(small_con, "users")
    now = users._now()
    for i in range(4):
        with pytest.raises(Refused) as e:
            users.authenticate(small_con, "admin", f"wrong-{i}", now=now)
        assert e.value.key == "auth.failed"
        assert users.sign_in_state(small_con, "admin") == (i + 1, None)
    with pytest.raises(Refused) as e:
        users.authenticate(small_con, "admin", "wrong-4", now=now)
    assert e.value.key == "auth.locked" and e.value.values == {"minutes": 15}
    # the 6th try waits, even with the right password
    with pytest.raises(Refused) as e:
        users.authenticate(small_con, "admin", "admin-demo-2026", now=now + timedelta(minutes=1))
    assert e.value.key == "auth.locked" and e.value.values == {"minutes": 14}
    assert "14" in e.value.message("en") and "14" in e.value.message("zh")
    # one attempt entry per refused sign-in, and no data changed: no data_version bump
    assert db.data_version(small_con) == version
    assert db.content_hash(small_con, "users") == users_table
    logged = attempts(small_con, seq)
    shape = [(d["actor"], d["action"], d["attempt"], d["outcome"], d["refusal"]) for d in logged]
    assert shape == [("anonymous", "auth.signin", True, "refused", "auth.failed")] * 4 + [
        ("anonymous", "auth.signin", True, "refused", "auth.locked")] * 2  # fmt: skip
    assert [d["reason"] for d in logged] == ["wrong_password"] * 5 + ["locked"]
    assert [d.get("failed_count") for d in logged] == [1, 2, 3, 4, 5, None]
    assert {d["user_id"] for d in logged} == {"admin"}
    until = now + timedelta(minutes=15)
    assert logged[4]["until"] == logged[5]["until"] == str(until)
    assert "until" not in logged[3]
    assert users.sign_in_state(small_con, "admin") == (0, until)
    listed = users.list_users(small_con, now=now).set_index("user_id").loc["admin"]
    assert listed["locked_until"] == until and listed["failed_count"] == 0
    assert pd.isna(users.list_users(small_con, now=now + timedelta(minutes=16))
                   .set_index("user_id").loc["admin", "locked_until"])  # fmt: skip
    # after fifteen minutes the right password works again, and the account starts afresh
    later = now + timedelta(minutes=16)
    user = users.authenticate(small_con, "admin", "admin-demo-2026", now=later)
    assert user["role"] == "admin"
    assert users.sign_in_state(small_con, "admin") == (0, None)
    assert audit.verify_chain(small_con) == (True, None)


def test_a_lockout_ends_and_five_more_failures_lock_again(small_con):
    now = users._now()
    for _ in range(5):
        with pytest.raises(Refused):
            users.authenticate(small_con, "policy", "nope-nope", now=now)
    later = now + timedelta(minutes=16)  # the lock-out has ended: a fresh count of failures
    for i in range(4):
        with pytest.raises(Refused) as e:
            users.authenticate(small_con, "policy", "nope-nope", now=later)
        assert e.value.key == "auth.failed" and users.sign_in_state(small_con, "policy")[0] == i + 1
    with pytest.raises(Refused) as e:
        users.authenticate(small_con, "policy", "nope-nope", now=later)
    assert e.value.key == "auth.locked"
    # a new password lifts the lock-out at once (its audit entry resets the state)
    users.set_password(small_con, "os:test", "policy", "policy-new-2026")
    assert users.sign_in_state(small_con, "policy") == (0, None)
    assert users.authenticate(small_con, "policy", "policy-new-2026", now=later)["role"] == "policy"


def test_concurrent_wrong_passwords_lock_once_and_count_each(small_con):
    """Eight wrong passwords at once, each on its own cursor: the failures before each one are
    counted and its own recorded in one turn of the writer, so the count runs 1..5 exactly once,
    the fifth locks, and the rest wait (no lock-out skipped by a race)."""
    seq = last_seq(small_con)

    def guess(i: int) -> str:
        cur = small_con.cursor()
        try:
            users.authenticate(cur, "admin", f"guess-{i}")
        except Refused as e:
            return e.key
        finally:
            cur.close()
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(guess, range(8)))
    logged = attempts(small_con, seq)
    assert sorted(keys) == ["auth.failed"] * 4 + ["auth.locked"] * 4
    assert [d.get("failed_count") for d in logged] == [1, 2, 3, 4, 5, None, None, None]
    assert [d["reason"] for d in logged] == ["wrong_password"] * 5 + ["locked"] * 3
    assert audit.verify_chain(small_con) == (True, None)


def test_a_refused_admin_action_does_not_reset_the_count(small_con):
    """Only a successful sign-in or a new password resets: a new password that was refused
    leaves an attempt entry of users.set_password, which is no reset."""
    for _ in range(3):
        with pytest.raises(Refused):
            users.authenticate(small_con, "leader", "nope-nope")
    with pytest.raises(Refused), attempt(small_con, "os:test", "users.set_password",
                                         {"user_id": "leader"}):  # fmt: skip
        raise Refused("write.busy")  # e.g. a new password that could not be saved
    assert users.sign_in_state(small_con, "leader") == (3, None)


def test_a_success_resets_the_count(small_con):
    for _ in range(4):
        with pytest.raises(Refused):
            users.authenticate(small_con, "leader", "nope-nope")
    users.authenticate(small_con, "leader", "leader-demo-2026")
    with pytest.raises(Refused) as e:
        users.authenticate(small_con, "leader", "nope-nope")
    assert e.value.key == "auth.failed"  # one failure, not the fifth


def test_unknown_and_disabled_users_get_the_same_answer(small_con):
    seq = last_seq(small_con)
    with pytest.raises(Refused) as unknown:
        users.authenticate(small_con, "nobody", "whatever-1")
    users.set_disabled(small_con, "os:test", "inspector")
    with pytest.raises(Refused) as disabled:
        users.authenticate(small_con, "inspector", "inspector-demo-2026")
    assert unknown.value.key == disabled.value.key == "auth.failed"
    assert users.get_user(small_con, "inspector") is None
    assert "inspector" not in [a.user_id for a in users.demo_accounts(small_con)]
    refused = [d for d in attempts(small_con, seq) if d["action"] == "auth.signin"]
    assert [(d["reason"], d["user_id"], d["refusal"]) for d in refused] == [
        ("unknown_user", "nobody", "auth.failed"),
        ("disabled", "inspector", "auth.failed"),
    ]
    assert all(d["attempt"] and d["actor"] == "anonymous" for d in refused)
    users.set_disabled(small_con, "os:test", "inspector", False)
    assert users.authenticate(small_con, "inspector", "inspector-demo-2026")["role"] == "inspector"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"user_id": "A b"}, "users.bad_id"),
        ({"role": "public"}, "users.bad_role"),
        ({"display_name": " "}, "users.name_required"),
        ({"password": "short"}, "users.short_password"),
        ({"dept_code": "999999X99"}, "users.unknown_dept"),
        ({"inspector_id": "NOPE"}, "users.unknown_inspector"),
        ({"user_id": "policy"}, "users.exists"),
        ({"password": None}, "users.needs_password"),
    ],
)
def test_add_user_refusals_change_nothing(small_con, kwargs, key):
    args = {"user_id": "newbie", "display_name": "新用户", "role": "policy",
            "password": "long-enough-pw"} | kwargs  # fmt: skip
    before = db.content_hash(small_con, "users")
    with pytest.raises(Refused) as e:
        users.add_user(small_con, "os:test", **args)
    assert e.value.key == key
    assert e.value.message("zh") != e.value.message("en") != key
    assert db.content_hash(small_con, "users") == before


def test_add_inspector_takes_the_inspectors_department(small_con):
    inspector_id, dept = small_con.execute(
        "SELECT inspector_id, dept_code FROM inspectors ORDER BY inspector_id DESC LIMIT 1"
    ).fetchone()
    user = users.add_user(small_con, "os:test", "insp2", "检查员二", "inspector",
                          "long-enough-pw", inspector_id=inspector_id)  # fmt: skip
    assert user["dept_code"] == dept
    with pytest.raises(Refused) as e:
        users.add_user(small_con, "os:test", "insp3", "检查员三", "inspector", "long-enough-pw",
                       dept_code="440300M02", inspector_id=inspector_id)  # fmt: skip
    assert e.value.key in ("users.inspector_dept", "users.unknown_dept")


def test_set_password_lifts_a_lock(small_con):
    for i in range(5):
        with pytest.raises(Refused):
            users.authenticate(small_con, "policy", f"wrong-{i}")
    users.set_password(small_con, "os:test", "policy", "a-new-password")
    assert users.authenticate(small_con, "policy", "a-new-password")["user_id"] == "policy"
    assert "policy" not in [a.user_id for a in users.demo_accounts(small_con)]


def test_oidc_maps_an_email_to_an_account(small_con):
    users.add_user(small_con, "os:test", "sso.user", "统一认证用户", "leadership", None,
                   email="Someone@Example.org")  # fmt: skip
    assert users.authenticate_oidc(small_con, "someone@example.org", "sub-1")["user_id"] == (
        "sso.user"
    )
    seq, version = last_seq(small_con), db.data_version(small_con)
    with pytest.raises(Refused) as e:
        users.authenticate_oidc(small_con, "stranger@example.org")
    assert e.value.key == "auth.oidc_unknown"
    assert attempts(small_con, seq) == [{
        "actor": "anonymous", "action": "auth.signin", "attempt": True, "outcome": "refused",
        "refusal": "auth.oidc_unknown", "email": "stranger@example.org", "method": "oidc",
        "reason": "unmapped"}]  # fmt: skip
    assert db.data_version(small_con) == version
    with pytest.raises(Refused):  # no password: cannot sign in with one
        users.authenticate(small_con, "sso.user", "")


def test_full_scale_gets_no_demo_accounts(tmp_path):
    assert bootstrap.wants_demo_accounts("full") is False
    assert bootstrap.wants_demo_accounts("demo") is True
    path = tmp_path / "real.duckdb"
    bootstrap.build_database(path, 1_000, demo_accounts=False)
    con = db.connect(path)
    assert users.account_count(con) == 0 and users.demo_accounts(con) == []
    con.close()


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, input=stdin, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip


def test_users_command(small_path):
    db_arg = ("--db", str(small_path))
    r = cli("users", "add", "ops", "--name", "值班管理员", "--role", "admin", *db_arg,
            stdin="ops-password-1\n")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = cli("users", "add", "ops", "--name", "again", "--role", "admin", *db_arg, stdin="x" * 9)
    assert r.returncode == 1 and "already exists" in r.stderr and "Traceback" not in r.stderr
    r = cli("users", "add", "weak", "--name", "弱", "--role", "admin", *db_arg, stdin="short\n")
    assert r.returncode == 1 and "at least 8" in r.stderr
    r = cli("users", "list", "--json", *db_arg)
    listed = {u["user_id"]: u for u in json.loads(r.stdout)["users"]}
    assert listed["ops"]["role"] == "admin" and "password_hash" not in listed["ops"]
    assert cli("users", "disable", "ops", *db_arg).returncode == 0
    assert cli("users", "set-password", "ops", *db_arg, stdin="another-pass\n").returncode == 0
    r = cli("users", "set-password", "ghost", *db_arg, stdin="another-pass\n")
    assert r.returncode == 1 and "ghost" in r.stderr
    con = db.connect(small_path)
    log = con.execute(
        "SELECT actor, action, json_extract_string(detail, '$.refusal') FROM audit_log "
        "WHERE action LIKE 'users.%' AND actor LIKE 'os:%' ORDER BY seq"
    ).fetchall()
    assert [a for _, a, refused in log if refused is None] == [
        "users.add", "users.disable", "users.set_password"]  # fmt: skip
    # the refusals inside the writes (a taken id, an unknown user) left their attempts
    assert [(a, r) for _, a, r in log if r is not None] == [
        ("users.add", "users.exists"), ("users.set_password", "users.unknown")]  # fmt: skip
    assert users.get_user(con, "ops") is None  # disabled
    # a lock-out shows in the list: read from the sign-in attempts in the audit trail
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(Refused):
            users.authenticate(con, "leader", "not-the-password")
    con.close()
    r = cli("users", "list", *db_arg)
    states = {line.split()[0]: line.split()[-2] for line in r.stdout.splitlines()[1:]}
    assert states["leader"] == "locked" and states["policy"] == "active"
    assert states["ops"] == "disabled"
