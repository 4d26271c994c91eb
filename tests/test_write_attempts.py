"""A refused or failed write leaves exactly one audit entry, the attempt, and nothing else: a
refused draw commit (the CLI), refused result entries (before the write and inside it) and an
import whose write fails. The audit chain still verifies (python -m core audit verify)."""

from __future__ import annotations

import json
import os

import pytest

from core import db, registry_import
from core.refusal import Refused
from core.registry_export import export_frame
from core.results import entry
from tests import results_fixtures as rf
from tests.test_cli import cli

TABLES = ("draws", "draw_selections", "draw_commits", "draw_commitments", "visits",
          "assignments", "results", "visit_status", "inspectors", "targets", "meta")  # fmt: skip


@pytest.fixture
def campaign(small_path):
    """The small dataset with 2026 committed (a rehearsal, beacon format text-v1), merged and
    assigned."""
    con = db.connect(small_path)
    rf.assigned_campaign(con)
    con.close()
    return small_path


def state(path) -> tuple[dict, int, int]:
    con = db.connect(path)
    try:
        hashes = {t: db.content_hash(con, t) for t in TABLES}
        seq = con.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]
        return hashes, db.data_version(con), seq
    finally:
        con.close()


def new_entries(path, seq: int) -> list[tuple]:
    con = db.connect(path)
    try:
        rows = con.execute(
            "SELECT actor, action, detail FROM audit_log WHERE seq > ? ORDER BY seq", [seq]
        ).fetchall()
        return [(a, b, json.loads(d)) for a, b, d in rows]
    finally:
        con.close()


def assert_only_the_attempt(path, before, action: str, **expected) -> dict:
    hashes, version, seq = before
    got = new_entries(path, seq)
    assert len(got) == 1, got
    _actor, logged, detail = got[0]
    assert logged == action and detail["attempt"] is True
    assert {k: detail[k] for k in expected} == expected
    now_hashes, now_version, _ = state(path)
    assert now_hashes == hashes and now_version == version  # nothing else changed
    return got[0]


def test_refused_and_failed_writes_leave_one_attempt_each(campaign, monkeypatch):
    path = campaign
    # 1. a refused draw commit (a beacon that is not a clean text-v1 value)
    before = state(path)
    r = cli("draw", "--db", str(path), "--year", "2026", "--beacon", " b", "--commit")
    assert r.returncode == 1 and "text-v1" in r.stderr
    actor, _, detail = assert_only_the_attempt(
        path, before, "sampling.draw.commit", outcome="refused", refusal="draw.beacon_format"
    )
    assert actor.startswith("os:") and detail["year"] == 2026
    # a refused preview leaves nothing
    before = state(path)
    r = cli("draw", "--db", str(path), "--year", "1999")
    assert r.returncode == 1 and new_entries(path, before[2]) == [] and state(path) == before

    con = db.connect(path)
    visit_id, inspector, plan_id, item, start = con.execute(
        "SELECT a.visit_id, a.inspector_id, t.plan_id, t.item_code, v.window_start "
        "FROM assignments a JOIN visits v USING (visit_id) JOIN visit_tasks t USING (visit_id) "
        "WHERE a.active AND a.role = 'lead' ORDER BY a.visit_id, t.plan_id, t.item_code LIMIT 1"
    ).fetchone()
    other = con.execute(
        "SELECT inspector_id FROM inspectors WHERE inspector_id NOT IN (SELECT inspector_id "
        "FROM assignments WHERE visit_id = ?) ORDER BY inspector_id LIMIT 1",
        [visit_id],
    ).fetchone()[0]
    con.close()
    task = entry.TaskEntry(plan_id, item, ("Q",), start)
    # 2. a refused result entry inside the write (an unknown outcome code) ...
    before = state(path)
    con = db.connect(path)
    with pytest.raises(Refused) as e:
        entry.save(con, rf.inspector_user(con, inspector), visit_id, [task], today=start)
    con.close()
    assert e.value.key == "results.bad_outcome"
    actor, _, detail = assert_only_the_attempt(
        path, before, "results.enter", outcome="refused", refusal="results.bad_outcome"
    )
    assert actor == f"u-{inspector.lower()}" and detail["visit_id"] == visit_id
    # ... and before it (someone else's visit)
    before = state(path)
    con = db.connect(path)
    with pytest.raises(Refused):
        entry.save(con, rf.inspector_user(con, other), visit_id, [task], today=start)
    con.close()
    actor, _, _ = assert_only_the_attempt(
        path, before, "results.enter", outcome="refused", refusal="results.not_assigned"
    )
    assert actor == f"u-{other.lower()}"

    # 3. an import whose write fails part-way (a full disk)
    con = db.connect(path)
    frame = export_frame(con, "inspectors").iloc[:3].copy()
    con.close()
    frame["inspector_id"] = [f"440300M0199{i:02d}" for i in range(3)]
    data = frame.to_csv(index=False).encode("utf-8")

    def full_disk(reg):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(registry_import, "_insert_sql", full_disk)
    before = state(path)
    con = db.connect(path)
    with pytest.raises(Refused) as e:
        registry_import.import_bytes(con, "inspectors", data, "new.csv", actor="tester")
    con.close()
    assert e.value.key == "import.failed"
    _, _, detail = assert_only_the_attempt(
        path, before, "registry.import", outcome="failed", error="OSError"
    )
    assert detail["file"] == "new.csv" and detail["rows"] == 3

    r = cli("audit", "verify", "--db", str(path))
    assert r.returncode == 0, r.stdout + r.stderr


def test_draw_refusals_before_the_write_leave_one_attempt_from_the_engine_too(campaign):
    """The Sampling page calls core.sampling directly (no CLI wrapper): a commit refused by its
    checks before the unit of work (a wrong secret, a mode the notice did not commit) and a
    notice refused before its write (a beacon date not after today) each leave one attempt."""
    import datetime as dt

    from core import sampling

    path = campaign
    for call, key in (
        (lambda con: sampling.commit(con, 2026, "u-policy", secret="not-it", beacon="b"),
         "draw.secret_mismatch"),
        (lambda con: sampling.commit(con, 2026, "u-policy", beacon="b", mode="independent"),
         "draw.mode_not_committed"),
    ):  # fmt: skip
        before = state(path)
        con = db.connect(path)
        with pytest.raises(Refused) as e:
            call(con)
        con.close()
        assert e.value.key == key
        actor, _, detail = assert_only_the_attempt(
            path, before, "sampling.draw.commit", outcome="refused", refusal=key
        )
        assert actor == "u-policy" and detail["year"] == 2026
    before = state(path)
    con = db.connect(path)
    with pytest.raises(Refused) as e:
        sampling.publish_commitment(con, 2026, "u-admin", dt.date(2026, 1, 1),
                                    clock=lambda: dt.datetime(2026, 1, 5, 10))  # fmt: skip
    con.close()
    assert e.value.key == "draw.beacon_date_not_after"
    assert_only_the_attempt(path, before, "sampling.commitment.publish",
                            outcome="refused", refusal="draw.beacon_date_not_after")  # fmt: skip
