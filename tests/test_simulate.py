"""The ratio simulator and optimiser (core/simulate/) on real DuckDB files: a hand-built campaign
computed by hand, the demo campaign against real draws and merges, the optimiser against a seeded
random search, and the database untouched by any number of simulations."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import db, merge, sampling, stats
from core.refusal import Refused
from core.simulate import capacity as capacity_module
from core.simulate import discovery, optimise, proposals, ratios_file, scenario
from core.simulate import frames as frames_module
from core.simulate.quotas import quota, table_from_dict
from core.vocab import ITEM_CLASSES, TIERS
from tests import simulate_fixtures
from tests.merge_fixtures import commit_campaign

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> Path:
    return simulate_fixtures.build(tmp_path_factory.mktemp("hand") / "hand.duckdb")


@pytest.fixture(scope="module")
def hand_ctx(hand):
    con = db.connect(hand, read_only=True)
    try:
        yield scenario.load(con, YEAR)
    finally:
        con.close()


# ------------------------------------------------------------------------------------------
# A small hand-built case, computed by hand (tests/simulate_fixtures.py describes it)
# ------------------------------------------------------------------------------------------


def test_quota_rule_is_the_draws():
    assert quota(60, 50) == 1 and quota(30, 500) == 2 and quota(0, 5000) == 0
    assert quota(7, 10000) == 7 and quota(10_001, 1) == 2
    sizes = np.arange(0, 2000, 7)
    for bp in (1, 37, 999, 1000, 5001, 10000):
        assert list(quota(sizes, bp)) == [sampling.quota(int(n), bp) for n in sizes]


def test_hand_case_quotas_workload_discoveries(hand_ctx):
    s = scenario.evaluate(hand_ctx, hand_ctx.table)
    q = s.strata.set_index(["plan_id", "tier"])["quota"]
    # P1 (A类): ceil(60*50/1e4)=1, ceil(30*500/1e4)=2, C empty, ceil(10*2000/1e4)=2
    # P2 (B类): ceil(100*0.1)=10, ceil(30*0.2)=6, ceil(10*0.3)=3, ceil(10*0.6)=6
    # P3 (B类): ceil(40*0.1)=4, B empty, ceil(10*0.3)=3, D empty
    assert q.to_dict() == {
        ("P1", "A"): 1, ("P1", "B"): 2, ("P1", "C"): 0, ("P1", "D"): 2,
        ("P2", "A"): 10, ("P2", "B"): 6, ("P2", "C"): 3, ("P2", "D"): 6,
        ("P3", "A"): 4, ("P3", "B"): 0, ("P3", "C"): 3, ("P3", "D"): 0,
    }  # fmt: skip
    t = s.totals
    assert t["inspections"] == 37
    # discoveries: P1 .1+.4+1.6, P2 1+1.2+1.5+4.8, P3 .4+1.5
    assert t["discoveries"] == pytest.approx(12.5)
    # coordinated visits: industry 1111 {P1,P2} overlap (one visit): 60*.1 + 30*.2 + 10*.6 = 18;
    # industry 2222 {P2,P3} disjoint periods (two visits): 40*.1*2 + 10*.3*2 = 14
    assert t["visits"] == pytest.approx(32.0)
    assert t["targets_reached"] == pytest.approx(6 + 6 + 6 + 4 + 3)
    # visits finding nothing: 6*.9 + 6*.8 + 6*.2 + 8*.9 + 6*.5
    assert t["burden_visits"] == pytest.approx(21.6)
    w = s.workload.set_index("dept_code")
    # D1: all 1111 visits (18) + the P2 visits of 2222 (4 + 3); D2: 1111 via P2 (18) + 2222 (14)
    assert w.loc["D1", "visits"] == pytest.approx(25.0)
    assert w.loc["D2", "visits"] == pytest.approx(32.0)
    # inspectors: every D1 visit carries joint P2 (one inspector each); D2 sends one to each
    # visit with P2 and two to a P3 visit alone: 18 + (40 * .1 + 10 * .3) * (1 + 2)
    assert w.loc["D1", "inspector_visits"] == pytest.approx(25.0)
    assert w.loc["D2", "inspector_visits"] == pytest.approx(18 + 21)
    assert w.loc["D1", "tasks"] == 5 + 25 and w.loc["D2", "tasks"] == 25 + 7
    assert (
        w.loc["D1", "inspector_tasks"] == 2 * 5 + 25
        and w.loc["D2", "inspector_tasks"] == 25 + 2 * 7
    )
    # capacity: 2 inspectors x the assignment rule's default cap; D2 1 x its own cap of 30
    assert hand_ctx.capacity_source == "assignment"
    assert w.loc["D1", "capacity"] == 2 * 60 and w.loc["D2", "capacity"] == 1 * 30
    assert bool(w.loc["D2", "over"]) and not bool(w.loc["D1", "over"])  # 39 > 30, 25 <= 120
    assert t["departments_over"] == 1 and t["rules_ok"]


def test_interval_by_hand():
    # two strata, 10 of 20 checked at 0.5 and 4 of 5 at 0.25; rates known exactly
    e, sd, lo, hi = stats.binomial_total_interval(
        np.array([10, 4]), np.array([0.5, 0.25]), np.array([20, 5])
    )
    var = 10 * 0.25 * (10 / 19) + 4 * 0.1875 * (1 / 4)
    assert e == pytest.approx(6.0) and sd == pytest.approx(math.sqrt(var))
    assert lo == pytest.approx(6 - stats.Z95 * math.sqrt(var))
    # a shared rate error moves the strata of a group together
    _, sd2, _, _ = stats.binomial_total_interval(
        np.array([10, 4]), np.array([0.5, 0.25]), rate_se=np.array([0.1, 0.1]),
        rate_group=np.array([0, 0]),
    )  # fmt: skip
    assert sd2 == pytest.approx(math.sqrt(10 * 0.25 + 4 * 0.1875 + (1.4) ** 2))


def test_hand_case_matches_a_real_draw(hand, tmp_path):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(hand.read_bytes())
    con = db.connect(path)
    try:
        ctx = scenario.load(con, YEAR)
        draw = sampling.preview(con, YEAR, secret="s", beacon="b")
    finally:
        con.close()
    s = scenario.evaluate(ctx, ctx.table)
    got = s.strata.set_index(["plan_id", "tier"])["quota"]
    drawn = draw.strata.set_index(["plan_id", "tier"])["selected"]
    assert (got.loc[drawn.index] == drawn).all() and got.sum() == draw.total_selected


def test_class_rules_checked(hand_ctx):
    table = hand_ctx.table.copy()
    table.loc["A", "D"] = 9000  # mean of A类 above 1000 bp
    table.loc["B"] = [100, 100, 100, 100]  # mean of B类 below 1000 bp
    r = scenario.evaluate(hand_ctx, table).rules.set_index("scope").loc["default"]
    broken = dict(zip(r["item_class"], r["rule"], strict=True))
    assert broken["A"] == "a_class_at_most_10pct" and broken["B"] == "b_class_at_least_10pct"
    assert pd.isna(broken["C"]) and bool(r.set_index("item_class").loc["C", "ok"])


# ------------------------------------------------------------------------------------------
# The demo campaign against real draws
# ------------------------------------------------------------------------------------------

OTHER_TABLES = [
    {"A": {"A": 10, "B": 100, "C": 800, "D": 3000}, "B": {"A": 200, "B": 500, "C": 1500,
     "D": 5000}, "C": {"A": 30, "B": 90, "C": 900, "D": 9999}},
    {"A": {"A": 1, "B": 1, "C": 1, "D": 3997}, "B": {"A": 1000, "B": 1000, "C": 1000,
     "D": 1000}, "C": {"A": 10000, "B": 10000, "C": 1, "D": 1}},
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_ctx(demo_con):
    return scenario.load(demo_con, YEAR)


@pytest.mark.parametrize("which", [0, 1, 2])
def test_simulated_inspections_equal_real_draw(demo_con, demo_ctx, which):
    if which == 0:
        table = sampling.default_ratios(demo_con)
    else:
        table = table_from_dict(OTHER_TABLES[which - 1]).astype("int64")
    before = sampling.default_ratios(demo_con)
    sampling.save_default_ratios(demo_con, OTHER_TABLES[which - 1] if which else {}, "test")
    try:
        draw = sampling.preview(demo_con, YEAR, secret=f"sim-{which}", beacon="b")
    finally:
        sampling.save_default_ratios(
            demo_con, {c: {t: int(before.loc[c, t]) for t in TIERS} for c in ITEM_CLASSES},
            "test",
        )  # fmt: skip
    s = scenario.evaluate(demo_ctx, table)
    got = s.strata.set_index(["plan_id", "tier"])
    drawn = draw.strata.set_index(["plan_id", "tier"])
    assert len(got) == len(drawn) == 4 * demo_ctx.frames.n_plans
    assert (got["frame_size"] == drawn.loc[got.index, "frame_size"]).all()
    assert (got["quota"] == drawn.loc[got.index, "selected"]).all()
    assert s.totals["inspections"] == draw.total_selected
    if which == 0:
        # the visit model against the merge engine run on the real draw: within 4 %
        result = merge.merge_visits(demo_con, draw.selections[["plan_id", "uscc"]],
                                    mode="coordinated")  # fmt: skip
        assert s.totals["visits"] == pytest.approx(result.visits_cross_checked, rel=0.04)
        assert s.totals["targets_reached"] == pytest.approx(
            draw.selections["uscc"].nunique(), rel=0.05
        )
        # each department's inspector-visits (two alone, one each in a joint visit) against
        # the merged visits: within 5 % over all departments
        real = demo_con.execute(
            """
            WITH pv AS (SELECT DISTINCT pv.visit_id, pd.dept_code
                        FROM m_pair_visit pv JOIN plan_depts pd USING (plan_id)),
                 nd AS (SELECT visit_id, count(*) AS n FROM pv GROUP BY 1)
            SELECT dept_code, sum(CASE WHEN n = 1 THEN 2 ELSE 1 END) AS real
            FROM pv JOIN nd USING (visit_id) GROUP BY 1
            """
        ).df()
        w = s.workload.merge(real, on="dept_code", how="outer").fillna(0)
        assert (w["inspector_visits"] - w["real"]).abs().sum() / w["real"].sum() < 0.05


def test_stratum_sizes_equal_the_draws(demo_con, demo_ctx):
    ours = frames_module.sizes_frame(demo_ctx.frames)
    theirs = sampling.stratum_sizes(demo_con, YEAR)
    key = ["plan_id", "tier"]
    merged = ours.merge(theirs, on=key, suffixes=("", "_draw"), how="outer", indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 4 * demo_ctx.frames.n_plans
    assert (merged["frame_size"] == merged["frame_size_draw"]).all()
    assert (merged["item_class"] == merged["item_class_draw"]).all()


# ------------------------------------------------------------------------------------------
# The optimiser
# ------------------------------------------------------------------------------------------


FLOOR = optimise.Request().min_ratio_bp["A"]


def _random_tables(rng: np.random.Generator, centre: np.ndarray, n: int) -> list[np.ndarray]:
    """Half near the optimiser's table, half anywhere (log-uniform); tiers rising per class and
    the class means pulled inside the class rules, so that many candidates are feasible."""
    out = []
    for i in range(n):
        if i % 2 == 0:
            x = centre * rng.uniform(0.7, 1.05, size=12) + rng.integers(-20, 21, size=12)
        else:
            x = np.exp(rng.uniform(0, math.log(10_000), size=12))
        x = np.clip(x, FLOOR, 10_000).reshape(3, 4)
        if x[0].sum() > 4000:
            x[0] *= 4000 / x[0].sum()
        if x[1].sum() < 4000:
            x[1] *= 4000 / x[1].sum()
        x = np.clip(np.floor(x), FLOOR, 10_000).astype(np.int64)
        x[1] = np.clip(x[1] + (4000 - x[1].sum() > 0) * 4, FLOOR, 10_000)
        out.append(np.sort(x, axis=1).ravel())
    return out


@pytest.mark.parametrize("budget", [False, True])
def test_optimiser_beats_a_seeded_random_search(demo_ctx, budget):
    inspections = scenario.evaluate(demo_ctx, demo_ctx.table).totals["inspections"]
    req = optimise.Request(max_inspections=inspections if budget else None)
    result = optimise.optimise(demo_ctx, req)
    assert result.feasible and result.status == "optimal"
    ev = optimise.Evaluator(demo_ctx, req)
    x = optimise.as_vector(result.table)
    assert ev.ok(x) and all(v["ok"] for v in result.checks.values())
    s = scenario.evaluate(demo_ctx, result.table)
    assert s.totals["rules_ok"] and s.totals["departments_over"] == 0
    assert result.objective == pytest.approx(s.totals["discoveries"])
    assert result.objective <= result.upper_bound + 1e-6
    if budget:
        assert s.totals["inspections"] <= inspections
    rng = np.random.default_rng(20261114)
    feasible = 0
    for cand in _random_tables(rng, x.astype(float), 1000):
        if ev.ok(cand):
            feasible += 1
            assert ev.objective(cand) <= result.objective + 1e-9, cand
    assert feasible >= 50  # the search did explore the feasible region
    assert result.binding  # something stops it, and it is named


def test_infeasible_request_names_the_conflict(demo_ctx):
    result = optimise.optimise(demo_ctx, optimise.Request(low_risk_cap=3))
    assert not result.feasible and result.table is None
    assert result.conflict == ["low_risk_cap"]  # even at 1 bp every non-empty stratum draws one

    floors = {t: 1500 for t in TIERS}
    req = optimise.Request(min_ratio_bp=floors)
    result = optimise.optimise(demo_ctx, req)
    assert not result.feasible and "class_A_max" in result.conflict
    # irreducible: the set cannot hold; without any one of its members it can
    ev = optimise.Evaluator(demo_ctx, req)
    _, _, named = ev.linear(optimistic=False)
    zero = np.zeros(optimise.N_X)
    assert optimise._solve(ev, zero, named, set(result.conflict), True).status == 2
    for name in result.conflict:
        rest = set(result.conflict) - {name}
        assert optimise._solve(ev, zero, named, rest, True).status == 0, name


def test_department_no_table_can_help_is_set_aside_or_named(demo_ctx):
    ctx = scenario.Context(**{**demo_ctx.__dict__, "capacity": demo_ctx.capacity.copy()})
    busiest = scenario.evaluate(ctx, ctx.table).workload.iloc[0]["dept_code"]
    ctx.capacity.loc[ctx.capacity["dept_code"] == busiest, "capacity"] = 1
    result = optimise.optimise(ctx)
    assert result.feasible and result.unreachable == [busiest]
    assert f"capacity:{busiest}" not in result.checks
    strict = optimise.optimise(ctx, optimise.Request(strict_capacity=True))
    assert not strict.feasible and strict.conflict == [f"capacity:{busiest}"]


# ------------------------------------------------------------------------------------------
# Files, the CLI, and the database left untouched
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "suffix", "where"),
    [
        ("item_class,A,B,C,D\nA,10,x,30,40\n", ".csv", "row 2, B"),
        ("item_class,A,B,C,D\nQ,10,20,30,40\n", ".csv", "row 2"),
        ("item_class,tier,ratio_bp\nA,A,0\n", ".csv", "row 2, ratio_bp"),
        ('{"A": {"A": 12.5}}', ".json", "class A, tier A"),
        ('{"A": [1, 2]', ".json", "line 1"),
    ],
)
def test_bad_ratio_file_is_refused_with_its_place(hand_ctx, tmp_path, content, suffix, where):
    path = tmp_path / f"r{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Refused) as e:
        ratios_file.read_table(path, hand_ctx.table)
    assert e.value.key == "simulate.bad_file" and e.value.values["where"] == where


def test_ratio_file_formats(hand_ctx, tmp_path):
    wide = tmp_path / "w.csv"
    wide.write_text("item_class,A,B,C,D\nA,1,2,3,4\n", encoding="utf-8")
    long = tmp_path / "l.csv"
    long.write_text("item_class,tier,ratio_bp\nA,A,1\nA,B,2\nA,C,3\nA,D,4\n", encoding="utf-8")
    js = tmp_path / "t.json"
    js.write_text(json.dumps({"ratios": {"A": {"A": 1, "B": 2, "C": 3, "D": 4}}}))
    tables = [ratios_file.read_table(p, hand_ctx.table) for p in (wide, long, js)]
    for t in tables:
        assert list(t.loc["A"]) == [1, 2, 3, 4]
        assert list(t.loc["B"]) == list(hand_ctx.table.loc["B"])  # the rest stays in force


def test_cli_simulate_and_database_unchanged(hand, tmp_path):
    before = sha256_file(hand)
    ratios = tmp_path / "r.csv"
    ratios.write_text("item_class,A,B,C,D\nB,500,1000,2000,9000\n", encoding="utf-8")
    for _ in range(3):
        r = cli("simulate", "--db", str(hand), "--ratios", str(ratios), "--optimise", "--json")
        assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["in_force"]["totals"]["inspections"] == 37
    # B类 at 500/1000/2000/9000: P2 ceil(100*.05)=5, ceil(30*.1)=3, ceil(10*.2)=2, ceil(10*.9)=9;
    # P3 ceil(40*.05)=2, ceil(10*.2)=2; P1 unchanged (5)
    assert out["scenario"]["totals"]["inspections"] == 5 + 19 + 4
    assert "optimised" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("item_class,A\nZ,5\n", encoding="utf-8")
    r = cli("simulate", "--db", str(hand), "--ratios", str(bad))
    assert r.returncode == 1 and "row 2" in r.stderr and "Traceback" not in r.stderr
    r = cli("simulate", "--db", str(tmp_path / "missing.duckdb"), "--ratios", str(ratios))
    assert r.returncode == 1 and "no database" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "missing.duckdb").exists()
    con = db.connect(hand, read_only=True)
    try:
        for _ in range(5):
            ctx = scenario.load(con, YEAR)
            scenario.evaluate(ctx, ctx.table)
            optimise.optimise(ctx)
    finally:
        con.close()
    assert sha256_file(hand) == before


def test_compare_gives_deltas(hand_ctx):
    base = scenario.evaluate(hand_ctx, hand_ctx.table)
    table = hand_ctx.table.copy()
    table.loc["A", "A"] = 100  # P1 tier A: ceil(60 * .01) = 1, unchanged; tier B: see below
    table.loc["A", "B"] = 1000  # ceil(30 * .1) = 3 instead of 2
    other = scenario.evaluate(hand_ctx, table)
    d = scenario.compare(base, other).set_index("metric")
    assert d.loc["inspections", "delta"] == 1
    assert d.loc["discoveries", "delta"] == pytest.approx(0.2)
    assert isinstance(pd.Timestamp.now(), pd.Timestamp)


def test_proposals_refuse_bad_input_and_adopt_all_or_nothing(hand, tmp_path):
    path = tmp_path / "p.duckdb"
    path.write_bytes(hand.read_bytes())
    con = db.connect(path)
    try:
        table = sampling.default_ratios(con)
        rules_before = db.content_hash(con, "ratio_rules")
        breaking = table.copy()
        breaking.loc["B"] = [10, 10, 10, 10]
        for bad, key in (
            (breaking, "simulate.rules_broken"),
            (table.astype(float) + 0.5, "simulate.bad_proposal"),
        ):
            with pytest.raises(Refused) as e:
                proposals.save_proposal(con, "tester", YEAR, "x", bad)
            assert e.value.key == key
        with pytest.raises(Refused):
            proposals.save_proposal(con, "tester", YEAR, "  ", table)
        with pytest.raises(Refused) as e:
            proposals.adopt(con, "tester", "RP2026-9")
        assert e.value.key == "simulate.no_proposal"
        assert proposals.list_proposals(con).empty
        assert db.content_hash(con, "ratio_rules") == rules_before
        new = table.copy()
        new.loc["C"] = [100, 200, 300, 4000]
        pid = proposals.save_proposal(con, "tester", YEAR, "方案", new)
        assert pid == "RP2026-1" and db.content_hash(con, "ratio_rules") == rules_before
        proposals.adopt(con, "tester", pid)
        assert sampling.default_ratios(con).equals(new.astype("int64"))
        rows = con.execute(
            "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 3"
        ).fetchall()
        assert rows[0][1] in {"simulate.proposal.adopt", "sampling.ratios.default"}
        assert {r[1] for r in rows[:2]} == {"simulate.proposal.adopt", "sampling.ratios.default"}
        assert rows[2] == ("tester", "simulate.proposal.save")
    finally:
        con.close()


def test_risk_model_rates_are_calibrated_and_per_stratum(demo_con, demo_ctx):
    a, b = discovery.score_model(demo_con)
    past = demo_con.execute(
        "SELECT r.score, p.problem_found FROM past_inspections p JOIN risk r USING (uscc)"
    ).df()
    fitted = 1 / (1 + np.exp(-(a + b * past["score"].to_numpy())))
    # a free intercept: the fitted probabilities add up to the problems found
    assert fitted.mean() == pytest.approx(past["problem_found"].mean(), abs=1e-4)
    assert b > 0  # a higher score means more problems
    ctx = scenario.load(demo_con, YEAR, "model")
    s = scenario.evaluate(ctx, ctx.table)
    assert s.totals["rate_source"] == "model"
    d = s.strata[(s.strata["tier"] == "D") & (s.strata["frame_size"] > 0)]
    assert d["rate"].max() - d["rate"].min() > 0.05  # strata of one tier differ
    # a stratum's rate is its frame's mean propensity: check one against SQL over the frame
    row = d.iloc[0]
    mean_p = demo_con.execute(
        """
        WITH p AS (SELECT * FROM plans WHERE plan_id = ?)
        SELECT avg(1 / (1 + exp(-(? + ? * r.score)))) FROM targets t JOIN risk r USING (uscc), p
        WHERE r.tier = 'D' AND list_contains(p.frame_kinds, t.kind)
          AND (p.frame_industries IS NULL OR list_contains(p.frame_industries, t.industry))
          AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
          AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street))
        """,
        [row["plan_id"], a, b],
    ).fetchone()[0]
    assert row["rate"] == pytest.approx(mean_p)
    assert s.totals["discoveries"] == pytest.approx((s.strata["quota"] * s.strata["rate"]).sum())
    past_s = scenario.evaluate(demo_ctx, demo_ctx.table)
    assert past_s.totals["inspections"] == s.totals["inspections"]


def test_capacity_is_the_assignment_packages(pristine_demo, tmp_path):
    """Where the assignment package can count capacity (a committed, merged campaign), its
    figure and the simulator's agree department by department."""
    from core.assignment.capacity import department_capacity

    path = tmp_path / "merged.duckdb"
    path.write_bytes(pristine_demo.read_bytes())
    con = db.connect(path)
    try:
        commit_campaign(con, YEAR, "cap-test")  # a rehearsal notice, then the draw
        merge.merge_campaign(con, YEAR, "test")
        theirs = department_capacity(con, YEAR).set_index("dept_code")
        ours, source = capacity_module.department_capacity(con, YEAR)
    finally:
        con.close()
    assert source == "assignment" and len(theirs) > 10
    ours = ours.set_index("dept_code").loc[theirs.index]
    assert (ours["capacity"] == theirs["capacity"]).all()
    assert (ours["inspectors"] == theirs["inspectors"]).all()
