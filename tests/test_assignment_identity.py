"""The faster assignment engine (core/assignment/) against the one it replaced
(tests/assignment_v1_reference.py, the engine at 89e03a5): for the same seed and inputs, the same
assignments (visit, department, inspector, rank, role), the same unstaffed slots and reasons, the
same recusal hits and the same record, byte for byte; under the default caps, a cap so tight it
binds almost everywhere, mixed department caps, declared conflicts and the previous campaign's
recusals, and a visit without departments."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db, merge
from core import verify_assignment_standalone as verifier
from core.assignment import capacity, conflicts, rule, run
from tests import assignment_v1_reference as ref
from tests.merge_fixtures import commit_campaign

YEAR = 2026
PICK_COLS = ["visit_id", "dept_code", "inspector_id", "rank", "role", "k"]
FAIL_COLS = ["visit_id", "dept_code", "reason", "needed", "eligible"]
HIT_COLS = ["visit_id", "dept_code", "inspector_id", "rule"]


def q(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def con(demo_path):
    """The demo campaign committed and merged (no run saved yet); the connection stays open."""
    con = db.connect(demo_path)
    if not q(con, "SELECT count(*) FROM current_draws WHERE year = ?", [YEAR])[0][0]:
        commit_campaign(con, YEAR, "assign-identity")
    merge.merge_campaign(con, YEAR, actor="test")
    yield con
    con.close()


def _frame(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df[cols].reset_index(drop=True).copy()
    for c in cols:
        if c in ("rank", "needed", "eligible"):
            out[c] = out[c].astype("int64")
        elif c == "k":
            out[c] = out[c].astype("uint64")
        else:
            out[c] = out[c].astype(object)
    return out


def same_as_reference(con) -> run.AssignmentResult:
    """Compute with both engines and require identical outcomes and records (row order too)."""
    new = run.compute_assignment(con, YEAR)
    old = ref.compute_assignment(con, YEAR)
    assert new.seed == old.seed
    assert (new.visits, new.desk_checks, new.staffed) == (old.visits, old.desk_checks, old.staffed)
    assert new.candidates == old.candidates
    pd.testing.assert_frame_equal(
        _frame(new.assignments, PICK_COLS), _frame(old.assignments, PICK_COLS)
    )
    pd.testing.assert_frame_equal(
        _frame(new.unstaffed, FAIL_COLS), _frame(old.unstaffed, FAIL_COLS)
    )
    pd.testing.assert_frame_equal(
        _frame(new.recusal_hits, HIT_COLS), _frame(old.recusal_hits, HIT_COLS)
    )
    assert new.record_json == old.record_json
    assert new.record_sha256 == old.record_sha256 and new.run_id == old.run_id
    assert new.summary()["unstaffed_by_reason"] == old.summary()["unstaffed_by_reason"]
    # and the outsider's hashlib-only check recomputes the same outcome from the record
    ok, key, values = verifier.check(new.record_json, new.record_sha256)
    assert (ok, key) == (True, "ok"), values
    return new


def test_default_caps_same_as_reference(con):
    new = same_as_reference(con)
    assert new.staffed > 1_000 and len(new.assignments) > 2 * 1_000


def test_tight_and_mixed_caps_same_as_reference(con):
    depts = [r[0] for r in q(con, "SELECT DISTINCT unnest(departments) FROM visits "
                                  "WHERE year = ? ORDER BY 1", [YEAR])]  # fmt: skip
    try:
        capacity.set_cap(con, "*", 1, "test")
        tight = same_as_reference(con)
        assert tight.summary()["unstaffed_by_reason"]["cap"] > 1_000
        assert tight.staffed > 100
        # per department caps, some tight, some loose: deep scans past the first candidates
        capacity.set_cap(con, "*", 3, "test")
        for n, d in enumerate(depts[:6]):
            capacity.set_cap(con, d, [2, 5, 9, 1, 40, 4][n], "test")
        mixed = same_as_reference(con)
        assert 0 < mixed.summary()["unstaffed_by_reason"]["cap"]
        assert mixed.staffed > tight.staffed
        assert (mixed.assignments["rank"] > 8).any()  # picks beyond the first eight in order
    finally:
        con.execute("DELETE FROM assignment_caps")
        capacity.set_cap(con, "*", rule.DEFAULT_CAP, "test")


def test_recusals_and_a_visit_without_departments_same_as_reference(con):
    """Declared conflicts for the first two picks of 40 visits, the previous campaign's
    assignments at 20 more targets, a visit without departments; then a tight cap on top."""
    first = run.compute_assignment(con, YEAR).assignments
    picks = first.groupby("visit_id", sort=False).head(2).head(80)
    uscc = dict(q(con, "SELECT visit_id, uscc FROM visits WHERE year = ?", [YEAR]))
    later = first.drop_duplicates("visit_id").iloc[200:220]
    try:
        for visit_id, inspector_id in zip(picks["visit_id"], picks["inspector_id"], strict=True):
            conflicts.add_conflict(con, inspector_id, uscc[visit_id], "亲属关系", "test")
        for n, (visit_id, inspector_id) in enumerate(
            zip(later["visit_id"], later["inspector_id"], strict=True)
        ):
            con.execute(
                "INSERT INTO visits (visit_id, year, uscc, window_start, window_end, n_plans, "
                "n_tasks, departments) VALUES (?, ?, ?, '2025-03-01', '2025-03-31', 1, 1, [])",
                [f"V-prev-{n}", YEAR - 1, uscc[visit_id]],
            )
            con.execute(
                "INSERT INTO assignments (visit_id, inspector_id, dept_code, role, active) "
                "VALUES (?, ?, NULL, 'lead', true)",
                [f"V-prev-{n}", inspector_id],
            )
        con.execute(
            "INSERT INTO visits (visit_id, year, uscc, window_start, window_end, n_plans, "
            "n_tasks, departments) SELECT 'V-nodept', ?, uscc, '2026-01-05', '2026-01-09', 0, 0, "
            "[] FROM targets ORDER BY uscc LIMIT 1",
            [YEAR],
        )
        new = same_as_reference(con)
        rules = new.recusal_hits["rule"].value_counts().to_dict()
        assert rules.get("conflict", 0) >= 40 and rules.get("previous_campaign", 0) >= 10
        assert ("V-nodept", "", "no_department") in {
            tuple(r)
            for r in new.unstaffed[["visit_id", "dept_code", "reason"]].itertuples(index=False)
        }
        capacity.set_cap(con, "*", 2, "test")
        tight = same_as_reference(con)
        assert tight.summary()["unstaffed_by_reason"]["cap"] > 100
        assert len(tight.recusal_hits) > 0
    finally:
        con.execute("DELETE FROM inspector_conflicts")
        con.execute("DELETE FROM assignments WHERE visit_id LIKE 'V-prev-%'")
        con.execute("DELETE FROM visits WHERE visit_id LIKE 'V-prev-%' OR visit_id = 'V-nodept'")
        capacity.set_cap(con, "*", rule.DEFAULT_CAP, "test")


def test_saved_run_is_the_reference_outcome(con):
    """What assign_campaign saves (rows and record) is the reference engine's outcome."""
    old = ref.compute_assignment(con, YEAR)
    saved = run.assign_campaign(con, YEAR, "test")
    assert saved.record_sha256 == old.record_sha256
    rows = q(
        con,
        "SELECT visit_id, dept_code, inspector_id, rank, role FROM assignments "
        "WHERE active AND run_id = ? ORDER BY ALL",
        [saved.run_id],
    )
    want = sorted(
        tuple(r)
        for r in old.assignments[
            ["visit_id", "dept_code", "inspector_id", "rank", "role"]
        ].itertuples(index=False)
    )
    assert [tuple(r) for r in rows] == want and len(rows) > 2_000
    fails = q(
        con,
        "SELECT visit_id, dept_code, reason, needed, eligible FROM assignment_unstaffed "
        "WHERE run_id = ? ORDER BY ALL",
        [saved.run_id],
    )
    assert [tuple(r) for r in fails] == sorted(
        tuple(r) for r in old.unstaffed[FAIL_COLS].itertuples(index=False)
    )
    text, sha = q(
        con, "SELECT record_json, record_sha256 FROM assignment_runs WHERE year = ?", [YEAR]
    )[0]
    assert text == old.record_json and sha == old.record_sha256


