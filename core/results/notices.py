"""Result notices (一公开) and their deadlines, read from the results tables.

A visit's notice exists once it is 已完成 (done: approved) and carries exactly the published
fields: enterprise name, USCC, the plans (plan or task), the inspecting departments, completion
date and per item its outcome codes, their names and category, and whether the results were
simulated. Never an inspector's name or id, a note, or anything about risk. It must be
published within 20 working days of completion (core/deadlines.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from core import deadlines
from core.db import Connection
from core.vocab import OUTCOMES

# The outcome's name as the publicity system publishes it (Chinese), and its category.
CATEGORY = {"clear": "no_problem", "problem": "problem", "excluded": "excluded"}


def outcome_names() -> dict[str, str]:
    from core import i18n

    return {code: i18n.t(f"results.outcome.{code}", "zh") for code in OUTCOMES}


def category(codes: list[str]) -> str:
    """'problem' if any code is one, else 'excluded' if any is, else 'no_problem'."""
    kinds = {OUTCOMES.get(c) for c in codes}
    for kind in ("problem", "excluded", "clear"):
        if kind in kinds:
            return CATEGORY[kind]
    return "unknown"


def _columns(con: Connection, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }


def results_available(con: Connection) -> bool:
    """True once any result has been recorded (and the visits and results tables are there)."""
    return (
        {"visit_id", "uscc", "year"} <= _columns(con, "visits")
        and {"visit_id", "plan_id", "item_code"} <= _columns(con, "visit_tasks")
        and {"visit_id", "plan_id", "item_code", "outcomes"} <= _columns(con, "results")
        and {"visit_id", "status", "completed_on"} <= _columns(con, "visit_status")
        and con.execute("SELECT count(*) FROM (SELECT 1 FROM results LIMIT 1)").fetchone()[0] > 0
    )


_NOTICE_SQL = """
WITH v AS (
    SELECT v.visit_id, v.uscc, CAST(s.completed_on AS VARCHAR) AS completed_on, s.simulated
    FROM visits v JOIN visit_status s USING (visit_id)
    WHERE v.year = $year AND s.status IN ('done', 'published') AND s.completed_on IS NOT NULL),
pl AS (
    SELECT visit_id, list(DISTINCT {'plan_id': p.plan_id, 'name': p.name}
                          ORDER BY {'plan_id': p.plan_id, 'name': p.name}) AS plans
    FROM (SELECT DISTINCT visit_id, plan_id FROM visit_tasks WHERE visit_id IN
          (SELECT visit_id FROM v)) vt
    JOIN plans p USING (plan_id) GROUP BY visit_id),
de AS (
    SELECT visit_id, list(DISTINCT {'code': d.dept_code, 'name': d.name}
                          ORDER BY {'code': d.dept_code, 'name': d.name}) AS departments
    FROM (SELECT DISTINCT visit_id, dept_code FROM visit_tasks WHERE visit_id IN
          (SELECT visit_id FROM v)) vt
    JOIN departments d USING (dept_code) GROUP BY visit_id),
ri AS (  -- an item serving two plans of the visit with the same outcome: once
    SELECT DISTINCT r.visit_id, r.item_code, i.name, r.outcomes
    FROM results r LEFT JOIN items i USING (item_code)
    WHERE r.visit_id IN (SELECT visit_id FROM v)),
it AS (
    SELECT visit_id,
           list({'item_code': item_code, 'name': name, 'outcome_codes': outcomes,
                 'outcome': list_transform(outcomes, lambda c: coalesce(
                     list_extract(map_extract(map($codes, $names), c), 1), c)),
                 'category': CASE
                     WHEN list_has_any(outcomes, $problem) THEN 'problem'
                     WHEN list_has_any(outcomes, $excluded) THEN 'excluded'
                     WHEN list_has_any(outcomes, $clear) THEN 'no_problem'
                     ELSE 'unknown' END}
                ORDER BY item_code, array_to_string(outcomes, ',')) AS items
    FROM ri GROUP BY visit_id)
SELECT v.visit_id, v.uscc, t.name, v.completed_on, v.simulated, pl.plans, de.departments,
       it.items
