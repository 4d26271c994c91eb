"""One language at a time: every page, for every role that sees it, in Chinese shows no English
words (outside a short list of codes, units and product names) and in either language no raw
snake_case names. Issue 17.2."""

from __future__ import annotations

import ast
import json
import re
import shutil
import string
from collections import defaultdict
from pathlib import Path

import pytest

from core import roles
from core.bootstrap import build_database
from tests.app_pages import pages_for, walking_roles
from tests.apptest_helpers import choose_option, run_app
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


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAMED = re.compile(r"%[bBaAp]")  # d3 formats that print month, day or AM/PM names in English


def date_axis_problems(at) -> list[str]:
    """Plotly writes the ticks and hover labels of a date axis as "Mar 2026" unless told a
    format: in Chinese, every date axis needs one without month or day names."""
    found = []
    for el in at.get("plotly_chart"):
        fig = json.loads(el.proto.spec)
        layout = fig.get("layout", {})
        for trace in fig.get("data", []):
            for axis in ("x", "y"):
                values = trace.get(axis)
                if not (isinstance(values, list) and values and isinstance(values[0], str)):
                    continue
                if not _ISO_DATE.fullmatch(values[0][:10]):
                    continue
                name = f"{axis}axis{str(trace.get(axis + 'axis', axis))[1:]}"
                spec = layout.get(name, {})
                if spec.get("type") == "category":
                    continue
                for key in ("tickformat", "hoverformat"):
                    if not spec.get(key) or _NAMED.search(spec[key]):
                        found.append(f"PlotlyChart: date axis {name} has {key} "
                                     f"{spec.get(key)!r}: English month names")  # fmt: skip
    return sorted(set(found))


def problems(at, lang: str) -> list[str]:
    found = []
    for kind, text in page_texts(at):
        if lang == "zh":
            found += [f"{kind}: English {w!r} in {text[:80]!r}" for w in latin_words(text)]
        found += [f"{kind}: raw name {w!r} in {text[:80]!r}" for w in snake_names(text)]
    if lang == "zh":
        found += date_axis_problems(at)
        for frame in at.dataframe:  # a missing cell reads "None" unless a placeholder is set
            df = frame.value
            if not frame.proto.placeholder:
                found += [f"Dataframe: missing cells in {c!r} read 'None'" for c in df.columns
                          if df[c].isna().any()]  # fmt: skip
    return found


@pytest.fixture(scope="module")
def campaign_db(tmp_path_factory):
    """A dataset as the app's first run builds it, smaller: registries (5,000 targets), demo
    accounts of every role, and a campaign drawn, merged, staffed and given results, so that
    every page has something to show (the reviewer, visits awaiting review)."""
    path = tmp_path_factory.mktemp("language") / "campaign.duckdb"
    build_database(path, 5_000, seed=2022, campaign=True)
    return path


@pytest.fixture(scope="module")
def walked(campaign_db, pristine_small, tmp_path_factory):
    """Every page of every role in both languages, run once per module: problems by page. On
    the campaign every view of a page too (each option of its radios); on registries without a
    campaign (`init --no-campaign`) the pages' empty states."""
    import os

    import streamlit as st

    registries = tmp_path_factory.mktemp("language") / "registries.duckdb"
    shutil.copy(pristine_small, registries)
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    walking = walking_roles()
    assert set(walking) == set(roles.ROLES)
    for dataset, path_ in (("campaign", campaign_db), ("registries", registries)):
        os.environ["SUICHA_DB"] = str(path_)
        st.cache_data.clear()
        st.cache_resource.clear()
        views: set[tuple] = set()  # each view walked for its page's first role, each language
        for role in walking:
            for lang in ("zh", "en"):
                signin = ["views/signin.py"] if role == "public" else []  # what the public sees
                for path in [*pages_for(role), *signin]:
                    at = run_app(path, lang=lang, role=role)  # a fresh session per page
                    assert not at.exception, (dataset, role, lang, path, at.exception)
                    found[(role, lang, f"{path} ({dataset})")] = problems(at, lang)
                    if dataset != "campaign":
                        continue
                    radios = [(r.key, len(r.options)) for r in at.radio
                              if r.key not in (None, "lang")]  # fmt: skip
                    for key, n in radios:  # the page's other views
                        for i in range(1, n):
                            if (path, key, i, lang) in views:
                                continue
                            views.add((path, key, i, lang))
                            at = run_app(path, lang=lang, role=role)
                            choose_option(at.radio(key=key), i).run()
                            assert not at.exception, (role, lang, path, key, i, at.exception)
                            found[(role, lang, f"{path} {key}#{i}")] = problems(at, lang)
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


def _all_texts(at) -> list[tuple[str, str]]:
    """page_texts plus every cell of every table (page_texts reads the first 50 rows)."""
    texts = page_texts(at, cells=False)
    for frame in at.dataframe:
        df = frame.value
        texts += [("Dataframe", v) for c in df.columns for v in df[c] if isinstance(v, str)]
    return texts


def _language_problems(at, lang: str) -> list[str]:
    found = []
    for kind, text in _all_texts(at):
        if lang == "zh":
            found += [f"{kind}: English {w!r} in {text[:120]!r}" for w in latin_words(text)]
        found += [f"{kind}: raw name {w!r} in {text[:120]!r}" for w in snake_names(text)]
    return found


