"""Each department's capacity in inspector-visits per campaign, and how many inspectors a visit
takes from it: the assignment package's definitions, read without needing a merged campaign.

Capacity = active certified inspectors holding a field of the department's items x the
department's per-inspector cap (assignment_caps, '*' default, else the assignment rule's
DEFAULT_CAP), as core.assignment.capacity.department_capacity counts it (that function lists
only departments with visits of a merged campaign, so the same pieces are used here for every
department). A visit takes two inspectors of a department that visits alone and one of each
department of a joint visit (the assignment rule). Without the assignment package or its tables
(an older database file) it falls back to active certified inspectors x the default cap of
core/simulate/settings.py, and says so."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from core.db import Connection
from core.simulate import settings

_QUALIFIED_SQL = """
WITH fields AS (SELECT dept_code, list(DISTINCT field) AS fields FROM items GROUP BY 1),
insp AS (
    SELECT i.dept_code, count(*) AS inspectors
    FROM inspectors i LEFT JOIN fields f USING (dept_code)
    WHERE i.active AND i.certified
      AND (f.fields IS NULL OR len(list_intersect(i.qualifications, f.fields)) > 0)
    GROUP BY 1
)
SELECT d.dept_code, d.name, CAST(coalesce(i.inspectors, 0) AS BIGINT) AS inspectors,
       CAST(c.cap AS BIGINT) AS cap_per_inspector,
       CAST(coalesce(i.inspectors, 0) * c.cap AS BIGINT) AS capacity
FROM departments d JOIN (<caps>) c USING (dept_code) LEFT JOIN insp i USING (dept_code)
ORDER BY d.dept_code
"""

_DEFAULT_SQL = """
SELECT d.dept_code, d.name, count(i.inspector_id)::BIGINT AS inspectors,
       CAST($cap AS BIGINT) AS cap_per_inspector,
       count(i.inspector_id)::BIGINT * $cap AS capacity
FROM departments d
LEFT JOIN inspectors i ON i.dept_code = d.dept_code AND i.active AND i.certified
GROUP BY d.dept_code, d.name ORDER BY d.dept_code
"""

SOLO_INSPECTORS = settings.INSPECTORS_PER_VISIT  # a department visiting alone sends two
JOINT_INSPECTORS = 1  # each department of a joint visit sends one


def plan_need(plan_depts: pd.DataFrame, n_plans: int) -> np.ndarray:
    """(P,) inspectors each department of a plan sends to one of the plan's targets when the plan
    is visited on its own: two for a one-department plan, one each for a joint plan. A merged
    visit can only lower it (another department joins), so it bounds the merged figure."""
    counts = np.bincount(plan_depts["plan"].to_numpy(), minlength=n_plans)
    return np.where(counts > 1, JOINT_INSPECTORS, SOLO_INSPECTORS)


def department_capacity(con: Connection, year: int) -> tuple[pd.DataFrame, str]:
    """(DataFrame(dept_code, name, inspectors, cap_per_inspector, capacity), source) for every
    department; source is 'assignment' or 'default cap'. `year` is the campaign (caps are per
    campaign in the assignment package)."""
    try:
        from core.assignment.inputs import caps_sql

        return con.execute(_QUALIFIED_SQL.replace("<caps>", caps_sql())).df(), "assignment"
    except (ImportError, duckdb.CatalogException):
        df = con.execute(_DEFAULT_SQL, {"cap": settings.DEFAULT_CAP_PER_INSPECTOR}).df()
        return df, "default cap"
