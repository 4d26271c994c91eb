"""What the Merge page shows, read from a saved merge (core/merge.py): every figure a query over
merge_runs, merge_breakdown, visits and visit_tasks."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core import merge, target_lookup
from core.db import Connection, get_meta


def held_visits(con: Connection, year: int) -> int:
    """The year's visits with inspectors assigned, a result or a status: a re-draw that changes
    their tasks leaves them standing and the next merge is refused (core/merge.py)."""
    return int(
        con.execute(
            f"SELECT count(DISTINCT h.visit_id) FROM ({merge.held_visits_sql(con)}) h "  # noqa: S608
            "SEMI JOIN visits v ON v.visit_id = h.visit_id AND v.year = ?",
            [year],
        ).fetchone()[0]
    )


def campaign_year(con: Connection) -> int:
    """The dataset's campaign year (meta), else the latest year with plans."""
    year = get_meta(con, "campaign_year")
    if year:
        return int(year)
    row = con.execute("SELECT max(year) FROM plans").fetchall()[0][0]
    return int(row) if row is not None else 0


def status(con: Connection, year: int) -> dict[str, Any]:
    """Is there a committed draw, a saved merge, and is the merge older than the draws?"""
    draws = merge.current_draws(con, year)
    run = merge.saved_run(con, year)
    stale = bool(run) and sorted(run["draw_ids"]) != sorted(draws["draw_id"].tolist())
    return {"draws": len(draws), "merged": run is not None, "stale": stale, "run": run}


def waterfall(con: Connection, year: int) -> pd.DataFrame:
    """Steps from baseline department visits to final visits: (step, key, value, measure)."""
    run = merge.saved_run(con, year)
    if run is None:
        return pd.DataFrame(columns=["key", "value", "measure"])
    rows = [("baseline", run["baseline_visits"], "absolute")]
    for i, (key, _name) in enumerate(merge.ROUNDS, start=1):
        rows.append((key, -int(run[f"round{i}_removed"]), "relative"))
    rows.append(("final", run["final_visits"], "total"))
    return pd.DataFrame(rows, columns=["key", "value", "measure"])


def comparison(con: Connection, year: int) -> pd.DataFrame:
    """Coordinated (the saved merge) against the independent-mode draw of the same campaign:
    one row per mode with baseline_pairs, visits, removed, savings_pct and each round."""
    run = merge.saved_run(con, year)
    if run is None:
        return pd.DataFrame()
    saved = {
        "mode": run["mode"],
        "baseline_pairs": run["baseline_visits"],
        "visits": run["final_visits"],
        "removed": run["baseline_visits"] - run["final_visits"],
        "savings_pct": round(
            100 * (run["baseline_visits"] - run["final_visits"]) / run["baseline_visits"], 2
        )
        if run["baseline_visits"]
        else 0.0,
        **{key: int(run[f"round{i}_removed"]) for i, (key, _) in enumerate(merge.ROUNDS, 1)},
    }
    rows = [saved]
    other = run.get("independent")
    if other:
        rows.append(
            {
                "mode": "independent",
                **{k: other[k] for k in ("baseline_pairs", "visits", "removed", "savings_pct")},
                **{r["key"]: r["removed"] for r in other["rounds"]},
            }
        )
    return pd.DataFrame(rows)


def department_flows(con: Connection, year: int, top: int = 12) -> pd.DataFrame:
    """Department -> kind of visit it takes part in (alone / joint with other departments) ->
    how the visit happens (on its own / folded into a scheduled inspection), counted in
    (visit, department) pairs. Departments beyond the `top` busiest are grouped as '其他'."""
    return con.execute(
        """
        WITH vd AS (
            SELECT v.visit_id, unnest(v.departments) AS dept_code, len(v.departments) AS n_depts,
                   v.scheduled_id IS NOT NULL AS folded
            FROM visits v WHERE v.year = $year
        ),
        rank AS (
            SELECT dept_code, row_number() OVER (ORDER BY count(*) DESC, dept_code) AS r
            FROM vd GROUP BY 1
        )
        SELECT CASE WHEN r.r <= $top THEN d.name ELSE '其他' END AS department,
               CASE WHEN vd.n_depts > 1 THEN 'joint' ELSE 'alone' END AS visit_kind,
               CASE WHEN vd.folded THEN 'folded' ELSE 'own' END AS outcome,
               count(*) AS n
        FROM vd JOIN rank r USING (dept_code) JOIN departments d USING (dept_code)
        GROUP BY ALL ORDER BY n DESC, department
        """,
        {"year": year, "top": top},
    ).df()


