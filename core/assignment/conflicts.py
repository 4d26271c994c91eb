"""Declared conflicts of interest (回避): an inspector is never drawn for a target they declared a
conflict with. Administrators add and withdraw them; every change is audited."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from core import target_lookup
from core.db import Connection
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work


def list_conflicts(con: Connection) -> pd.DataFrame:
    """Every declared conflict with the inspector's department and the target's name (targets
    read by rowid through target_lookup: no scan of the registry)."""
    codes = [c for (c,) in con.execute("SELECT DISTINCT uscc FROM inspector_conflicts").fetchall()]
    rids = list(target_lookup.rowids(con, codes).values())
    return con.execute(
        """
        SELECT c.inspector_id, i.name AS inspector_name, i.dept_code, c.uscc,
               t.name AS target_name, c.reason, c.declared_by, c.declared_at
        FROM inspector_conflicts c LEFT JOIN inspectors i USING (inspector_id)
             LEFT JOIN (SELECT uscc, any_value(name) AS name FROM targets
                        WHERE rowid IN (SELECT unnest(?::BIGINT[])) GROUP BY uscc) t USING (uscc)
        ORDER BY c.declared_at DESC, c.inspector_id, c.uscc
        """,
        [rids],
    ).df()


def _check(con: Connection, inspector_id: str, uscc: str) -> None:
    sql = "SELECT count(*) FROM inspectors WHERE inspector_id = ?"
    if not con.execute(sql, [inspector_id]).fetchone()[0]:
        raise Refused("assign.unknown_inspector", inspector=inspector_id)
    if not target_lookup.rowids(con, [uscc]):  # by rowid in milliseconds, else a scan
        raise Refused("assign.unknown_target", uscc=uscc)


def add_conflict(con: Connection, inspector_id: str, uscc: str, reason: str, actor: str) -> None:
    """Declare that `inspector_id` must never be drawn for the target `uscc`."""
    inspector_id, uscc, reason = inspector_id.strip(), uscc.strip().upper(), reason.strip()
    if not reason:
        raise Refused("assign.reason_required")
    _check(con, inspector_id, uscc)
    detail = {"inspector_id": inspector_id, "uscc": uscc, "reason": reason}
    with unit_of_work(con, actor, "assignment.conflict_add", detail):
        sql = "SELECT count(*) FROM inspector_conflicts WHERE inspector_id = ? AND uscc = ?"
        if con.execute(sql, [inspector_id, uscc]).fetchone()[0]:
            raise Refused("assign.conflict_exists", inspector=inspector_id, uscc=uscc)
        con.execute(
            "INSERT INTO inspector_conflicts VALUES (?, ?, ?, ?, ?)",
            [inspector_id, uscc, reason, actor, datetime.now(TZ).isoformat(timespec="seconds")],
        )


def remove_conflict(con: Connection, inspector_id: str, uscc: str, reason: str, actor: str) -> None:
    """Withdraw a declared conflict (with the reason why), audited."""
    inspector_id, uscc, reason = inspector_id.strip(), uscc.strip().upper(), reason.strip()
    if not reason:
        raise Refused("assign.reason_required")
    detail = {"inspector_id": inspector_id, "uscc": uscc, "reason": reason}
    with unit_of_work(con, actor, "assignment.conflict_remove", detail):
        gone = con.execute(
            "DELETE FROM inspector_conflicts WHERE inspector_id = ? AND uscc = ? RETURNING 1",
            [inspector_id, uscc],
        ).fetchall()
        if not gone:
            raise Refused("assign.no_conflict", inspector=inspector_id, uscc=uscc)