def test_every_verifier_saying_has_both_languages():
    """Each key the standalone verifier says (core/verify_draw_standalone.py TEXT) is in the
    catalogue in zh and en, with no value the script does not give, and the zh has no English."""
    from core import i18n, verification
    from core import verify_draw_standalone as standalone

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    given: dict[str, set[str]] = defaultdict(set)  # the values each Say("key", ...) passes
    for node in ast.walk(ast.parse(Path(standalone.__file__).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Say" and node.args:
            if isinstance(node.args[0], ast.Constant):
                given[node.args[0].value] |= {k.arg for k in node.keywords}
    catalogue = i18n.catalogue()
    for key, english in standalone.TEXT.items():
        zh, en = catalogue[verification.PREFIX + key]
        allowed = fields(english) | given[key]
        assert fields(zh) <= allowed and fields(en) <= allowed, key
        assert not latin_words(re.sub(r"\{[^{}]*\}", " ", zh)), (key, zh)


def test_every_assignment_verifier_saying_has_both_languages():
    """The same for the assignment verifier (core/verify_assignment_standalone.py TEXT)."""
    from core import i18n
    from core import verify_assignment_standalone as standalone

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    catalogue = i18n.catalogue()
    for key, english in standalone.TEXT.items():
        zh, en = catalogue[f"assignverifier.{key}"]
        assert fields(zh) <= fields(english) and fields(en) <= fields(english), key
        assert not latin_words(re.sub(r"\{[^{}]*\}", " ", zh)), (key, zh)


@pytest.fixture(scope="module")
def verify_path(pristine_small, tmp_path_factory):
    """A real (not rehearsal) campaign: the notice published, the draw committed on the beacon
    date, as tests/test_draw_to_publication.py does."""
    import datetime as dt

    from core import db, sampling
    from core.vocab import TZ

    path = tmp_path_factory.mktemp("verify") / "small.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    published = dt.datetime(2026, 1, 5, 10, 0, tzinfo=TZ)
    sampling.publish_commitment(con, 2026, "test", dt.date(2026, 1, 8), clock=lambda: published)
    beacon_day = dt.datetime(2026, 1, 8, 16, 0, tzinfo=TZ)
    sampling.commit(con, 2026, "admin", beacon="10523.45", clock=lambda: beacon_day)
    con.close()
    return path


def _verify(draw_id: str, lang: str):
    at = run_app("views/verify.py", lang=lang, role="public")
    at.selectbox(key="verify_draw").set_value(draw_id).run()
    at.button(key="verify_published").click().run()
    assert not at.exception
    return at


def test_verify_results_speak_one_language(verify_path, app_env):
    """The Verify page after a verification ran, of a good record, a tampered one and an input
    that cannot be verified: the checks' details in the reader's language (issue 17.2)."""
    import json

    from core import db, verification

    app_env(verify_path)
    con = db.connect(verify_path)
    draw_id, text = con.execute("SELECT draw_id, public_json FROM draw_commits "
                                "ORDER BY length(public_json) DESC LIMIT 1").fetchone()  # fmt: skip
    con.close()
    for lang in ("zh", "en"):
        at = _verify(draw_id, lang)
        assert len(at.success) == 1 and not at.error, [e.value for e in at.error]
        rows = at.dataframe[0].value
        assert len(rows) > 10
        assert not _language_problems(at, lang), _language_problems(at, lang)[:20]

    # the record tampered: two codes swapped, a quota and the seeds changed
    record = json.loads(text)
    con = db.connect(verify_path)
    record["selected"][0], record["selected"][-1] = record["selected"][-1], record["selected"][0]
    record["strata"][0]["quota"] += 1
    record["seed"] = "0" * 64
    record["prn_seed"] = "x"
    con.execute("UPDATE draw_commits SET public_json = ? WHERE draw_id = ?",
                [json.dumps(record), draw_id])  # fmt: skip
    db.bump_data_version(con)
    con.close()
    for lang in ("zh", "en"):
        at = _verify(draw_id, lang)
        assert len(at.error) == 1, [e.value for e in at.error]
        details = at.dataframe[0].value.iloc[:, -1]
        results = at.dataframe[0].value.iloc[:, 0]
        fails = details[results == ("未通过" if lang == "zh" else "FAIL")].tolist()
        assert len(fails) >= 4, fails
        problems = _language_problems(at, lang)
        assert not problems, problems[:20]
        if lang == "zh":
            assert any("第 1 层" in d for d in fails), fails  # the quota, said in Chinese

    # an upload that is not a record: refused in the reader's language
    try:
        verification.verify_uploaded({"2026-S-0001.json": b"{not json"})
    except verification.Unreadable as e:
        refusal = e
    for lang in ("zh", "en"):
        at = run_app("views/verify.py", lang=lang, role="public")
        at.session_state["verify_result"] = (at.selectbox(key="verify_draw").value, refusal)
        at.run()
        shown = [t.value for t in at.text]
        assert "`draws/2026-S-0001.json`" in shown[0]
        assert ("第 1 行第 2 列" if lang == "zh" else "line 1, column 2") in shown[0]
        assert not _language_problems(at, lang)
