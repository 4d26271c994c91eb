"""The sign-in page in the real app (AppTest): the form, the demo-data banner, refusals in both
languages, the pages a role gets, sign-out, and a disabled account losing its session."""

from __future__ import annotations

import pytest

from core import db, users
from tests.apptest_helpers import run_app

INTERNAL = {"overview", "merge", "registries", "risk", "sampling", "publish"}


def visible_pages(at) -> set[str]:
    """url paths of the pages this session may open: registered by st.navigation with their own
    script (an internal page's URL for someone not signed in runs views/signin.py instead)."""
    return {
        info["url_pathname"]
        for info in at._registered_pages.values()
        if not str(info.get("script_path", "")).endswith("signin.py")
    }


def open_url(at, url_path: str):
    """What opening /<url_path> does: run the page registered under that url path."""
    at._page_hash = next(
        h for h, info in at._registered_pages.items() if info["url_pathname"] == url_path
    )
    return at.run()


def sign_in(at, user_id: str, password: str):
    at.text_input(key="signin_user").input(user_id)
    at.text_input(key="signin_password").input(password)
    return at.button[0].click().run()


def open_signin(lang: str = "zh"):
    at = run_app(role="public", lang=lang)
    return at.switch_page("views/signin.py").run()


def test_signin_page_shows_demo_accounts_under_a_banner(app_env, small_path):
    app_env(small_path)
    at = open_signin("en")
    assert not at.exception
    assert "Demo data" in at.warning[0].value
    shown = at.dataframe[0].value
    assert shown["User id"].tolist() == [a.user_id for a in users.DEMO_ACCOUNTS]
    assert shown["Password"].tolist() == [a.password for a in users.DEMO_ACCOUNTS]


def test_a_real_database_shows_no_demo_accounts(app_env, tmp_path):
    from core.bootstrap import build_database

    path = tmp_path / "real.duckdb"
    build_database(path, 1_000, demo_accounts=False)
    app_env(path)
    at = open_signin("zh")
    assert not at.exception and not at.warning and not at.dataframe
    assert "python -m core users add" in at.info[0].value


@pytest.mark.parametrize(
    ("lang", "wrong", "locked"),
    [("zh", "用户名或密码错误。", "账号已锁定"), ("en", "Wrong user id or password.", "locked")],
)
def test_wrong_password_refused_in_the_page_language(app_env, small_path, lang, wrong, locked):
    app_env(small_path)
    at = open_signin(lang)
    for _ in range(4):
        sign_in(at, "policy", "not-the-password")
        assert [e.value for e in at.error] == [wrong]
    sign_in(at, "policy", "not-the-password")
    assert locked in at.error[0].value and "15" in at.error[0].value
    sign_in(at, "policy", "policy-demo-2026")  # the 6th try waits, even when right
    assert locked in at.error[0].value
    assert not at.exception and "user" not in at.session_state
    con = db.connect(small_path)
    logged = con.execute(
        "SELECT action, json_extract_string(detail, '$.refusal'), count(*) FROM audit_log "
        "WHERE action LIKE 'auth.%' AND json_extract(detail, '$.attempt')::BOOLEAN GROUP BY ALL"
    ).fetchall()
    state = users.sign_in_state(con, "policy")
    con.close()
    # one attempt entry per refused sign-in: four wrong, the fifth locks, the sixth waits
    assert sorted(logged) == [("auth.signin", "auth.failed", 4), ("auth.signin", "auth.locked", 2)]
    assert state[0] == 0 and state[1] is not None  # locked, the count starts afresh


def test_signing_in_gives_the_roles_pages_and_signing_out_takes_them(app_env, small_path):
    app_env(small_path)
    at = open_signin("zh")
    assert not INTERNAL & visible_pages(at)
    sign_in(at, "policy", "policy-demo-2026")
    assert not at.exception
    assert at.session_state["user"]["user_id"] == "policy"
    assert at.title[0].value.startswith("总览")  # the policy role's first page
    assert {"", "risk", "sampling", "merge"} <= visible_pages(at)  # "": overview, the default
    assert "publish" not in visible_pages(at)  # policy staff do not publish
    assert [t.value for t in at.sidebar.text][-1].startswith("当前用户:演示·政策制定")
    at.sidebar.button(key="signout").click().run()
    assert "user" not in at.session_state
    assert not INTERNAL & visible_pages(at)
    con = db.connect(small_path)
    log = con.execute(
        "SELECT actor, action FROM audit_log WHERE action IN ('auth.signin', 'auth.signout') "
        "ORDER BY seq"
    ).fetchall()
    con.close()
    assert log == [("policy", "auth.signin"), ("policy", "auth.signout")]


def test_roles_come_from_the_account_not_a_switch(app_env, small_path):
    app_env(small_path)
    at = run_app(role="admin")
    assert not at.selectbox  # no role switch in the sidebar any more
    assert {"publish", "registries", "sampling"} <= visible_pages(at)
    at = run_app(role="public")
    assert visible_pages(at) == {"", "verify", "about"}


def test_an_internal_url_without_signing_in_shows_the_signin_form(app_env, small_path):
    app_env(small_path)
    at = run_app(role="public", lang="en")
    open_url(at, "sampling")
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.metric and not at.get("plotly_chart")  # nothing of the Sampling page
    sign_in(at, "policy", "policy-demo-2026")
    assert not at.exception
    assert at.title[0].value != "Sign in"
    assert "sampling" in visible_pages(at)


def test_a_disabled_account_loses_its_session(app_env, small_path):
    app_env(small_path)
    at = run_app(role="leadership")
    assert {"", "risk", "merge"} <= visible_pages(at)
    con = db.connect(small_path)
    users.set_disabled(con, "os:test", "leader")
    con.close()
    at.run()
    assert "user" not in at.session_state
    assert not INTERNAL & visible_pages(at)
