"""Streamlit's running indicator speaks the reader's language: on a Chinese page its "Stop"
button reads 停止 (ui/chrome.py); an English page keeps Streamlit's own word."""

from __future__ import annotations

from tests.apptest_helpers import run_app


def styles(at) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def test_stop_button_in_chinese_only(small_path, app_env):
    app_env(small_path)
    at = run_app(page="views/sampling.py", lang="zh", role="admin")
    assert not at.exception
    rules = [s for s in styles(at) if "stStatusWidget" in s]
    assert len(rules) == 1 and 'content: "停止"' in rules[0] and "font-size: 0" in rules[0]
    at = run_app(page="views/sampling.py", lang="en", role="admin")
    assert not at.exception
    assert not [s for s in styles(at) if "stStatusWidget" in s]