FROM v JOIN it USING (visit_id) LEFT JOIN pl USING (visit_id) LEFT JOIN de USING (visit_id)
LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets
           WHERE uscc IN (SELECT uscc FROM v)) t USING (uscc)
ORDER BY v.visit_id
"""


def result_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every approved visit of `year`, keyed by visit_id (one query; a
    Python step per visit, not per task)."""
    if not results_available(con):
        return {}
    names = outcome_names()
    kinds = {
        k: [c for c, v in OUTCOMES.items() if v == k] for k in ("problem", "excluded", "clear")
    }
    params = {"year": year, "codes": list(names), "names": list(names.values()),
              "problem": kinds["problem"], "excluded": kinds["excluded"],
              "clear": kinds["clear"]}  # fmt: skip
    notices: dict[str, dict[str, Any]] = {}
    for visit_id, uscc, name, done, simulated, plans, depts, items in con.execute(
        _NOTICE_SQL, params
    ).fetchall():
        notices[visit_id] = {
            "enterprise_name": name, "uscc": uscc, "completed_on": done,
            "plans": plans or [], "departments": depts or [],
            "items": items, "simulated": bool(simulated),
        }  # fmt: skip
    return notices


DEADLINE_STATUSES = ("overdue", "due_soon", "open", "published")
DEADLINE_COLUMNS = [
    "dept_code", "dept_name", "visit_id", "uscc", "enterprise_name", "completed_on", "due_on",
    "working_days_left", "status", "simulated",
]  # fmt: skip


def visit_deadlines(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per approved visit and inspecting department: completion, due date (20 working days),
    working days left on `on`, and status: published (its notice is out), overdue, due_soon
    (within DUE_SOON_WORKING_DAYS) or open."""
    if not results_available(con):
        return pd.DataFrame(columns=DEADLINE_COLUMNS)
    df = con.execute(
        """
        WITH v AS (
            SELECT v.visit_id, v.uscc, s.completed_on, s.simulated,
                   s.status = 'published' OR v.visit_id IN (
                       SELECT subject FROM publications WHERE kind = 'result_notice'
                   ) AS published
            FROM visits v JOIN visit_status s USING (visit_id)
            WHERE v.year = ? AND s.status IN ('done', 'published')
              AND s.completed_on IS NOT NULL)
        SELECT DISTINCT vt.dept_code, d.name AS dept_name, v.visit_id, v.uscc,
               t.name AS enterprise_name, v.completed_on, v.published, v.simulated
        FROM v JOIN visit_tasks vt USING (visit_id)
        LEFT JOIN departments d ON d.dept_code = vt.dept_code
        LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets
                   WHERE uscc IN (SELECT uscc FROM v)) t USING (uscc)
        ORDER BY v.completed_on, v.visit_id, vt.dept_code
        """,
        [year],
    ).df()
    if df.empty:
        return pd.DataFrame(columns=DEADLINE_COLUMNS)
    holidays = deadlines.holiday_table(con)
    df["completed_on"] = pd.to_datetime(df["completed_on"]).dt.date
    df["due_on"] = deadlines.due_dates(df["completed_on"], holidays)
    df["working_days_left"] = deadlines.working_days_left(df["due_on"], on, holidays)
    df["status"] = np.select(
        [df["published"].astype(bool), df["working_days_left"] < 0,
         df["working_days_left"] <= deadlines.DUE_SOON_WORKING_DAYS],
        ["published", "overdue", "due_soon"], default="open",
    )  # fmt: skip
    return df[DEADLINE_COLUMNS]


def deadlines_by_department(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per department: how many results are overdue, due soon, open and published."""
    df = visit_deadlines(con, year, on)
    if df.empty:
        return pd.DataFrame(columns=["dept_code", "dept_name", *DEADLINE_STATUSES])
    out = df.groupby(["dept_code", "dept_name", "status"]).size().unstack("status", fill_value=0)
    for status in DEADLINE_STATUSES:
        if status not in out.columns:
            out[status] = 0
    out = out[list(DEADLINE_STATUSES)].reset_index()
    out.columns.name = None
    return out.sort_values(["overdue", "due_soon"], ascending=False, ignore_index=True)
