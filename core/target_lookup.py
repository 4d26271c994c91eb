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

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from core import db
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


# How rows_of finds the targets: the rows the table proposes, materialised before their codes
# are checked (checked inside the scan, DuckDB would compare every target's code: the cost the
# table avoids); or, when a code is not found that way, a semi-join on the code.
_FOUND = {
    "position": """found AS MATERIALIZED (
        WITH proposed AS MATERIALIZED (
            SELECT t.rowid AS _row, t.uscc{cols} FROM targets t
            WHERE t.rowid IN (SELECT rid FROM target_lookup
                              WHERE code_key IN (SELECT hash(uscc) FROM codes)))
        SELECT * FROM proposed WHERE uscc IN (SELECT uscc FROM codes))""",
    "code": """found AS MATERIALIZED (
        SELECT t.rowid AS _row, t.uscc{cols} FROM targets t
        WHERE t.uscc IN (SELECT uscc FROM codes))""",
}
# ... and their risk rows: at the same position (risk's rowid = targets' + {shift}), kept when
# they carry the same code; or, when some are not there, joined on the code.
_RISK = {
    "position": """, risk_rows AS MATERIALIZED (
        SELECT rowid - {shift} AS _row, uscc{risk} FROM risk
        WHERE rowid IN (SELECT _row + {shift} FROM found))""",
    "code": """, risk_rows AS MATERIALIZED (
        SELECT f._row, r.uscc{risk} FROM found f JOIN risk r USING (uscc))""",
}


def rows_of(
    con: Connection, codes_sql: str, params: Any = None, columns: tuple[str, ...] = (),
    risk: tuple[str, ...] = (),
) -> pa.Table:  # fmt: skip
    """Targets' `columns` and risk's `risk` columns (with `uscc` and `_row`, the target's rowid)
    for the codes `codes_sql` selects (a query with a column uscc), read by position: some
    100,000 targets out of millions without a scan of the code column. What the positions miss
    (a stale table, risk out of targets' order, a code not in targets, a target without a risk
    row) is read again by the code, so the answer is always the join's; NULL risk columns for a
    target without a risk row. An Arrow table: callers join it in SQL (db.registered), no
    pandas copy of 100,000 codes on the way."""
    codes = f"SELECT DISTINCT uscc FROM ({codes_sql}) WHERE uscc IS NOT NULL"  # noqa: S608
    shift = int(
        con.execute(
            "SELECT coalesce((SELECT rowid FROM risk LIMIT 1), 0)"
            " - coalesce((SELECT rowid FROM targets LIMIT 1), 0)"
        ).fetchall()[0][0]
    )  # a literal in the SQL: a subquery there would stop DuckDB reading risk by rowid
    fill = {"cols": "".join(f", t.{c}" for c in columns), "shift": str(shift),
            "risk": "".join(f", {c}" for c in risk)}  # fmt: skip

    def read(found: str, at: str) -> pa.Table:
        ctes = _FOUND[found] + (_RISK[at] if risk else "")
        for key, value in fill.items():
            ctes = ctes.replace("{" + key + "}", value)
        risk_cols = "".join(f", k.{c}" for c in risk)
        joined = " LEFT JOIN risk_rows k ON k._row = f._row AND k.uscc = f.uscc" if risk else ""
        missing = "k.uscc IS NULL" if risk else "FALSE"  # a window's count here costs seconds
        return db.arrow(
            con,
            f"""
            WITH codes AS MATERIALIZED ({codes}), {ctes}
            SELECT f.*{risk_cols},
                   (SELECT count(*) FROM codes) - (SELECT count(DISTINCT uscc) FROM found)
                       AS _codes_missed,
                   {missing} AS _risk_missed
            FROM found f{joined}
            """,  # noqa: S608 (constants of this module and the caller's fixed SQL)
            params,
        )

    found, at = "position", "position"
    while True:
        rows = read(found, at)
        if rows.num_rows == 0:  # no target found: was any asked for?
            missed = con.execute(f"SELECT count(*) FROM ({codes})", params).fetchall()[0][0]  # noqa: S608
            codes_missed, risk_missed = missed, 0
        else:
            codes_missed = rows.column("_codes_missed")[0].as_py()
            risk_missed = pc.any(rows.column("_risk_missed")).as_py()
        again = ("code" if codes_missed else found, "code" if risk_missed else at)
        if again == (found, at):
            return rows.drop_columns(["_codes_missed", "_risk_missed"])
        found, at = again
