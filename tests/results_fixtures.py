"""A committed, merged and assigned campaign for the results tests.

The assignment engine belongs to the assign helper (core.assignment.assign_campaign); until it is
on main, `assign` falls back to a stand-in that writes the contract's assignments table: the
first two active inspectors of the visit's departments, the first of them the lead."""

from __future__ import annotations

from core import merge
from tests.merge_fixtures import commit_campaign

YEAR = 2026

ASSIGNMENTS_DDL = """
CREATE TABLE IF NOT EXISTS assignments (
    visit_id VARCHAR NOT NULL, inspector_id VARCHAR NOT NULL, dept_code VARCHAR NOT NULL,
    role VARCHAR NOT NULL, rank INTEGER NOT NULL, run_id VARCHAR NOT NULL,
    assigned_at VARCHAR NOT NULL, active BOOLEAN NOT NULL, replaced_by VARCHAR, reason VARCHAR)
"""


def assign(con, year: int = YEAR) -> None:
    try:
        from core.assignment import assign_campaign
    except ImportError:
        assign_campaign = None
    if assign_campaign is not None:
        assign_campaign(con, year, "test")
        return
    con.execute(ASSIGNMENTS_DDL)
    con.execute(
        """
        INSERT INTO assignments (visit_id, inspector_id, dept_code, role, rank, run_id,
                                 assigned_at, active)
        WITH cand AS (
            SELECT v.visit_id, i.inspector_id, i.dept_code,
                   row_number() OVER (PARTITION BY v.visit_id ORDER BY i.inspector_id) AS rk
            FROM visits v, unnest(v.departments) AS u(dept_code)
            JOIN inspectors i ON i.dept_code = u.dept_code AND i.active
            WHERE v.year = ?)
        SELECT visit_id, inspector_id, dept_code, CASE WHEN rk = 1 THEN 'lead' ELSE 'member' END,
               rk, 'stand-in', '2026-01-01T09:00:00+08:00', TRUE
        FROM cand WHERE rk <= 2
        """,
        [year],
    )


def assigned_campaign(con, year: int = YEAR, seed: str = "results-test") -> None:
    """Commit the campaign's draw, merge it into visits and assign inspectors."""
    commit_campaign(con, year, seed)
    merge.merge_campaign(con, year, "test")
    assign(con, year)


def inspector_user(con, inspector_id: str) -> dict:
    """The signed-in user of an inspector (the session dict ui.current_user() returns)."""
    dept = con.execute(
        "SELECT dept_code FROM inspectors WHERE inspector_id = ?", [inspector_id]
    ).fetchone()[0]
    return {"user_id": f"u-{inspector_id.lower()}", "display_name": inspector_id,
            "role": "inspector",
            "dept_code": dept, "inspector_id": inspector_id}  # fmt: skip


def reviewer_user(dept_code: str) -> dict:
    return {"user_id": f"r-{dept_code.lower()}", "display_name": "reviewer", "role": "reviewer",
            "dept_code": dept_code, "inspector_id": None}  # fmt: skip
