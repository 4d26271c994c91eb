"""Issue 16.4 on the public pages: registry text is data. Plan, department, item and industry
names written as Markdown or HTML show literally on the public notices, Verify and Publish pages,
and no link or image is produced: checked in the Markdown the pages send (AppTest) and in the DOM
a real browser builds."""

from __future__ import annotations

import re

import pytest

from core import db
from core.publication import versions
from tests import draw_reference as ref
from tests.apptest_helpers import run_app

BOLD = "**bold**"
LINK = "[x](http://e)"
IMAGE = "![x](https://e/x.png)"
SCRIPT = "<script>alert(1)</script>"
TAG = "<img src=x onerror=alert(1)>"
PLAN_NAME = f"{BOLD} {LINK} {IMAGE} {SCRIPT}"
HOSTILE = (BOLD, LINK, IMAGE, SCRIPT, TAG)
# Markdown that would act: a link or image, an HTML tag (not backslash-escaped; the pages' own
# labels use neither), or the hostile emphasis as written
ACTIVE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)<[a-zA-Z/]|\*\*bold\*\*")


def unescape(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.fixture
def hostile_path(small_path):
    """A small database whose first plan, its lead department, an item and an industry carry
    hostile names; two plans drawn and every notice published."""
    con = db.connect(small_path)
    plan_id = con.execute("SELECT min(plan_id) FROM plans WHERE year = 2026").fetchone()[0]
    con.execute("UPDATE plans SET name = ? WHERE plan_id = ?", [PLAN_NAME, plan_id])
    lead = con.execute("SELECT lead_dept FROM plans WHERE plan_id = ?", [plan_id]).fetchone()[0]
    con.execute("UPDATE departments SET name = ? WHERE dept_code = ?", [TAG, lead])
    item = con.execute("SELECT min(item_code) FROM plan_items WHERE plan_id = ?",
                       [plan_id]).fetchone()[0]  # fmt: skip
    con.execute("UPDATE items SET name = ?, legal_basis = ? WHERE item_code = ?",
                [LINK, IMAGE, item])  # fmt: skip
    drawn = ref.largest_plans(con, 1)[0]  # a plan with a frame, drawn, also hostile
    con.execute("UPDATE plans SET name = ? WHERE plan_id = ?", [PLAN_NAME, drawn])
    ref.commit_draws(con, [plan_id, drawn])
    versions.publish_year(con, 2026, "admin-test", reason=f"{BOLD} {IMAGE}")
    con.close()
    return small_path, plan_id, drawn


def markdown_sent(at) -> list[str]:
    """Everything the page sends through Markdown: markdown, captions, alerts, titles."""
    elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.error,
                *at.warning, *at.info, *at.success]  # fmt: skip
    return [e.value for e in elements]


def assert_inert(at) -> str:
    """No Markdown or HTML in what the page sends can act; returns the text as shown."""
    assert not at.exception
    sent = markdown_sent(at)
    for text in sent:
        assert not ACTIVE.search(text), f"active Markdown/HTML sent: {text[:200]}"
    shown = "\n".join(unescape(t) for t in sent)
    shown += "\n" + "\n".join(str(t.value) for t in at.text)
    for df in at.dataframe:
        shown += "\n" + df.value.astype(str).to_string()
    return shown


def test_public_notice_shows_hostile_names_literally(app_env, hostile_path):
    path, plan_id, _ = hostile_path
    app_env(path)
    for lang in ("en", "zh"):
        at = run_app(page="views/public.py", role="public", lang=lang)
        at.selectbox(key="public_plan").set_value(plan_id).run()
        shown = assert_inert(at)
        assert PLAN_NAME in shown  # the heading, literally
        assert TAG in shown  # the lead department
        assert LINK in shown and IMAGE in shown  # the item and its legal basis (table)
        # the headline is the plan's name, escaped, not an image or a link
        heading = next(m.value for m in at.markdown if m.value.startswith("#### "))
        assert unescape(heading) == f"#### {PLAN_NAME}"


def test_publish_page_shows_hostile_reason_literally(app_env, hostile_path):
    path, plan_id, _ = hostile_path
    con = db.connect(path)
    con.execute("UPDATE plans SET name = name || ? WHERE plan_id = ?", [TAG, plan_id])
    con.close()
    app_env(path)
    at = run_app(page="views/publish.py", role="admin", lang="en")
    at.text_input(key="pub_reason").input(f"{SCRIPT} {LINK}")
    at.button[0].click().run()
    shown = assert_inert(at)
    assert f"{SCRIPT} {LINK}" in shown  # the reason, in the corrections table


def test_verify_page_shows_hostile_names_literally(app_env, hostile_path):
    path, _, plan_id = hostile_path
    app_env(path)
    at = run_app(page="views/verify.py", role="public", lang="en")
    at.selectbox(key="verify_draw").set_value(f"D-{plan_id}").run()
    assert_inert(at)
    at.button(key="verify_published").click().run()
    shown = assert_inert(at)
    assert "Match" in shown
    # the option labels carry the name as plain text (select options are not Markdown)
    assert PLAN_NAME in at.selectbox(key="verify_draw").format_func(f"D-{plan_id}")


def test_hostile_names_in_a_real_browser(hostile_path, tmp_path):
    """The DOM a real browser builds: the names are text, no <img> or link to e/, no script."""
    from tests.browser import (
        browser_page,
        click_until,
        require_chromium,
        streamlit_server,
        wait_until_rendered,
    )

    require_chromium()
    path, _, _ = hostile_path
    with streamlit_server(path) as url, browser_page() as page:
        page.goto(url)
        wait_until_rendered(page)
        click_until(page, page.get_by_role("link", name="公示查询"), 'text="计划详情"')
        page.wait_for_selector("h4")
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        for name in (PLAN_NAME, TAG):
            assert name in text, name
        assert page.locator('img[src*="e/x.png"], img[src="x"]').count() == 0
        assert page.locator('a[href^="http://e"], a[href^="https://e"]').count() == 0
        assert main.locator("strong", has_text="bold").count() == 0
        assert main.locator("script").count() == 0
        assert page.locator("h4").first.inner_text().strip() == PLAN_NAME
        page.screenshot(path=str(tmp_path / "hostile_public.png"), full_page=True)
