"""Is everything covered? Shenzhen's 四个全面覆盖 (levels, items, credit-risk evaluation, platform
tasks) as queries, with a drill-down city -> district -> street.

A scope is (district, street), both None for the whole city. Within a scope:
- departments: those located in it (every one for the city) plus any with visits to targets in
  it; each with its items, the share of them in a plan this year, its plans and plans drawn, and
  its department-visits (a joint visit counts once for each department taking part) to targets
  in the scope: assigned (an active assignment of that department), done (visit_status done or
  published), published, late (window ended before `as_of`, not done) and overdue (done, not
  published, past the 20-working-day deadline on `as_of`);
- item classes: the same per class (a visit counts once per class it carries);
- risk: the share of the scope's targets with a current credit-risk tier;
- platform figures (city-wide) against the year's targets an administrator sets;
- progress over time, in visits: drawn, assigned, inspected, published, overdue.
Tables of issues not landed yet (assignments, visit_status) count as empty."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from core import deadlines, risk, target_lookup
from core.db import Connection, registered
from core.discovery import table_exists
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work

PLATFORM_METRICS: tuple[str, ...] = (
    "departments", "single_plans", "joint_plans", "items", "targets", "inspectors",
)  # fmt: skip
STATUS_DONE = ("done", "published")


def _assignments(con: Connection) -> str:
    if table_exists(con, "assignments", ("visit_id", "dept_code", "active", "assigned_at")):
        return (
            "SELECT visit_id, dept_code, min(CAST(substr(assigned_at, 1, 10) AS DATE)) AS on_day "
            "FROM assignments WHERE active GROUP BY ALL"
        )
    return (
        "SELECT NULL::VARCHAR AS visit_id, NULL::VARCHAR AS dept_code, NULL::DATE AS on_day "
        "WHERE FALSE"
    )


def simulated_only(con: Connection, year: int) -> bool:
    """True when every visit status of the year is simulated (core/results/simulate.py: a
    demonstration on synthetic data). Real and simulated statuses are never mixed: with any
    real one, the simulated ones are put aside."""
    if not table_exists(con, "visit_status", ("visit_id", "simulated")):
        return False
    real, simulated = con.execute(
        "SELECT count(*) FILTER (WHERE NOT coalesce(s.simulated, FALSE)), "
        "count(*) FILTER (WHERE coalesce(s.simulated, FALSE)) "
        "FROM visit_status s JOIN visits v USING (visit_id) WHERE v.year = ?",
        [year],
    ).fetchone()
    return real == 0 and simulated > 0


def _status(con: Connection, simulated: bool = False) -> str:
    cols = ("visit_id", "status", "completed_on", "published_on")
    if table_exists(con, "visit_status", cols):
        # real statuses, or simulated ones where the year has nothing else; a visit in review
        # has no completed_on yet: its results' last completion date stands in
        keep = "TRUE"
        if table_exists(con, "visit_status", ("simulated",)):
            keep = f"coalesce(s.simulated, FALSE) = {'TRUE' if simulated else 'FALSE'}"
        done = "s.completed_on"
        join = ""
        if table_exists(con, "results", ("visit_id", "completed_on")):
            done = "coalesce(s.completed_on, r.done_on)"
            join = ("LEFT JOIN (SELECT visit_id, max(completed_on) AS done_on FROM results "
                    "GROUP BY visit_id) r USING (visit_id)")  # fmt: skip
        sql = f"""SELECT s.visit_id, s.status, {done} AS completed_on, s.published_on
                  FROM visit_status s {join} WHERE {keep}"""  # noqa: S608 (fixed fragments)
        return sql
    return (
        "SELECT NULL::VARCHAR AS visit_id, NULL::VARCHAR AS status, NULL::DATE AS completed_on, "
        "NULL::DATE AS published_on WHERE FALSE"
    )


def _params(year: int, district: str | None, street: str | None, **more: Any) -> dict[str, Any]:
    p: dict[str, Any] = {"year": year, **more}
    if district is not None:
        p["district"] = district
        if street is not None:
            p["street"] = street
    return p


PLACES = "_coverage_places"  # the visited targets' district and street, for one query

# Facts of a year's visits, memoised per database file, data_version and year (every write bumps
# the version): the drill-down filters them instead of querying again per district or street.
_FACTS: dict[tuple, pd.DataFrame] = {}


def _facts_key(con: Connection, year: int) -> tuple:
    path, version = con.execute(
        "SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()),"
        " (SELECT value FROM meta WHERE key = 'data_version')"
    ).fetchall()[0]
    return (path, version, year)


def visit_facts(con: Connection, year: int, placed: bool = True) -> pd.DataFrame:
    """One row per (visit, department, item class) of `year`'s visits: the target's district
    and street (`placed`; the whole city needs no place, and reading the visited targets' places
    is a fifth of the city's first load at full scale), the window, whether that department has
    an active assignment (dept_assigned) and whether anyone has (assigned), the status,
    completion and publication, and the deadline (due_on) of a completed visit. One query,
    memoised."""
    key = (*_facts_key(con, year), placed)
    hit = _FACTS.get(key) if key[0] else None
    if hit is not None:
        return hit
    sql = f"""
        WITH asg AS ({_assignments(con)}),
        st AS ({_status(con, simulated_only(con, year))}),
        vt AS (SELECT DISTINCT vt.visit_id, vt.dept_code, i.item_class
               FROM visit_tasks vt JOIN items i ON i.item_code = vt.item_code
               WHERE vt.visit_id IN (SELECT visit_id FROM visits WHERE year = $year)),
        v AS (SELECT v.visit_id, v.window_start, v.window_end{", t.district, t.street" * placed}
              FROM visits v {f"LEFT JOIN {PLACES} t ON t.uscc = v.uscc" * placed}
              WHERE v.year = $year)
        SELECT vt.visit_id, vt.dept_code, vt.item_class{", v.district, v.street" * placed},
               v.window_start, v.window_end, da.visit_id IS NOT NULL AS dept_assigned,
               vt.visit_id IN (SELECT visit_id FROM asg) AS assigned,
               coalesce(s.status, 'pending') AS status,
               CASE WHEN s.status IN ('review', 'done', 'published') THEN s.completed_on END
                   AS completed_on,
               CASE WHEN s.status = 'published' THEN s.published_on END AS published_on
        FROM vt JOIN v USING (visit_id)
        LEFT JOIN asg da ON da.visit_id = vt.visit_id AND da.dept_code = vt.dept_code
        LEFT JOIN st s ON s.visit_id = vt.visit_id
    """  # noqa: S608 (fixed fragments of this module)
    if placed:
        # the visited targets' places by position, not a join on the code scanning every target
        where = target_lookup.rows_of(
            con, "SELECT uscc FROM visits WHERE year = $year", {"year": year},
            ("district", "street"),
        )  # fmt: skip
        with registered(con, PLACES, where.drop_columns(["_row"])):
            facts = con.execute(sql, {"year": year}).df()
    else:
        facts = con.execute(sql, {"year": year}).df()
    facts["due_on"] = _due(facts["completed_on"], deadlines.holiday_table(con))
    if key[0]:
        _FACTS[key] = facts
        if len(_FACTS) > 8:
            del _FACTS[next(iter(_FACTS))]
    return facts


def _in_scope(con: Connection, year: int, district: str | None, street: str | None) -> pd.DataFrame:
    """The year's visit facts in the scope: placed only when the scope is narrower than the
    city."""
    if district is None:
        return visit_facts(con, year, placed=False)
    facts = visit_facts(con, year)
    return _within(facts, district, street)


def _within(frame: pd.DataFrame, district: str | None, street: str | None) -> pd.DataFrame:
    if district is None:
        return frame
    keep = frame["district"] == district
    if street is not None:
        keep &= frame["street"] == street
    return frame[keep]


def _visit_table(
    con: Connection, year: int, as_of: date, district: str | None, street: str | None, by: str
) -> pd.DataFrame:
    """Per department (`by` 'dept') or item class ('class'): visits in the scope, assigned,
    done, published, late and overdue on `as_of`."""
    facts = _in_scope(con, year, district, street)
    grp = "dept_code" if by == "dept" else "item_class"
    f = facts.drop_duplicates(["visit_id", grp])
    on = pd.Timestamp(as_of)
    done = f["status"].isin(STATUS_DONE)
    published_on = pd.to_datetime(f["published_on"])
    table = pd.DataFrame({
        "grp": f[grp],
        "assigned": f["dept_assigned"] if by == "dept" else f["assigned"],
        "done": done,
        "published": f["status"] == "published",
        "late": (pd.to_datetime(f["window_end"]) < on) & ~done,
        "overdue": f["due_on"].notna() & (f["due_on"] < on)
        & (published_on.isna() | (published_on > on)),
    })  # fmt: skip
    agg = table.groupby("grp").agg(
        visits=("grp", "size"), assigned=("assigned", "sum"), done=("done", "sum"),
        published=("published", "sum"), late=("late", "sum"), overdue=("overdue", "sum"),
    )  # fmt: skip
    return agg.astype("int64")


def _due(completed: pd.Series, holidays: dict) -> pd.Series:
    """The publication deadline of each completion date (NaT where not completed)."""
    done = pd.to_datetime(completed)
    days = sorted(set(done.dropna().dt.date))
    if not days:
        return pd.Series(pd.NaT, index=completed.index, dtype="datetime64[ns]")
    lookup = dict(zip(days, deadlines.due_dates(days, holidays), strict=True))
    return pd.to_datetime(done.dt.date.map(lookup))


def _planned_items_sql() -> str:
    return (
        "SELECT DISTINCT pi.item_code FROM plan_items pi JOIN plans p USING (plan_id) "
        "WHERE p.year = $year"
    )


def departments(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None,
) -> pd.DataFrame:  # fmt: skip
    """One row per department in the scope (see the module docstring)."""
    located = "TRUE"
    if district is not None:
        located = "d.district = $district" + ("" if street is None else " AND d.street = $street")
    sql = f"""
        WITH planned AS ({_planned_items_sql()}),
        it AS (SELECT dept_code, count(*) AS items,
                      count(*) FILTER (WHERE item_code IN (SELECT item_code FROM planned))
                          AS items_planned
               FROM items GROUP BY dept_code),
        pl AS (SELECT pd.dept_code, count(DISTINCT p.plan_id) AS plans,
                      count(DISTINCT p.plan_id) FILTER (WHERE p.plan_id IN
                          (SELECT plan_id FROM current_draws WHERE year = $year)) AS plans_drawn
               FROM plan_depts pd JOIN plans p USING (plan_id) WHERE p.year = $year
               GROUP BY pd.dept_code)
        SELECT d.dept_code, d.name, d.level, d.district, {located} AS located,
               coalesce(it.items, 0) AS items, coalesce(it.items_planned, 0) AS items_planned,
               coalesce(pl.plans, 0) AS plans, coalesce(pl.plans_drawn, 0) AS plans_drawn
        FROM departments d LEFT JOIN it USING (dept_code) LEFT JOIN pl USING (dept_code)
        ORDER BY d.dept_code
    """  # noqa: S608
    df = con.execute(sql, _params(year, district, street)).df()
    visits = _visit_table(con, year, as_of, district, street, "dept")
    df = df.join(visits, on="dept_code")
    for c in visits.columns:
        df[c] = df[c].fillna(0).astype("int64")
    df = df[df["located"] | (df["visits"] > 0)].drop(columns="located")
    df["plan_share"] = np.where(df["items"] > 0, df["items_planned"] / df["items"].clip(1), np.nan)
    return df.reset_index(drop=True)


def _sum_rows(df: pd.DataFrame, by: str) -> pd.DataFrame:
    cols = ["items", "items_planned", "plans", "plans_drawn", "visits", "assigned", "done",
            "published", "late", "overdue"]  # fmt: skip
    out = df.groupby(by, sort=False)[cols].sum().reset_index()
    out["plan_share"] = np.where(out["items"] > 0, out["items_planned"] / out["items"].clip(1), 0)
    return out


def by_level(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None, table: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The department table (`table`, if computed) summed per level, city to street."""
    table = departments(con, year, as_of, district, street) if table is None else table
    df = _sum_rows(table, "level")
    df["_o"] = df["level"].map({"city": 0, "district": 1, "street": 2})
    return df.sort_values("_o").drop(columns="_o").reset_index(drop=True)


def by_class(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Per item class: items of the scope's departments, the share in a plan this year, the
    year's plans of that class with a department of the scope and how many are drawn, and
    visit-class pairs (assigned, done, published, late, overdue)."""
    located = "TRUE"
    if district is not None:
        located = "d.district = $district" + ("" if street is None else " AND d.street = $street")
    sql = f"""
        WITH planned AS ({_planned_items_sql()})
        SELECT i.item_class, count(*) AS items,
               count(*) FILTER (WHERE i.item_code IN (SELECT item_code FROM planned))
                   AS items_planned
        FROM items i JOIN departments d USING (dept_code) WHERE {located}
        GROUP BY i.item_class ORDER BY i.item_class
    """  # noqa: S608
    df = con.execute(sql, _params(year, district, street)).df()
    plans = con.execute(
        f"""
        SELECT p.item_class, count(*) AS plans,
               count(*) FILTER (WHERE p.plan_id IN
                   (SELECT plan_id FROM current_draws WHERE year = $year)) AS plans_drawn
        FROM plans p
        WHERE p.year = $year AND EXISTS (
            SELECT 1 FROM plan_depts pd JOIN departments d USING (dept_code)
            WHERE pd.plan_id = p.plan_id AND {located})
        GROUP BY p.item_class
        """,  # noqa: S608
        _params(year, district, street),
    ).df()
    df = df.merge(plans, on="item_class", how="outer")
    visits = _visit_table(con, year, as_of, district, street, "class")
    df = df.join(visits, on="item_class", how="outer") if len(df) else visits.reset_index()
    df = df.rename(columns={"grp": "item_class"}) if "grp" in df.columns else df
    for c in ["items", "items_planned", "plans", "plans_drawn", *visits.columns]:
        # a street without departments or plans of its own: its visits only, no items
        df[c] = (df[c] if c in df.columns else pd.Series(0, index=df.index)).fillna(0)
        df[c] = df[c].astype("int64")
    df["plan_share"] = np.where(df["items"] > 0, df["items_planned"] / df["items"].clip(1), np.nan)
    return df.sort_values("item_class").reset_index(drop=True)


def headline(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Distinct visits in the scope and their progress; targets with a current tier."""
    f = _in_scope(con, year, district, street).drop_duplicates("visit_id")
    done = f["status"].isin(STATUS_DONE)
    visits, assigned, published = (
        len(f),
        int(f["assigned"].sum()),
        int((f["status"] == "published").sum()),
    )
    late = int(((pd.to_datetime(f["window_end"]) < pd.Timestamp(as_of)) & ~done).sum())
    done = int(done.sum())
    places = _within(tier_coverage(con), district, street)
    targets, tiered = int(places["targets"].sum()), int(places["tiered"].sum())
    return {
        "visits": visits, "assigned": assigned, "done": done, "published": published,
        "late": late, "targets": int(targets), "tiered": int(tiered),
        "tier_share": tiered / targets if targets else None,
    }  # fmt: skip


_TIERED: dict[tuple, pd.DataFrame] = {}


def tier_coverage(con: Connection) -> pd.DataFrame:
    """Targets and targets with a current credit-risk tier per (district, street), memoised per
    data_version. With risk in targets' row order (core/risk.py aligned: every target has its
    row) one grouped scan of targets; otherwise a join on the code."""
    key = _facts_key(con, 0)
    hit = _TIERED.get(key) if key[0] else None
    if hit is not None:
        return hit
    if risk.aligned(con):
        sql = ("SELECT district, street, count(*) AS targets, count(*) AS tiered "
               "FROM targets GROUP BY ALL")  # fmt: skip
    else:
        sql = ("SELECT t.district, t.street, count(*) AS targets, count(r.uscc) AS tiered "
               "FROM targets t LEFT JOIN (SELECT DISTINCT uscc FROM risk) r USING (uscc) "
               "GROUP BY ALL")  # fmt: skip
    df = con.execute(sql).df()
    if key[0]:
        _TIERED[key] = df
        if len(_TIERED) > 8:
            del _TIERED[next(iter(_TIERED))]
    return df


def platform(con: Connection, year: int) -> pd.DataFrame:
    """The platform figures (city-wide) against the year's targets: metric, actual, target
    (None when not set), gap (actual - target) and behind."""
    row = con.execute(
        """
        SELECT (SELECT count(DISTINCT dept_code) FROM items
                WHERE dept_code IN (SELECT dept_code FROM departments)),
               (SELECT count(*) FROM plans WHERE year = $year AND kind = 'single'),
               (SELECT count(*) FROM plans WHERE year = $year AND kind = 'joint'),
               (SELECT count(*) FROM items),
               (SELECT count(*) FROM targets),
               (SELECT count(*) FROM inspectors WHERE certified AND active)
        """,
        {"year": year},
    ).fetchone()
    actual = dict(zip(PLATFORM_METRICS, (int(v) for v in row), strict=True))
    targets = targets_for(con, year)
    rows = []
    for m in PLATFORM_METRICS:
        t = targets.get(m)
        rows.append(
            {
                "metric": m,
                "actual": actual[m],
                "target": t,
                "gap": None if t is None else actual[m] - t,
                "behind": t is not None and actual[m] < t,
            }  # fmt: skip
        )
    df = pd.DataFrame(rows)
    df["target"] = df["target"].astype("Int64")
    df["gap"] = df["gap"].astype("Int64")
    return df


def targets_for(con: Connection, year: int) -> dict[str, int]:
    """The year's platform targets set so far: metric -> target."""
    return {
        m: int(t)
        for m, t in con.execute(
            "SELECT metric, target FROM analytics_targets WHERE year = ?", [year]
        ).fetchall()
    }


def set_targets(con: Connection, year: int, values: dict[str, Any], actor: str) -> None:
    """Set (or replace) the year's platform targets, all or nothing, audited. Refused: an
    unknown metric, or a value that is not a whole number >= 0."""
    clean: dict[str, int] = {}
    for metric, value in values.items():
        if metric not in PLATFORM_METRICS:
            raise Refused("analytics.target_unknown", metric=metric)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise Refused("analytics.target_bad", metric=metric, value=value) from None
        if not np.isfinite(number) or number < 0 or number != int(number):
            raise Refused("analytics.target_bad", metric=metric, value=value)
        clean[metric] = int(number)
    if not 2000 <= int(year) <= 2100:
        raise Refused("analytics.target_year", year=year)
    now = datetime.now(TZ).isoformat(timespec="seconds")
    with unit_of_work(con, actor, "analytics.targets", {"year": year, "targets": clean}):
        for metric, target in clean.items():
            con.execute(
                "INSERT INTO analytics_targets VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (year, metric) DO UPDATE SET target = excluded.target, "
                "set_by = excluded.set_by, set_at = excluded.set_at",
                [year, metric, target, actor, now],
            )


def progress(con: Connection, year: int, as_of: date | None = None) -> pd.DataFrame:
    """The campaign day by day (1 Jan to 31 Dec, or its last publication), cumulative, in
    visits: drawn (a draw in force covers it: the earliest commit of its plans), assigned
    (first active assignment), inspected (completed), published, and overdue that day (done,
    unpublished, past its deadline). With `as_of` inside the year, the series ends there:
    overdue is never counted ahead of today."""
    sql = f"""
        WITH asg AS ({_assignments(con)}),
        st AS ({_status(con, simulated_only(con, year))}),
        drawn AS (SELECT vt.visit_id,
                         min(CAST(substr(cd.committed_at, 1, 10) AS DATE)) AS drawn_on
                  FROM visit_tasks vt JOIN current_draws cd USING (plan_id)
                  GROUP BY vt.visit_id),
        assigned AS (SELECT visit_id, min(on_day) AS assigned_on FROM asg GROUP BY visit_id)
        SELECT v.visit_id, d.drawn_on, a.assigned_on,
               CASE WHEN s.status IN ('review', 'done', 'published') THEN s.completed_on END
                   AS completed_on,
               CASE WHEN s.status = 'published' THEN s.published_on END AS published_on
        FROM visits v LEFT JOIN drawn d USING (visit_id) LEFT JOIN assigned a USING (visit_id)
        LEFT JOIN st s USING (visit_id)
        WHERE v.year = $year
    """  # noqa: S608
    facts = con.execute(sql, {"year": year}).df()
    # to 31 Dec, or later while the year's results are still being published
    last = pd.to_datetime(facts[["completed_on", "published_on"]].stack(), errors="coerce").max()
    end = max(pd.Timestamp(date(year, 12, 31)), last if pd.notna(last) else pd.Timestamp(0))
    if as_of is not None and date(year, 1, 1) <= as_of < end.date():
        end = pd.Timestamp(as_of)
    days = pd.date_range(date(year, 1, 1), end.date(), freq="D")
    out = pd.DataFrame({"day": days.date})
    for col, name in [("drawn_on", "drawn"), ("assigned_on", "assigned"),
                      ("completed_on", "inspected"), ("published_on", "published")]:  # fmt: skip
        on = pd.to_datetime(facts[col]).dropna().to_numpy().astype("datetime64[D]")
        out[name] = np.searchsorted(np.sort(on), days.to_numpy().astype("datetime64[D]"),
                                    side="right")  # fmt: skip
    # overdue on day d: deadline < d, and not published by d
    due = _due(facts["completed_on"], deadlines.holiday_table(con)).to_numpy()
    pub = pd.to_datetime(facts["published_on"]).to_numpy()
    has_due = ~pd.isna(due)
    due_d = np.sort(due[has_due].astype("datetime64[D]") + np.timedelta64(1, "D"))
    late_pub = has_due & ~pd.isna(pub)
    late_pub &= pub.astype("datetime64[D]") > due.astype("datetime64[D]")
    pub_d = np.sort(pub[late_pub].astype("datetime64[D]"))
    grid = days.to_numpy().astype("datetime64[D]")
    out["overdue"] = np.searchsorted(due_d, grid, side="right") - np.searchsorted(
        pub_d, grid, side="right"
    )
    return out


def behind(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None, table: pd.DataFrame | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Where the scope is behind, worst first: per department and measure (late visits,
    overdue publications, items without a plan this year), the gap and the total it is of."""
    df = departments(con, year, as_of, district, street) if table is None else table
    rows = []
    for measure, gap, of in [
        ("late", df["late"], df["visits"]),
        ("overdue", df["overdue"], df["done"]),
        ("unplanned_items", df["items"] - df["items_planned"], df["items"]),
    ]:
        part = pd.DataFrame(
            {"dept_code": df["dept_code"], "name": df["name"], "level": df["level"],
             "measure": measure, "gap": gap, "of": of}
        )  # fmt: skip
        rows.append(part[part["gap"] > 0])
    out = pd.concat(rows, ignore_index=True)
    out["share"] = out["gap"] / out["of"].clip(lower=1)
    order = {"late": 0, "overdue": 1, "unplanned_items": 2}
    out["_o"] = out["measure"].map(order)
    out = out.sort_values(["_o", "gap", "share", "dept_code"], ascending=[True, False, False, True])
    return out.drop(columns="_o").reset_index(drop=True)


def charts(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None, table: pd.DataFrame | None = None,
) -> dict[str, Any]:  # fmt: skip
    """What the coverage charts of a scope show (the presentation's slides, the briefing's):
    levels, classes, platform figures and progress; without the headline, which reads every
    target's tier. `table`: the department table, if computed."""
    table = departments(con, year, as_of, district, street) if table is None else table
    return {
        "levels": by_level(con, year, as_of, district, street, table),
        "classes": by_class(con, year, as_of, district, street),
        "platform": platform(con, year),
        "progress": progress(con, year, as_of),
    }


def report(
    con: Connection, year: int, as_of: date, district: str | None = None,
    street: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Everything the Coverage page shows for one scope, each query run once."""
    depts = departments(con, year, as_of, district, street)
    return {
        "simulated": simulated_only(con, year),
        "headline": headline(con, year, as_of, district, street),
        "departments": depts,
        "behind": behind(con, year, as_of, district, street, depts),
        **charts(con, year, as_of, district, street, depts),
    }


def districts(con: Connection) -> list[str]:
    """District names for the drill-down, in the districts table's order."""
    return [r[0] for r in con.execute("SELECT name FROM districts ORDER BY rowid").fetchall()]


def streets(con: Connection, district: str) -> list[str]:
    """The district's street names that targets carry, sorted."""
    return [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT street FROM targets WHERE district = ? ORDER BY street", [district]
        ).fetchall()
    ]


def today() -> date:
    """Today in Shanghai (the page's as-of date)."""
    return deadlines.today()
