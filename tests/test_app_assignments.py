"""The Assignments page (AppTest on a real DuckDB file): capacity before assigning, the figures
of the saved run, the workload histogram with the cap, unstaffed reasons, replacement and
conflicts through the page, and no page for roles without the permission."""

from __future__ import annotations

import re

import pytest

from core import db, merge
from core.assignment import capacity, report, run
from tests.apptest_helpers import figure_by_key, metrics, run_app
from tests.merge_fixtures import commit_campaign

PAGE = "views/assignments.py"
YEAR = 2026


@pytest.fixture
def merged_path(small_path):
    con = db.connect(small_path)
    commit_campaign(con, YEAR, "page-seed")
    merge.merge_campaign(con, YEAR)
    con.close()
    return small_path


def test_capacity_first_then_assign_from_the_page(app_env, merged_path):
    app_env(merged_path)
    at = run_app(page=PAGE, role="admin")
    assert not at.exception
    con = db.connect(merged_path)
    try:
        cap = capacity.department_capacity(con, YEAR)
        shown = at.dataframe[0].value
        assert len(shown) == len(cap)
        assert shown["所需人次"].sum() == cap["demand"].sum()
        assert not metrics(at)  # nothing assigned yet: no run figures
    finally:
        con.close()
    at.button(key="assign_run").click().run()
    assert not at.exception
    con = db.connect(merged_path)
    try:
        info = report.run_info(con, YEAR)
        assert info is not None and info["staffed"] > 0
    finally:
        con.close()
    assert any("已选派" in s.value for s in at.success)
    shown = metrics(at)
    assert shown["检查"] == f"{info['visits']:,}"
    # the Merge page's total and this one differ by the visits folded into scheduled ones
    con = db.connect(merged_path)
    try:
        merged = merge.saved_run(con, YEAR)
    finally:
        con.close()
    folded = merged["round4_removed"]
    assert folded > 0 and info["visits"] == merged["final_visits"] + folded
    assert (
        f"{info['visits']:,} 个检查 = 合并后实际检查 {merged['final_visits']:,} + "
        f"并入已安排检查的 {folded:,}" in " ".join(c.value for c in at.caption)
    )
    assert shown["已配齐"] == f"{info['staffed']:,}"
    assert shown["未配齐"] == f"{info['unstaffed']:,}"
    con = db.connect(merged_path)
    try:
        desk = report.desk_checks(con, YEAR)
        n_desk = con.execute(
            "SELECT count(*) FROM visits WHERE year = ? AND kind = 'desk'", [YEAR]
        ).fetchone()[0]
    finally:
        con.close()
    assert len(desk) == n_desk == info["desk_checks"]
    assert shown["其中非现场检查"] == f"{n_desk:,}"
    if n_desk:
        assert any(e.label.startswith(f"非现场检查清单 ({n_desk:,})") for e in at.expander)


def test_saved_run_figures_histogram_and_english(app_env, merged_path):
    con = db.connect(merged_path)
    capacity.set_cap(con, "*", 1, "test")  # a tight cap: some visits unstaffed for the cap
    result = run.assign_campaign(con, YEAR, "test")
    load = report.workload(con, YEAR)
    con.close()
    assert result.unstaffed_visits > 0
    app_env(merged_path)
    at = run_app(page=PAGE, lang="en", role="admin")
    assert not at.exception
    shown = metrics(at)
    assert shown["Staffed"] == f"{result.staffed:,}"
    assert shown["Unstaffed"] == f"{result.unstaffed_visits:,}"
    hist = figure_by_key(at, "workload_histogram")
    from tests.apptest_helpers import decode

    counts = dict(zip(decode(hist["data"][0]["x"]), decode(hist["data"][0]["y"]), strict=True))
    assert counts == load.groupby("total").size().to_dict()
    assert max(counts) <= 1
    shapes = hist["layout"]["shapes"]
    assert [s["x0"] for s in shapes] == [1]
    reasons = {r for df in at.dataframe for r in df.value.get("Reason", [])}
    assert "every eligible inspector is at the cap" in reasons


