"""The audit trail can be checked: `python -m core audit verify` walks the hash chain and names
the first broken entry, and the chain's head, anchored in a side file on every write, shows a cut
tail or a rewritten chain."""

from __future__ import annotations

import json

import pytest

from core import audit, db
from core.writes import unit_of_work
from tests.test_cli import cli


def write(path, n: int = 3) -> None:
    con = db.connect(path)
    for i in range(n):
        with unit_of_work(con, "tester", "test.step", {"i": i}):
            pass
    con.close()


def verify(path) -> tuple[int, str, str]:
    r = cli("audit", "verify", "--db", str(path))
    assert "Traceback" not in r.stderr
    return r.returncode, r.stdout, r.stderr


@pytest.fixture
def anchored(small_path):
    write(small_path)
    return small_path


def test_every_write_anchors_the_head(anchored):
    con = db.connect(anchored)
    anchor = json.loads(audit.anchor_path(anchored).read_text(encoding="utf-8"))
    top = audit.head(con)
    assert (anchor["seq"], anchor["row_hash"]) == (top["seq"], top["row_hash"])
    assert top["entries"] == con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    result = audit.verify(con)
    con.close()
    assert result["ok"] and result["problem"] is None and result["unanchored"] == 0
    code, out, _ = verify(anchored)
    assert code == 0 and "intact" in out and f"entry {top['seq']}" in out


def test_editing_one_row_by_hand_fails_and_names_the_row(anchored):
    con = db.connect(anchored)
    seq = con.execute("SELECT min(seq) + 2 FROM audit_log").fetchone()[0]
    con.execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = ?", [seq])
    con.close()
    code, _, err = verify(anchored)
    assert code == 1 and f"entry {seq} does not hash" in err
    con = db.connect(anchored, read_only=True)
    assert audit.verify(con)["problem"] == "broken" and audit.verify(con)["seq"] == seq
    con.close()


def test_deleting_the_last_entry_is_detected(anchored):
    con = db.connect(anchored)
    last = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    assert audit.verify_chain(con) == (True, None)
    con.execute("DELETE FROM audit_log WHERE seq = ?", [last])
    assert audit.verify_chain(con) == (True, None)  # the chain alone cannot see it
    con.close()
    code, _, err = verify(anchored)
    assert code == 1 and f"anchored entry {last} is gone" in err


def test_rewriting_the_whole_chain_is_detected(anchored):
    con = db.connect(anchored)
    rows = con.execute(
        "SELECT seq, logged_at, actor, action, detail FROM audit_log ORDER BY seq"
    ).fetchall()
    prev = audit.GENESIS
    for seq, at, actor, action, detail in rows:  # a forger recomputing every hash
        actor = "forger" if action == "test.step" else actor
        h = audit._row_hash(prev, at, actor, action, detail)
        con.execute(
            "UPDATE audit_log SET actor = ?, prev_hash = ?, row_hash = ? WHERE seq = ?",
            [actor, prev, h, seq],
        )
        prev = h
    assert audit.verify_chain(con) == (True, None)  # a consistent chain...
    last = rows[-1][0]
    con.close()
    code, _, err = verify(anchored)  # ...that the anchor gives away
    assert code == 1 and f"entry {last} no longer has the anchored hash" in err


def test_a_missing_anchor_is_reported_and_can_be_set_once_checked(small_path):
    assert not audit.anchor_path(small_path).exists()  # a copy of the file alone
    code, _, err = verify(small_path)
    assert code == 1 and "no anchor file" in err
    r = cli("audit", "anchor", "--db", str(small_path))
    assert r.returncode == 0, r.stderr
    assert verify(small_path)[0] == 0
    r = cli("audit", "head", "--json", "--db", str(small_path))
    head = json.loads(r.stdout)
    assert head["entries"] >= 1 and len(head["row_hash"]) == 64


def test_a_write_outside_the_write_path_shows_as_unanchored(anchored):
    con = db.connect(anchored)
    audit.record(con, "legacy", "old.style", {})
    result = audit.verify(con)
    con.close()
    assert result["ok"] and result["unanchored"] == 1
    code, out, _ = verify(anchored)
    assert code == 0 and "1 later entries" in out


def test_verify_in_chinese(anchored, monkeypatch):
    monkeypatch.setenv("SUICHA_LANG", "zh")
    con = db.connect(anchored)
    con.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    con.close()
    code, _, err = verify(anchored)
    assert code == 1 and "审计日志末尾被删除" in err


def test_about_page_shows_the_chain_state_to_administrators(app_env, anchored):
    from tests.apptest_helpers import run_app

    app_env(anchored)
    at = run_app(page="views/about.py", role="admin", lang="en")
    assert not at.exception
    assert "The audit trail holds" in at.success[0].value
    at = run_app(page="views/about.py", role="leadership", lang="en")
    assert not at.exception and not any("audit trail" in s.value for s in at.success)
    con = db.connect(anchored)
    con.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    con.close()
    at = run_app(page="views/about.py", role="admin", lang="zh")
    assert not at.exception
    assert "审计日志末尾被删除" in at.error[0].value
