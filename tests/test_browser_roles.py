"""Browser test of the sidebar on a freshly started server: the first session's first choice of
role counts, and a page opened by its URL still gets app.py's sidebar (language, role, pages).

Both used to fail while the pages lived in a folder named `pages/`: Streamlit then ran the very
first script run of a new server process as a legacy multipage app, so /merge opened without
app.py (its own page list "app / merge / overview ...", no language or role switch, no role
check), and widgets keyed in that run changed identity on the next run (the role picked first
was dropped)."""

from core import i18n
from tests.browser import (
    ROOT,
    browser_page,
    copy_db,
    require_chromium,
    streamlit_server,
    wait_until_rendered,
)  # fmt: skip


def test_no_streamlit_pages_folder_next_to_the_entry_point():
    assert not (ROOT / "pages").exists(), "put pages in views/: see the module docstring"


def sidebar_pages(page) -> list[str]:
    """The url paths of the pages the sidebar lists (the default page's is empty)."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    return [links.nth(i).get_attribute("href").rsplit("/", 1)[-1] for i in range(links.count())]


def choose_role(page, role: str) -> None:
    """What a user does: open the dropdown, click an option, wait for the rerun."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')
    box.click()
    page.get_by_role("option", name=roles_label(role)).click()
    page.wait_for_function(
        "v => document.querySelector('[data-testid=stSidebar] [data-testid=stSelectbox] input')"
        ".value === v",
        arg=roles_label(role),
    )
    wait_until_rendered(page)


def roles_label(role: str) -> str:
    return f"{i18n.label('role', role, 'zh')} · {i18n.label('role', role, 'en')}"


def test_fresh_server_direct_url_and_first_role_switch(pristine_demo, tmp_path):
    require_chromium()
    path = copy_db(pristine_demo, tmp_path)
    with streamlit_server(path) as url, browser_page(1400, 1200) as page:
        # the server's very first run: a page opened by its URL
        page.goto(f"{url}/merge")
        wait_until_rendered(page)
        page.wait_for_load_state("networkidle")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 1
        every_page = sidebar_pages(page)
        assert "app" not in every_page
        assert {"merge", "risk", "publish", "public", "verify"} <= set(every_page)
        # the first interaction of this session: pick the public
        choose_role(page, "public")
        # the rerun may start a moment after the choice shows: wait for the page list to change
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stSidebarNav] a[href$=\"/merge\"]')",
            timeout=60_000,
        )
        wait_until_rendered(page)
        public_pages = sidebar_pages(page)
        # public notices (the default page, url ""), verify and about
        assert sorted(public_pages) == ["", "about", "verify"], public_pages
        assert not {"merge", "risk", "registries", "sampling", "publish"} & set(public_pages)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "公示查询" in nav and "抽取验证" in nav
        page.screenshot(path=str(tmp_path / "public_role.png"), full_page=True)
