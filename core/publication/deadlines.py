"""Deadlines: 20 working days from completion to publication, per visit and per department.
The results issue owns these function bodies; the names and call sites stay."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from core import deadlines
from core.db import Connection
from core.publication.results import results_available

DEADLINE_STATUSES = ("overdue", "due_soon", "open", "published")


def visit_deadlines(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per completed visit and inspecting department: completion, due date, working days left
    and status (published / overdue / due_soon within DUE_SOON_WORKING_DAYS / open). Empty, with
    the same columns, until results exist."""
    columns = ["dept_code", "dept_name", "visit_id", "uscc", "enterprise_name", "completed_on",
               "due_on", "working_days_left", "status"]  # fmt: skip
    if not results_available(con):
        return pd.DataFrame(columns=columns)
    df = con.execute(
        """
        SELECT DISTINCT i.dept_code, d.name AS dept_name, v.visit_id, v.uscc,
               t.name AS enterprise_name, CAST(v.completed_on AS DATE) AS completed_on,
               v.visit_id IN (SELECT subject FROM publications WHERE kind = 'result_notice')
                   AS published
        FROM visits v JOIN results r USING (visit_id)
        JOIN items i ON i.item_code = r.item_code
        LEFT JOIN departments d ON d.dept_code = i.dept_code
        LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets) t USING (uscc)
        WHERE v.completed_on IS NOT NULL AND v.visit_id IN (
            SELECT vt.visit_id FROM visit_tasks vt JOIN plans p USING (plan_id) WHERE p.year = ?)
        ORDER BY completed_on, v.visit_id, i.dept_code
        """,
        [year],
    ).df()
    if df.empty:
        return pd.DataFrame(columns=columns)
    holidays = deadlines.holiday_table(con)
    df["completed_on"] = pd.to_datetime(df["completed_on"]).dt.date
    df["due_on"] = deadlines.due_dates(df["completed_on"], holidays)
    df["working_days_left"] = deadlines.working_days_left(df["due_on"], on, holidays)
    df["status"] = np.select(
        [df["published"], df["working_days_left"] < 0,
         df["working_days_left"] <= deadlines.DUE_SOON_WORKING_DAYS],
        ["published", "overdue", "due_soon"], default="open",
    )  # fmt: skip
    return df[columns]


def deadlines_by_department(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per department: how many results are overdue, due soon, open and published."""
    df = visit_deadlines(con, year, on)
    out = (
        df.groupby(["dept_code", "dept_name", "status"]).size().unstack("status", fill_value=0)
        if not df.empty
        else pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=["dept_code", "dept_name"]))
    )
    for status in DEADLINE_STATUSES:
        if status not in out.columns:
            out[status] = 0
    out = out[list(DEADLINE_STATUSES)].reset_index()
    return out.sort_values(["overdue", "due_soon"], ascending=False, ignore_index=True)
