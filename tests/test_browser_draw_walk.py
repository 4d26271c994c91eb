"""The plan administrator's annual draw in a real browser (the small dataset): choices survive a
language switch (only a browser sends a choice back as its label), then a rehearsal notice,
the preview, the commit, and the links on to the merge and the draw of inspectors, each
outcome on screen after its rerun."""

from __future__ import annotations

from core import db, i18n, merge, sampling
from core.assignment import report
from tests.browser import (
    browser_page,
    click_until,
    copy_db,
    require_chromium,
    sign_in,
    streamlit_server,
    wait_until_rendered,
)  # fmt: skip

SUCCESS = '[data-testid="stAlertContentSuccess"]'


def zh(key: str, **values) -> str:
    return i18n.t(key, "zh", **values)


def checked(page, label: str) -> bool:
    """Is the radio option with this label selected on screen?"""
    option = page.locator('[data-testid="stRadio"] label', has_text=label)
    return option.locator("input").is_checked()


def test_admin_walks_the_draw_in_a_real_browser(pristine_small, tmp_path):
    require_chromium()
    path = copy_db(pristine_small, tmp_path)
    independent_en = i18n.t("sampling.mode.independent", "en")
    with streamlit_server(path) as url, browser_page() as page:
        sign_in(page, url, "admin", path="sampling")
        main = page.locator('[data-testid="stMain"]')
        sidebar = page.locator('[data-testid="stSidebar"]')
        main.get_by_text(zh("sampling.mode.independent")).click()
        wait_until_rendered(page)
        # the language switch keeps the chosen mode (it used to fall back to coordinated, with
        # no option shown as chosen)
        click_until(page, sidebar.get_by_text("English"), f'text="{independent_en}"')
        assert checked(page, independent_en)
        assert not checked(page, i18n.t("sampling.mode.coordinated", "en"))
        main.get_by_role("button", name="Preview", exact=True).click()
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        wait_until_rendered(page)
        assert f"· {independent_en} ·" in main.inner_text()
        click_until(page, sidebar.get_by_text("中文"), f'text="{zh("sampling.mode.independent")}"')
        assert checked(page, zh("sampling.mode.independent"))
        main.get_by_text(zh("sampling.mode.coordinated")).click()
        wait_until_rendered(page)
        # a rehearsal notice, then the commit at once
        main.get_by_text(zh("sampling.notice.rehearsal_pick")).click()
        wait_until_rendered(page)
        secret = main.get_by_label(zh("sampling.notice.rehearsal_secret"))
        secret.fill("browser-rehearsal")
        secret.press("Enter")
        wait_until_rendered(page)
        main.get_by_role("button", name=zh("sampling.notice.publish_rehearsal")).click()
        page.wait_for_selector(SUCCESS, timeout=60_000)
        wait_until_rendered(page)
        beacon = main.get_by_label(zh("sampling.beacon"))
        beacon.fill("3051.27")
        beacon.press("Enter")
        wait_until_rendered(page)
        main.get_by_role("button", name=zh("sampling.preview"), exact=True).click()
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        wait_until_rendered(page)
        main.get_by_text(zh("sampling.confirm")).click()
        wait_until_rendered(page)
        main.get_by_role("button", name=zh("sampling.commit"), exact=True).click()
        page.wait_for_selector(SUCCESS, timeout=60_000)
        wait_until_rendered(page)
        committed = main.locator(SUCCESS, has_text="已提交").inner_text()
        # on to the merge by the page's own link, then to the draw of inspectors
        main.get_by_role("link", name=zh("nav.merge")).click()
        page.wait_for_selector(f'button:has-text("{zh("merge.run")}")', timeout=60_000)
        wait_until_rendered(page)
        main.get_by_role("button", name=zh("merge.run")).click()
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        wait_until_rendered(page)
        merged = main.locator(SUCCESS, has_text="已合并").inner_text()
        main.get_by_role("link", name=zh("nav.assignments")).click()
        page.wait_for_selector(f'button:has-text("{zh("assignments.run")}")', timeout=60_000)
        wait_until_rendered(page)
        main.get_by_role("button", name=zh("assignments.run")).click()
        page.wait_for_selector(SUCCESS, timeout=60_000)
        wait_until_rendered(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(tmp_path / "draw_walk.png"), full_page=True)
    # the outcomes on screen are the database's (read once the server has let the file go)
    con = db.connect(path)
    try:
        draws = sampling.committed_draws(con, 2026)
        final = merge.saved_run(con, 2026)["final_visits"]
        info = report.run_info(con, 2026)
    finally:
        con.close()
    assert committed == zh("sampling.committed", n=len(draws), first=sorted(draws["draw_id"])[0],
                           selected=f"{int(draws['selected'].sum()):,}")  # fmt: skip
    assert merged == zh("merge.done", visits=f"{final:,}")
    assert info is not None and info["staffed"] > 0
