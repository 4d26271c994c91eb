"""The merge engine: hand-computed rounds, every task in exactly one visit, coordination never
worse than independence, all-or-nothing saves."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db, merge, sampling
from tests.merge_fixtures import HAND_YEAR, commit_campaign, hand_built_campaign

YEAR = 2026


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


@pytest.fixture
def hand(small_con):
    return small_con, hand_built_campaign(small_con)


def test_hand_built_rounds(hand):
    con, h = hand
    r = merge.merge_visits(con, HAND_YEAR, counterpart=h["counterpart"])
    # baseline: P1 3 + P2 3 + P3 3 targets x 3 departments + P4 2 = 17 department visits
    assert r.baseline_visits == 17
    assert r.plan_pairs == 11 and r.task_pairs == 3 + 3 + 9 + 2
    # cross-check: T1 {P1,P2}{P3}, T2 {P1,P2}, T3 {P1}{P3,P4}, T4 {P2}, T5 {P3,P4} -> 7 visits;
    # the counterpart's 11 pairs make 10 visits: 1 by chance, so coordination removed 3
    assert r.visits_cross_checked == 7
    assert r.removed == {
        "joint_plans": 6,
        "coordinated_draw": 3,
        "cross_check": 1,
        "task_integration": 2,  # T1's April visit (twice scheduled, folded once), T5's July visit
    }
    assert r.final_visits == 5 and r.total_removed == 12 and r.savings_pct == round(1200 / 17, 2)
    assert r.draw_ids == ["D-P1", "D-P2", "D-P3", "D-P4"]

    ind = merge.merge_visits(con, h["counterpart"], mode="independent")
    # counterpart: T1 {P1}{P3}, T2 {P1,P2}{P4}, T3 {P1}{P4}, T4 {P2}{P3}, T5 {P2}{P3}: 10 visits;
    # T1's Mar-Apr visit holds 04-15, T5's Jun-Jul visit holds 07-15
    assert ind.removed == {
        "joint_plans": 6, "coordinated_draw": 0, "cross_check": 1, "task_integration": 2,
    }  # fmt: skip
    assert ind.final_visits == 8


def test_hand_built_saved_visits_and_breakdown(hand):
    con, h = hand
    t = h["targets"]
    d1, d2, d3 = h["depts"]
    version = db.data_version(con)
    merge.run_and_save(con, HAND_YEAR, counterpart=h["counterpart"])
    assert db.data_version(con) == version + 1
    visits = {
        r[0]: r[1:]
        for r in rows(
            con,
            "SELECT visit_id, window_start::VARCHAR, window_end::VARCHAR, n_plans, n_tasks, "
            "departments, scheduled_id FROM visits WHERE year = ?",
            [HAND_YEAR],
        )
    }
    v = f"V{HAND_YEAR}-"
    assert visits == {
        f"{v}{t[0]}-20300401": ("2030-04-01", "2030-04-30", 2, 2, sorted([d1, d2]), "h1"),
        f"{v}{t[0]}-20300601": ("2030-06-01", "2030-07-31", 1, 3, sorted([d1, d2, d3]), None),
        f"{v}{t[1]}-20300401": ("2030-04-01", "2030-04-30", 2, 2, sorted([d1, d2]), None),
        f"{v}{t[2]}-20300301": ("2030-03-01", "2030-04-30", 1, 1, [d1], None),
        f"{v}{t[2]}-20300701": ("2030-07-01", "2030-07-31", 2, 4, sorted([d1, d2, d3]), None),
        f"{v}{t[3]}-20300401": ("2030-04-01", "2030-05-31", 1, 1, [d2], None),
        f"{v}{t[4]}-20300701": ("2030-07-01", "2030-07-31", 2, 4, sorted([d1, d2, d3]), "h3"),
    }
    b = (
        con.execute(
            "SELECT * FROM merge_breakdown WHERE year = ? AND dimension = 'department' AND key = ?",
            [HAND_YEAR, d2],
        )
        .df()
        .iloc[0]
    )
    # D2: P2 x {T1,T2,T4} and P3 x {T1,T3,T5}; shares 1, 1/3 after round 1; after round 3
    # T1-Apr 1/2, T2 1/2, T4 1, T1-Jun 1/3, T3-Jul 1/4, T5-Jul 1/4; T1-Apr and T5-Jul folded
    assert b.baseline_visits == 6
    assert b.round1_removed == pytest.approx(2)
    assert b.round2_removed + b.round3_removed == pytest.approx(
        4 - (0.5 + 0.5 + 1 + 1 / 3 + 0.25 + 0.25)
    )
    assert b.round4_removed == pytest.approx(0.5 + 0.25)
    assert b.final_visits == pytest.approx(1 + 1 / 3 + 1 / 4 + 0.5)
    for dim in merge.DIMENSIONS:
        s = con.execute(
            "SELECT sum(baseline_visits), sum(round1_removed),"
            " sum(round2_removed + round3_removed), sum(round4_removed), sum(final_visits)"
            " FROM merge_breakdown WHERE year = ? AND dimension = ?",
            [HAND_YEAR, dim],
        ).fetchall()[0]
        assert s == pytest.approx((17, 6, 4, 2, 5)), dim
    run = merge.saved_run(con, HAND_YEAR)
    assert (run["baseline_visits"], run["final_visits"], run["round2_removed"]) == (17, 5, 3)
    assert rows(con, "SELECT action FROM audit_log WHERE action = 'merge.save'") == [
        ("merge.save",)
    ]


def test_superseded_draws_are_ignored(hand):
    con, h = hand
    sel = merge.committed_selections(con, HAND_YEAR)
    assert len(sel) == 11
    p1 = set(sel.loc[sel["plan_id"] == f"{HAND_YEAR}-P1", "uscc"])
    assert p1 == {h["targets"][i] for i in (0, 1, 2)}
    assert merge.current_draws(con, HAND_YEAR)["draw_id"].tolist() == [
        "D-P1", "D-P2", "D-P3", "D-P4",
    ]  # fmt: skip


def _task_pairs_check(con, year):
    """Drawn (plan, item, target) vs the saved visit_tasks: equal, and none twice."""
    drawn = con.execute(
        """
        SELECT s.plan_id, pi.item_code, s.uscc, count(*) AS n
        FROM draw_selections s JOIN plan_items pi USING (plan_id)
        WHERE s.draw_id IN (SELECT draw_id FROM draws WHERE year = $y AND draw_id NOT IN
                            (SELECT supersedes FROM draws WHERE supersedes IS NOT NULL))
        GROUP BY ALL ORDER BY ALL
        """,
        {"y": year},
    ).fetchall()
    carried = con.execute(
        """
        SELECT t.plan_id, t.item_code, v.uscc, count(*) AS n
        FROM visit_tasks t JOIN visits v USING (visit_id) WHERE v.year = $y
        GROUP BY ALL ORDER BY ALL
        """,
        {"y": year},
    ).fetchall()
    return drawn, carried


def test_every_task_pair_in_exactly_one_visit(hand):
    con, _ = hand
    merge.run_and_save(con, HAND_YEAR)
    drawn, carried = _task_pairs_check(con, HAND_YEAR)
    assert len(drawn) == 17 and {r[3] for r in drawn} == {1}
    assert carried == drawn


def test_task_pairs_at_scale_and_windows_respected(demo_path):
    con = db.connect(demo_path)
    try:
        commit_campaign(con, YEAR, "scale-test")
        merge.run_and_save(con, YEAR, counterpart=merge.independent_counterpart(con, YEAR))
        drawn, carried = _task_pairs_check(con, YEAR)
        assert len(drawn) > 5_000
        assert {r[3] for r in drawn} == {1}
        assert carried == drawn
        assert rows(con, "SELECT count(*) = count(DISTINCT visit_id) FROM visits")[0][0]
        # every plan's period holds its visit's window; a target's windows never overlap
        outside = rows(
            con,
            """
            SELECT count(*) FROM visit_tasks t JOIN visits v USING (visit_id)
                 JOIN plans p USING (plan_id)
            WHERE v.window_start < p.period_start OR v.window_end > p.period_end
               OR v.window_start > v.window_end
            """,
        )[0][0]
        assert outside == 0
        overlapping = rows(
            con,
            """
            SELECT count(*) FROM visits a JOIN visits b
              ON a.uscc = b.uscc AND a.visit_id < b.visit_id
             AND a.window_start <= b.window_end AND b.window_start <= a.window_end
            """,
        )[0][0]
        assert overlapping == 0
        # the earliest-deadline rule: a target's later visit could not have joined the earlier
        late = rows(
            con,
            """
            SELECT count(*) FROM visits a JOIN visits b ON a.uscc = b.uscc
              AND b.window_start > a.window_end
            JOIN visit_tasks t ON t.visit_id = b.visit_id JOIN plans p USING (plan_id)
            WHERE p.period_start <= a.window_end
            """,
        )[0][0]
        assert late == 0
        run = merge.saved_run(con, YEAR)
        removed = sum(run[f"round{i}_removed"] for i in range(1, 5))
        assert run["baseline_visits"] - removed == run["final_visits"]
        assert (
            run["final_visits"]
            == rows(
                con, "SELECT count(*) FROM visits WHERE year = ? AND scheduled_id IS NULL", [YEAR]
            )[0][0]
        )
        assert run["independent"]["baseline_pairs"] == run["baseline_visits"]
    finally:
        con.close()


@pytest.mark.parametrize("seed", ["alpha", "beta", "gamma"])
def test_coordinated_never_saves_less_than_independent(demo_con, seed):
    coord = sampling.preview(demo_con, YEAR, secret=seed, mode="coordinated").selections
    indep = sampling.preview(demo_con, YEAR, secret=seed, mode="independent").selections
    # same plans, same quotas: the per-plan sample sizes agree
    assert coord.groupby("plan_id").size().equals(indep.groupby("plan_id").size())
    out = merge.compare(demo_con, YEAR, coord, indep)
    c, i = out["coordinated"], out["independent"]
    assert c["baseline_pairs"] == i["baseline_pairs"] > 3_000
    assert c["removed"] >= i["removed"]
    assert c["visits"] <= i["visits"]
    by = {r["key"]: r["removed"] for r in c["rounds"]}
    assert by["coordinated_draw"] > 0
    assert {r["key"]: r["removed"] for r in i["rounds"]}["coordinated_draw"] == 0
    for s in (c, i):
        assert s["baseline_pairs"] - sum(r["removed"] for r in s["rounds"]) == s["visits"]


def test_bad_selections_rejected_and_nothing_saved(hand):
    con, _ = hand
    merge.run_and_save(con, HAND_YEAR)
    before = {t: db.content_hash(con, t) for t in ("visits", "visit_tasks", "merge_runs")}
    with pytest.raises(ValueError, match="plan 'NOPE'"):
        merge.merge_visits(con, pd.DataFrame({"plan_id": ["NOPE"], "uscc": ["x"]}))
    dup = pd.DataFrame({"plan_id": [f"{HAND_YEAR}-P1"] * 2, "uscc": ["91A", "91A"]})
    with pytest.raises(ValueError, match="selected twice"):
        merge.merge_visits(con, dup)
    mixed = pd.DataFrame({"plan_id": [f"{HAND_YEAR}-P1", "2026-S-0001"], "uscc": ["a", "b"]})
    with pytest.raises(ValueError, match="several campaign years"):
        merge.merge_visits(con, mixed)
    con.execute("UPDATE plans SET period_end = DATE '2030-01-01' WHERE plan_id = '2030-P4'")
    with pytest.raises(ValueError, match="plan 2030-P4: period_start is after period_end"):
        merge.run_and_save(con, HAND_YEAR)
    with pytest.raises(merge.NoCommittedDraw, match="no committed draw for 2031"):
        merge.run_and_save(con, 2031)
    assert {t: db.content_hash(con, t) for t in before} == before


def test_relation_input_equals_dataframe_input(hand):
    con, h = hand
    rel = con.sql("SELECT plan_id, uscc FROM draw_selections WHERE draw_id <> 'D-P1-old'")
    a = merge.merge_visits(con, rel, mode="coordinated")
    b = merge.merge_visits(con, HAND_YEAR)
    assert a.summary()["visits"] == b.summary()["visits"] == 7 - 2


def test_schedule_is_deterministic_and_plausible(small_con, tmp_path):
    from core import synth_schedule

    n = rows(small_con, "SELECT count(*) FROM scheduled_inspections WHERE year = 2026")[0][0]
    assert n > 0
    assert rows(small_con, "SELECT count(*) FROM scheduled_inspections s ANTI JOIN targets t "
                           "USING (uscc)")[0][0] == 0  # fmt: skip
    span = rows(small_con, "SELECT min(scheduled_on)::VARCHAR, max(scheduled_on)::VARCHAR "
                           "FROM scheduled_inspections")[0]  # fmt: skip
    assert span[0] >= "2026-01-01" and span[1] <= "2026-12-31"
    h1 = db.content_hash(small_con, "scheduled_inspections")
    small_con.execute("DELETE FROM scheduled_inspections")
    assert synth_schedule.build_schedule(small_con, 2022, 2026) == n
    assert db.content_hash(small_con, "scheduled_inspections") == h1
    small_con.execute("DELETE FROM scheduled_inspections")
    synth_schedule.build_schedule(small_con, 7, 2026)
    assert db.content_hash(small_con, "scheduled_inspections") != h1


# Uniformity of coordinated draws within each stratum (issue 6's third acceptance item) is the
# sampling issue's chi-square test run on coordinated draws:
# tests/test_sampling_uniformity.py::test_inclusion_frequencies_are_uniform_within_a_stratum.
