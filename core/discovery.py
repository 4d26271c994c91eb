"""The problem-discovery rate, told honestly: checks with a problem over checks done, by group,
with Wilson intervals; whether tiers differ (chi-square); the population's share estimated with
the draw's inclusion probabilities (Horvitz-Thompson) beside the raw rate; the lift of the
risk-targeted draw; this year against last; the trend by month. The estimate's standard error
counts a target checked for several items, or drawn by several plans of a coordinated draw, as
the one drawn target it is (docs/statistics.md; core/stats.py linear_variance).

Where the checks come from (`source`):
- 'results': the results issue's `results` (one row per task: visit x plan x item) of visits
  reviewed (`visit_status` done or published), real results only (simulated rows stay out);
  the tier is the one the target was drawn in (draw_selections of the plan's draw in force);
- 'past': `past_inspections` (last year, one row per inspection, no plan or item recorded),
  tiers as scored now. The year's draw design was not recorded, so its population estimate is
  post-stratified by tier (N_h = targets in tier h now), which the page says.
A year with results uses them; otherwise past_inspections of that year, if any.

A check is one task. Excluded outcomes (target closed, moved, deregistered, activity not carried
on) leave the denominator: `counted` false. Groups with fewer than MIN_GROUP counted checks are
flagged `small` and not ranked: their rate is shown, with its wide interval, never in a league
table."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from core import db, settings, stats, target_lookup
from core.db import Connection, registered

MIN_GROUP = int(settings.value("small_group_checks"))  # flagged below, not ranked
DIMENSIONS: tuple[str, ...] = (
    "tier", "item_class", "dept", "district", "street", "industry", "month",
)  # fmt: skip
REVIEWED = ("done", "published")


def table_exists(con: Connection, table: str, columns: tuple[str, ...] = ()) -> bool:
    """True when `table` exists with at least these columns."""
    found = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall()
    }
    return bool(found) and set(columns) <= found


def results_tables(con: Connection) -> bool:
    """Have the results issue's tables (CONTRACTS.md) landed in this database?"""
    return table_exists(
        con, "results", ("visit_id", "plan_id", "item_code", "problem_found", "counted")
    ) and table_exists(con, "visit_status", ("visit_id", "status", "completed_on"))


def source(con: Connection, year: int) -> str | None:
    """'results' when the year has reviewed real results; 'simulated' when its reviewed results
    are all simulated (core/results/simulate.py: a demonstration on synthetic data, which the
    pages then say); else 'past' when past_inspections holds the year; else None. Real and
    simulated results are never mixed: one real result puts every simulated one aside."""
    if results_tables(con):
        real, simulated = con.execute(
            "SELECT count(*) FILTER (WHERE NOT coalesce(r.simulated, FALSE)), "
            "count(*) FILTER (WHERE coalesce(r.simulated, FALSE)) "
            "FROM results r JOIN visits v USING (visit_id) JOIN visit_status s USING (visit_id) "
            "WHERE v.year = ? AND s.status IN ('done', 'published')",
            [year],
        ).fetchone()
        if real:
            return "results"
        if simulated:
            return "simulated"
    row = con.execute(
        "SELECT count(*) FROM past_inspections WHERE year(inspected_on) = ?", [year]
    ).fetchone()
    return "past" if row[0] else None


def years(con: Connection) -> list[int]:
    """Years with checks to report or a campaign's plans, newest first."""
    found = {
        int(r[0])
        for r in con.execute(
            "SELECT DISTINCT year(inspected_on) FROM past_inspections "
            "UNION SELECT DISTINCT year FROM plans"
        ).fetchall()
    }
    if results_tables(con):
        found |= {
            int(r[0])
            for r in con.execute(
                "SELECT DISTINCT v.year FROM results r JOIN visits v USING (visit_id) "
                "JOIN visit_status s USING (visit_id) "
                "WHERE s.status IN ('done', 'published')"
            ).fetchall()
        }
    return sorted(found, reverse=True)


