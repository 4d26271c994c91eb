"""Registry text is data (issue 16.4): names that Markdown or HTML would act on are shown as
exactly their text on every page, for every role. A name reaches the screen through many
pages (targets, plans, departments, items, inspectors); wherever it appears in an element that
interprets Markdown, it must have been escaped."""

from __future__ import annotations

import shutil

import pytest

from core import db
from core.bootstrap import build_database
from tests.app_pages import pages_for, walking_roles
from tests.apptest_helpers import run_app
from tests.page_text import page_texts
from ui.safe_text import md

PAYLOADS = (
    "**粗体**",
    "[链接](https://example.com/a)",
    "![图](https://example.com/x.png)",
    "<b>标签</b>",
    "<img src=x onerror=alert(1)>",
)
# Elements whose text Streamlit renders as Markdown (labels and options included)
MARKDOWN_KINDS = {
    "Markdown", "Caption", "Title", "Header", "Subheader", "Error", "Warning", "Info",
    "Success", "Toast", "Metric", "Button", "Expander", "Tab", "Checkbox", "Radio", "Toggle",
    "Exception", "Divider", "Latex", "ButtonGroup", "DownloadButton", "PageLink",
}  # fmt: skip


def hostile(name: str, i: int) -> str:
    return f"{PAYLOADS[i % len(PAYLOADS)]}{name}"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A demo campaign whose plans, departments, items, targets and inspectors carry names
    Markdown and HTML would act on."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    build_database(path, 5_000, seed=2022, campaign=True)
    con = db.connect(path)
    try:
        for table, key in (("departments", "dept_code"), ("plans", "plan_id"),
                           ("items", "item_code"), ("inspectors", "inspector_id"),
                           ("targets", "uscc")):  # fmt: skip
            keys = [r[0] for r in con.execute(f"SELECT {key} FROM {table}").fetchall()]  # noqa: S608
            step = max(1, len(keys) // 400)  # every department; a spread of the others
            picked = keys if table == "departments" else keys[::step]
            con.executemany(
                f"UPDATE {table} SET name = ? WHERE {key} = ?",  # noqa: S608
                [[hostile(f"名称{i}", i), k] for i, k in enumerate(picked)],
            )
        con.execute("UPDATE plans SET name = '**粗体**' || name")
    finally:
        con.close()
    copy = tmp_path_factory.mktemp("hostile_copy") / "hostile.duckdb"
    shutil.copy(path, copy)
    return copy


def markdown_leaks(at) -> list[str]:
    return [
        f"{kind}: {text[:120]!r}"
        for kind, text in page_texts(at, cells=False)
        if kind in MARKDOWN_KINDS and any(p in text for p in PAYLOADS)
    ]


def test_hostile_names_show_literally_on_every_page(hostile_db, app_env):
    app_env(hostile_db)
    leaks: list[str] = []
    shown: set[str] = set()  # pages where a hostile name reached the screen (as text)
    walked = 0
    for role in walking_roles():
        for path in pages_for(role):
            at = run_app(path, lang="zh", role=role)
            assert not at.exception, (role, path, at.exception)
            leaks += [f"{role} {path} {leak}" for leak in markdown_leaks(at)]
            if any(p in t or md(p) in t for _, t in page_texts(at) for p in PAYLOADS):
                shown.add(path)
            walked += 1
    assert walked >= 20
    assert len(shown) >= 5, shown  # the names did reach the pages: the walk tested something
    assert not leaks, "\n".join(leaks[:40])


def test_the_check_sees_markdown(app_env, hostile_db):
    """The check itself: a Markdown element holding a raw payload is reported."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(f"import streamlit as st\nst.markdown({PAYLOADS[0]!r})").run()
    assert markdown_leaks(at) == [f"Markdown: {PAYLOADS[0]!r}"]
    at = AppTest.from_string(f"import streamlit as st\nst.text({PAYLOADS[0]!r})").run()
    assert markdown_leaks(at) == []
