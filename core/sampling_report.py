"""What a draw means before it is committed: quotas per stratum, counts by district, risk tier
and item class, and the workload it puts on each department's inspectors. Every figure is a
query over the registries and the computed draw."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core import sampling, settings
from core.db import Connection

INSPECTORS_PER_VISIT = int(settings.value("inspectors_per_visit"))  # DOMAIN.md: two at least
# what each department sends to one drawn target: two when its plan is its own, one each when
# the plan is joint (the assignment rule: at least two a visit, one per department; the
# simulator's plan_need): the workload before merging, which merging can only lower
JOINT_INSPECTORS_PER_DEPT = 1
ILLUSTRATIVE_SECRET = "illustrative-preview"  # used only while a campaign has no secret yet


def campaign_years(con: Connection) -> list[int]:
    rows = con.execute("SELECT DISTINCT year FROM plans ORDER BY year DESC").fetchall()
    return [r[0] for r in rows]


def plan_choices(con: Connection, year: int) -> pd.DataFrame:
    return con.execute(
        "SELECT plan_id, name, item_class, kind FROM plans WHERE year = ? ORDER BY plan_id",
        [year],
    ).df()


def campaign_status(con: Connection, year: int) -> dict[str, Any]:
    """The commitment and beacon source shown before the draw (never the secret)."""
    camp = sampling.get_campaign(con, year)
    scored = sampling.first_row(con, "SELECT count(*) FROM risk")[0]
    return {
        "exists": camp is not None,
        "seed_commitment": camp.seed_commitment if camp else None,
        "beacon_source": camp.beacon_source if camp else sampling.DEFAULT_BEACON_SOURCE,
        "created_at": camp.created_at if camp else None,
        "scored_targets": int(scored),
    }


def ratio_table(con: Connection) -> pd.DataFrame:
    """The default table with each class's mean ratio (the quantity the class rules bound)."""
    table = sampling.default_ratios(con)
    table["mean_bp"] = table[list(sampling.TIERS)].mean(axis=1)
    return table


def preview_report(
    con: Connection, year: int, plan_id: str | None, beacon: str, mode: str
) -> dict[str, Any]:
    """A preview (nothing saved) with its breakdowns, for the Sampling page."""
    camp = sampling.get_campaign(con, year)
    secret = None if camp else ILLUSTRATIVE_SECRET
    draw = sampling.preview(con, year, plan_id=plan_id, secret=secret, beacon=beacon, mode=mode)
    sel = draw.selections[["plan_id", "tier", "uscc"]]
    con.register("_preview_sel", sel)
    try:
        by_district = con.execute(
            "SELECT t.district, count(*) AS n FROM _preview_sel s JOIN targets t USING (uscc) "
            "GROUP BY t.district ORDER BY n DESC"
        ).df()
        by_class_tier = con.execute(
            "SELECT p.item_class, s.tier, count(*) AS n FROM _preview_sel s "
            "JOIN plans p USING (plan_id) GROUP BY ALL ORDER BY 1, 2"
        ).df()
        workload = con.execute(
            """
            WITH plan_size AS (
                SELECT plan_id, count(*) AS departments FROM plan_depts GROUP BY plan_id
            ),
            visits AS (
                SELECT pd.dept_code, count(*) AS visits,
                       sum(CASE WHEN z.departments > 1 THEN $joint ELSE $solo END)
                         AS inspector_visits
                FROM _preview_sel s JOIN plan_depts pd USING (plan_id)
                JOIN plan_size z USING (plan_id) GROUP BY pd.dept_code
            ),
            staff AS (
                SELECT dept_code, count(*) AS inspectors FROM inspectors
                WHERE certified AND active GROUP BY dept_code
            )
            SELECT v.dept_code, d.name, v.visits, coalesce(s.inspectors, 0) AS inspectors,
                   v.inspector_visits,
                   CASE WHEN coalesce(s.inspectors, 0) > 0
                        THEN round(v.inspector_visits / s.inspectors, 1) END
                     AS visits_per_inspector
            FROM visits v JOIN departments d USING (dept_code)
            LEFT JOIN staff s USING (dept_code)
            ORDER BY visits_per_inspector DESC NULLS FIRST, v.visits DESC
            """,
            {"solo": INSPECTORS_PER_VISIT, "joint": JOINT_INSPECTORS_PER_DEPT},
        ).df()
    finally:
        con.unregister("_preview_sel")
    distinct_targets = int(sel["uscc"].nunique())
    return {
        "draw": draw,
        "illustrative": camp is None,
        "strata": draw.strata,
        "by_district": by_district,
        "by_class_tier": by_class_tier,
        "workload": workload,
        "selected": draw.total_selected,
        "distinct_targets": distinct_targets,
        "plans": int(draw.strata["plan_id"].nunique()),
        "inspector_visits": int(workload["inspector_visits"].sum()),
        "inspectors": int(
            sampling.first_row(
                con,
                # the departments of what is previewed: the campaign's, or the one plan's
                "SELECT count(*) FROM inspectors WHERE certified AND active AND dept_code IN "
                "(SELECT dept_code FROM plan_depts JOIN plans USING (plan_id) "
                " WHERE year = ? AND (? IS NULL OR plan_id = ?))",
                [year, plan_id, plan_id],
            )[0]
        ),
        "understaffed": int((workload["inspectors"] < INSPECTORS_PER_VISIT).sum()),
    }
