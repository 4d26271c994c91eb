"""Capacity first (issue 13.1): per department, the campaign's demand (visits x inspectors per
visit) against its capacity (active certified qualified inspectors x the per-inspector cap),
and for a shortfall what would close it, each option's effect computed from the data:

- raise the cap: the cap that makes capacity cover demand (ceil(demand / inspectors));
- borrow: spare capacity of the departments that share a joint plan of the campaign with this
  one, counting only their inspectors qualified in a field of this department's items
  (min(their spare, those inspectors x their cap)), summed;
- defer: the fewest of the department's visits, latest windows first, whose inspector-visits
  add up to the shortfall (they move to the next window or campaign).

Caps are a setting per department (assignment_caps; '*' is the default for every department
without its own row), edited by administrators through the write path."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from core.assignment import rule
from core.assignment.inputs import caps_sql
from core.db import Connection
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work

_DEMAND_SQL = """
    WITH slots AS (   -- one row per department per visit, with the inspectors it sends
        SELECT v.visit_id, v.window_start, u.dept_code,
               CASE WHEN len(v.departments) <= 1 THEN 2 ELSE 1 END AS need,
               coalesce(v.kind, 'onsite') = 'desk' AS desk
        FROM visits v, unnest(v.departments) AS u(dept_code)
        WHERE v.year = $year
    )
