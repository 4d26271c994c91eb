"""The plan administrator's annual draw in a real browser (the small dataset): choices survive a
language switch (only a browser sends a choice back as its label), then a rehearsal notice,
the preview, the commit, and the links on to the merge and the draw of inspectors, each
outcome on screen after its rerun."""

from __future__ import annotations

from core import db, i18n, merge, sampling
from core.assignment import report
from tests import browser as web

SUCCESS = '[data-testid="stAlertContentSuccess"]'
METRIC = '[data-testid="stMetric"]'


def zh(key: str, **values) -> str:
    return i18n.t(key, "zh", **values)


def checked(page, label: str) -> bool:
    """Is the radio option with this label selected on screen?"""
    option = page.locator('[data-testid="stRadio"] label', has_text=label)
    return option.locator("input").is_checked()


def press(page, target, done: str | None = None) -> None:
    """Click, wait for `done` (a selector) if given, then for the rerun to finish."""
    target.click()
    if done:
        page.wait_for_selector(done, timeout=60_000)
    web.wait_until_rendered(page)


def fill(page, field, text: str) -> None:
    field.fill(text)
    field.press("Enter")
    web.wait_until_rendered(page)


def test_admin_walks_the_draw_in_a_real_browser(pristine_small, tmp_path):
    web.require_chromium()
    path = web.copy_db(pristine_small, tmp_path)
    independent_en = i18n.t("sampling.mode.independent", "en")
    with web.streamlit_server(path) as url, web.browser_page() as page:
        web.sign_in(page, url, "admin", path="sampling")
        main = page.locator('[data-testid="stMain"]')
        sidebar = page.locator('[data-testid="stSidebar"]')
        press(page, main.get_by_text(zh("sampling.mode.independent")))
        # the language switch keeps the chosen mode (it used to fall back to coordinated, with
        # no option shown as chosen)
        web.click_until(page, sidebar.get_by_text("English"), f'text="{independent_en}"')
        assert checked(page, independent_en)
        assert not checked(page, i18n.t("sampling.mode.coordinated", "en"))
        press(page, main.get_by_role("button", name="Preview", exact=True), METRIC)
        assert f"· {independent_en} ·" in main.inner_text()
        web.click_until(page, sidebar.get_by_text("中文"),
                        f'text="{zh("sampling.mode.independent")}"')  # fmt: skip
        assert checked(page, zh("sampling.mode.independent"))
        press(page, main.get_by_text(zh("sampling.mode.coordinated")))
        # a rehearsal notice, then the commit at once
        press(page, main.get_by_text(zh("sampling.notice.rehearsal_pick")))
        fill(page, main.get_by_label(zh("sampling.notice.rehearsal_secret")), "browser-rehearsal")
        press(page, main.get_by_role("button", name=zh("sampling.notice.publish_rehearsal")),
              SUCCESS)  # fmt: skip
        fill(page, main.get_by_label(zh("sampling.beacon")), "3051.27")
        press(page, main.get_by_role("button", name=zh("sampling.preview"), exact=True), METRIC)
        press(page, main.get_by_text(zh("sampling.confirm")))
        press(page, main.get_by_role("button", name=zh("sampling.commit"), exact=True), SUCCESS)
        committed = main.locator(SUCCESS, has_text="已提交").inner_text()
        # on to the merge by the page's own link, then to the draw of inspectors
        press(page, main.get_by_role("link", name=zh("nav.merge")),
              f'button:has-text("{zh("merge.run")}")')  # fmt: skip
        press(page, main.get_by_role("button", name=zh("merge.run")), METRIC)
        merged = main.locator(SUCCESS, has_text="已合并").inner_text()
        press(page, main.get_by_role("link", name=zh("nav.assignments")),
              f'button:has-text("{zh("assignments.run")}")')  # fmt: skip
        press(page, main.get_by_role("button", name=zh("assignments.run")), SUCCESS)
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
