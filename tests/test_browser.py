"""Browser test: a real `streamlit run` on 127.0.0.1, driven by headless Chromium."""

from core import db
from tests.browser import (
    browser_page,
    click_until,
    copy_db,
    require_chromium,
    sign_in,
    streamlit_server,
)  # fmt: skip


def test_overview_in_a_real_browser(pristine_demo, tmp_path):
    require_chromium()
    path = copy_db(pristine_demo, tmp_path)
    con = db.connect(path)
    targets = con.execute("SELECT count(*) FROM targets").fetchone()[0]
    items = con.execute("SELECT count(*) FROM items").fetchone()[0]
    con.close()  # the server process needs the file lock

    with streamlit_server(path) as url, browser_page() as page:
        sign_in(page, url, "leader", path="overview")
        assert page.locator('[data-testid="stException"]').count() == 0
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert f"{targets:,}" in values and f"{items:,}" in values
        assert "200,000" in values
        english = page.locator('[data-testid="stRadioOption"]', has_text="English")
        click_until(page, english, 'text="Inspection targets"')
        assert page.locator('[data-testid="stMetricValue"]').all_inner_texts() == values
        assert page.locator(".js-plotly-plot").count() >= 5
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
