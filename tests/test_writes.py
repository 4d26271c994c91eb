"""The one write path: all-or-nothing, one audit entry per action, one version bump, nesting
joins the outer unit, and concurrent writers queue instead of failing."""

from __future__ import annotations

import json
import threading

import pytest

from core import audit, db
from core.refusal import Refused
from core.writes import attempt, record_attempt, unit_of_work


@pytest.fixture()
def con(tmp_path):
    c = db.connect(tmp_path / "w.duckdb")
    c.execute("CREATE TABLE t (k INTEGER)")
    yield c
    c.close()


def test_unit_commits_with_one_audit_entry_and_one_bump(con):
    v0 = db.data_version(con)
    with unit_of_work(con, "u1", "test.insert", {"n": 1}):
        con.execute("INSERT INTO t VALUES (1)")
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    assert db.data_version(con) == v0 + 1
    rows = con.execute("SELECT actor, action FROM audit_log ORDER BY seq").fetchall()
    assert rows == [("u1", "test.insert")]


def test_nested_units_join_the_outer_one(con):
    v0 = db.data_version(con)
    with unit_of_work(con, "u1", "outer"):
        con.execute("INSERT INTO t VALUES (1)")
        with unit_of_work(con, "u1", "inner", {"x": 2}):
            con.execute("INSERT INTO t VALUES (2)")
    assert db.data_version(con) == v0 + 1
    actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
    assert actions == ["outer", "inner"]
    assert audit.verify_chain(con) == (True, None)


def test_failure_rolls_back_everything(con):
    v0 = db.data_version(con)
    with pytest.raises(RuntimeError), unit_of_work(con, "u1", "outer"):
        con.execute("INSERT INTO t VALUES (1)")
        with unit_of_work(con, "u1", "inner"):
            con.execute("INSERT INTO t VALUES (2)")
        raise RuntimeError("boom")
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert db.data_version(con) == v0  # the attempt's entry changes no data
    # one entry: the attempt, recorded once by the outermost unit after the rollback
    assert [(a, json.loads(d)) for a, d in con.execute(
        "SELECT action, detail FROM audit_log").fetchall()] == [
        ("outer", {"attempt": True, "outcome": "failed", "error": "RuntimeError"})]  # fmt: skip
    assert audit.verify_chain(con) == (True, None)


def _entries(con) -> list[tuple]:
    return [(actor, action, json.loads(detail)) for actor, action, detail in con.execute(
        "SELECT actor, action, detail FROM audit_log ORDER BY seq").fetchall()]  # fmt: skip


def test_a_nested_refusal_is_recorded_once_at_the_outermost_level(con):
    v0 = db.data_version(con)
    with pytest.raises(Refused), unit_of_work(con, "u1", "outer", {"n": 2}):
        con.execute("INSERT INTO t VALUES (1)")
        with unit_of_work(con, "u1", "inner"), unit_of_work(con, "u1", "innermost"):
            raise Refused("write.busy")
    assert _entries(con) == [("u1", "outer", {"n": 2, "attempt": True, "outcome": "refused",
                                             "refusal": "write.busy"})]  # fmt: skip
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 0 and db.data_version(con) == v0


def test_an_attempt_scope_records_refusals_before_the_write_once(con):
    # refused in the checks, before any unit: one entry
    with pytest.raises(Refused), attempt(con, "u2", "area.act", {"year": 2026}):
        raise Refused("write.busy")
    # refused inside a unit within the scope (and a nested scope): still one entry, the scope's
    with pytest.raises(ValueError), attempt(con, "u2", "area.act2"), attempt(con, "u2", "x"):
        with unit_of_work(con, "u2", "area.unit"):
            con.execute("INSERT INTO t VALUES (1)")
            raise ValueError("no secret words in the audit trail")
    # a scope that succeeds adds nothing but its unit's own entry
    with attempt(con, "u2", "area.act3"), unit_of_work(con, "u2", "area.ok"):
        con.execute("INSERT INTO t VALUES (2)")
    assert _entries(con) == [
        ("u2", "area.act", {"year": 2026, "attempt": True, "outcome": "refused",
                            "refusal": "write.busy"}),
        ("u2", "area.act2", {"attempt": True, "outcome": "failed", "error": "ValueError"}),
        ("u2", "area.ok", {}),
    ]  # fmt: skip
    assert "secret" not in con.execute("SELECT string_agg(detail, '') FROM audit_log").fetchone()[0]
    assert con.execute("SELECT k FROM t").fetchall() == [(2,)]
    assert audit.verify_chain(con) == (True, None)


