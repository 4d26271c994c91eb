"""Who sees which visits: an inspector their own, a reviewer those of their department.

Every function here takes the signed-in user (ui.current_user(): user_id, role, dept_code,
inspector_id) and reads the inspector id from it, never from a separate argument, so no page
widget, URL or query parameter can ask for another inspector's visits. A visit that is not the
user's is refused exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.db import Connection
from core.refusal import Refused

MY_VISIT_COLUMNS = [
    "visit_id", "year", "kind", "uscc", "enterprise_name", "district", "street", "window_start",
    "window_end", "my_role", "co_inspectors", "departments", "n_tasks", "status", "simulated",
]  # fmt: skip
TASK_COLUMNS = [
    "plan_id", "plan_name", "item_code", "item_name", "content", "legal_basis", "method",
    "dept_code", "dept_name", "outcomes", "note", "completed_on", "simulated",
]  # fmt: skip


def _dates(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """DATE columns as dates (DuckDB's .df() gives timestamps, shown with a time of day)."""
    for c in columns:
        df[c] = pd.to_datetime(df[c]).dt.date
    return df


def has_assignments(con: Connection) -> bool:
    """The assignment tables exist (the assignment issue's schema)."""
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'assignments'"
        ).fetchone()[0]
    )


def inspector_of(user: dict[str, Any] | None) -> str:
    """The signed-in user's inspector id; refused for anyone not linked to an inspector."""
    inspector = (user or {}).get("inspector_id")
    if not inspector:
        raise Refused("results.no_inspector")
    return str(inspector)


def is_assigned(con: Connection, user: dict[str, Any] | None, visit_id: str) -> bool:
    inspector = inspector_of(user)
    if not has_assignments(con):
        return False
    row = con.execute(
        "SELECT count(*) FROM assignments WHERE active AND inspector_id = ? AND visit_id = ?",
        [inspector, visit_id],
    ).fetchone()
    return bool(row[0])


def require_assigned(con: Connection, user: dict[str, Any] | None, visit_id: str) -> str:
    """The user's inspector id if they are an active inspector of the visit; else refused (the
    same refusal whether the visit exists or not)."""
    if not is_assigned(con, user, visit_id):
        raise Refused("results.not_assigned", visit_id=visit_id)
    return inspector_of(user)


# A visit is a desk check when every item of every task is off-site (互联网+监管).
_VISITS_SQL = """
WITH mine AS (
    SELECT visit_id, min(role) AS my_role FROM assignments
    WHERE active AND inspector_id = $inspector GROUP BY visit_id),
kinds AS (
    SELECT t.visit_id, CASE WHEN bool_and(i.method = 'offsite') THEN 'desk' ELSE 'onsite' END
           AS kind
    FROM visit_tasks t JOIN mine USING (visit_id) JOIN items i USING (item_code)
    GROUP BY t.visit_id),
co AS (
    SELECT a.visit_id, string_agg(ins.name, '、' ORDER BY a.role, ins.name) AS co_inspectors
    FROM assignments a JOIN mine USING (visit_id)
    JOIN inspectors ins USING (inspector_id)
    WHERE a.active AND a.inspector_id <> $inspector GROUP BY a.visit_id),
names AS (
    SELECT v.visit_id, string_agg(d.name, '、' ORDER BY d.dept_code) AS departments
    FROM visits v JOIN mine USING (visit_id), unnest(v.departments) AS u(dept_code)
    JOIN departments d ON d.dept_code = u.dept_code
    GROUP BY v.visit_id)
SELECT v.visit_id, v.year, coalesce(k.kind, 'onsite') AS kind, v.uscc,
       t.name AS enterprise_name, t.district, t.street, v.window_start, v.window_end,
       m.my_role, coalesce(co.co_inspectors, '') AS co_inspectors,
       coalesce(n.departments, '') AS departments, v.n_tasks,
       coalesce(s.status, 'pending') AS status, coalesce(s.simulated, FALSE) AS simulated
FROM visits v JOIN mine m USING (visit_id)
LEFT JOIN kinds k USING (visit_id) LEFT JOIN co USING (visit_id) LEFT JOIN names n USING (visit_id)
LEFT JOIN visit_status s USING (visit_id)
LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name, district, street FROM targets
           WHERE uscc IN (SELECT uscc FROM visits JOIN mine USING (visit_id))) t USING (uscc)
ORDER BY v.window_end, v.visit_id
"""


