"""The Simulation page under AppTest: figures from the engine, a slider move re-evaluates and
writes nothing, the optimiser's table loads in one click, proposals are saved (audited) and
adopted from the Sampling page."""

from __future__ import annotations

import gc
import hashlib
import shutil

import numpy as np
import pandas as pd
import pytest
import streamlit as st

from core import db, sampling
from core.simulate import proposals, scenario
from tests.apptest_helpers import figure_by_key, metrics, run_app

PAGE = "views/simulate.py"
YEAR = 2026


@pytest.fixture(scope="module")
def demo_file(pristine_demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("simulate_app") / "demo.duckdb"
    shutil.copy(pristine_demo, path)
    db.connect(path).close()
    return path


@pytest.fixture
def app_db(demo_file, tmp_path, app_env):
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_file, path)
    app_env(path)
    return path


def read(path, fn, *args):
    con = db.connect(path)  # the app's process holds the file read-write: the same config
    try:
        return fn(con, *args)
    finally:
        con.close()


def slider(at, key):
    return next(s for s in at.slider if s.key == key)


def button(at, key):
    return next(b for b in at.button if b.key == key)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_slider_move_re_evaluates_and_writes_nothing(app_db):
    before = digest(app_db)
    at = run_app(page=PAGE, lang="en", role="policy")
    assert not at.exception
    ctx = read(app_db, scenario.load, YEAR)
    base = scenario.evaluate(ctx, ctx.table)
    m = metrics(at)
    assert m["Inspections"] == f"{base.totals['inspections']:,}"
    assert m["Problems expected"] == f"{base.totals['discoveries']:,.0f}"
    table = ctx.table.copy()
    for value in (4000, 6000, 100):
        slider(at, "sim_A_D").set_value(value).run()
        assert not at.exception
        table.loc["A", "D"] = value
        moved = scenario.evaluate(ctx, table)
        m = metrics(at)
        assert m["Inspections"] == f"{moved.totals['inspections']:,}"
        assert m["Visits after merging (expected)"] == f"{moved.totals['visits']:,.0f}"
    fig = figure_by_key(at, "sim_workload")
    w = base.workload.merge(moved.workload, on="dept_code", suffixes=("_b", "_o"))
    w = w[w["capacity_b"] > 0]
    w["pct_o"] = 100 * w["inspector_visits_o"] / w["capacity_b"]
    w["top"] = np.maximum(100 * w["inspector_visits_b"] / w["capacity_b"], w["pct_o"])
    first = w.sort_values("top", ascending=False).iloc[0]
    assert fig["data"][1]["y"][0] == first["name_b"]
    assert fig["data"][1]["x"][0] == pytest.approx(round(first["pct_o"], 1))
    assert {t["name"] for t in fig["data"]} >= {
        "Ratios in force",
        "Proposed ratios",
        "Capacity (100 %)",
    }
    figure_by_key(at, "sim_discoveries")
    st.cache_resource.clear()
    del at
    gc.collect()
    assert digest(app_db) == before
    assert not app_db.with_suffix(".duckdb.wal").exists()


def test_read_only_roles_view_without_editing(app_db):
    at = run_app(page=PAGE, lang="zh", role="leadership")
    assert not at.exception
    assert all(s.disabled for s in at.slider) and len(at.slider) == 12
    assert not [b for b in at.button if b.key == "sim_save"]
    assert "抽查户次" in metrics(at)


