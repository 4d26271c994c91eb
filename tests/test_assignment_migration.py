"""Migration 5: a file whose assignments table predates replacements' changed_by/changed_at (such
files were written during development) gets the two columns on a read-write open, keeping every
row; opened read-only before that, the Assignments page's replacement list still reads."""

from __future__ import annotations

from core import db, migrations
from core.assignment import report


def columns(con, table):
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608


def test_old_assignments_table_gains_the_replacement_columns(small_path):
    con = db.connect(small_path)
    con.execute(
        "INSERT INTO visits (visit_id, year, uscc, window_start, window_end, n_plans, n_tasks, "
        "departments) SELECT 'V-old', 2026, uscc, '2026-03-01', '2026-03-31', 1, 1, ['D'] "
        "FROM targets ORDER BY uscc LIMIT 1"
    )
    con.execute(
        "INSERT INTO assignments (visit_id, inspector_id, dept_code, role, rank, active, "
        "replaced_by, reason) VALUES ('V-old', 'I-1', 'D', 'lead', 1, false, 'I-2', '病假'), "
        "('V-old', 'I-2', 'D', 'lead', 2, true, NULL, 'replaces I-1: 病假')"
    )
    con.execute("ALTER TABLE assignments DROP COLUMN changed_at")
    con.execute("ALTER TABLE assignments DROP COLUMN changed_by")
    db.set_meta(con, db.SCHEMA_META, "4")
    con.close()

    ro = db.connect(small_path, read_only=True)  # not migrated: the page still reads
    listed = report.replacements(ro, 2026)
    assert listed[["replaced", "replacement", "reason"]].values.tolist() == [["I-1", "I-2", "病假"]]
    assert listed["changed_by"].isna().all()
    ro.close()

    con = db.connect(small_path)  # migrates
    assert db.schema_version(con) == migrations.SCHEMA_VERSION >= 5
    assert columns(con, "assignments")[-2:] == ["changed_by", "changed_at"]
    rows = con.execute(
        "SELECT inspector_id, active, replaced_by, reason, changed_by, changed_at "
        "FROM assignments WHERE visit_id = 'V-old' ORDER BY rank"
    ).fetchall()
    assert rows == [("I-1", False, "I-2", "病假", None, None),
                    ("I-2", True, None, "replaces I-1: 病假", None, None)]  # fmt: skip
    steps = con.execute(
        "SELECT detail FROM audit_log WHERE action = 'schema.migrate' ORDER BY rowid DESC LIMIT 1"
    ).fetchone()[0]
    assert "assignments.changed_by/changed_at" in steps
    con.close()
