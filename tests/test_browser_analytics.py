"""Browser tests of the analytics: the briefing opens in headless Chromium with every network
request refused and draws every chart; the presentation mode is entered with one click and moved
with the keyboard, in Chinese and English (a real `streamlit run`)."""

from __future__ import annotations

import shutil
from datetime import date

from core import briefing, coverage, db, discovery
from tests.analytics_fixtures import YEAR, campaign_path  # noqa: F401 (a fixture)
from tests.browser import (
    browser_page,
    click_until,
    require_chromium,
    sign_in,
    streamlit_server,
    wait_until_rendered,
)  # fmt: skip

AS_OF = date(2026, 11, 30)
SLIDE_TITLE = ".st-key-present_title h1"


def test_briefing_opens_offline_and_draws_every_chart(campaign_path, tmp_path):  # noqa: F811
    require_chromium()
    con = db.connect(campaign_path, read_only=True)
    d, c = discovery.report(con, YEAR), coverage.report(con, YEAR, AS_OF)
    deck = briefing.slides(d, c, "zh")
    out = tmp_path / "briefing.html"
    out.write_text(briefing.build(con, YEAR, "zh", AS_OF), encoding="utf-8")
    rate = f"{d['overall']['rate']:.1%}"
    con.close()

    refused: list[str] = []

    def only_the_file(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with browser_page(width=1200, height=900) as page:
        page.route("**/*", only_the_file)
        page.goto(out.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(deck)}",
            timeout=60_000,
        )
        plots = page.locator(".js-plotly-plot")
        assert plots.count() == len(deck)
        for slide in deck:  # every chart drew its bars or lines
            marks = page.locator(f"#chart-{slide.key} .point, #chart-{slide.key} .js-line")
            assert marks.count() > 0, slide.key
        assert rate in page.locator("#headline").inner_text()
        page.screenshot(path=str(tmp_path / "briefing.png"), full_page=True)
    assert refused == []  # nothing was even asked of the network
    shutil.copy(tmp_path / "briefing.png", "/tmp/analytics-briefing.png")


def test_presentation_mode_with_the_keyboard(campaign_path, tmp_path):  # noqa: F811
    require_chromium()
    path = tmp_path / "present.duckdb"
    shutil.copy(campaign_path, path)
    with streamlit_server(path) as url, browser_page(width=1400, height=900) as page:
        sign_in(page, url, "leader", path="discovery")  # 协调办领导's demo account
        page.wait_for_selector('h1:has-text("问题发现率")', timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        enter = page.get_by_role("button", name="▶ 演示模式")
        click_until(page, enter, SLIDE_TITLE)
        title = page.locator(SLIDE_TITLE)
        assert title.inner_text() == "原始发现率与总体估计"
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.locator(".js-plotly-plot").count() == 1
        assert page.locator('[data-testid="stButton"]:visible').count() == 0  # no widgets
        page.screenshot(path=str(tmp_path / "slide1.png"))
        shutil.copy(tmp_path / "slide1.png", "/tmp/analytics-slide1.png")

        def press(key: str, expected: str) -> None:
            page.locator("body").press(key)
            page.wait_for_function(
                "([sel, text]) => document.querySelector(sel)?.innerText === text",
                arg=[SLIDE_TITLE, expected], timeout=30_000,
            )  # fmt: skip
            wait_until_rendered(page)

        press("ArrowRight", "按信用风险等级")
        press("ArrowRight", "本年与上年(按风险等级)")
        press("ArrowLeft", "按信用风险等级")
        press("l", "By credit-risk tier")  # L: English
        page.screenshot(path=str(tmp_path / "slide2-en.png"))
        shutil.copy(tmp_path / "slide2-en.png", "/tmp/analytics-slide2-en.png")
        page.locator("body").press("Escape")
        page.wait_for_selector('h1:has-text("问题发现率")', timeout=30_000)  # the app's language
        assert page.locator('[data-testid="stException"]').count() == 0
