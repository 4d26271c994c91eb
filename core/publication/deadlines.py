"""Deadlines: 20 working days from completion to publication, per visit and per department.
The results issue owns these function bodies; the names and call sites stay."""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.db import Connection

DEADLINE_STATUSES = ("overdue", "due_soon", "open", "published")


def visit_deadlines(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per approved visit and inspecting department: completion, due date, working days left
    and status (published / overdue / due_soon within DUE_SOON_WORKING_DAYS / open). Empty, with
    the same columns, until results exist (core/results/notices.py)."""
    from core.results import notices

    return notices.visit_deadlines(con, year, on)


def deadlines_by_department(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per department: how many results are overdue, due soon, open and published."""
    from core.results import notices

    return notices.deadlines_by_department(con, year, on)
