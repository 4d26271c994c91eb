"""Browser tests (real server, Chromium): a signed-in inspector reaches only their own visits,
whatever the page, the URL, a query parameter or a download; a result entered in the browser
survives a server restart."""

from __future__ import annotations

import shutil

import pytest

from core import db, users
from core.results import access, demo
from tests import results_fixtures as rf
from tests.browser import (
    browser_page,
    demo_password,
    require_chromium,
    sign_in,
    streamlit_server,
    wait_until_rendered,
)

OTHER_PASSWORD = "other-inspector-2026"


@pytest.fixture(scope="module")
def two_inspectors(pristine_demo, tmp_path_factory):
    """The demo dataset with 2026 assigned; the demo inspector account and a second inspector
    account whose visits are not the demo inspector's."""
    path = tmp_path_factory.mktemp("browser_results") / "campaign.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    rf.assigned_campaign(con)
    demo.demo_users(con, rf.YEAR, "test")  # the demo inspector: one with visits to do
    me = users.get_user(con, "inspector")
    mine = set(access.my_visits(con, me)["visit_id"])
    assert mine, "the demo inspector has no visits"
    other_id = con.execute(
        """
        SELECT inspector_id FROM assignments WHERE active
        GROUP BY 1 HAVING count(*) FILTER (WHERE visit_id IN (SELECT unnest(?::VARCHAR[]))) = 0
        ORDER BY count(*) DESC, 1 LIMIT 1
        """,
        [list(mine)],
    ).fetchone()[0]
    other = users.add_user(con, "test", "inspector-b", "另一位检查人员", "inspector",
                           OTHER_PASSWORD, inspector_id=other_id)  # fmt: skip
    theirs = set(access.my_visits(con, other)["visit_id"])
    con.close()
    return path, me, mine, other, theirs


def visible_text(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


def table_text(page) -> str:
    """The visits table's cells (glide data grid renders them into an accessible table)."""
    return page.locator('[data-testid="stDataFrame"]').first.inner_text()


def test_inspector_cannot_reach_another_inspectors_visits(two_inspectors, tmp_path):
    require_chromium()
    src, me, mine, other, theirs = two_inspectors
    path = tmp_path / "b.duckdb"
    shutil.copy(src, path)
    foreign = sorted(theirs - mine)
    with streamlit_server(path) as url, browser_page(1400, 1400) as page:
        sign_in(page, url, "inspector", path="my-visits")
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        wait_until_rendered(page)
        text = visible_text(page) + page.content()
        assert me["inspector_id"] in text
        assert not [v for v in foreign if v in text]
        assert other["inspector_id"] not in text
        # the visit picker offers only the user's visits
        page.locator('[data-testid="stSelectbox"]').last.click()
        options = page.get_by_role("option").all_inner_texts()
        page.keyboard.press("Escape")
        assert options and set(options) <= mine
        # the download holds the user's visits and nothing else
        with page.expect_download() as info:
            page.get_by_role("button", name="下载我的任务清单(CSV)").click()
        data = open(info.value.path(), encoding="utf-8-sig").read()
        rows = [line.split(",")[0] for line in data.strip().splitlines()[1:]]
        assert sorted(rows) == sorted(mine)
        assert not [v for v in foreign if v in data] and other["inspector_id"] not in data

        # editing the URL: another inspector's visit and id as query parameters, other paths
        for target in (
            f"my-visits?visit_id={foreign[0]}&inspector_id={other['inspector_id']}",
            f"review?visit_id={foreign[0]}",
            f"assignments?inspector={other['user_id']}",
        ):
            page.goto(f"{url}/{target}")
            wait_until_rendered(page)
            text = visible_text(page) + page.content()
            assert foreign[0] not in text and other["inspector_id"] not in text
        # signed in again on that URL, the page still shows only the user's own visits
        sign_in(
            page,
            url,
            "inspector",
            path=f"my-visits?visit_id={foreign[0]}&inspector_id={other['inspector_id']}",
        )
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        text = visible_text(page) + page.content()
        assert me["inspector_id"] in text and foreign[0] not in text
        assert page.locator('[data-testid="stException"]').count() == 0


def test_a_result_entered_in_the_browser_survives_a_restart(two_inspectors, tmp_path):
    require_chromium()
    src, me, mine, _other, _theirs = two_inspectors
    path = tmp_path / "r.duckdb"
    shutil.copy(src, path)
    con = db.connect(path)
    first = access.my_visits(con, me).iloc[0]
    n_tasks = int(first["n_tasks"])
    con.close()
    with streamlit_server(path) as url, browser_page(1400, 2400) as page:
        sign_in(page, url, "inspector", path="my-visits")
        page.wait_for_selector('[data-testid="stForm"] [data-testid="stMultiSelect"]',
                               timeout=60_000)  # fmt: skip
        wait_until_rendered(page)
        boxes = page.locator('[data-testid="stForm"] [data-testid="stMultiSelect"]')
        assert boxes.count() == n_tasks
        for k in range(n_tasks):
            boxes.nth(k).locator("input").click()
            page.keyboard.type("未按规定公示")
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
        page.get_by_role("button", name="保存结果").click()
        page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=60_000)
        wait_until_rendered(page)
    # the server is gone; a new one on the same file shows what was entered
    with streamlit_server(path) as url, browser_page(1400, 2400) as page:
        sign_in(page, url, "inspector", path="my-visits")
        page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
        assert "检查中" in visible_text(page)
    con = db.connect(path)
    rows = con.execute(
        "SELECT outcomes, entered_by FROM results WHERE visit_id = ?", [first["visit_id"]]
    ).fetchall()
    con.close()
    assert rows == [(["B"], "inspector")] * n_tasks
    assert demo_password("inspector")
