"""The demo dataset's assigned campaign: a few declared conflicts (marked as demo data) so that
the Assignments page has recusal hits to show, then the assignment itself. Deterministic: the
conflicts are the first inspectors drawn for the first visits in the rule's order."""

from __future__ import annotations

from core.assignment import conflicts, run
from core.db import Connection

DEMO_CONFLICTS = 12
DEMO_REASON = "演示数据:近亲属在该企业任职"


def assign_demo_campaign(
    con: Connection, year: int, actor: str, n_conflicts: int = DEMO_CONFLICTS
) -> run.AssignmentResult:
    """Assign `year`, declare `n_conflicts` demo conflicts for inspectors the run drew, and
    assign again, so the saved run shows them as recusal hits."""
    first = run.compute_assignment(con, year)
    picks = first.assignments.drop_duplicates("visit_id").head(n_conflicts)
    uscc = dict(
        con.execute(
            "SELECT visit_id, uscc FROM visits WHERE list_contains(?, visit_id)",
            [picks["visit_id"].tolist()],
        ).fetchall()
    )
    declared = {
        (r[0], r[1])
        for r in con.execute("SELECT inspector_id, uscc FROM inspector_conflicts").fetchall()
    }
    for visit_id, inspector_id in zip(picks["visit_id"], picks["inspector_id"], strict=True):
        if (inspector_id, uscc[visit_id]) not in declared:
            conflicts.add_conflict(con, inspector_id, uscc[visit_id], DEMO_REASON, actor)
    return run.assign_campaign(con, year, actor)
