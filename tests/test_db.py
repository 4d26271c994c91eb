"""Schema creation, data_version, transactions, content hashes and the audit chain."""

import pytest

from core import audit, db


def test_schema_is_idempotent(tmp_path):
    path = tmp_path / "x.duckdb"
    con = db.connect(path)
    db.ensure_schema(con)
    db.ensure_schema(con)
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"departments", "items", "targets", "inspectors", "plans", "plan_items",
            "plan_depts", "meta", "audit_log"} <= tables  # fmt: skip
    assert db.data_version(con) == 0
    con.close()
    con = db.connect(path)  # reopening keeps the version
    assert db.data_version(con) == 0
    con.close()


def test_data_version_bumps(tmp_path):
    con = db.connect(tmp_path / "v.duckdb")
    assert [db.bump_data_version(con) for _ in range(3)] == [1, 2, 3]
    assert db.data_version(con) == 3


def test_transaction_rolls_back_on_error(tmp_path):
    con = db.connect(tmp_path / "t.duckdb")
    con.execute("INSERT INTO industries VALUES ('0000', 'a', 'a', '00', 'a')")
    before = db.content_hash(con, "industries")
    with pytest.raises(RuntimeError), db.transaction(con):
        con.execute("INSERT INTO industries VALUES ('0001', 'b', 'b', '00', 'b')")
        db.bump_data_version(con)
        raise RuntimeError("boom")
    assert db.content_hash(con, "industries") == before
    assert db.data_version(con) == 0
    with db.transaction(con):
        con.execute("INSERT INTO industries VALUES ('0001', 'b', 'b', '00', 'b')")
    assert db.content_hash(con, "industries") != before


def test_content_hash_sees_doubled_and_changed_rows(tmp_path):
    con = db.connect(tmp_path / "h.duckdb")
    con.execute("INSERT INTO industries VALUES ('0000', 'a', 'a', '00', 'a')")
    one = db.content_hash(con, "industries")
    con.execute("CREATE TABLE copy AS SELECT * FROM industries")
    con.execute("INSERT INTO copy SELECT * FROM industries")
    assert db.content_hash(con, "copy") != one
    con.execute("UPDATE industries SET name = 'b'")
    assert db.content_hash(con, "industries") != one
    with pytest.raises(ValueError):
        db.content_hash(con, "industries; DROP TABLE items")


def test_audit_chain_detects_tampering(tmp_path):
    con = db.connect(tmp_path / "a.duckdb")
    for i in range(3):
        audit.record(con, "tester", "step", {"i": i, "名": "测试"})
    assert audit.verify_chain(con) == (True, None)
    con.execute("UPDATE audit_log SET detail = '{\"i\": 9}' WHERE seq = 2")
    assert audit.verify_chain(con) == (False, 2)


def test_default_path_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SUICHA_DB", str(tmp_path / "env.duckdb"))
    assert db.default_db_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv("SUICHA_DB")
    assert db.default_db_path().name == "suicha.duckdb"


def test_reconnecting_writes_nothing(small_path):
    """Every schema file is idempotent without writing: opening a built database and closing it
    leaves the file byte for byte as it was (a refused command must change nothing)."""
    before = small_path.read_bytes()
    for _ in range(2):
        db.connect(small_path).close()
    assert small_path.read_bytes() == before