"""


def _slots_sql(con: Connection) -> str:
    from core.assignment.inputs import has_column

    if has_column(con, "visits", "kind"):
        return _DEMAND_SQL
    return _DEMAND_SQL.replace("coalesce(v.kind, 'onsite')", "'onsite'")


def _with_slots(con: Connection, body: str) -> str:
    return _slots_sql(con) + body  # noqa: S608 (internal constants)


def department_capacity(con: Connection, year: int) -> pd.DataFrame:
    """Per department with demand or inspectors: dept_code, name, level, inspectors (active,
    certified, holding a field of the department's items), cap_per_inspector, capacity, demand
    (inspector-visits), desk_demand (of which desk checks), visits, shortfall."""
    sql = _with_slots(
        con,
        """
        , fields AS (SELECT dept_code, list(DISTINCT field) AS fields FROM items GROUP BY 1),
        insp AS (
            SELECT i.dept_code, count(*) AS inspectors
            FROM inspectors i LEFT JOIN fields f USING (dept_code)
            WHERE i.active AND i.certified
              AND (f.fields IS NULL OR len(list_intersect(i.qualifications, f.fields)) > 0)
            GROUP BY 1
        ),
        dem AS (
            SELECT dept_code, sum(need) AS demand, sum(CASE WHEN desk THEN need ELSE 0 END)
                   AS desk_demand, count(*) AS visits
            FROM slots GROUP BY 1
        )
        SELECT d.dept_code, d.name, d.level,
               CAST(coalesce(i.inspectors, 0) AS INTEGER) AS inspectors,
               CAST(c.cap AS INTEGER) AS cap_per_inspector,
               CAST(coalesce(i.inspectors, 0) * c.cap AS BIGINT) AS capacity,
               CAST(coalesce(m.demand, 0) AS BIGINT) AS demand,
               CAST(coalesce(m.desk_demand, 0) AS BIGINT) AS desk_demand,
               CAST(coalesce(m.visits, 0) AS BIGINT) AS visits,
               CAST(greatest(coalesce(m.demand, 0) - coalesce(i.inspectors, 0) * c.cap, 0)
                    AS BIGINT) AS shortfall
        FROM departments d JOIN (<caps>) c USING (dept_code)
             LEFT JOIN insp i USING (dept_code) LEFT JOIN dem m USING (dept_code)
        WHERE m.demand IS NOT NULL
        ORDER BY shortfall DESC, demand DESC, d.dept_code
        """.replace("<caps>", caps_sql(con)),
    )
    return con.execute(sql, {"year": year}).df()


def shortfall_options(con: Connection, year: int) -> pd.DataFrame:
    """For each department short of capacity: shortfall and the three options' computed effects:
    cap_needed (raise the cap to this), borrowable (inspector-visits the joint plans' other
    departments can lend), borrow_closes (of the shortfall), defer_visits (visits to defer)."""
    cap = department_capacity(con, year)  # noqa: F841 (read by the SQL below)
    sql = _with_slots(
        con,
        """
        , short AS (SELECT * FROM cap WHERE shortfall > 0),
        partners AS (   -- departments sharing a joint plan of the campaign
            SELECT DISTINCT a.dept_code, b.dept_code AS partner
            FROM plan_depts a JOIN plan_depts b ON a.plan_id = b.plan_id
                 AND a.dept_code <> b.dept_code
            JOIN plans p ON p.plan_id = a.plan_id AND p.year = $year AND p.kind = 'joint'
            WHERE a.dept_code IN (SELECT dept_code FROM short)
        ),
        need_fields AS (SELECT dept_code, list(DISTINCT field) AS fields FROM items GROUP BY 1),
        lend AS (
            SELECT pr.dept_code, pr.partner,
                   least(greatest(pc.capacity - pc.demand, 0),
                         count(i.inspector_id) * pc.cap_per_inspector) AS lendable
            FROM partners pr JOIN cap pc ON pc.dept_code = pr.partner
                 JOIN need_fields nf ON nf.dept_code = pr.dept_code
                 LEFT JOIN inspectors i ON i.dept_code = pr.partner AND i.active AND i.certified
                      AND len(list_intersect(i.qualifications, nf.fields)) > 0
            GROUP BY pr.dept_code, pr.partner, pc.capacity, pc.demand, pc.cap_per_inspector
        ),
        borrow AS (
            SELECT dept_code, sum(lendable) AS borrowable, count(*) FILTER (lendable > 0)
                   AS lenders
            FROM lend GROUP BY 1
        ),
        latest AS (   -- the department's visits, latest window first, running inspector-visits
            SELECT s.dept_code, sum(s.need) OVER (PARTITION BY s.dept_code
                   ORDER BY s.window_start DESC, s.visit_id DESC
                   ROWS UNBOUNDED PRECEDING) AS freed
            FROM slots s SEMI JOIN short USING (dept_code)
        ),
        defer AS (
            SELECT l.dept_code, count(*) FILTER (l.freed - need_here < sh.shortfall) AS visits
            FROM (SELECT dept_code, freed,
                         freed - lag(freed, 1, 0) OVER (PARTITION BY dept_code ORDER BY freed)
                             AS need_here
                  FROM latest) l JOIN short sh USING (dept_code)
            GROUP BY 1
        )
        SELECT s.dept_code, s.name, s.inspectors, s.cap_per_inspector, s.capacity, s.demand,
               s.shortfall,
               CASE WHEN s.inspectors > 0 THEN CAST(ceil(s.demand / s.inspectors) AS INTEGER)
               END AS cap_needed,
               CAST(coalesce(b.borrowable, 0) AS BIGINT) AS borrowable,
               CAST(coalesce(b.lenders, 0) AS INTEGER) AS lenders,
               CAST(least(coalesce(b.borrowable, 0), s.shortfall) AS BIGINT) AS borrow_closes,
               CAST(coalesce(d.visits, 0) AS BIGINT) AS defer_visits
        FROM short s LEFT JOIN borrow b USING (dept_code) LEFT JOIN defer d USING (dept_code)
        ORDER BY s.shortfall DESC, s.dept_code
        """,
    )
    return con.execute(sql, {"year": year}).df()


def caps(con: Connection) -> pd.DataFrame:
    """The cap settings: dept_code ('*' = default), cap_per_inspector, updated_by, updated_at."""
    return con.execute("SELECT * FROM assignment_caps ORDER BY dept_code").df()


def default_cap(con: Connection) -> int:
    row = con.execute(
        "SELECT cap_per_inspector FROM assignment_caps WHERE dept_code = '*'"
    ).fetchone()
    return int(row[0]) if row else rule.DEFAULT_CAP


def set_cap(con: Connection, dept_code: str, cap: object, actor: str) -> None:
    """Set a department's cap per inspector per campaign ('*': the default), audited."""
    try:
        value = int(str(cap).strip())
    except ValueError:
        raise Refused("assign.bad_cap", value=cap) from None
    if not 1 <= value <= 10000 or str(value) != str(cap).strip():
        raise Refused("assign.bad_cap", value=cap)
    if (
        dept_code != "*"
        and not con.execute(
            "SELECT count(*) FROM departments WHERE dept_code = ?", [dept_code]
        ).fetchone()[0]
    ):
        raise Refused("assign.unknown_dept", dept=dept_code)
    now = datetime.now(TZ).isoformat(timespec="seconds")
    with unit_of_work(con, actor, "assignment.cap", {"dept_code": dept_code, "cap": value}):
        con.execute(
            "INSERT INTO assignment_caps VALUES (?, ?, ?, ?) ON CONFLICT (dept_code) DO UPDATE "
            "SET cap_per_inspector = excluded.cap_per_inspector, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            [dept_code, value, actor, now],
        )
