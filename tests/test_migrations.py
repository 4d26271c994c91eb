"""Schema versions and migrations: a file written by the code before versions existed (built here
from the schema files of that release, kept in tests/fixtures/schema_v1, with data, merged visits
under the old ids and a committed, published draw) opens, upgrades in one write, keeps every
row, and its draw still verifies; a file newer than the code is refused; an up-to-date file is
left byte for byte as it was."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from core import audit, db, merge, migrations, publish, verification
from core.refusal import Refused
from tests import draw_reference as ref
from tests.apptest_helpers import ROOT

V1 = ROOT / "tests" / "fixtures" / "schema_v1"


def base_tables(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema = 'main' "
            "AND table_catalog = current_database() ORDER BY 1"
        ).fetchall()
    ]


def columns(con, table: str, catalog: str | None = None) -> list[str]:
    sql = "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
    params = [table]
    if catalog:
        sql += " AND table_catalog = ?"
        params.append(catalog)
    return [r[0] for r in con.execute(sql + " ORDER BY ordinal_position", params).fetchall()]


def write_v1_file(source, target) -> None:
    """`target` as the pre-version code would have left it: the v1 schema files, every v1
    table's rows from `source`, no schema version, visits under the old positional ids."""
    con = duckdb.connect(str(target))
    for sql_file in sorted(V1.glob("*.sql")):
        con.execute(sql_file.read_text(encoding="utf-8"))
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    for table in base_tables(con):
        cols = ", ".join(columns(con, table, "v1"))
        con.execute(f"DELETE FROM {table}")  # noqa: S608 (names from the catalogue)
        if table == "audit_log":  # seq from the file's own sequence, as the old code wrote it
            rest = ", ".join(c for c in columns(con, table, "v1") if c != "seq")
            con.execute(f"INSERT INTO audit_log SELECT nextval('audit_seq'), {rest} "  # noqa: S608
                        "FROM src.audit_log ORDER BY seq")  # fmt: skip
        else:
            con.execute(f"INSERT INTO {table} SELECT {cols} FROM src.{table}")  # noqa: S608
    con.execute(f"DELETE FROM meta WHERE key = '{db.SCHEMA_META}'")  # noqa: S608 (constant)
    old_ids = """
        SELECT visit_id AS new_id, 'V' || year || '-' || uscc || '-'
               || row_number() OVER (PARTITION BY year, uscc ORDER BY window_start) AS old_id
        FROM visits
    """
    con.execute(f"CREATE TEMP TABLE m AS {old_ids}")
    con.execute("UPDATE visit_tasks SET visit_id = m.old_id FROM m WHERE visit_id = m.new_id")
    con.execute("UPDATE visits SET visit_id = m.old_id FROM m WHERE visit_id = m.new_id")
    con.execute("DETACH src")
    con.execute("CHECKPOINT")
    con.close()


@pytest.fixture(scope="module")
def old_and_source(pristine_small, tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrate")
    source = folder / "source.duckdb"
    shutil.copy(pristine_small, source)
    con = db.connect(source)
    records = ref.commit_draws(con, ref.largest_plans(con, 2))
    publish.publish_year(con, 2026, "admin")
    merge.merge_campaign(con, 2026, actor="admin")
    con.execute("CHECKPOINT")
    con.close()
    old = folder / "v1.duckdb"
    write_v1_file(source, old)
    return old, source, records


def test_the_fixture_is_an_old_file(old_and_source):
    old, _, _ = old_and_source
    con = duckdb.connect(str(old), read_only=True)
    assert "kind" not in columns(con, "visits")
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM visits").fetchone()[0] > 0
    assert con.execute("SELECT min(visit_id) FROM visits").fetchone()[0].endswith("-1")
    con.close()


def test_an_old_file_upgrades_without_losing_a_row(old_and_source, tmp_path):
    old, source, records = old_and_source
    path = tmp_path / "old.duckdb"
    shutil.copy(old, path)
    before = duckdb.connect(str(path), read_only=True)
    tables = base_tables(before)
    counts = {t: before.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608
    unchanged = [t for t in tables if t not in ("visits", "visit_tasks", "audit_log", "meta")]
    hashes = {t: db.content_hash(before, t) for t in unchanged}
    before.close()

    con = db.connect(path)  # upgrades
    assert db.schema_version(con) == migrations.SCHEMA_VERSION == 5
    for t in tables:
        n = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        # + the migration's own audit entry, + the schema_version key in meta
        expected = counts[t] + (1 if t in ("audit_log", "meta") else 0)
        assert n == expected, t
    assert {t: db.content_hash(con, t) for t in unchanged} == hashes
    # the visits carry the stable ids a merge by this code gives, and the new column
    src = duckdb.connect(str(source), read_only=True)
    visits_sql = "SELECT visit_id, uscc, window_start, n_tasks, kind FROM visits ORDER BY 1"
    tasks_sql = "SELECT * FROM visit_tasks ORDER BY ALL"
    assert con.execute(visits_sql).fetchall() == src.execute(visits_sql).fetchall()
    assert con.execute(tasks_sql).fetchall() == src.execute(tasks_sql).fetchall()
    src.close()
    # one audited write; the chain still holds
    actor, action = con.execute(
        "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert (actor, action) == ("system", "schema.migrate")
    assert audit.verify_chain(con) == (True, None)
    # every published draw still verifies
    for plan_id in records:
        result = verification.verify_published(con, f"D-{plan_id}")
        assert result["ok"], [c for c in result["checks"] if not c["ok"]]
    con.close()
    # and an up-to-date file is left byte for byte as it was
    upgraded = path.read_bytes()
    db.connect(path).close()
    assert path.read_bytes() == upgraded


def test_a_failed_migration_leaves_the_file_as_it_was(old_and_source, tmp_path, monkeypatch):
    old, _, _ = old_and_source
    path = tmp_path / "old.duckdb"
    shutil.copy(old, path)

    def broken(con):
        con.execute("ALTER TABLE visits ADD COLUMN half_done INTEGER")
        raise RuntimeError("step failed")

    broken_version = migrations.SCHEMA_VERSION + 1
    steps = (*migrations.STEPS, migrations.Step(broken_version, "broken", broken))
    monkeypatch.setattr(migrations, "STEPS", steps)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", broken_version)
    with pytest.raises(RuntimeError):
        db.connect(path)
    con = duckdb.connect(str(path), read_only=True)
    assert "half_done" not in columns(con, "visits") and "kind" not in columns(con, "visits")
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone() == (0,)
    con.close()


def test_a_newer_file_is_refused(small_path):
    con = db.connect(small_path)
    db.set_meta(con, db.SCHEMA_META, str(migrations.SCHEMA_VERSION + 1))
    con.close()
    before = small_path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(Refused) as e:
            db.connect(small_path, read_only=read_only)
        assert e.value.key == "db.too_new"
        assert "newer" in e.value.message("en") and "较新版本" in e.value.message("zh")
    assert small_path.read_bytes() == before


def test_init_builds_the_current_version_from_scratch(small_con):
    assert db.schema_version(small_con) == migrations.SCHEMA_VERSION
    assert "kind" in columns(small_con, "visits")
    actions = [r[0] for r in small_con.execute("SELECT action FROM audit_log").fetchall()]
    assert "schema.migrate" not in actions
