"""Numbered schema migrations: how a database file written by an earlier release is brought up
to this code's schema without losing a row.

The schema version lives in meta ('schema_version'). A file without it was written before
versions existed: version 1 (the schema files kept in tests/fixtures/schema_v1). On connect,
core/db.py runs every step newer than the file's version, then the schema files (CREATE ... IF
NOT EXISTS: new tables), then records the new version: all in one unit of work (one
transaction, one audit entry), so a failure leaves the file as it was. A file newer than the
code is refused. A fresh file is built from the schema files and stamped with SCHEMA_VERSION.

To change an existing table: add a step here (next number, a function of the connection that is
safe on a file that already has the change), and change its schema file to the new shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.db import Connection


@dataclass(frozen=True)
class Step:
    version: int  # the schema version this step brings the file to
    name: str
    apply: Callable[[Connection], None]


def _has_table(con: Connection, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchone()[0]
    )


def _visits_kind(con: Connection) -> None:
    """visits.kind ('onsite' | 'desk') came with the desk-check split of the merge; visits merged
    before it were all counted as door-knocking visits."""
    if _has_table(con, "visits"):
        con.execute("ALTER TABLE visits ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'onsite'")
        con.execute("UPDATE visits SET kind = 'onsite' WHERE kind IS NULL")


def _stable_visit_ids(con: Connection) -> None:
    """Visit ids were V<year>-<uscc>-<n> (n counting the target's windows, so a re-merge could
    renumber them); they are now V<year>-<uscc>-<window_start as YYYYMMDD>, derived from what
    the visit is. Rewrite old ids in visits and visit_tasks alike (nothing else referred to
    visits before this version)."""
    if not (_has_table(con, "visits") and _has_table(con, "visit_tasks")):
        return
    con.execute(
        """
        CREATE TEMP TABLE _visit_ids AS
        SELECT visit_id AS old_id,
               'V' || year || '-' || uscc || '-' || strftime(window_start, '%Y%m%d') AS new_id
        FROM visits
        WHERE visit_id <> 'V' || year || '-' || uscc || '-' || strftime(window_start, '%Y%m%d')
        """
    )
    try:
        con.execute(
            "UPDATE visit_tasks SET visit_id = m.new_id FROM _visit_ids m "
            "WHERE visit_tasks.visit_id = m.old_id"
        )
        con.execute(
            "UPDATE visits SET visit_id = m.new_id FROM _visit_ids m "
            "WHERE visits.visit_id = m.old_id"
        )
    finally:
        con.execute("DROP TABLE _visit_ids")


def _target_lookup(con: Connection) -> None:
    """The code lookup table (core/target_lookup.py) came with the speed issue: a file written
    before it gets the table filled from its targets, so codes are found in milliseconds at
    once (the schema file alone would leave it empty, and every lookup would scan)."""
    from core import target_lookup

    if _has_table(con, "targets"):
        target_lookup.fill_if_empty(con)


def _assignment_changes(con: Connection) -> None:
    """assignments.changed_by and changed_at (who made a replacement, and when) came with manual
    replacement; a file whose assignments table predates them gets the two columns, empty (no
    replacement was recorded there), at the end as in the schema file."""
    if _has_table(con, "assignments"):
        con.execute("ALTER TABLE assignments ADD COLUMN IF NOT EXISTS changed_by VARCHAR")
        con.execute("ALTER TABLE assignments ADD COLUMN IF NOT EXISTS changed_at VARCHAR")


STEPS: tuple[Step, ...] = (
    Step(2, "visits.kind", _visits_kind),
    Step(3, "stable visit ids", _stable_visit_ids),
    Step(4, "target lookup filled", _target_lookup),
    Step(5, "assignments.changed_by/changed_at", _assignment_changes),
)
SCHEMA_VERSION = STEPS[-1].version if STEPS else 1


def pending(version: int) -> list[Step]:
    """The steps a file at `version` still needs, in order."""
    return [s for s in STEPS if s.version > version]