def test_optimiser_loads_and_proposal_is_saved_then_adopted(app_db):
    at = run_app(page=PAGE, lang="en", role="policy")
    button(at, "sim_run_optimiser").click().run()
    assert not at.exception
    optimum = at.session_state["sim_optimum"]
    assert optimum["feasible"]
    points = figure_by_key(at, "sim_discoveries")["data"]
    assert [p["name"] for p in points][-1] == "The optimiser's proposal"
    assert points[-1]["y"] == [pytest.approx(optimum["objective"])]
    shown = pd.DataFrame(optimum["table"]).T.loc[["A", "B", "C"], ["A", "B", "C", "D"]]
    assert any(
        d.value.shape == (3, 4) and (d.value.to_numpy() == shown.to_numpy()).all()
        for d in at.dataframe
    )  # the table shown is the optimiser's
    button(at, "sim_load_optimum").click().run()
    assert [slider(at, f"sim_A_{t}").value for t in "ABCD"] == [int(v) for v in shown.iloc[0]]

    at.text_input(key="sim_name").input("").run()
    button(at, "sim_save").click().run()
    assert at.error and read(app_db, proposals.list_proposals, YEAR).empty  # no name: refused

    at.text_input(key="sim_name").input("高风险加密方案").run()
    button(at, "sim_save").click().run()
    assert not at.exception
    saved = read(app_db, proposals.list_proposals, YEAR)
    assert list(saved["name"]) == ["高风险加密方案"] and list(saved["source"]) == ["optimiser"]
    user = at.session_state["user"] if "user" in at.session_state else None
    actor = str(user["user_id"]) if user else "policy"  # ui.actor(): the signed-in user's id
    assert list(saved["author"]) == [actor]
    pid = saved["proposal_id"].iloc[0]
    table = read(app_db, proposals.proposal_table, pid)
    assert [int(v) for v in table.loc["A"]] == [int(v) for v in shown.iloc[0]]
    audit = read(
        app_db,
        lambda c: c.execute(
            "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchall(),
    )
    assert audit == [(actor, "simulate.proposal.save")]

    sampling_at = run_app(page="views/sampling.py", lang="en", role="policy")
    assert not sampling_at.exception
    sampling_at.selectbox(key="sampling_adopt_pick").set_value(pid).run()
    button(sampling_at, "sampling_adopt").click().run()
    assert not sampling_at.exception
    adopted = read(app_db, sampling.default_ratios)
    assert adopted.astype("int64").equals(table.astype("int64"))
    actions = read(
        app_db,
        lambda c: [
            r[0]
            for r in c.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2").fetchall()
        ],
    )
    assert set(actions) == {"simulate.proposal.adopt", "sampling.ratios.default"}
    assert not read(app_db, proposals.list_proposals, YEAR)["adopted_at"].isna().any()


def test_rule_breaking_table_cannot_be_saved(app_db):
    at = run_app(page=PAGE, lang="en", role="policy")
    slider(at, "sim_A_D").set_value(9000).run()  # A类事项 mean above 10 %
    assert any("A类事项" in e.value for e in at.error)
    at.text_input(key="sim_name").input("太高").run()
    button(at, "sim_save").click().run()
    assert not at.exception
    assert any("cannot be saved" in e.value for e in at.error)
    assert read(app_db, proposals.list_proposals, YEAR).empty
    assert isinstance(pd.DataFrame(), pd.DataFrame)


def test_rate_source_switch_uses_the_risk_model(app_db):
    at = run_app(page=PAGE, lang="en", role="leadership")
    at.radio(key="sim_rates").set_value("model").run()
    assert not at.exception
    ctx = read(app_db, scenario.load, YEAR, "model")
    s = scenario.evaluate(ctx, ctx.table)
    assert metrics(at)["Problems expected"] == f"{s.totals['discoveries']:,.0f}"


def test_refused_proposals_are_said_in_chinese(app_db):
    """A proposal without a name, and one breaking the A类事项 rule, refused in the Chinese
    interface: the reason is Chinese through and through (the rule's own words included)."""
    from tests.test_language import latin_words

    at = run_app(page=PAGE, lang="zh", role="policy")
    at.text_input(key="sim_name").input("").run()
    button(at, "sim_save").click().run()
    assert [e.value for e in at.error] == ["方案有误:方案名称须为 1 至 100 个字。未做任何更改。"]
    slider(at, "sim_A_D").set_value(9000).run()
    at.text_input(key="sim_name").input("太高").run()
    button(at, "sim_save").click().run()
    broken = [e.value for e in at.error if e.value.startswith("方案违反A类事项的规则")]
    assert len(broken) == 1 and "平均比例不得超过 1000 基点" in broken[0]
    assert not [w for e in at.error for w in latin_words(e.value)]
    assert read(app_db, proposals.list_proposals, YEAR).empty
