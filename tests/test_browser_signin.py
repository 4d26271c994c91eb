"""Sign-in in a real browser on a freshly started server (the issue's acceptance): an internal
page opened by its URL shows the sign-in form and no internal data; a wrong password is refused
and logged; after five wrong passwords the sixth try waits; policy staff signing in on /sampling
get the Sampling page; the public reaches the notices and Verify without signing in."""

import json

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core import db, i18n
from tests.browser import (
    browser_page,
    click_until,
    copy_db,
    demo_password,
    fill_signin,
    require_chromium,
    streamlit_server,
    wait_until_rendered,
)  # fmt: skip

WRONG = i18n.t("auth.failed", "zh")
LOCKED = "账号已锁定"


def alerts(page) -> list[str]:
    return page.locator('[data-testid="stAlert"]').all_inner_texts()


def try_password(page, user_id: str, password: str, expect: str) -> None:
    fill_signin(page, user_id, password)
    field = page.locator('[data-testid="stForm"] input[type="password"]')
    for _ in range(3):
        try:
            page.wait_for_function(
                "t => [...document.querySelectorAll('[data-testid=stAlert]')]"
                ".some(a => a.innerText.includes(t))", arg=expect, timeout=30_000,
            )  # fmt: skip
            break
        except PlaywrightTimeout:
            # the form clears on submit: a field still holding the password was never sent
            if field.count() and field.input_value() == password:
                field.press("Enter")
    else:
        raise AssertionError(f"no {expect!r} after signing in as {user_id}: {alerts(page)}")
    wait_until_rendered(page)


def test_sign_in_in_a_real_browser(pristine_demo, tmp_path):
    require_chromium()
    path = copy_db(pristine_demo, tmp_path)
    sampling_title = i18n.t("sampling.title", "zh")
    with streamlit_server(path) as url, browser_page(1400, 1100) as page:
        # a fresh server; an internal page by its URL, nobody signed in
        page.goto(f"{url}/sampling")
        wait_until_rendered(page)
        page.wait_for_load_state("networkidle")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("h1").first.inner_text() == "登录"
        assert page.locator('[data-testid="stForm"] input[type="password"]').count() == 1
        # no internal data: no figures, metrics or chart of the Sampling page
        assert page.locator('[data-testid="stMetricValue"]').count() == 0
        assert page.locator(".js-plotly-plot").count() == 0
        assert sampling_title not in page.locator('[data-testid="stMain"]').inner_text()
        # wrong passwords for the admin account: refused; the fifth locks; the sixth waits
        for i in range(4):
            try_password(page, "admin", f"wrong-password-{i}", WRONG)
        try_password(page, "admin", "wrong-password-4", LOCKED)
        try_password(page, "admin", demo_password("admin"), LOCKED)
        assert page.locator('[data-testid="stSidebar"] button:has-text("退出登录")').count() == 0
        page.screenshot(path=str(tmp_path / "locked.png"), full_page=True)
        # policy staff sign in on the same URL: the Sampling page opens
        fill_signin(page, "policy", demo_password("policy"))
        page.wait_for_selector('[data-testid="stSidebar"] button:has-text("退出登录")',
                               timeout=60_000)  # fmt: skip
        wait_until_rendered(page)
        page.wait_for_function(
            "t => document.querySelector('h1') && document.querySelector('h1').innerText === t",
            arg=sampling_title, timeout=120_000,
        )  # fmt: skip
        assert page.url.split("?")[0].endswith("/sampling")
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(tmp_path / "sampling.png"), full_page=True)

    with streamlit_server(path) as url, browser_page() as page:
        # the public: notices and Verify without signing in
        page.goto(url)
        wait_until_rendered(page)
        assert page.locator("h1").first.inner_text() == i18n.t("public.title", "zh")
        click_until(page, page.get_by_role("link", name="抽取验证"),
                    f'h1:has-text("{i18n.t("verify.title", "zh")}")')  # fmt: skip
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stForm"] input[type="password"]').count() == 0

    con = db.connect(path, read_only=True)  # the server has stopped: what was logged
    log = con.execute(
        "SELECT actor, action, detail FROM audit_log WHERE action LIKE 'auth.%' ORDER BY seq"
    ).fetchall()
    con.close()
    actions = [(a, act, json.loads(d).get("user_id"), json.loads(d).get("refusal"))
               for a, act, d in log]  # fmt: skip
    # one attempt entry per refused sign-in (core/writes.py): four wrong, the fifth locks, the
    # sixth waits; then the policy user's sign-in
    assert actions == [("anonymous", "auth.signin", "admin", "auth.failed")] * 4 + [
        ("anonymous", "auth.signin", "admin", "auth.locked")] * 2 + [
        ("policy", "auth.signin", None, None)]  # fmt: skip
