"""Point lookups by USCC in milliseconds over 6.43 M targets, without an index.

A full scan of the code column takes 110-350 ms; an ART index on it took 9.5 s to build and
324 MB of file at full scale. Instead `target_lookup` holds (hash(uscc), rowid) sorted by the
hash (1.5 s, 62 MB): DuckDB's zone maps narrow `code_key = hash(?)` to one row group and the
rowid filter fetches the target directly (1-10 ms).

The table only proposes rowids. Every candidate is checked against the code in `targets`, and a
code it does not find is looked up by a scan, so a stale table (an import since it was built, a
checkpoint that moved rowids, another DuckDB version's hash) costs time, never a wrong answer.
"""

from __future__ import annotations

from core.db import Connection

TABLE = "target_lookup"


def refresh(con: Connection) -> int:
    """Rebuild the table from the targets as they are now (a writer calls it after changing
    targets, inside its transaction); returns the row count."""
    con.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (constant)
    con.execute(
        f"INSERT INTO {TABLE} SELECT hash(uscc), rowid FROM targets ORDER BY 1"  # noqa: S608 (constant)
    )
    return int(con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0])  # noqa: S608


def fill_if_empty(con: Connection) -> int:
    """Create and fill the table for a file written before it existed (a migration step);
    returns the rows written (0 when it was already filled or there are no targets)."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (code_key UBIGINT NOT NULL, rid BIGINT NOT NULL)"
    )
    filled = con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()[0][0]  # noqa: S608
    targets = con.execute("SELECT count(*) FROM targets").fetchall()[0][0]
    return 0 if filled or not targets else refresh(con)


def rowid_condition(code_param: str = "?") -> str:
    """A condition on targets that is true for the rows the table proposes for one code: AND it
    with `uscc = ?` (the check), and fall back to `uscc = ?` alone when nothing matches."""
    return f"rowid IN (SELECT rid FROM {TABLE} WHERE code_key = hash({code_param}))"  # noqa: S608


def rowids(con: Connection, codes: list[str]) -> dict[str, int]:
    """{code: rowid} for the codes found in targets: the table's proposals, checked against
    targets, then one scan for the codes it missed (none when the table is fresh)."""
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    found = dict(
        con.execute(
            f"""
            SELECT t.uscc, t.rowid FROM targets t
            WHERE t.rowid IN (SELECT rid FROM {TABLE}
                              WHERE code_key IN (SELECT hash(unnest(?::VARCHAR[]))))
              AND t.uscc IN (SELECT unnest(?::VARCHAR[]))
            """,  # noqa: S608 (constant)
            [codes, codes],
        ).fetchall()
    )
    missing = [c for c in codes if c not in found]
    if missing:
        found.update(
            con.execute(
                "SELECT uscc, rowid FROM targets WHERE uscc IN (SELECT unnest(?::VARCHAR[]))",
                [missing],
            ).fetchall()
        )
    return found