def test_a_reported_refusal_is_recorded_like_a_raised_one(con):
    """record_attempt: a refusal the caller returns (a rejected file) gets the same entry as one
    escaping attempt(...), without a bump; inside an open unit it joins that unit."""
    v0 = db.data_version(con)
    record_attempt(con, "u3", "area.import", {"file": "a.csv"}, Refused("write.busy"))
    assert db.data_version(con) == v0
    with unit_of_work(con, "u3", "area.batch"):
        con.execute("INSERT INTO t VALUES (3)")
        record_attempt(con, "u3", "area.import", {"file": "b.csv"}, OSError("disk full"))
    assert db.data_version(con) == v0 + 1  # the unit's one bump
    assert _entries(con) == [
        ("u3", "area.import", {"file": "a.csv", "attempt": True, "outcome": "refused",
                               "refusal": "write.busy"}),
        ("u3", "area.batch", {}),
        ("u3", "area.import", {"file": "b.csv", "attempt": True, "outcome": "failed",
                               "error": "OSError"}),
    ]  # fmt: skip
    assert audit.verify_chain(con) == (True, None)


def test_a_refused_preview_leaves_no_trace(small_con):
    from core import sampling

    before = small_con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    version = db.data_version(small_con)
    with pytest.raises(Refused) as e:
        sampling.preview(small_con, 2026, secret="s", mode="sideways")
    assert e.value.key == "draw.bad_mode"
    assert small_con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert db.data_version(small_con) == version


def test_a_write_needs_an_actor(con):
    with pytest.raises(ValueError), unit_of_work(con, "", "x"):
        pass


def test_refusal_speaks_both_languages():
    r = Refused("write.busy")
    assert "其他用户" in r.message("zh") and "Another user" in r.message("en")
    assert str(r) == r.message("en")


def test_concurrent_writers_queue_and_keep_the_chain(con):
    """Twenty threads, each on its own cursor, update the same row: no conflict, none lost."""
    con.execute("INSERT INTO t VALUES (0)")
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        cur = con.cursor()
        try:
            for _ in range(5):
                with unit_of_work(cur, f"user{i}", "test.increment"):
                    cur.execute("UPDATE t SET k = k + 1")
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)
        finally:
            cur.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert con.execute("SELECT k FROM t").fetchone()[0] == 100
    assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 100
    assert audit.verify_chain(con) == (True, None)


def test_concurrent_partial_ratio_saves_keep_every_cell(small_con):
    """Two people saving different cells of the default table at once both keep theirs."""
    from core import sampling

    before = sampling.default_ratios(small_con)
    edits = [{"A": {"A": 60}}, {"B": {"D": 4100}}, {"C": {"B": 210}}, {"A": {"D": 2600}}]
    errors: list[BaseException] = []

    def save(edit: dict) -> None:
        cur = small_con.cursor()
        try:
            sampling.save_default_ratios(cur, edit, "tester")
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            errors.append(e)
        finally:
            cur.close()

    threads = [threading.Thread(target=save, args=(e,)) for e in edits]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    after = sampling.default_ratios(small_con)
    expected = before.copy()
    for edit in edits:
        for cls, cells in edit.items():
            for tier, bp in cells.items():
                expected.loc[cls, tier] = bp
    assert after.equals(expected)
