"""The Merge page shows the saved merge (AppTest on a real DuckDB file)."""

from __future__ import annotations

import pytest

from core import db, merge, roles
from tests.apptest_helpers import decode, figure_by_key, metrics, run_app
from tests.merge_fixtures import commit_campaign

PAGE = "views/merge.py"


@pytest.fixture
def merged_path(small_path):
    con = db.connect(small_path)
    commit_campaign(con, 2026, "page-seed")
    merge.merge_campaign(con, 2026)
    con.close()
    return small_path


def test_page_shows_the_saved_merge(app_env, merged_path):
    app_env(merged_path)
    at = run_app(page=PAGE)
    assert not at.exception
    con = db.connect(merged_path)
    run = merge.saved_run(con, 2026)
    shown = metrics(at)
    assert shown["基线(各部门单独检查)"] == f"{run['baseline_visits']:,}"
    assert shown["合并后实际检查"] == f"{run['final_visits']:,}"
    removed = run["baseline_visits"] - run["final_visits"]
    assert shown["减少检查"] == f"{removed:,}"
    assert shown["减少比例"] == f"{100 * removed / run['baseline_visits']:.2f} %"

    trace = figure_by_key(at, "waterfall")["data"][0]
    assert decode(trace["y"]) == [
        run["baseline_visits"],
        *(-run[f"round{i}_removed"] for i in range(1, 5)),
        run["final_visits"],
    ]
    assert trace["x"][1] == "① 计划联合"

    modes = figure_by_key(at, "modes")["data"]
    visits = dict(zip(modes[1]["x"], decode(modes[1]["y"]), strict=True))
    assert visits["协同抽取(统一种子)"] == run["final_visits"]
    assert visits["独立抽取(各计划单独种子)"] == run["independent"]["visits"]
    assert run["independent"]["visits"] >= run["final_visits"]

    sankey = figure_by_key(at, "sankey")["data"][0]
    n_pairs = con.execute("SELECT sum(len(departments)) FROM visits WHERE year = 2026").fetchall()[
        0
    ][0]
    links = decode(sankey["link"]["value"])
    kinds = sankey["node"]["label"].index("单部门检查")
    into_kinds = sum(
        v for v, t in zip(links, decode(sankey["link"]["target"]), strict=True) if t >= kinds
        and t < kinds + 2
    )  # fmt: skip
    assert into_kinds == n_pairs

    bars = figure_by_key(at, "burden")["data"]
    after = dict(zip(bars[1]["x"], decode(bars[1]["y"]), strict=True))
    n_targets = con.execute("SELECT count(DISTINCT uscc) FROM visits WHERE year = 2026").fetchall()[
        0
    ][0]
    assert sum(after.values()) == n_targets
    before = dict(zip(bars[0]["x"], decode(bars[0]["y"]), strict=True))
    assert sum(before.values()) == n_targets

    top = at.dataframe[1].value  # 0: the comparison table, 1: most-merged visits
    best = con.execute("SELECT max(n_tasks) FROM visits WHERE year = 2026").fetchall()[0][0]
    assert top["检查事项数"].iloc[0] == best
    breakdown = at.dataframe[2].value
    assert breakdown["基线"].sum() == pytest.approx(run["baseline_visits"], abs=1)
    con.close()


def test_page_in_english(app_env, merged_path):
    app_env(merged_path)
    at = run_app(page=PAGE, lang="en")
    assert not at.exception
    assert at.title[0].value == "进一次门、查多项事: merging visits"
    assert "Visits after merging" in metrics(at)
    assert figure_by_key(at, "waterfall")["data"][0]["x"][1] == "① 计划联合 joint plans"
    # the comparison table fits its half width: short headers and mode names
    table = at.dataframe[0].value
    assert list(table.columns) == ["Draw mode", "Visits", "Removed", "Savings"]
    assert set(table["Draw mode"]) <= {"coordinated", "independent"}
    # the Sankey's flows are light tints of the node they leave; labels are dark
    sankey = figure_by_key(at, "sankey")["data"][0]
    nodes = sankey["node"]["color"]
    assert sankey["textfont"]["color"] == "#17202a"
    for src, colour in zip(decode(sankey["link"]["source"]), sankey["link"]["color"], strict=True):
        r, g, b = (int(nodes[src][i : i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgba({r},{g},{b},0.25)"


def test_breakdown_by_district(app_env, merged_path):
    app_env(merged_path)
    at = run_app(page=PAGE)
    # (the radio's labels follow the session's language, which AppTest's set_value cannot see:
    # it formats in the default language, so this test runs in Chinese)
    at.radio(key="merge_dimension").set_value("district").run()
    assert not at.exception
    table = at.dataframe[2].value
    con = db.connect(merged_path)
    rows = con.execute(
        "SELECT key, final_visits FROM merge_breakdown WHERE year = 2026 AND dimension = 'district'"
    ).fetchall()
    con.close()
    assert dict(zip(table["分组"], table["实际检查"], strict=True)) == pytest.approx(
        {k: round(v, 1) for k, v in rows}
    )


def test_page_without_a_draw_says_so(app_env, small_path):
    app_env(small_path)
    at = run_app(page=PAGE)
    assert not at.exception
    assert "尚无已确认" in at.info[0].value and "python -m core draw" in at.info[0].value
    assert at.get("plotly_chart") == [] and metrics(at) == {}


def test_policy_merges_from_the_page(app_env, small_path):
    con = db.connect(small_path)
    commit_campaign(con, 2026, "button-seed")
    con.close()
    app_env(small_path)
    at = run_app(page=PAGE, role="policy")
    assert not at.exception
    assert "尚未合并" in at.info[0].value
    at.button(key="merge_run").click().run()
    assert not at.exception
    con = db.connect(small_path)
    final = con.execute("SELECT final_visits FROM merge_runs WHERE year = 2026").fetchall()
    con.close()
    assert len(final) == 1
    assert metrics(at)["合并后实际检查"] == f"{final[0][0]:,}"


def test_who_may_see_and_run():
    assert roles.allowed("leadership", "merge.view") and roles.allowed("policy", "merge.run")
    assert not roles.allowed("leadership", "merge.run")
    assert not roles.allowed("public", "merge.view") and not roles.allowed(
        "inspector", "merge.view"
    )


def test_admin_merges_then_is_pointed_to_the_assignment(app_env, small_path):
    """The administrator's cycle goes on from the merge: the page names the next step (the
    draw of inspectors) with a link, until inspectors are assigned; policy staff, who may merge
    but not assign, get no such pointer."""
    from core.assignment import run as assign_run

    con = db.connect(small_path)
    commit_campaign(con, 2026, "next-seed")
    con.close()
    app_env(small_path)
    at = run_app(page=PAGE, role="admin")
    at.button(key="merge_run").click().run()
    assert not at.exception
    con = db.connect(small_path)
    final = con.execute("SELECT final_visits FROM merge_runs WHERE year = 2026").fetchone()[0]
    con.close()
    assert [s.value for s in at.success] == [f"已合并:{final:,} 次检查。"]
    assert "下一步:为合并后的检查随机选派检查人员" in " ".join(i.value for i in at.info)
    links = at.get("page_link")
    assert [link.proto.label for link in links] == ["检查人员选派"]
    at.run()  # the outcome is shown once, after the merge's rerun; the pointer stays
    assert not at.success and len(at.get("page_link")) == 1
    assert not run_app(page=PAGE, role="policy").get("page_link")
    con = db.connect(small_path)
    assign_run.assign_campaign(con, 2026, "test")
    con.close()
    assert not run_app(page=PAGE, role="admin").get("page_link")
