"""The Sampling page under AppTest: ratio edits checked by the rules, preview figures from the
registries, commit by the administrator only."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from core import db, sampling
from core.sampling import campaign
from tests.apptest_helpers import decode, figure_by_key, metrics, run_app
from ui import charts

PAGE = "views/sampling.py"


@pytest.fixture(scope="module")
def scored_demo_file(pristine_demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("sampling_app") / "demo.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    con.close()
    return path


@pytest.fixture
def app_db(scored_demo_file, tmp_path, app_env):
    path = tmp_path / "app.duckdb"
    shutil.copy(scored_demo_file, path)
    app_env(path)
    return path


def read(path, fn, *args):
    con = db.connect(path)
    try:
        return fn(con, *args)
    finally:
        con.close()


def button(at, key):
    return next(b for b in at.button if b.key == key)


def test_ratio_edit_breaking_a_rule_is_refused_and_nothing_saved(app_db):
    at = run_app(page=PAGE, lang="en", role="policy")
    assert not at.exception
    before = read(app_db, db.content_hash, "ratio_rules")
    at.session_state["sampling_ratio_editor"] = {
        "edited_rows": {0: {"D": 9000}}, "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    button(at, "sampling_save_ratios").click().run()
    assert not at.exception
    assert [e.value for e in at.error] and all(
        "A类事项 (general items) may average at most" in e.value and "2412.50 bp" in e.value
        for e in at.error
    )  # (50 + 100 + 500 + 9000) / 4 = 2412.5 bp with the defaults
    assert read(app_db, db.content_hash, "ratio_rules") == before
    # a valid edit is saved
    at.session_state["sampling_ratio_editor"] = {
        "edited_rows": {1: {"D": 3500}}, "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.run()
    button(at, "sampling_save_ratios").click().run()
    assert not at.exception and not at.error
    assert read(app_db, sampling.default_ratios).loc["B", "D"] == 3500


def test_preview_shows_figures_from_the_draw_and_admin_commits(app_db):
    at = run_app(page=PAGE, lang="en", role="admin")
    assert not at.exception
    # the administrator publishes the commitment notice; a commit before its beacon date is
    # refused in the reader's language and writes nothing
    button(at, "sampling_notice_publish").click().run()
    assert not at.exception
    camp = read(app_db, sampling.commitment_in_force, 2026)
    assert camp is not None and not camp.rehearsal and len(camp.secret) == 64
    assert any(camp.commitment_id in s.value for s in at.success)  # kept after the rerun
    assert any(camp.seed_commitment in t.value for t in at.text)
    at.text_input(key="sampling_beacon").input("3051.27").run()
    button(at, "sampling_preview").click().run()
    at.checkbox(key="sampling_confirm").check().run()
    button(at, "sampling_commit").click().run()
    assert not at.exception
    assert any("has not come yet" in e.value for e in at.error)
    assert read(app_db, sampling.committed_draws, 2026).empty
    # a notice published days ago, whose beacon date has come: the commit goes through
    con = db.connect(app_db)
    try:
        sampling.publish_commitment(
            con, 2026, "admin", dt.date(2026, 1, 8),
            clock=lambda: dt.datetime(2026, 1, 5, 10, tzinfo=sampling.TZ),
        )  # fmt: skip
    finally:
        con.close()
    at = run_app(page=PAGE, lang="en", role="admin")
    at.text_input(key="sampling_beacon").input("3051.27").run()
    button(at, "sampling_preview").click().run()
    assert not at.exception
    expected = read(app_db, sampling.preview, 2026, None, None, "3051.27")
    m = metrics(at)
    assert m["Drawn (plan × target)"] == f"{expected.total_selected:,}"
    assert m["Plans"] == "758"
    districts = figure_by_key(at, "sampling_by_district")
    assert sum(decode(districts["data"][0]["y"])) == expected.total_selected
    by = figure_by_key(at, "sampling_by_class_tier")
    assert sum(sum(decode(t["x"])) for t in by["data"]) == expected.total_selected
    # the tiers keep the app's one colour map (the Risk page's), A to D, in horizontal bars
    tiers = [t["name"][0] for t in by["data"]]
    assert tiers == sorted(tiers) and {t["orientation"] for t in by["data"]} == {"h"}
    assert [t["marker"]["color"] for t in by["data"]] == [charts.TIER_COLORS[t] for t in tiers]
    assert by["layout"]["uniformtext"] == {"minsize": 11, "mode": "hide"}
    assert {t["textangle"] for t in by["data"]} == {0}
    shown_totals = {a["y"]: a["text"] for a in by["layout"]["annotations"]}
    classes = [t["y"] for t in by["data"]][0]
    assert sum(int(v.replace(",", "")) for v in shown_totals.values()) == expected.total_selected
    assert set(shown_totals) == set(classes)
    # commit: disabled until confirmed
    assert button(at, "sampling_commit").disabled
    at.checkbox(key="sampling_confirm").check().run()
    button(at, "sampling_commit").click().run()
    assert not at.exception
    draws = read(app_db, sampling.committed_draws, 2026)
    assert len(draws) == 758 and int(draws["selected"].sum()) == expected.total_selected
    assert any("Committed 758 draw(s)" in s.value for s in at.success)
    assert at.get("download_button")


def test_rehearsal_published_and_committed_from_the_page(app_db):
    """A rehearsal from the page (training, a dry run of the cycle): the administrator gives the
    secret, commits at once (no waiting for the beacon date), sees what was drawn and is pointed
    to the merge; once a real notice is in force, no rehearsal is offered."""
    at = run_app(page=PAGE, lang="zh", role="admin")
    assert not at.exception
    at.checkbox(key="sampling_notice_rehearsal").check().run()
    at.text_input(key="sampling_notice_secret").input("page-rehearsal").run()
    assert button(at, "sampling_notice_publish").label == "公布演练承诺"
    button(at, "sampling_notice_publish").click().run()
    assert not at.exception
    camp = read(app_db, sampling.commitment_in_force, 2026)
    assert camp.rehearsal and camp.secret == "page-rehearsal"
    assert camp.seed_commitment == sampling.seed_commitment("page-rehearsal")
    assert camp.beacon_date > dt.datetime.now(sampling.TZ).date()  # not yet come
    assert [s.value for s in at.success] == [
        f"已公布承诺公告 {camp.commitment_id},种子承诺 {camp.seed_commitment}"
    ]
    at.run()  # the outcome is shown once: it does not linger over later work
    assert not at.success
    at.text_input(key="sampling_beacon").input("3051.27").run()
    button(at, "sampling_preview").click().run()
    at.text_input(key="sampling_reason").input("演练").run()  # the demo's campaign is drawn
    at.checkbox(key="sampling_confirm").check().run()
    button(at, "sampling_commit").click().run()
    assert not at.exception and not at.error
    draws = read(app_db, sampling.committed_draws, 2026)
    in_force = draws[draws["in_force"]]
    assert len(in_force) == 758 and in_force["rehearsal"].all()
    total = int(in_force["selected"].sum())
    expected = read(app_db, sampling.preview, 2026, None, None, "3051.27")
    assert total == expected.total_selected
    first = sorted(in_force["draw_id"])[0]
    assert [s.value for s in at.success] == [
        f"已提交 758 个抽取结果,共抽中 {total:,} 个(计划×对象),如 {first}。"
    ]
    assert "下一步:把已提交的抽取合并为实际检查" in " ".join(i.value for i in at.info)
    assert [link.proto.label for link in at.get("page_link")] == ["合并检查"]
    # a real notice: from then on no rehearsal can be published for the year
    at.checkbox(key="sampling_notice_rehearsal").uncheck().run()
    assert button(at, "sampling_notice_publish").label == "生成秘密并公布承诺"
    button(at, "sampling_notice_publish").click().run()
    assert not read(app_db, sampling.commitment_in_force, 2026).rehearsal
    assert not [c for c in at.checkbox if c.key == "sampling_notice_rehearsal"]


def test_a_redraw_after_staffing_is_announced(small_path, app_env):
    """Once inspectors are assigned, a re-draw that changes the staffed visits can no longer be
    merged (core/merge.py keeps them): the commit section says so before the commit."""
    from core import merge
    from core.assignment import run as assign_run
    from tests.merge_fixtures import commit_campaign

    con = db.connect(small_path)
    try:
        commit_campaign(con, 2026, "held-seed")
        merge.merge_campaign(con, 2026)
        assign_run.assign_campaign(con, 2026, "test")
        held = con.execute(
            "SELECT count(DISTINCT visit_id) FROM visits WHERE year = 2026 AND visit_id IN "
            "(SELECT visit_id FROM assignments WHERE active)"
        ).fetchone()[0]
    finally:
        con.close()
    assert held > 0
    app_env(small_path)
    at = run_app(page=PAGE, lang="en", role="admin")
    at.text_input(key="sampling_beacon").input("b2").run()
    button(at, "sampling_preview").click().run()
    assert not at.exception
    assert (
        f"{held:,} visit(s) of 2026 already have inspectors assigned or a result: after a"
        " re-draw, a merge that would change them is refused"
        in " ".join(w.value for w in at.warning)
    )


def test_preview_names_what_it_drew_and_a_change_blocks_the_commit(app_db):
    """The commit commits what was previewed: the page says what that was, and once the beacon
    (or the year, scope or mode) is changed without a new preview, the commit is disabled."""
    con = db.connect(app_db)
    try:
        beacon_date = campaign.earliest_beacon_date() + dt.timedelta(days=2)
        sampling.publish_commitment(con, 2026, "admin", beacon_date, secret="page-rehearsal")
    finally:
        con.close()
    at = run_app(page=PAGE, lang="en", role="admin")
    at.radio(key="sampling_mode").set_value("independent").run()
    at.text_input(key="sampling_beacon").input("3051.27").run()
    button(at, "sampling_preview").click().run()
    assert not at.exception
    said = [t.value for t in at.text if t.value.startswith("This preview")]
    assert said == [
        "This preview: 2026 · Whole campaign (every plan) · Independent (per-plan seed)"
        " · beacon value 3051.27\nSeed S: "
        + read(app_db, sampling.preview, 2026, None, None, "3051.27", "independent").seed
    ]
    changed = (
        "The year, scope, mode or beacon value changed after the preview: preview again"
        " before committing."
    )
    at.checkbox(key="sampling_confirm").check().run()
    assert not button(at, "sampling_commit").disabled
    assert changed not in [w.value for w in at.warning]
    at.text_input(key="sampling_beacon").input("3051.28").run()
    assert button(at, "sampling_commit").disabled
    assert changed in [w.value for w in at.warning]
    button(at, "sampling_preview").click().run()
    assert not button(at, "sampling_commit").disabled
    assert changed not in [w.value for w in at.warning]


def test_preview_workload_follows_the_assignment_rule(app_db):
    """Inspector-visits before merging: two for a one-department plan's target, one per
    department of a joint plan's (at least two a visit, one per department; the simulator's
    plan_need), not two per department; a one-plan preview counts that plan's inspectors."""
    con = db.connect(app_db)
    try:
        beacon_date = campaign.earliest_beacon_date() + dt.timedelta(days=2)
        sampling.publish_commitment(con, 2026, "admin", beacon_date, secret="workload")
        sel = sampling.preview(con, 2026, None, None, "3051.27").selections
        depts = con.execute("SELECT plan_id, dept_code FROM plan_depts").df()
        inspectors = (
            con.execute(
                "SELECT dept_code, count(*) AS n FROM inspectors WHERE certified AND active "
                "GROUP BY dept_code"
            )
            .df()
            .set_index("dept_code")["n"]
        )
    finally:
        con.close()
    size = depts.groupby("plan_id").size()
    per_plan = sel.groupby("plan_id").size()
    need = {p: n * (2 if n == 1 else 1) for p, n in size.items()}  # inspectors per target
    expected = sum(int(k) * need[p] for p, k in per_plan.items())
    assert expected < 2 * sum(int(k) * size[p] for p, k in per_plan.items())  # joint plans
    at = run_app(page=PAGE, lang="en", role="admin")
    at.text_input(key="sampling_beacon").input("3051.27").run()
    button(at, "sampling_preview").click().run()
    assert metrics(at)["Inspector-visits (before merging)"] == f"{expected:,}"
    # one joint plan: one inspector per department and target; its departments' inspectors
    joint = next(p for p in per_plan.index if size[p] > 1)
    own = depts.loc[depts["plan_id"] == joint, "dept_code"]
    at.radio(key="sampling_scope").set_value("plan").run()
    at.selectbox(key="sampling_plan").select(joint).run()
    button(at, "sampling_preview").click().run()
    m = metrics(at)
    assert m["Drawn (plan × target)"] == f"{per_plan[joint]:,}"
    assert m["Inspector-visits (before merging)"] == f"{per_plan[joint] * size[joint]:,}"
    assert m["Certified active inspectors"] == f"{int(inspectors.reindex(own).fillna(0).sum()):,}"


