"""Manual replacement (illness, a recusal found later): the assigned inspector steps down with a
reason, and the next eligible inspector of the same department in the same order (the run's
seed, the visit id) takes the place, skipping anyone already on the visit (now or before),
anyone recused and anyone at the cap. Logged with who and when, audited."""

from __future__ import annotations

from datetime import datetime

from core.assignment import inputs, rule
from core.db import Connection
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work


def next_eligible(con: Connection, visit_id: str, dept_code: str) -> tuple[str, int] | None:
    """(inspector_id, rank) of the first eligible inspector for the department at the visit who
    is below the cap and has never been on the visit; None if there is none. Reads only."""
    year, seed = con.execute(
        """
        SELECT v.year, r.seed FROM visits v JOIN assignment_runs r USING (year)
        WHERE v.visit_id = ?
        """,
        [visit_id],
    ).fetchone() or (None, None)
    if seed is None:
        return None
    inputs.load(con, year, [visit_id])
    k = rule.key_sql("$seed", "s.visit_id", "i.inspector_id")
    row = con.execute(
        f"""
        WITH load AS (
            SELECT a.inspector_id, count(*) AS n
            FROM assignments a JOIN visits v USING (visit_id)
            WHERE a.active AND v.year = $year GROUP BY 1
        ), ordered AS (
            SELECT i.inspector_id, i.cap, {k} AS k, r.rule
            FROM a_slots s JOIN a_members m USING (g_no) JOIN a_insp i USING (i_no)
                 LEFT JOIN a_recused r ON r.inspector_id = i.inspector_id AND r.uscc = s.uscc
            WHERE s.in_area AND s.dept_code = $dept
        ), eligible AS (
            SELECT *, row_number() OVER (ORDER BY k, inspector_id) AS rank
            FROM ordered WHERE rule IS NULL
        )
        SELECT e.inspector_id, e.rank
        FROM eligible e LEFT JOIN load l USING (inspector_id)
        WHERE coalesce(l.n, 0) < e.cap
          AND e.inspector_id NOT IN (SELECT inspector_id FROM assignments WHERE visit_id = $visit)
        ORDER BY e.rank LIMIT 1
        """,  # noqa: S608 (fixed fragments)
        {"seed": seed, "year": year, "dept": dept_code, "visit": visit_id},
    ).fetchone()
    return (row[0], int(row[1])) if row else None


def replace_inspector(
    con: Connection, visit_id: str, inspector_id: str, reason: str, actor: str
) -> str:
    """Replace `inspector_id` on `visit_id` by the next eligible inspector; returns the new id."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("assign.reason_required")
    detail = {"visit_id": visit_id, "replaced": inspector_id, "reason": reason}
    with unit_of_work(con, actor, "assignment.replace", detail):
        row = con.execute(
            "SELECT dept_code, role, run_id FROM assignments "
            "WHERE visit_id = ? AND inspector_id = ? AND active",
            [visit_id, inspector_id],
        ).fetchone()
        if row is None:
            raise Refused("assign.not_assigned", inspector=inspector_id, visit=visit_id)
        dept, role, run_id = row
        found = next_eligible(con, visit_id, dept)
        if found is None:
            raise Refused("assign.no_replacement", visit=visit_id, dept=dept)
        new_id, rank = found
        now = datetime.now(TZ).isoformat(timespec="seconds")
        con.execute(
            "UPDATE assignments SET active = false, replaced_by = ?, reason = ?, changed_by = ?, "
            "changed_at = ? WHERE visit_id = ? AND inspector_id = ? AND active",
            [new_id, reason, actor, now, visit_id, inspector_id],
        )
        con.execute(
            "INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?, true, NULL, ?, ?, ?)",
            [visit_id, new_id, dept, role, rank, run_id, now, f"replaces {inspector_id}: {reason}",
             actor, now],
        )  # fmt: skip
        detail.update({"replacement": new_id, "rank": rank, "dept_code": dept})
    return new_id