def my_visits(con: Connection, user: dict[str, Any] | None) -> pd.DataFrame:
    """The signed-in inspector's visits (active assignments only), one row each."""
    inspector = inspector_of(user)
    if not has_assignments(con):
        return pd.DataFrame(columns=MY_VISIT_COLUMNS)
    df = con.execute(_VISITS_SQL, {"inspector": inspector}).df()[MY_VISIT_COLUMNS]
    return _dates(df, "window_start", "window_end")


_TASKS_SQL = """
SELECT t.plan_id, p.name AS plan_name, t.item_code, i.name AS item_name, i.content,
       i.legal_basis, i.method, t.dept_code, d.name AS dept_name,
       coalesce(r.outcomes, []::VARCHAR[]) AS outcomes, coalesce(r.note, '') AS note,
       r.completed_on, coalesce(r.simulated, FALSE) AS simulated
FROM visit_tasks t
LEFT JOIN plans p USING (plan_id) LEFT JOIN items i USING (item_code)
LEFT JOIN departments d ON d.dept_code = t.dept_code
LEFT JOIN results r USING (visit_id, plan_id, item_code)
WHERE t.visit_id = ?
ORDER BY t.plan_id, t.item_code
"""


def visit_tasks(con: Connection, visit_id: str) -> pd.DataFrame:
    """A visit's tasks with their items and current results (no access check: callers check)."""
    return _dates(con.execute(_TASKS_SQL, [visit_id]).df()[TASK_COLUMNS], "completed_on")


def my_visit_tasks(con: Connection, user: dict[str, Any] | None, visit_id: str) -> pd.DataFrame:
    """The tasks of one of the signed-in inspector's visits; refused for anyone else's."""
    require_assigned(con, user, visit_id)
    return visit_tasks(con, visit_id)


REVIEW_COLUMNS = ["visit_id", "year", "kind", "uscc", "enterprise_name", "window_end",
                  "n_tasks", "status", "simulated"]  # fmt: skip


def review_queue(con: Connection, user: dict[str, Any] | None, status: str = "review"):
    """Visits with `status` that involve the reviewer's department."""
    dept = (user or {}).get("dept_code")
    if not dept:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    df = con.execute(
        """
        SELECT v.visit_id, v.year,
               CASE WHEN (SELECT bool_and(i.method = 'offsite') FROM visit_tasks t
                          JOIN items i USING (item_code) WHERE t.visit_id = v.visit_id)
                    THEN 'desk' ELSE 'onsite' END AS kind,
               v.uscc, (SELECT min(name) FROM targets WHERE uscc = v.uscc) AS enterprise_name,
               v.window_end, v.n_tasks, s.status, s.simulated
        FROM visits v JOIN visit_status s USING (visit_id)
        WHERE s.status = ? AND list_contains(v.departments, ?)
        ORDER BY v.window_end, v.visit_id
        """,
        [status, dept],
    ).df()[REVIEW_COLUMNS]
    return _dates(df, "window_end")


def department_status_counts(con: Connection, user: dict[str, Any] | None) -> pd.DataFrame:
    """How many of the reviewer's department's visits are in each status."""
    dept = (user or {}).get("dept_code")
    if not dept:
        return pd.DataFrame(columns=["status", "visits"])
    return con.execute(
        """
        SELECT coalesce(s.status, 'pending') AS status, count(*) AS visits
        FROM visits v LEFT JOIN visit_status s USING (visit_id)
        WHERE list_contains(v.departments, ?)
        GROUP BY ALL ORDER BY 1
        """,
        [dept],
    ).df()


def review_tasks(con: Connection, user: dict[str, Any] | None, visit_id: str) -> pd.DataFrame:
    """A visit's tasks for its reviewer; refused if the visit is not of their department."""
    dept = (user or {}).get("dept_code")
    row = con.execute(
        "SELECT list_contains(departments, ?) FROM visits WHERE visit_id = ?", [dept, visit_id]
    ).fetchone()
    if not dept or row is None or not row[0]:
        raise Refused("results.not_reviewer", visit_id=visit_id, dept_code=dept or "-")
    return visit_tasks(con, visit_id)


def my_visits_csv(con: Connection, user: dict[str, Any] | None) -> bytes:
    """The signed-in inspector's visits as CSV (UTF-8 with BOM, formula-safe): the same rows as
    my_visits, nothing else."""
    from core.registry_io import csv_bytes, neutralise

    df = my_visits(con, user).astype(str)
    return csv_bytes(df.map(neutralise))