# One row per check of year $year, without the target's place (joined once for every year by
# _checks_sql): uscc, plan_id, item_code, dept_code, item_class, drawn_tier (the tier the target
# was drawn in for that plan), checked_on, problem_found, counted.
_RESULT_BASE = """
    SELECT v.uscc, r.plan_id, r.item_code, i.dept_code, i.item_class, s.tier AS drawn_tier,
           coalesce(r.completed_on, vs.completed_on) AS checked_on,
           coalesce(r.problem_found, FALSE) AS problem_found, coalesce(r.counted, TRUE) AS counted
    FROM results r
    JOIN visits v USING (visit_id)
    JOIN visit_status vs USING (visit_id)
    LEFT JOIN items i ON i.item_code = r.item_code
    LEFT JOIN (SELECT cd.plan_id, ds.uscc, ds.tier
               FROM current_draws cd JOIN draw_selections ds USING (draw_id)
               WHERE cd.year = $year) s ON s.plan_id = r.plan_id AND s.uscc = v.uscc
    WHERE v.year = $year AND vs.status IN ('done', 'published')
      AND coalesce(r.simulated, FALSE) = $simulated
"""

_PAST_BASE = """
    SELECT p.uscc, NULL::VARCHAR AS plan_id, NULL::VARCHAR AS item_code,
           NULL::VARCHAR AS dept_code, NULL::VARCHAR AS item_class, NULL::VARCHAR AS drawn_tier,
           p.inspected_on AS checked_on, p.problem_found, TRUE AS counted
    FROM past_inspections p
    WHERE year(p.inspected_on) = $year
"""


def _bases(kinds: dict[int, str | None]) -> tuple[str, dict[str, Any]]:
    """One row per check of each year in `kinds` (column yi, the year's position), without the
    target's place: the UNION ALL of each year's base query."""
    parts, params = [], {}
    for i, (year, kind) in enumerate(sorted(kinds.items())):
        base = {"results": _RESULT_BASE, "simulated": _RESULT_BASE, "past": _PAST_BASE}.get(
            kind, _PAST_BASE + " AND FALSE"
        )
        base = base.replace("$year", f"$year{i}").replace("$simulated", f"$sim{i}")
        parts.append(f"SELECT {i} AS yi, * FROM ({base})")  # noqa: S608
        params[f"year{i}"] = year
        if kind in ("results", "simulated"):
            params[f"sim{i}"] = kind == "simulated"
    return " UNION ALL ".join(parts), params


PLACES = "_discovery_places"  # the checked targets' places, registered for one query


def places(con: Connection, checks_sql: str, params: dict[str, Any]) -> pa.Table:
    """The place, industry and current tier of every target the checks name (uscc, district,
    street, industry, risk_tier): rows fetched by position (core/target_lookup.py rows_of),
    never a scan of the whole directory to place some 100,000 checks."""
    rows = target_lookup.rows_of(
        con, checks_sql, params, ("district", "street", "industry"), risk=("tier",)
    ).drop_columns(["_row"])
    return rows.rename_columns(["risk_tier" if c == "tier" else c for c in rows.column_names])


def _checks_sql(kinds: dict[int, str | None]) -> tuple[str, dict[str, Any]]:
    """One row per check of each year in `kinds` (column yi), with the target's district,
    street, industry division and tier (drawn tier, else the current one) from the registered
    PLACES."""
    bases, params = _bases(kinds)
    sql = f"""
        SELECT b.yi, b.uscc, b.plan_id, b.item_code, b.dept_code, b.item_class,
               coalesce(b.drawn_tier, t.risk_tier) AS tier, t.district, t.street,
               substr(t.industry, 1, 2) AS industry, b.checked_on, b.problem_found, b.counted
        FROM ({bases}) b LEFT JOIN {PLACES} t ON t.uscc = b.uscc
    """  # noqa: S608 (fixed fragments of this module)
    return sql, params


