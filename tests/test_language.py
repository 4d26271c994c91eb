"""One language at a time: every page, for every role that sees it, in Chinese shows no English
words (outside a short list of codes, units and product names) and in either language no raw
snake_case names. Issue 17.2."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from core import roles
from tests.app_pages import pages_for, walking_roles
from tests.apptest_helpers import run_app
from tests.page_text import page_texts

# What the Chinese interface may show in Latin letters: product and file-format names, units,
# statistics' standard abbreviations, and the letters of codes (A类事项, A级 are one token each
# with their Chinese characters, so they never reach this list).
ALLOWED_LATIN = {
    "Suicha", "CSV", "XLSX", "JSON", "PNG", "SVG", "HTML", "PDF", "SHA", "HMAC", "Merkle",
    "USCC", "ID", "AUC", "GB", "OIDC", "Excel", "Python", "DuckDB", "Plotly", "Streamlit",
    "Chromium", "hashlib", "verify_draw", "py", "English", "Language", "UTC", "bp", "OK",
    "suicha", "prn", "sha", "v1", "v2", "Wilson", "Horvitz", "Thompson", "HT", "IQR", "MB",
    "GiB", "KB", "ms", "Linux", "Esc", "UTF", "BOM", "GBK", "pandas",
}  # fmt: skip
# Plotly hover placeholders, HTML tags, format fields, and Markdown code spans (a command or an
# identifier in `backticks` is code, meant literally, like an st.code block)
_TEMPLATE = re.compile(r"%\{[^}]*\}|<[^>]+>|\{[a-z_]+\}|`[^`]+`")
_TOKEN = re.compile(r"[A-Za-z0-9_\-./:]+")
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def latin_words(text: str) -> list[str]:
    """ASCII-letter words of two letters or more that are not codes (codes carry digits)."""
    text = _TEMPLATE.sub(" ", text)
    words = []
    for token in _TOKEN.findall(text):
        for part in re.split(r"[\-./:]", token):
            if re.fullmatch(r"[A-Za-z]{2,}", part) and part not in ALLOWED_LATIN:
                words.append(part)
    return words


def snake_names(text: str) -> list[str]:
    return [w for w in _SNAKE.findall(_TEMPLATE.sub(" ", text)) if w not in ALLOWED_LATIN]


def problems(at, lang: str) -> list[str]:
    found = []
    for kind, text in page_texts(at):
        if lang == "zh":
            found += [f"{kind}: English {w!r} in {text[:80]!r}" for w in latin_words(text)]
        found += [f"{kind}: raw name {w!r} in {text[:80]!r}" for w in snake_names(text)]
    return found


@pytest.fixture(scope="module")
def walked(demo_path):
    """Every page of every role in both languages, run once per module: problems by page."""
    import os

    import streamlit as st

    os.environ["SUICHA_DB"] = str(demo_path)
    st.cache_data.clear()
    st.cache_resource.clear()
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    walking = walking_roles()
    assert set(walking) >= set(roles.ROLES) - {"reviewer"}
    for role in walking:
        for lang in ("zh", "en"):
            for path in pages_for(role):
                at = run_app(path, lang=lang, role=role)  # a fresh session per page
                assert not at.exception, (role, lang, path, at.exception)
                found[(role, lang, path)] = problems(at, lang)
    st.cache_data.clear()
    st.cache_resource.clear()
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(walked, lang):
    bad = {k: v for k, v in walked.items() if k[1] == lang and v}
    report = [f"{role} {path}: {p}" for (role, _, path), ps in sorted(bad.items()) for p in ps]
    assert not report, "\n".join(report[:80])


def test_the_checks_can_fail():
    assert latin_words("检查对象 targets by district") == ["targets", "by", "district"]
    assert latin_words("A类事项 · 440300M01 · SHA-256 · CSV") == []
    assert snake_names("stage campaign_draw took 1 s") == ["campaign_draw"]
    assert latin_words("运行 `python -m core draw` 之后 draw") == ["draw"]