def test_replacement_and_conflict_through_the_page(app_env, merged_path):
    con = db.connect(merged_path)
    run.assign_campaign(con, YEAR, "test")
    visit_id, inspector_id = con.execute(
        "SELECT visit_id, inspector_id FROM assignments WHERE active ORDER BY 1, 2 LIMIT 1"
    ).fetchone()
    uscc = con.execute("SELECT uscc FROM visits WHERE visit_id = ?", [visit_id]).fetchone()[0]
    con.close()
    app_env(merged_path)
    at = run_app(page=PAGE, role="admin")
    at.text_input(key="replace_visit").input(visit_id).run()
    at.selectbox(key="replace_who").select(inspector_id)
    at.text_input(key="replace_why").input("")
    at.button[[b.label for b in at.button].index("按顺序抽取下一位")].click().run()
    assert any("请填写原因" in e.value for e in at.error)
    at.text_input(key="replace_visit").input(visit_id).run()
    at.selectbox(key="replace_who").select(inspector_id)
    at.text_input(key="replace_why").input("病假")
    at.button[[b.label for b in at.button].index("按顺序抽取下一位")].click().run()
    assert not at.exception
    con = db.connect(merged_path)
    try:
        row = con.execute(
            "SELECT active, reason, replaced_by FROM assignments "
            "WHERE visit_id = ? AND inspector_id = ?",
            [visit_id, inspector_id],
        ).fetchone()
        assert row[0] is False and row[1] == "病假" and row[2]
    finally:
        con.close()
    at.text_input(key="conf_insp").input(inspector_id)
    at.text_input(key="conf_uscc").input(uscc)
    at.text_input(key="conf_reason").input("近亲属")
    at.button[[b.label for b in at.button].index("登记回避")].click().run()
    assert not at.exception
    con = db.connect(merged_path)
    try:
        assert con.execute("SELECT count(*) FROM inspector_conflicts").fetchone()[0] == 1
        audit = con.execute(
            "SELECT count(*) FROM audit_log WHERE action IN "
            "('assignment.replace', 'assignment.conflict_add')"
        ).fetchone()[0]
        assert audit == 2
    finally:
        con.close()


@pytest.mark.parametrize("role", ["inspector", "public", "policy"])
def test_page_not_offered_without_permission(app_env, merged_path, role):
    app_env(merged_path)
    at = run_app(role=role)
    assert not at.exception
    with pytest.raises(Exception):  # noqa: B017 (the page is not registered for this role)
        at.switch_page(PAGE).run()


def test_demo_campaign_shows_recusal_hits(app_env, merged_path):
    from core.assignment.demo import DEMO_CONFLICTS, assign_demo_campaign

    con = db.connect(merged_path)
    result = assign_demo_campaign(con, YEAR, "demo")
    hits = report.recusal_hits(con, YEAR)
    con.close()
    assert len(result.recusal_hits) == len(hits) == DEMO_CONFLICTS
    assert set(hits["rule"]) == {"conflict"}
    app_env(merged_path)
    at = run_app(page=PAGE, role="admin")
    assert not at.exception
    assert metrics(at)["回避命中"] == str(DEMO_CONFLICTS)
    shown = [df.value for df in at.dataframe if "回避规则" in df.value.columns]
    assert len(shown) == 1 and len(shown[0]) == DEMO_CONFLICTS
    assert set(shown[0]["回避规则"]) == {"登记的利益冲突"}


def test_leadership_reads_but_cannot_assign_or_edit(app_env, merged_path):
    con = db.connect(merged_path)
    result = run.assign_campaign(con, YEAR, "test")
    con.close()
    app_env(merged_path)
    at = run_app(page=PAGE, role="leadership")
    assert not at.exception
    assert metrics(at)["已配齐"] == f"{result.staffed:,}"
    keys = {b.key for b in at.button}
    assert "assign_run" not in keys
    assert not [t for t in at.text_input if t.key in ("replace_visit", "conf_insp")]
    assert not [n for n in at.number_input if n.key == "cap_value"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_recomputes_the_run_with_the_outsiders_verifier(app_env, merged_path, lang):
    """The Recompute button runs verify_assignment_standalone.py's check on the stored record
    and says its verdict in the reader's language: a match with the run's figures, and for a
    record altered behind the page's back, the first row that differs."""
    import json

    from core import i18n
    from core import verify_assignment_standalone as v
    from tests.test_language import latin_words

    con = db.connect(merged_path)
    result = run.assign_campaign(con, YEAR, "test")
    text, sha = con.execute("SELECT record_json, record_sha256 FROM assignment_runs "
                            "WHERE year = ?", [YEAR]).fetchone()  # fmt: skip
    con.close()
    app_env(merged_path)
    at = run_app(page=PAGE, role="admin", lang=lang)
    at.button(key="assign_recompute").click().run()
    assert not at.exception
    said = i18n.t("assignverifier.ok", lang, **v.check(text, sha)[2])
    assert [s.value for s in at.success if s.value == said] == [said]
    assert f"{result.staffed:,}" in said

    record = json.loads(text)
    first = record["outcome"]["assignments"][0]
    first[2] = next(i for i, d, _ in record["inspectors"] if d == first[1] and i != first[2])
    altered = json.dumps(record, ensure_ascii=False)
    con = db.connect(merged_path)
    con.execute("UPDATE assignment_runs SET record_json = ?, record_sha256 = ? WHERE year = ?",
                [altered, v.hashlib.sha256(altered.encode()).hexdigest(), YEAR])  # fmt: skip
    db.bump_data_version(con)
    con.close()
    at.button(key="assign_recompute").click().run()
    (error,) = at.error
    assert error.value.startswith(i18n.t("assignverifier.table.assignments", lang))
    if lang == "zh":
        assert "第 1 行" in error.value
        assert not latin_words(re.sub(r"`[^`]*`", " ", error.value))