def _with_intervals(df: pd.DataFrame) -> pd.DataFrame:
    """rate, Wilson low/high, small flag and rank (large groups only, highest rate first)."""
    df = df.copy()
    n = df["checks"].to_numpy(dtype=float)
    k = df["problems"].to_numpy(dtype=float)
    df["rate"] = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    df["low"], df["high"] = stats.wilson_arrays(k, n)
    df["small"] = df["checks"] < MIN_GROUP
    ranked = df[~df["small"]]
    ranks = ranked.groupby("dimension")["rate"].rank(method="min", ascending=False)
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[ranks.index, "rank"] = ranks.astype("Int64")
    return df


# The grouping sets of one pass over the checks: every dimension, and the strata of the
# population estimate (plan, item, tier).
GROUP_COLUMNS = ("tier", "item_class", "dept_code", "district", "street", "industry", "month",
                 "plan_id", "item_code")  # fmt: skip
SETS: dict[str, tuple[str, ...]] = {
    "overall": (), "tier": ("tier",), "item_class": ("item_class",), "dept": ("dept_code",),
    "district": ("district",), "street": ("district", "street"), "industry": ("industry",),
    "month": ("month",), "strata": ("plan_id", "item_code", "tier"),
}  # fmt: skip


def _bits(present: tuple[str, ...]) -> int:
    """What grouping() returns for a set: one bit per column left out, first column highest."""
    n = len(GROUP_COLUMNS)
    return sum(1 << (n - 1 - i) for i, c in enumerate(GROUP_COLUMNS) if c not in present)


def grouped_years(con: Connection, kinds: dict[int, str | None]) -> dict[int, pd.DataFrame]:
    """Per year: counts of checks, problems and excluded per grouping set (column `g`), all the
    years in one query."""
    sets = ", ".join("(yi" + "".join(f", {c}" for c in cols) + ")" for cols in SETS.values())
    cols = ", ".join(GROUP_COLUMNS)
    checks, params = _checks_sql(kinds)
    sql = f"""
        WITH checks AS ({checks})
        SELECT yi, grouping({cols}) AS g, {cols},
               count(*) FILTER (WHERE counted) AS checks,
               count(*) FILTER (WHERE counted AND problem_found) AS problems,
               count(*) FILTER (WHERE NOT counted) AS excluded
        FROM (SELECT *, strftime(checked_on, '%Y-%m') AS month FROM checks)
        GROUP BY GROUPING SETS ({sets})
    """  # noqa: S608 (fixed SQL of this module)
    with registered(con, PLACES, places(con, _bases(kinds)[0], params)):
        raw = con.execute(sql, params).df()
    years = sorted(kinds)
    return {y: raw[raw["yi"] == i].drop(columns="yi").reset_index(drop=True)
            for i, y in enumerate(years)}  # fmt: skip


def grouped(con: Connection, year: int, kind: str | None | bool = False) -> pd.DataFrame:
    """Counts of checks, problems and excluded per grouping set (column `g`), one query."""
    kind = source(con, year) if kind is False else kind
    return grouped_years(con, {year: kind})[year]


