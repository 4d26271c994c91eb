"""Each department's capacity in inspector-visits per campaign.

The assignment package owns the real figure (core.assignment.capacity.department_capacity, with
per-department caps); until it exists this falls back to active certified inspectors x the one
default cap in core/simulate/settings.py, and says which source it used."""

from __future__ import annotations

import importlib

import pandas as pd

from core.db import Connection
from core.simulate import settings


def department_capacity(con: Connection, year: int) -> tuple[pd.DataFrame, str]:
    """(DataFrame(dept_code, name, inspectors, cap_per_inspector, capacity), source) for every
    department; source is 'assignment' or 'default cap'."""
    names = con.execute("SELECT dept_code, name FROM departments ORDER BY dept_code").df()
    try:
        module = importlib.import_module("core.assignment.capacity")
        df = module.department_capacity(con, year)
        source = "assignment"
    except ImportError:
        df = con.execute(
            """
            SELECT d.dept_code, count(i.inspector_id)::BIGINT AS inspectors
            FROM departments d
            LEFT JOIN inspectors i ON i.dept_code = d.dept_code AND i.active AND i.certified
            GROUP BY d.dept_code
            """
        ).df()
        df["cap_per_inspector"] = settings.DEFAULT_CAP_PER_INSPECTOR
        df["capacity"] = df["inspectors"] * settings.DEFAULT_CAP_PER_INSPECTOR
        source = "default cap"
    df = df[["dept_code", "inspectors", "cap_per_inspector", "capacity"]]
    out = names.merge(df, on="dept_code", how="left")
    out = out.fillna({"inspectors": 0, "capacity": 0})
    return out, source
