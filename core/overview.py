"""Leadership's overview of the 一单两库: every figure is a query over the registries."""

from __future__ import annotations

import pandas as pd

from core.db import Connection


def headline(con: Connection) -> dict[str, int]:
    """The headline counts shown at the top of the Overview page."""
    row = con.execute(
        """
        SELECT
          (SELECT count(*) FROM departments WHERE level IN ('city', 'district')),
          (SELECT count(*) FROM departments WHERE level = 'city'),
          (SELECT count(*) FROM departments WHERE level = 'district'),
          (SELECT count(*) FROM departments WHERE level = 'street'),
          (SELECT count(*) FROM items),
          (SELECT count(*) FROM targets),
          (SELECT count(*) FROM inspectors),
          (SELECT count(*) FROM inspectors WHERE certified AND active),
          (SELECT count(*) FROM plans),
          (SELECT count(*) FROM plans WHERE kind = 'single'),
          (SELECT count(*) FROM plans WHERE kind = 'joint')
        """
    ).fetchone()
    keys = [
        "departments", "city_departments", "district_departments", "street_units", "items",
        "targets", "inspectors", "inspectors_available", "plans", "single_plans", "joint_plans",
    ]  # fmt: skip
    return dict(zip(keys, (int(v) for v in row), strict=True))


def departments_by_level(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT level, count(*) AS n FROM departments GROUP BY level "
        "ORDER BY CASE level WHEN 'city' THEN 1 WHEN 'district' THEN 2 ELSE 3 END"
    ).df()


def items_by_class(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT item_class, level, count(*) AS n FROM items GROUP BY ALL ORDER BY ALL"
    ).df()


def targets_by_district(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT district, count(*) AS n FROM targets GROUP BY district ORDER BY n DESC"
    ).df()


def targets_by_street(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT district, street, count(*) AS n FROM targets GROUP BY ALL ORDER BY district, n DESC"
    ).df()


def targets_by_kind(con: Connection) -> pd.DataFrame:
    return con.execute("SELECT kind, count(*) AS n FROM targets GROUP BY kind ORDER BY n DESC").df()


def inspectors_by_department(con: Connection, top: int = 20) -> pd.DataFrame:
    return con.execute(
        """
        SELECT d.dept_code, d.name, d.level, count(*) AS n,
               count(*) FILTER (WHERE i.certified AND i.active) AS available
        FROM inspectors i JOIN departments d USING (dept_code)
        GROUP BY ALL ORDER BY n DESC, d.dept_code LIMIT ?
        """,
        [top],
    ).df()


def plans_by_kind(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT kind, item_class, level, count(*) AS n FROM plans GROUP BY ALL ORDER BY ALL"
    ).df()


def dataset_status(con: Connection) -> dict[str, str | int]:
    """What the sidebar says about the data: size, when it was built, its version."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    return {
        "targets": int(con.execute("SELECT count(*) FROM targets").fetchone()[0]),
        "built_at": meta.get("dataset_built_at", ""),
        "seed": meta.get("dataset_seed", ""),
        "version": int(meta.get("data_version", 0)),
        "campaign_year": meta.get("campaign_year", ""),
    }
