"""Visits that keep their identity (issue 11.5): ids derived from the visit, identical across
re-merges; a held visit (assigned, with a result or a status past pending) is never deleted;
desk checks (every task off-site) are counted apart."""

from __future__ import annotations

import pytest

from core import db, merge
from core.refusal import Refused
from tests.merge_fixtures import HAND_YEAR, _insert_draw, hand_built_campaign

TABLES = ("visits", "visit_tasks")


@pytest.fixture
def hand(small_con):
    return small_con, hand_built_campaign(small_con)


def ids(con):
    sql = "SELECT visit_id FROM visits WHERE year = ? ORDER BY 1"
    return [r[0] for r in con.execute(sql, [HAND_YEAR]).fetchall()]


def test_visit_id_is_campaign_target_and_window_start(hand):
    con, h = hand
    merge.run_and_save(con, HAND_YEAR)
    rows = con.execute(
        "SELECT visit_id, year, uscc, strftime(window_start, '%Y%m%d') FROM visits WHERE year = ?",
        [HAND_YEAR],
    ).fetchall()
    assert len(rows) == 7
    for visit_id, year, uscc, start in rows:
        assert visit_id == f"V{year}-{uscc}-{start}"
    assert f"V{HAND_YEAR}-{h['targets'][0]}-20300601" in ids(con)


def test_same_draws_merged_twice_give_identical_ids_and_rows(hand):
    con, _ = hand
    merge.run_and_save(con, HAND_YEAR)
    first = ids(con)
    hashes = {t: db.content_hash(con, t) for t in TABLES}
    merge.run_and_save(con, HAND_YEAR)
    assert ids(con) == first
    assert {t: db.content_hash(con, t) for t in TABLES} == hashes


def _redraw_p2_without_t1(con, h):
    """A re-draw of P2 that drops T1 (and takes T5): T1's April visit loses P2's task."""
    t = h["targets"]
    _insert_draw(con, "D-P2-new", HAND_YEAR, f"{HAND_YEAR}-P2", "coordinated", "S", "D-P2",
                 "2030-01-03T09:00:00+08:00", [t[4], t[1], t[3]])  # fmt: skip


def test_held_visit_refuses_a_merge_that_would_change_it(hand):
    con, h = hand
    merge.run_and_save(con, HAND_YEAR)
    t1_april = f"V{HAND_YEAR}-{h['targets'][0]}-20300401"
    con.execute(
        "INSERT INTO assignments (visit_id, inspector_id, dept_code, role, active) "
        "VALUES (?, 'I-1', NULL, 'lead', true)",
        [t1_april],
    )
    # the same draws again: allowed, the held visit is kept as it is
    merge.run_and_save(con, HAND_YEAR)
    assert t1_april in ids(con) and len(ids(con)) == 7
    hashes = {t: db.content_hash(con, t) for t in (*TABLES, "merge_runs")}
    _redraw_p2_without_t1(con, h)
    version = db.data_version(con)
    seq = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    with pytest.raises(Refused) as e:
        merge.run_and_save(con, HAND_YEAR)
    assert e.value.key == "merge.visits_held"
    assert e.value.values["n"] == 1 and e.value.values["example"] == t1_april
    assert "1" in e.value.message("zh") and t1_april in e.value.message("en")
    assert {t: db.content_hash(con, t) for t in hashes} == hashes
    assert db.data_version(con) == version
    # the refused merge leaves one audit entry, its attempt (core/writes.py)
    logged = con.execute(
        "SELECT action, json_extract_string(detail, '$.refusal') FROM audit_log WHERE seq > ?",
        [seq],
    ).fetchall()
    assert logged == [("merge.save", "merge.visits_held")]
    # once the assignment is withdrawn (inactive), the visit is no longer held
    con.execute("UPDATE assignments SET active = false")
    merge.run_and_save(con, HAND_YEAR)
    # T1 keeps only P1 (03-01..04-30): a different visit, so a different id
    t1_march = f"V{HAND_YEAR}-{h['targets'][0]}-20300301"
    assert t1_april not in ids(con) and t1_march in ids(con)
    tasks = con.execute(
        "SELECT plan_id FROM visit_tasks WHERE visit_id = ? ORDER BY 1", [t1_march]
    ).fetchall()
    assert tasks == [(f"{HAND_YEAR}-P1",)]


def test_held_by_status_kept_when_only_new_visits_are_added(hand):
    con, h = hand
    merge.run_and_save(con, HAND_YEAR)
    t4 = f"V{HAND_YEAR}-{h['targets'][3]}-20300401"
    con.execute(
        "INSERT INTO visit_status (visit_id, status, updated_by, updated_at) "
        "VALUES (?, 'in_progress', 'test', '2030-01-02T09:00:00+08:00')",
        [t4],
    )
    con.execute("UPDATE visits SET scheduled_id = 'kept' WHERE visit_id = ?", [t4])
    # a re-draw of P4 adding T2 (08-xx window): T4's visit is untouched, a new one is added
    t = h["targets"]
    _insert_draw(con, "D-P4-new", HAND_YEAR, f"{HAND_YEAR}-P4", "coordinated", "S", "D-P4",
                 "2030-01-03T09:00:00+08:00", [t[2], t[4], t[1]])  # fmt: skip
    merge.run_and_save(con, HAND_YEAR)
    assert len(ids(con)) == 8 and f"V{HAND_YEAR}-{t[1]}-20300701" in ids(con)
    sql = "SELECT scheduled_id FROM visits WHERE visit_id = ?"
    assert con.execute(sql, [t4]).fetchone() == ("kept",)  # the held row itself not rewritten


def test_desk_checks_counted_apart(hand):
    con, h = hand
    con.execute("UPDATE items SET method = 'offsite' WHERE item_code = ?", [h["items"][1]])
    r = merge.run_and_save(con, HAND_YEAR)
    # P2 (item I2 only) is all off-site: T4's visit carries only P2, so it is a desk check;
    # T1's and T2's April visits also carry P1 (on-site), so they stay visits
    kinds = dict(
        con.execute("SELECT visit_id, kind FROM visits WHERE year = ?", [HAND_YEAR]).fetchall()
    )
    desk = sorted(v for v, k in kinds.items() if k == "desk")
    assert desk == [f"V{HAND_YEAR}-{h['targets'][3]}-20300401"]
    assert r.desk_checks == 1
    s = r.summary()
    assert (s["desk_checks"], s["onsite_visits"], s["visits"]) == (1, 4, 5)
    assert merge.saved_run(con, HAND_YEAR)["desk_checks"] == 1
