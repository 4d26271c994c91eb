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
    WHERE v.year = ? AND s.status IN ('done', 'published') AND s.completed_on IS NOT NULL)
SELECT v.visit_id, v.uscc, t.name, v.completed_on, v.simulated,
       (SELECT list(DISTINCT {'plan_id': p.plan_id, 'name': p.name}
                    ORDER BY {'plan_id': p.plan_id, 'name': p.name})
        FROM visit_tasks vt JOIN plans p USING (plan_id)
        WHERE vt.visit_id = v.visit_id) AS plans,
       (SELECT list(DISTINCT {'code': d.dept_code, 'name': d.name}
                    ORDER BY {'code': d.dept_code, 'name': d.name})
        FROM visit_tasks vt JOIN departments d ON d.dept_code = vt.dept_code
        WHERE vt.visit_id = v.visit_id) AS departments,
       r.plan_id, r.item_code, i.name AS item_name, r.outcomes
FROM v JOIN results r USING (visit_id)
LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets
           WHERE uscc IN (SELECT uscc FROM v)) t USING (uscc)
LEFT JOIN items i ON i.item_code = r.item_code
ORDER BY v.visit_id, r.plan_id, r.item_code
"""


def result_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every approved visit of `year`, keyed by visit_id."""
    if not results_available(con):
        return {}
    names = outcome_names()
    notices: dict[str, dict[str, Any]] = {}
    rows = con.execute(_NOTICE_SQL, [year]).fetchall()
    for visit_id, uscc, name, done, simulated, plans, depts, _plan, item, item_name, codes in rows:
        n = notices.get(visit_id)
        if n is None:
            n = notices[visit_id] = {
                "enterprise_name": name, "uscc": uscc, "completed_on": done,
                "plans": [dict(p) for p in plans or []],
                "departments": [dict(d) for d in depts or []],
                "items": [], "simulated": bool(simulated),
            }  # fmt: skip
        codes = list(codes or [])
        item_entry = {
            "item_code": item,
            "name": item_name,
            "outcome_codes": codes,
            "outcome": [names.get(c, c) for c in codes],
            "category": category(codes),
        }
        if item_entry not in n["items"]:  # an item serving two plans of the visit: once
            n["items"].append(item_entry)
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
