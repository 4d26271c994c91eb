"""A real Streamlit server and headless Debian Chromium, for browser tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def require_chromium() -> None:
    """Skip where no browser is installed, except in CI, where that is a failure."""
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} not installed (apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_path: Path, timeout: float = 90) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SUICHA_DB": str(db_path)}
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"streamlit did not start: {out[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 900):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


def wait_until_rendered(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )


def copy_db(src: Path, dst_dir: Path) -> Path:
    dst = dst_dir / "browser.duckdb"
    shutil.copy(src, dst)
    return dst


def click_until(page, locator, done_selector: str, attempts: int = 5) -> None:
    """Click until `done_selector` appears: a click in the first moments after the first
    render can be dropped while the frontend connects, so retry a bounded number of times."""
    page.wait_for_load_state("networkidle")
    for _ in range(attempts):
        locator.click()
        try:
            page.wait_for_selector(done_selector, timeout=5_000)
            wait_until_rendered(page)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; try again
            continue
    raise AssertionError(f"{done_selector} never appeared after {attempts} clicks")


def demo_password(user_id: str) -> str:
    from core import users

    return next(a.password for a in users.DEMO_ACCOUNTS if a.user_id == user_id)


def fill_signin(page, user_id: str, password: str) -> None:
    """Type into the sign-in form and submit it (the form must be on screen)."""
    page.wait_for_selector('[data-testid="stForm"] input[type="password"]', timeout=60_000)
    page.wait_for_load_state("networkidle")
    form = page.locator('[data-testid="stForm"]')
    for _ in range(5):  # a rerun that clears the form may land while we type: type again
        form.locator('input[type="text"]').fill(user_id)
        form.locator('input[type="password"]').fill(password)
        page.wait_for_timeout(200)
        if (
            form.locator('input[type="text"]').input_value() == user_id
            and form.locator('input[type="password"]').input_value() == password
        ):
            break
    form.locator('input[type="password"]').press("Enter")


def sign_in(page, url: str, user_id: str, password: str | None = None, path: str = "") -> None:
    """Open /<path> (an internal page's URL shows the sign-in form), sign in as `user_id` (a
    demo account unless `password` is given) and wait for the page. A Streamlit session lives
    as long as the browser tab's connection: navigate by clicking after this, not page.goto."""
    page.goto(f"{url}/{path or 'signin'}")
    wait_until_rendered(page)
    fill_signin(page, user_id, password or demo_password(user_id))
    page.wait_for_selector('[data-testid="stSidebar"] button:has-text("退出登录"), '
                           '[data-testid="stSidebar"] button:has-text("Sign out")',
                           timeout=60_000)  # fmt: skip
    wait_until_rendered(page)