def _set(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    return raw[raw["g"] == _bits(SETS[name])]


def rates(
    con: Connection, year: int, kind: str | None | bool = False, raw: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Discovery rate overall and per group of every dimension.

    Columns: dimension ('overall' or one of DIMENSIONS), key (the group's code), name (its
    display name from the registry, e.g. the department's), checks (counted), problems,
    excluded, rate, low, high (95 % Wilson), small, rank. `kind`: the source if known; `raw`:
    grouped() if already computed."""
    raw = grouped(con, year, kind) if raw is None else raw
    names = {
        "dept": dict(con.execute("SELECT dept_code, name FROM departments").fetchall()),
        "industry": dict(
            con.execute("SELECT DISTINCT division, division_name FROM industries").fetchall()
        ),
    }
    column = {"tier": "tier", "item_class": "item_class", "dept": "dept_code",
              "district": "district", "street": "street", "industry": "industry",
              "month": "month"}  # fmt: skip
    parts = []
    for dim in ("overall", *DIMENSIONS):
        part = _set(raw, dim)
        if dim == "overall":
            keys = pd.Series(["all"] * len(part), index=part.index)
            shown = keys
        else:
            keys = part[column[dim]]
            if dim == "street":
                keys = part["district"].astype(str) + "/" + part["street"].astype(str)
                shown = part["street"]
            elif dim in names:
                shown = keys.map(lambda v, d=names[dim]: d.get(v, v))
            else:
                shown = keys
        parts.append(
            pd.DataFrame(
                {
                    "dimension": dim,
                    "key": keys.astype(object),
                    "name": shown.astype(object),
                    "checks": part["checks"],
                    "problems": part["problems"],
                    "excluded": part["excluded"],
                }  # fmt: skip
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out = out[out["key"].notna()].reset_index(drop=True)
    for c in ("checks", "problems", "excluded"):
        out[c] = out[c].astype("int64")
    out = _with_intervals(out)
    order = {d: i for i, d in enumerate(("overall", *DIMENSIONS))}
    out["_o"] = out["dimension"].map(order)
    out = out.sort_values(["_o", "small", "rate", "key"], ascending=[True, True, False, True])
    return out.drop(columns="_o").reset_index(drop=True)


def overall(
    con: Connection, year: int, table: pd.DataFrame | None = None, kind: str | None | bool = False
) -> dict[str, Any]:
    """The headline: checks, problems, excluded, rate and its Wilson interval, the source.
    `table`: the year's rates() if already computed."""
    kind = source(con, year) if kind is False else kind
    table = rates(con, year, kind) if table is None else table
    row = table[table["dimension"] == "overall"]
    n, k, excluded = (int(row[c].sum()) for c in ("checks", "problems", "excluded"))
    lo, hi = stats.wilson(k, n)
    return {"year": year, "source": kind, "checks": n, "problems": k,
            "excluded": excluded, "rate": k / n if n else None, "low": lo, "high": hi}  # fmt: skip


def strata(
    con: Connection, year: int, kind: str | None | bool = False, raw: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The strata of the population estimate: population (N_h), checks (n_h, counted),
    problems (k_h).

    'results': a stratum is (plan, item, tier): the plan's frame of that tier, each member
    checked for that item if drawn (a simple random sample of the stratum frame, so N_h is the
    frame size of draw_strata, every plan item of every plan in force listed, with or without
    checks). 'past': a stratum is a tier; N_h the targets scored in it now."""
    kind = source(con, year) if kind is False else kind
    raw = grouped(con, year, kind) if raw is None else raw
    if kind in ("results", "simulated"):
        frame = con.execute(
            """
            SELECT cd.plan_id, pi.item_code, ds.tier, ds.frame_size AS population
            FROM current_draws cd JOIN draw_strata ds USING (draw_id)
            JOIN plan_items pi ON pi.plan_id = cd.plan_id
            WHERE cd.year = ? AND ds.frame_size > 0
            ORDER BY ALL
            """,
            [year],
        ).df()
        keys = ["plan_id", "item_code", "tier"]
        got = _set(raw, "strata")[[*keys, "checks", "problems"]]
    else:
        frame = con.execute(
            "SELECT NULL::VARCHAR AS plan_id, NULL::VARCHAR AS item_code, tier, "
            "count(*) AS population FROM risk GROUP BY tier ORDER BY tier"
        ).df()
        keys = ["tier"]
        got = _set(raw, "tier")[["tier", "checks", "problems"]]
    df = frame.merge(got, on=keys, how="left")
    df["checks"] = df["checks"].fillna(0).astype("int64")
    df["problems"] = df["problems"].fillna(0).astype("int64")
    # a stratum cannot hold more checks than members (a target checked twice for one item)
    df["checks"] = np.minimum(df["checks"], df["population"])
    df["problems"] = np.minimum(df["problems"], df["checks"])
    return df


# One row per counted check placed in its stratum: the target, plan, item and the tier it was
# drawn in, whether a problem was found (a task recorded twice counts once), and the random
# numbers its plan drew with (draws.prn_seed: the campaign seed in coordinated mode, so every plan
# shares each target's number; seed|plan in independent mode).
_UNIT_CHECKS_SQL = """
SELECT v.uscc, r.plan_id, r.item_code, s.tier, bool_or(coalesce(r.problem_found, FALSE)) AS problem,
       any_value(s.coordination) AS coordination
FROM results r
JOIN visits v USING (visit_id)
JOIN visit_status vs USING (visit_id)
JOIN (SELECT cd.plan_id, ds.uscc, ds.tier,
             coalesce(cd.prn_seed, CASE WHEN cd.mode = 'coordinated' THEN cd.seed
                                        ELSE cd.seed || '|' || cd.plan_id END) AS coordination
      FROM current_draws cd JOIN draw_selections ds USING (draw_id)
      WHERE cd.year = $year) s ON s.plan_id = r.plan_id AND s.uscc = v.uscc
WHERE v.year = $year AND vs.status IN ('done', 'published')
  AND coalesce(r.simulated, FALSE) = $simulated AND coalesce(r.counted, TRUE)
GROUP BY v.uscc, r.plan_id, r.item_code, s.tier
"""


def unit_checks(con: Connection, year: int, kind: str) -> pd.DataFrame:
    """The year's counted checks of reviewed results (`kind` 'results' or 'simulated'), one row
    per (target, plan, item): uscc, plan_id, item_code, tier, problem, coordination."""
    # through Arrow: the same frame, a third faster than the DB-API's row conversion
    params = {"year": year, "simulated": kind == "simulated"}
    return db.arrow(con, _UNIT_CHECKS_SQL, params).to_pandas()


def _ranks(codes: pd.Series) -> np.ndarray:
    """Each code's rank among the distinct codes (sorted): the estimate groups and orders
    targets, plans and random-number labels exactly as by the text, on integers (160,000
    checks at full scale: grouping text twice per estimate cost a quarter second)."""
    return pd.factorize(codes.to_numpy(dtype=object), sort=True)[0]


def estimate_from_checks(
    st: pd.DataFrame, checks: pd.DataFrame
) -> tuple[stats.Estimate, stats.Lift]:
    """The HT share and the lift over the strata `st` (plan_id, item_code, tier, population)
    from the checks (unit_checks' columns), with standard errors that count a target checked by
    several plans, or for several items, as the one drawn target it is (core/stats.py
    linear_variance, docs/statistics.md). Checks outside the strata are left out."""
    keys = pd.MultiIndex.from_frame(st[["plan_id", "item_code", "tier"]])
    index = keys.get_indexer(pd.MultiIndex.from_frame(checks[["plan_id", "item_code", "tier"]]))
    placed = checks[index >= 0]
    data = stats.Checks.of(
        st["population"].to_numpy(), index[index >= 0], _ranks(placed["uscc"]),
        _ranks(placed["plan_id"]), placed["problem"].to_numpy(dtype=float),
        _ranks(placed["coordination"]),
    )  # fmt: skip
    groups = st["tier"].astype(str).to_numpy()  # one-check strata borrow their tier's rate
    return stats.ht_share_checks(data, groups=groups), stats.lift_checks(data, groups=groups)


def population_estimate(
    con: Connection, year: int, table: pd.DataFrame | None = None,
    kind: str | None | bool = False, raw: pd.DataFrame | None = None,
) -> dict[str, Any]:  # fmt: skip
    """HT estimate of the population share beside the raw rate, the lift of the targeted draw
    over a uniform draw of the same size, and the checks the estimate could not place in a
    stratum (a plan without a draw in force, say).

    With results, the standard errors come from the checks (estimate_from_checks): a plan's
    items are checked on the same drawn targets and a coordinated draw selects the same targets
    for several plans, so strata are not independent. Last year's inspections (post-stratified
    by tier, one inspection per row) keep the independent strata's formula."""
    kind = source(con, year) if kind is False else kind
    st = strata(con, year, kind, raw)
    if kind in ("results", "simulated"):
        est, lift = estimate_from_checks(st, unit_checks(con, year, kind))
    else:
        groups = st["tier"].astype(str).to_numpy()  # one-check strata borrow their tier's rate
        est = stats.ht_share(st["population"], st["checks"], st["problems"], groups=groups)
        lift = stats.lift(st["population"], st["checks"], st["problems"], groups=groups)
    head = overall(con, year, table, kind)
    return {
        "year": year, "source": kind,
        "design": "plan_item_tier" if kind in ("results", "simulated") else "post_stratified_tier",
        "estimate": asdict(est), "lift": asdict(lift),
        "raw_rate": head["rate"], "raw_low": head["low"], "raw_high": head["high"],
        "checks_in_strata": int(st["checks"].sum()), "checks": head["checks"],
        "unplaced_checks": head["checks"] - int(st["checks"].sum()),
    }  # fmt: skip


def tier_test(con: Connection, year: int, table: pd.DataFrame | None = None) -> dict[str, Any]:
    """Do the tiers' discovery rates differ? Chi-square across tiers."""
    df = rates(con, year) if table is None else table
    df = df[df["dimension"] == "tier"]
    return asdict(stats.rates_differ(df["problems"], df["checks"]))


def _both(con: Connection, year: int, tables: dict[int, pd.DataFrame] | None):
    return tables if tables is not None else {y: rates(con, y) for y in (year - 1, year)}


def compare_years(
    con: Connection, year: int, tables: dict[int, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """This year against last, overall and per tier: one row per (year, tier or 'all')."""
    rows = []
    for y, df in sorted(_both(con, year, tables).items()):
        df = df[df["dimension"].isin(["overall", "tier"])]
        for r in df.itertuples():
            rows.append(
                {"year": y, "group": r.key, "checks": r.checks,
                 "problems": r.problems, "rate": r.rate, "low": r.low, "high": r.high}
            )  # fmt: skip
    return pd.DataFrame(
        rows, columns=["year", "group", "checks", "problems", "rate", "low", "high"]
    )


def year_difference(
    con: Connection, year: int, tables: dict[int, pd.DataFrame] | None = None,
    kinds: dict[int, str | None] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The overall change from last year and the two-proportion test's p-value. `kinds`: the
    years' sources, if known."""
    both, kinds = _both(con, year, tables), kinds or {}
    a = overall(con, year - 1, both[year - 1], kinds.get(year - 1, False))
    b = overall(con, year, both[year], kinds.get(year, False))
    p = stats.two_proportions(a["problems"], a["checks"], b["problems"], b["checks"])
    diff = b["rate"] - a["rate"] if a["rate"] is not None and b["rate"] is not None else None
    return {"last": a, "this": b, "difference": diff, "p_value": p}


def monthly(
    con: Connection, year: int, tables: dict[int, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """The discovery rate by month of this year and last (month as 01..12 for one axis)."""
    parts = []
    for y, df in sorted(_both(con, year, tables).items()):
        df = df[df["dimension"] == "month"].copy()
        df["year"] = y
        df["month_no"] = df["key"].str[5:7]
        parts.append(df)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["year", "month_no"]).reset_index(drop=True)


def report(con: Connection, year: int) -> dict[str, Any]:
    """Everything the Discovery page, the presentation and the briefing show for `year`, each
    query run once: rates of this year and last, the population estimate, the tier test, the
    comparison of the years and the monthly trend."""
    kinds = {y: source(con, y) for y in (year - 1, year)}
    raws = grouped_years(con, kinds)
    tables = {y: rates(con, y, kinds[y], raws[y]) for y in (year - 1, year)}
    return {
        "year": year,
        "source": kinds[year],
        "rates": tables[year],
        "overall": overall(con, year, tables[year], kinds[year]),
        "last": overall(con, year - 1, tables[year - 1], kinds[year - 1]),
        "population": population_estimate(con, year, tables[year], kinds[year], raws[year]),
        "tiers": tier_test(con, year, tables[year]),
        "years": year_difference(con, year, tables, kinds),
        "compare": compare_years(con, year, tables),
        "monthly": monthly(con, year, tables),
    }