def most_merged(con: Connection, year: int, limit: int = 20) -> pd.DataFrame:
    """The visits carrying most tasks: one enterprise, many items and departments.

    Their few targets are fetched by rowid (core/target_lookup.py) rather than joined by code
    against the whole directory."""
    top_sql = """
        SELECT * FROM visits WHERE year = $year
        ORDER BY n_tasks DESC, len(departments) DESC, visit_id LIMIT $limit
    """
    found = con.execute(f"SELECT uscc FROM ({top_sql})", {"year": year, "limit": limit})  # noqa: S608
    codes = [r[0] for r in found.fetchall()]
    rowids = list(target_lookup.rowids(con, codes).values())
    return con.execute(
        f"""
        WITH top AS ({top_sql}),
        t AS (SELECT uscc, name, district FROM targets
              WHERE rowid IN (SELECT unnest($rowids::BIGINT[])))
        SELECT top.visit_id, t.name AS target, top.uscc, t.district,
               top.window_start, top.window_end, top.n_plans, top.n_tasks,
               len(top.departments) AS n_departments,
               (SELECT string_agg(d.name, '、' ORDER BY d.dept_code) FROM departments d
                WHERE list_contains(top.departments, d.dept_code)) AS departments,
               top.scheduled_id
        FROM top LEFT JOIN t ON t.uscc = top.uscc
        ORDER BY top.n_tasks DESC, n_departments DESC, top.visit_id
        """,  # noqa: S608 (top_sql is a constant of this function)
        {"year": year, "limit": limit, "rowids": rowids},
    ).df()


def burden(con: Connection, year: int) -> pd.DataFrame:
    """How many targets get 1, 2, 3+ visits in the year: before merging (every department visit
    separate) and after (visits of their own; visits folded into an already scheduled inspection
    add none, so a target may drop to '0'). Columns: visits ('0', '1', '2', '3+'), before, after."""
    return con.execute(
        """
        WITH dv AS (   -- department visits: distinct (plan, department) per target
            SELECT v.uscc, count(DISTINCT (t.plan_id, pd.dept_code)) AS n
            FROM visits v JOIN visit_tasks t USING (visit_id)
                 JOIN plan_depts pd ON pd.plan_id = t.plan_id
            WHERE v.year = $year GROUP BY v.uscc
        ),
        after AS (
            SELECT uscc, count(*) FILTER (WHERE scheduled_id IS NULL) AS n
            FROM visits WHERE year = $year GROUP BY uscc
        ),
        buckets AS (
            SELECT 'before' AS stage, n FROM dv UNION ALL SELECT 'after', n FROM after
        )
        SELECT CASE WHEN n >= 3 THEN '3+' ELSE CAST(n AS VARCHAR) END AS visits,
               count(*) FILTER (WHERE stage = 'before') AS before,
               count(*) FILTER (WHERE stage = 'after') AS after
        FROM buckets GROUP BY 1 ORDER BY 1
        """,
        {"year": year},
    ).df()


def breakdown(con: Connection, year: int, dimension: str) -> pd.DataFrame:
    """The saved rounds per department, district or level (merge_breakdown)."""
    if dimension not in merge.DIMENSIONS:
        raise ValueError(f"dimension must be one of {merge.DIMENSIONS}, not {dimension!r}")
    df = con.execute(
        """
        SELECT b.key, d.name AS department, b.baseline_visits, b.round1_removed,
               b.round2_removed, b.round3_removed, b.round4_removed, b.final_visits
        FROM merge_breakdown b LEFT JOIN departments d ON d.dept_code = b.key
        WHERE b.year = ? AND b.dimension = ?
        ORDER BY b.baseline_visits DESC, b.key
        """,
        [year, dimension],
    ).df()
    if dimension != "department":
        df = df.drop(columns="department")
    return df