def test_policy_cannot_commit_and_public_cannot_see_the_page(app_db):
    at = run_app(page=PAGE, lang="zh", role="policy")
    assert not at.exception
    button(at, "sampling_preview").click().run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "sampling_commit"]
    at = run_app(lang="en", role="public")
    assert (
        not any("Sampling" in str(p) for p in at.get("navigation"))
        if at.get("navigation")
        else True
    )


def test_plan_override_on_the_page_follows_the_class_rules(app_db):
    at = run_app(page=PAGE, lang="en", role="policy")
    at.radio(key="sampling_scope").set_value("plan").run()
    plan = "2026-S-0060"  # B-class
    at.selectbox(key="sampling_plan").set_value(plan).run()
    for tier, bp in zip("ABCD", [100, 100, 100, 100], strict=True):
        at.number_input(key=f"sampling_plan_bp_{plan}_{tier}").set_value(bp)
    at.run()
    button(at, "sampling_save_plan").click().run()
    assert not at.exception
    assert any("B类事项 (key items) must average at least" in e.value for e in at.error)
    assert read(app_db, sampling.plan_overrides).empty
    at.number_input(key=f"sampling_plan_bp_{plan}_D").set_value(4000).run()
    button(at, "sampling_save_plan").click().run()
    assert not at.exception and not at.error
    saved = read(app_db, sampling.plan_overrides).set_index("plan_id")
    assert saved.loc[plan, ["A", "B", "C", "D"]].tolist() == [100, 100, 100, 4000]
    button(at, "sampling_preview").click().run()
    strata = read(app_db, sampling.preview, 2026, plan, "s").strata
    assert strata["ratio_bp"].tolist() == [100, 100, 100, 4000]
    assert metrics(at)["Plans"] == "1"
