"""Browser test of the sidebar on a freshly started server: a page opened by its URL still gets
app.py's sidebar (language, account, pages), asks for signing in, and after signing in on that
URL shows the page with the role's pages; signing out returns to the public's pages.

Both used to fail while the pages lived in a folder named `pages/`: Streamlit then ran the very
first script run of a new server process as a legacy multipage app, so /merge opened without
app.py (its own page list "app / merge / overview ...", no language or role switch, no role
check), and widgets keyed in that run changed identity on the next run."""

from tests.browser import (
    ROOT,
    browser_page,
    copy_db,
    demo_password,
    fill_signin,
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


def signed_in_as(page) -> str:
    return page.locator('[data-testid="stSidebar"] [data-testid="stText"]').first.inner_text()


def test_fresh_server_direct_url_sign_in_and_sign_out(pristine_demo, tmp_path):
    require_chromium()
    path = copy_db(pristine_demo, tmp_path)
    with streamlit_server(path) as url, browser_page(1400, 1200) as page:
        # the server's very first run: an internal page opened by its URL, nobody signed in
        page.goto(f"{url}/merge")
        wait_until_rendered(page)
        page.wait_for_load_state("networkidle")
        assert page.locator('[data-testid="stException"]').count() == 0
        page.wait_for_selector('[data-testid="stForm"] input[type="password"]', timeout=60_000)
        assert page.locator('[data-testid="stForm"] input[type="password"]').count() == 1
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 0
        assert sorted(sidebar_pages(page)) == ["", "about", "signin", "verify"]
        assert signed_in_as(page) == "未登录(社会公众)"
        # sign in as leadership on that very URL: the merge page opens with the role's pages
        fill_signin(page, "leader", demo_password("leader"))
        page.wait_for_selector('[data-testid="stSidebar"] button:has-text("退出登录")')
        wait_until_rendered(page)
        assert page.url.endswith("/merge")
        assert page.locator('[data-testid="stForm"] input[type="password"]').count() == 0
        every_page = sidebar_pages(page)
        assert "app" not in every_page and "signin" not in every_page
        assert {"merge", "risk", "publish", "public", "verify"} <= set(every_page)
        assert signed_in_as(page) == "当前用户:演示·协调办领导(协调办领导)"
        # sign out: back to the public's pages
        page.locator('[data-testid="stSidebar"] button:has-text("退出登录")').click()
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stSidebarNav] a[href$=\"/merge\"]')",
            timeout=60_000,
        )
        wait_until_rendered(page)
        public_pages = sidebar_pages(page)
        assert sorted(public_pages) == ["", "about", "signin", "verify"], public_pages
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "公示查询" in nav and "抽取验证" in nav
        page.screenshot(path=str(tmp_path / "public_role.png"), full_page=True)
