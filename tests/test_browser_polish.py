"""Issue 17 in a real browser on a fresh server: long work shows progress at once, an outcome
survives the rerun that follows a write, and links choose the language and the plan."""

from __future__ import annotations

import time

from core import db, i18n
from core.publication import versions
from tests.browser import (
    browser_page,
    click_until,
    copy_db,
    require_chromium,
    sign_in,
    streamlit_server,
    wait_until_rendered,
)  # fmt: skip


def audit_count(path, action: str) -> int:
    con = db.connect(path)
    try:
        return con.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[
            0
        ]
    finally:
        con.close()


def test_sampling_feedback_in_a_real_browser(pristine_demo, tmp_path):
    require_chromium()
    path = copy_db(pristine_demo, tmp_path)
    saves_before = audit_count(path, "sampling.ratios.default")
    working = i18n.t("sampling.preview_working", "zh")
    saved = i18n.t("sampling.saved", "zh")
    with streamlit_server(path) as url, browser_page() as page:
        sign_in(page, url, "policy")
        click_until(page, page.get_by_role("link", name=i18n.t("sampling.nav", "zh")),
                    f'text="{i18n.t("sampling.preview_hint", "zh")}"')  # fmt: skip
        page.wait_for_load_state("networkidle")
        assert page.locator(f"text={working}").count() == 0
        # the whole campaign (the default scope): progress within half a second of the click
        button = page.get_by_role("button", name=i18n.t("sampling.preview", "zh"), exact=True)
        button.click()
        clicked = time.perf_counter()
        page.wait_for_selector(f"text={working}", timeout=5_000)
        shown_after = time.perf_counter() - clicked
        wait_until_rendered(page)
        print(f"preview progress shown {shown_after:.3f} s after the click")
        assert shown_after < 0.5, f"progress appeared {shown_after:.2f} s after the click"
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() >= 5  # the preview's figures
        # save the ratio table: the confirmation is on screen after the rerun that follows
        click_until(page, page.get_by_role("button", name=i18n.t("sampling.save_ratios", "zh")),
                    f"text={saved}")  # fmt: skip
        wait_until_rendered(page)
        assert page.locator(f'[data-testid="stAlert"]:has-text("{saved}")').count() == 1
        page.screenshot(path=str(tmp_path / "sampling_feedback.png"), full_page=True)
    assert audit_count(path, "sampling.ratios.default") == saves_before + 1


def test_links_in_a_real_browser(pristine_small, tmp_path):
    require_chromium()
    path = copy_db(pristine_small, tmp_path)
    con = db.connect(path)
    versions.publish_year(con, 2026, "admin")
    plans = [r[0] for r in con.execute(
        "SELECT DISTINCT subject FROM publications WHERE kind = 'plan_notice' ORDER BY 1"
    ).fetchall()]  # fmt: skip
    con.close()
    assert len(plans) > 2
    plan_id = plans[len(plans) // 2]  # not the first: the link, not the default, chooses it
    with streamlit_server(path) as url, browser_page() as page:
        page.goto(f"{url}/public?lang=en")
        wait_until_rendered(page)
        title = page.locator("h1").first.inner_text()
        assert title == i18n.t("public.title", "en")
        assert page.locator('[data-testid="stException"]').count() == 0
        page.goto(f"{url}/public?plan={plan_id}")
        wait_until_rendered(page)
        assert page.locator("h1").first.inner_text() == i18n.t("public.title", "zh")
        picker = page.locator(
            '[data-testid="stSelectbox"]', has_text=i18n.t("public.plan_detail", "zh")
        )
        assert picker.locator("input").input_value().startswith(f"{plan_id} · ")
        assert f"plan={plan_id}" in page.url  # the address keeps naming the plan