def test_small_chunks_and_windows_same_as_reference(con, monkeypatch):
    """Chunks of a few hundred pairs and windows of one or two visits: every boundary and cut of
    the vectorised pass is crossed many times, under a tight cap and a conflict."""
    from core.assignment import greedy

    monkeypatch.setattr(greedy, "CHUNK_PAIRS", 700)
    monkeypatch.setattr(greedy, "FIRST_WINDOW", 1)
    monkeypatch.setattr(greedy, "MAX_WINDOW", 3)
    first = run.compute_assignment(con, YEAR).assignments.iloc[0]
    uscc = q(con, "SELECT uscc FROM visits WHERE visit_id = ?", [first["visit_id"]])[0][0]
    try:
        conflicts.add_conflict(con, first["inspector_id"], uscc, "亲属关系", "test")
        capacity.set_cap(con, "*", 2, "test")
        new = same_as_reference(con)
        assert new.summary()["unstaffed_by_reason"]["cap"] > 100
        assert new.hashed < new.candidates  # visits already short were not hashed
    finally:
        con.execute("DELETE FROM inspector_conflicts")
        capacity.set_cap(con, "*", rule.DEFAULT_CAP, "test")


def test_rule_order_breaks_ties_by_k_then_inspector():
    """Pairs whose k agree in the leading bits (and one pair with equal k) are still ordered by
    (slot, k, inspector) exactly, as the reference's ORDER BY s_no, k, i_no."""
    import numpy as np

    from core.assignment import inputs

    rng = np.random.default_rng(7)  # test data only, not a draw
    slot = rng.integers(0, 50, 5_000)
    k = rng.integers(0, 2**63, 5_000, dtype=np.uint64) * np.uint64(2)
    insp = rng.permutation(5_000)
    assert np.array_equal(inputs.rule_order(slot, k, insp, 50), np.lexsort((insp, k, slot)))
    k[1] = k[0] ^ np.uint64(1)  # same leading bits: the fallback sort
    slot[1] = slot[0]
    k[3], slot[3] = k[2], slot[2]  # equal k: the inspector decides
    by = inputs.rule_order(slot, k, insp, 50)
    assert np.array_equal(by, np.lexsort((insp, k, slot)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_caps_and_conflicts_same_as_reference(con, seed):
    """Caps drawn per department between 1 and 12 and 60 random conflicts (test data from a
    seeded generator, not a draw): the outcome and record equal the reference's."""
    import numpy as np

    rng = np.random.default_rng(seed)
    depts = [r[0] for r in q(con, "SELECT DISTINCT unnest(departments) FROM visits "
                                  "WHERE year = ? ORDER BY 1", [YEAR])]  # fmt: skip
    pairs = q(
        con,
        "SELECT i.inspector_id, v.uscc FROM visits v JOIN inspectors i "
        "ON list_contains(v.departments, i.dept_code) WHERE v.year = ? AND i.active "
        "ORDER BY v.visit_id, i.inspector_id LIMIT 20000",
        [YEAR],
    )
    try:
        capacity.set_cap(con, "*", int(rng.integers(1, 13)), "test")
        for d in depts:
            if rng.random() < 0.5:
                capacity.set_cap(con, d, int(rng.integers(1, 13)), "test")
        for n in sorted(set(rng.integers(0, len(pairs), 60).tolist())):
            conflicts.add_conflict(con, pairs[n][0], pairs[n][1], "亲属关系", "test")
        new = same_as_reference(con)
        assert new.summary()["unstaffed_by_reason"].get("cap", 0) > 0
    finally:
        con.execute("DELETE FROM inspector_conflicts")
        con.execute("DELETE FROM assignment_caps")
        capacity.set_cap(con, "*", rule.DEFAULT_CAP, "test")
