"""Merging visits, "进一次门、查多项事": the campaign's drawn targets become visits, and the four
rounds of Shenzhen's practice are measured as visits removed against a baseline.

Units
- A *task* is (plan, item); a *task-target pair* is a task drawn for a target: every item of a
  plan is checked at each target the plan drew.
- A *department visit* is (plan, department, target) with the department one of the plan's
  `plan_depts`: what would happen if every department went alone.

Window rule (系统对碰 "by USCC and period")
A plan's tasks at a target must happen within the plan's period [period_start, period_end].
Tasks of one target whose periods share a day can be done in one visit. For each target the
visits are fixed by the earliest-deadline rule: take the earliest period end `d` among the target's
unassigned plans; every unassigned plan whose period starts on or before `d` joins a visit on `d`;
repeat. This gives the fewest visits that respect every period (classic interval stabbing), and a
visit's window, on any day of which it may take place, is [latest start, `d`] of its plans. Windows
of one target never overlap.

Rounds (each in visits removed; baseline - r1 - r2 - r3 - r4 = final visits)
- baseline: sum over plans of drawn targets x departments of the plan (plan_depts), i.e. every
  department visit counted once, as if each department went alone.
- 1 计划联合 (joint plans): a joint plan's departments are merged before the draw, so each of its
  drawn targets needs one visit, not one per department:
  r1 = baseline - P, with P = plan-target pairs.
- 2 集中抽取 (coordinated draw) and 3 系统对碰 (cross-check by USCC and period): the cross-check
  turns P plan-target pairs into V visits by the window rule; P - V visits are removed in all.
  Part of that overlap would occur by chance; coordination (one seed for the campaign) creates
  the rest.
  The chance part is measured on the independent-mode draw of the same campaign (same plans, same
  quotas, P_i pairs, V_i visits after cross-check): r3 = round(P x (P_i - V_i) / P_i) and
  r2 = (P - V) - r3 (r3 at most P - V). With equal quotas P_i = P, so r3 = P - V_i and
  r2 = V_i - V exactly.
  An independent-mode draw has r2 = 0; so has a draw merged without a counterpart (then its
  whole overlap shows as r3 and `counterpart_measured` is False).
- 4 任务整合 (task integration): a remaining visit whose window holds an inspection already
  scheduled for that target (scheduled_inspections: complaint follow-ups, licence checks,
  re-inspections) is folded into it: r4 = number of such visits; final = V - r4.

Visit identity and desk checks
A visit's id is derived from what it is: V{year}-{uscc}-{window_start:%Y%m%d} (a target's windows
never overlap, so the window start names the visit); the same draws merged again give the same
ids. A visit whose every task's item is off-site (items.method = 'offsite', 非现场检查) is a
desk check (visits.kind = 'desk'): no door is knocked, it is counted apart (desk_checks), it is
not folded into a scheduled inspection in round 4, and it still gets two inspectors. Once a
visit is held (active assignments, a result, or a status past pending), a re-merge keeps it
untouched and refuses (merge.visits_held) if it would delete the visit or change its tasks.

Per department, district and level (merge_breakdown) the same stages are shared out: a department
visit is 1 unit at baseline, 1/(departments of its plan) after round 1, 1/(department visits
in its visit) after round 3, and 0 after round 4 if its visit was folded into a scheduled
inspection. A group's removals per round are the differences of its stage totals, so groups add up
to the campaign's figures (a department's share is fractional). The split between rounds 2 and 3
uses the group's own chance-overlap rate in the counterpart, so only r2 + r3 adds up exactly
across groups.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from core.db import Connection
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work

ROUNDS: tuple[tuple[str, str], ...] = (
    ("joint_plans", "计划联合"),
    ("coordinated_draw", "集中抽取"),
    ("cross_check", "系统对碰"),
    ("task_integration", "任务整合"),
)
DIMENSIONS = ("department", "district", "level")
MAX_WINDOW_ROUNDS = 400  # a year holds at most 366 one-day periods per target

Selections = pd.DataFrame | pa.Table | duckdb.DuckDBPyRelation


class NoCommittedDraw(LookupError):
    """The campaign has no committed draw to merge."""


@dataclass
class MergeResult:
    """One merge's figures: the four rounds against the baseline, plus the visits it built."""

    year: int
    mode: str
    baseline_visits: int
    plan_pairs: int
    task_pairs: int
    visits_cross_checked: int  # V: visits after round 3, before round 4
    removed: dict[str, int]  # round key -> visits removed
    final_visits: int  # onsite visits plus desk checks
    counterpart_measured: bool
    desk_checks: int = 0  # of final_visits: every task off-site (非现场检查), no door knocked
    draw_ids: list[str] = field(default_factory=list)
    independent: MergeResult | None = None  # the counterpart merged on its own, when given
    seconds: dict[str, float] = field(default_factory=dict)  # where merge_campaign spent time

    @property
    def total_removed(self) -> int:
        return self.baseline_visits - self.final_visits

    @property
    def savings_pct(self) -> float:
        return (
            round(100 * self.total_removed / self.baseline_visits, 2)
            if self.baseline_visits
            else 0.0
        )

    def summary(self) -> dict[str, Any]:
        """The CLI's JSON object: baseline_pairs, visits, removed, savings_pct, rounds."""
        return {
            "year": self.year,
            "mode": self.mode,
            "baseline_pairs": self.baseline_visits,
            "plan_pairs": self.plan_pairs,
            "task_pairs": self.task_pairs,
            "visits": self.final_visits,
            "onsite_visits": self.final_visits - self.desk_checks,
            "desk_checks": self.desk_checks,
            "removed": self.total_removed,
            "savings_pct": self.savings_pct,
            "rounds": [
                {"key": key, "name": name, "removed": self.removed[key]} for key, name in ROUNDS
            ],
            "counterpart_measured": self.counterpart_measured,
        }


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def current_draws(con: Connection, year: int) -> pd.DataFrame:
    """The campaign's draws in force: (draw_id, plan_id, mode, seed), from the schema's
    current_draws view (a superseded draw is not current; one draw per plan)."""
    return con.execute(
        "SELECT draw_id, plan_id, mode, seed FROM current_draws WHERE year = ? ORDER BY plan_id",
        [year],
    ).df()


def committed_selections(con: Connection, year: int) -> pd.DataFrame:
    """(plan_id, uscc) drawn by the campaign's current committed draws."""
    return con.execute(
        """
        WITH cur AS (SELECT draw_id FROM current_draws WHERE year = ?)
        SELECT s.plan_id, s.uscc FROM draw_selections s JOIN cur USING (draw_id)
        ORDER BY s.plan_id, s.uscc
        """,
        [year],
    ).df()


def independent_counterpart(con: Connection, year: int) -> pd.DataFrame:
    """The independent-mode draw of the campaign with the committed draws' secret, beacon and
    ratios: the baseline that measures what coordination (round 2) saves. Stored once when the
    draws were committed (core.sampling.commit); computed here only for older draws."""
    from core import sampling

    stored = sampling.independent_counterpart(con, year)  # kept when the draws were committed
    if stored is not None:
        return stored.reset_index(drop=True)
    row = con.execute(
        """
        SELECT d.secret, d.beacon FROM current_draws d WHERE d.year = ?
        GROUP BY ALL ORDER BY count(*) DESC, max(d.committed_at) DESC LIMIT 1
        """,
        [year],
    ).fetchone()
    if row is None:
        raise NoCommittedDraw(f"no committed draw for {year}")
    secret, beacon = row
    draw = sampling.preview(con, year, secret=secret, beacon=beacon, mode="independent")
    return draw.selections[["plan_id", "uscc"]].reset_index(drop=True)


def _as_arrow(selections: Selections) -> pa.Table:
    if isinstance(selections, duckdb.DuckDBPyRelation):
        table = selections.select("plan_id, uscc").arrow()
        return table.read_all() if hasattr(table, "read_all") else table
    if isinstance(selections, pd.DataFrame):
        missing = {"plan_id", "uscc"} - set(selections.columns)
        if missing:
            raise ValueError(f"selections lack column(s) {sorted(missing)}")
        return pa.Table.from_pandas(selections[["plan_id", "uscc"]], preserve_index=False)
    if isinstance(selections, pa.Table):
        return selections.select(["plan_id", "uscc"])
    raise TypeError(
        f"selections must be a DataFrame, Arrow table or DuckDB relation, not {type(selections)}"
    )


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------


def _load(con: Connection, selections: Selections, prefix: str) -> int:
    """Selections -> temp table {prefix}_pairs (plan-target pairs with period, departments);
    checks them and returns the campaign year."""
    # A replacement scan of the local Arrow table (register() refuses while an earlier result on
    # the connection is unfinished, e.g. after a fetchone()).
    merge_input = _as_arrow(selections)  # noqa: F841 (read by the SQL below)
    con.execute("CREATE OR REPLACE TEMP TABLE _merge_input AS SELECT * FROM merge_input")
    bad = con.execute(
        "SELECT s.plan_id FROM _merge_input s ANTI JOIN plans p USING (plan_id) LIMIT 1"
    ).fetchall()
    if bad:
        raise ValueError(f"selections name plan {bad[0][0]!r}, which is not in plans")
    dup = con.execute(
        "SELECT plan_id, uscc FROM _merge_input GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
    ).fetchall()
    if dup:
        raise ValueError(f"target {dup[0][1]} is selected twice for plan {dup[0][0]}")
    years = [r[0] for r in con.execute(
        "SELECT DISTINCT p.year FROM _merge_input s JOIN plans p USING (plan_id) ORDER BY 1"
    ).fetchall()]  # fmt: skip
    if len(years) > 1:
        raise ValueError(f"selections span several campaign years: {years}")
    upside_down = con.execute(
        "SELECT DISTINCT p.plan_id FROM _merge_input s JOIN plans p USING (plan_id) "
        "WHERE p.period_start > p.period_end ORDER BY 1 LIMIT 1"
    ).fetchall()
    if upside_down:
        raise ValueError(f"plan {upside_down[0][0]}: period_start is after period_end")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {prefix}_pairs AS
        SELECT s.plan_id, s.uscc, p.period_start AS ps, p.period_end AS pe
        FROM _merge_input s JOIN plans p USING (plan_id)
        """  # noqa: S608 (prefix is an internal constant)
    )
    return years[0] if years else 0


def _cross_check(con: Connection, prefix: str, year: int) -> None:
    """{prefix}_pairs -> {prefix}_assigned (plan_id, uscc, visit_no, window_start, window_end) by
    the earliest-deadline rule, one set-based pass per visit number."""
    p = prefix
    con.execute(f"CREATE OR REPLACE TEMP TABLE {p}_rest AS SELECT * FROM {p}_pairs")  # noqa: S608
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {p}_assigned (plan_id VARCHAR, uscc VARCHAR, "
        "visit_no INTEGER, cut DATE)"
    )
    for visit_no in range(1, MAX_WINDOW_ROUNDS + 1):
        con.execute(
            f"""
            INSERT INTO {p}_assigned
            SELECT r.plan_id, r.uscc, $n, c.cut
            FROM {p}_rest r JOIN (SELECT uscc, min(pe) AS cut FROM {p}_rest GROUP BY uscc) c
                 USING (uscc)
            WHERE r.ps <= c.cut
            """,  # noqa: S608 (prefix is an internal constant)
            {"n": visit_no},
        )
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {p}_rest AS
            SELECT r.* FROM {p}_rest r ANTI JOIN
                (SELECT plan_id, uscc FROM {p}_assigned WHERE visit_no = $n) a
                USING (plan_id, uscc)
            """,  # noqa: S608 (prefix is an internal constant)
            {"n": visit_no},
        )
        if con.execute(f"SELECT count(*) FROM {p}_rest").fetchall()[0][0] == 0:  # noqa: S608
            break
    else:  # every pass assigns each target's earliest-ending pair, so this cannot happen
        raise RuntimeError("cross-check did not assign every task-target pair")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {p}_visits AS
        SELECT 'V' || $year || '-' || uscc || '-' || strftime(window_start, '%Y%m%d') AS visit_id,
               *
        FROM (
            SELECT CAST($year AS INTEGER) AS year, a.uscc, a.visit_no,
                   max(pr.ps) AS window_start, any_value(a.cut) AS window_end,
                   count(*) AS n_plans
            FROM {p}_assigned a JOIN {p}_pairs pr USING (plan_id, uscc)
            GROUP BY a.uscc, a.visit_no
        )
        """,  # noqa: S608 (prefix is an internal constant)
        {"year": year},
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {p}_pair_visit AS
        SELECT a.plan_id, a.uscc, v.visit_id
        FROM {p}_assigned a JOIN {p}_visits v USING (uscc, visit_no)
        """  # noqa: S608 (prefix is an internal constant)
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {p}_desk AS
        SELECT pv.visit_id
        FROM {p}_pair_visit pv JOIN plan_items pi USING (plan_id) JOIN items i USING (item_code)
        GROUP BY pv.visit_id
        HAVING bool_and(i.method = 'offsite')
        """  # noqa: S608 (prefix is an internal constant)
    )


def _integrate(con: Connection, prefix: str, year: int) -> None:
    """Round 4: {prefix}_visits gains scheduled_id, the first inspection already scheduled for the
    target inside the visit's window."""
    p = prefix
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {p}_folded AS
        SELECT v.visit_id, s.scheduled_id
        FROM {p}_visits v JOIN scheduled_inspections s
             ON s.uscc = v.uscc AND s.year = $year
            AND s.scheduled_on BETWEEN v.window_start AND v.window_end
        WHERE v.visit_id NOT IN (SELECT visit_id FROM {p}_desk)  -- no door to share
        QUALIFY row_number() OVER (PARTITION BY v.visit_id
                                   ORDER BY s.scheduled_on, s.scheduled_id) = 1
        """,  # noqa: S608 (prefix is an internal constant)
        {"year": year},
    )


def _stage_counts(con: Connection, prefix: str) -> dict[str, int]:
    p = prefix
    row = con.execute(
        f"""
        SELECT
          (SELECT count(*) FROM {p}_pairs pr JOIN plan_depts d USING (plan_id)),
          (SELECT count(*) FROM {p}_pairs),
          (SELECT count(*) FROM {p}_pairs pr JOIN plan_items i USING (plan_id)),
          (SELECT count(*) FROM {p}_visits),
          (SELECT count(*) FROM {p}_folded),
          (SELECT count(*) FROM {p}_desk)
        """  # noqa: S608 (prefix is an internal constant)
    ).fetchall()[0]
    keys = ("baseline", "pairs", "tasks", "visits", "folded", "desk")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def _run(con: Connection, selections: Selections, prefix: str) -> tuple[int, dict[str, int]]:
    year = _load(con, selections, prefix)
    _cross_check(con, prefix, year)
    _integrate(con, prefix, year)
    return year, _stage_counts(con, prefix)


def _mode_of(con: Connection, year: int, draw_ids: list[str]) -> str:
    modes = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT mode FROM draws WHERE list_contains(?, draw_id)", [draw_ids]
        ).fetchall()
    }
    if len(modes) > 1:
        raise ValueError(f"the current draws of {year} mix modes {sorted(modes)}")
    return modes.pop() if modes else "coordinated"


def merge_visits(
    con: Connection,
    selections: Selections | int,
    counterpart: Selections | None = None,
    mode: str | None = None,
) -> MergeResult:
    """Merge a campaign's selections into visits and measure the four rounds.

    `selections` is a campaign year (its current committed draws) or (plan_id, uscc) rows of any
    draw, for instance a computed independent-mode one. `counterpart` is the independent-mode draw
    of the same campaign that splits rounds 2 and 3 (see the module docstring); `mode` says which
    mode `selections` were drawn in (read from the draws for a year; default coordinated).
    Leaves the visits in temp tables `m_visits`, `m_pair_visit`, `m_folded` for `save`."""
    draw_ids: list[str] = []
    if isinstance(selections, int):
        year = selections
        draws = current_draws(con, year)
        if draws.empty:
            raise NoCommittedDraw(
                f"no committed draw for {year}: commit one on the Sampling page or with "
                f"`python -m core draw --year {year} --commit`"
            )
        draw_ids = draws["draw_id"].tolist()
        mode = mode or _mode_of(con, year, draw_ids)
        selections = committed_selections(con, year)
    mode = mode or "coordinated"
    if mode not in ("coordinated", "independent"):
        raise ValueError(f"mode must be coordinated or independent, not {mode!r}")
    year, s = _run(con, selections, "m")

    independent = None
    if mode == "coordinated" and counterpart is not None:
        _, c = _run(con, counterpart, "c")
        independent = _result(year, "independent", c, c["pairs"] - c["visits"], True, [])
        chance = round(s["pairs"] * (c["pairs"] - c["visits"]) / c["pairs"]) if c["pairs"] else 0
        result = _result(year, mode, s, chance, True, draw_ids)
    else:
        result = _result(year, mode, s, s["pairs"] - s["visits"], mode == "independent", draw_ids)
    result.independent = independent
    return result


def _result(
    year: int, mode: str, s: dict[str, int], chance: int, measured: bool, draw_ids: list[str]
) -> MergeResult:
    """Rounds from stage counts; `chance` is the overlap the cross-check finds without
    coordination (round 3), capped at the overlap found."""
    overlap = s["pairs"] - s["visits"]
    r3 = min(chance, overlap)
    return MergeResult(
        year=year,
        mode=mode,
        baseline_visits=s["baseline"],
        plan_pairs=s["pairs"],
        task_pairs=s["tasks"],
        visits_cross_checked=s["visits"],
        removed={
            "joint_plans": s["baseline"] - s["pairs"],
            "coordinated_draw": overlap - r3,
            "cross_check": r3,
            "task_integration": s["folded"],
        },
        final_visits=s["visits"] - s["folded"],
        desk_checks=s["desk"],
        counterpart_measured=measured,
        draw_ids=draw_ids,
    )


# --------------------------------------------------------------------------------------------
# Breakdown per department, district and level
# --------------------------------------------------------------------------------------------


def _units(con: Connection, prefix: str) -> None:
    """{prefix}_units: per (plan, department, district) the department visits' shares of a visit
    at each stage (s0 baseline, s1 after round 1, s3 after round 3, s4 after round 4). Pairs are
    summed per plan and district first: every department of a plan has the same shares."""
    p = prefix
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {p}_units AS
        WITH nd AS (SELECT plan_id, count(*) AS n FROM plan_depts GROUP BY plan_id),
        pv AS (
            SELECT pv.plan_id, pv.uscc, pv.visit_id, nd.n
            FROM {p}_pair_visit pv JOIN nd USING (plan_id)
        ),
        share AS (SELECT visit_id, 1.0 / sum(n) AS share FROM pv GROUP BY visit_id),
        per_plan AS (
            SELECT pv.plan_id, t.district, count(*) AS s0, sum(1.0 / pv.n) AS s1,
                   sum(s.share) AS s3, sum(CASE WHEN f.visit_id IS NULL THEN s.share ELSE 0 END)
                       AS s4
            FROM pv JOIN share s USING (visit_id)
                 LEFT JOIN {p}_folded f USING (visit_id)
                 LEFT JOIN merge_district t USING (uscc)
            GROUP BY ALL
        )
        SELECT d.dept_code, dep.level, pp.district, pp.s0, pp.s1, pp.s3, pp.s4
        FROM per_plan pp JOIN plan_depts d USING (plan_id)
             JOIN departments dep ON dep.dept_code = d.dept_code
        """  # noqa: S608 (prefix is an internal constant)
    )


def breakdown(con: Connection, result: MergeResult) -> pd.DataFrame:
    """Rounds per department, district and level for the merge just run (temp tables m_*, and
    c_* when the counterpart was measured), as the module docstring defines them."""
    split = result.independent is not None
    drawn = "m_pairs UNION SELECT uscc FROM c_pairs" if split else "m_pairs"
    sql = "CREATE OR REPLACE TEMP TABLE merge_district AS SELECT uscc, district FROM targets "
    sql += f"SEMI JOIN (SELECT uscc FROM {drawn}) USING (uscc)"  # noqa: S608 (constants)
    con.execute(sql)  # a semi-join reads the 6.43 M targets once, for both draws
    _units(con, "m")
    if split:
        _units(con, "c")
    frames = []
    for dim, col in (("department", "dept_code"), ("district", "district"), ("level", "level")):
        counterpart = (
            f"SELECT {col} AS key, sum(s1) AS c1, sum(s3) AS c3 FROM c_units GROUP BY 1"  # noqa: S608
            if split
            else "SELECT NULL::VARCHAR AS key, NULL::DOUBLE AS c1, NULL::DOUBLE AS c3"
        )
        chance = (
            "CASE WHEN c.c1 > 0 THEN least(m.s1 * (c.c1 - c.c3) / c.c1, m.s1 - m.s3) "
            "WHEN $split THEN 0 ELSE m.s1 - m.s3 END"
        )
        sql = f"""
            WITH m AS (SELECT {col} AS key, sum(s0) AS s0, sum(s1) AS s1, sum(s3) AS s3,
                              sum(s4) AS s4 FROM m_units GROUP BY 1),
                 c AS ({counterpart})
            SELECT $year AS year, $dim AS dimension, coalesce(m.key, '—') AS key,
                   m.s0 AS baseline_visits, m.s0 - m.s1 AS round1_removed,
                   m.s1 - m.s3 - {chance} AS round2_removed, {chance} AS round3_removed,
                   m.s3 - m.s4 AS round4_removed, m.s4 AS final_visits
            FROM m LEFT JOIN c USING (key)
            ORDER BY baseline_visits DESC, key
        """  # noqa: S608 (col from the fixed tuple above; fragments are constants)
        frames.append(con.execute(sql, {"year": result.year, "dim": dim, "split": split}).df())
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Saving and reading back
# --------------------------------------------------------------------------------------------


def _has_columns(con: Connection, table: str, columns: tuple[str, ...]) -> bool:
    found = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    return set(columns) <= found


def held_visits_sql(con: Connection) -> str:
    """SQL selecting the visit_ids something hangs off: active assignments, a result, or a status
    other than pending. Such a visit is never deleted by a re-merge. Tables that do not exist
    yet (their issue has not landed in this database) hold nothing."""
    parts = ["SELECT NULL::VARCHAR AS visit_id WHERE false"]
    if _has_columns(con, "assignments", ("visit_id", "active")):
        parts.append("SELECT visit_id FROM assignments WHERE active")
    if _has_columns(con, "results", ("visit_id",)):
        parts.append("SELECT visit_id FROM results")
    if _has_columns(con, "visit_status", ("visit_id", "status")):
        parts.append("SELECT visit_id FROM visit_status WHERE status <> 'pending'")
    return " UNION ".join(parts)


def _check_held(con: Connection, year: int) -> int:
    """Temp table _held (the year's held visits); refuses when the new merge would delete one or
    change its tasks. Returns the number of held visits (kept as they are)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _held AS
        SELECT DISTINCT h.visit_id FROM ({held_visits_sql(con)}) h
        SEMI JOIN visits v ON v.visit_id = h.visit_id AND v.year = $year
        """,  # noqa: S608 (fixed fragments)
        {"year": year},
    )
    changed = con.execute(
        """
        WITH old AS (
            SELECT visit_id, plan_id, item_code FROM visit_tasks SEMI JOIN _held USING (visit_id)
        ), new AS (
            SELECT pv.visit_id, pv.plan_id, pi.item_code
            FROM m_pair_visit pv JOIN plan_items pi USING (plan_id) SEMI JOIN _held USING (visit_id)
        ), diff AS ((FROM old EXCEPT FROM new) UNION ALL (FROM new EXCEPT FROM old))
        SELECT count(DISTINCT visit_id), min(visit_id) FROM diff
        """
    ).fetchone()
    if changed[0]:
        raise Refused("merge.visits_held", year=year, n=int(changed[0]), example=changed[1])
    return int(con.execute("SELECT count(*) FROM _held").fetchone()[0])


def run_and_save(
    con: Connection,
    year: int,
    counterpart: Selections | None = None,
    actor: str = "system",
) -> MergeResult:
    """Merge the campaign's committed draws and save visits, visit_tasks, the run and its
    breakdown as one unit of work, bumping data_version once. With a counterpart, its own four
    rounds are saved too (merge_runs.independent_json).

    Visit ids are derived from what the visit is, V{year}-{uscc}-{window_start:%Y%m%d}, so the
    same draws merged again give the same ids. The year's visits are replaced, except the held
    ones (assigned, with a result or a status past pending): those are kept untouched, and a
    merge that would delete a held visit or change its tasks is refused (merge.visits_held)."""
    result = merge_visits(con, year, counterpart=counterpart)
    independent_summary = result.independent.summary() if result.independent else None
    breakdown_rows = breakdown(con, result)  # noqa: F841 (read by the SQL below)
    now = datetime.now(TZ).isoformat(timespec="seconds")
    detail = {**result.summary(), "draw_ids": result.draw_ids}
    with unit_of_work(con, actor, "merge.save", detail):
        # the kind column came with the stable-ids change; files merged before it lack it
        con.execute("ALTER TABLE visits ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'onsite'")
        detail["held_visits"] = _check_held(con, year)
        con.execute(
            "DELETE FROM visit_tasks WHERE visit_id IN (SELECT visit_id FROM visits WHERE year = ?)"
            " AND visit_id NOT IN (SELECT visit_id FROM _held)",
            [year],
        )
        con.execute(
            "DELETE FROM visits WHERE year = ? AND visit_id NOT IN (SELECT visit_id FROM _held)",
            [year],
        )
        for t in ("merge_runs", "merge_breakdown"):
            con.execute(f"DELETE FROM {t} WHERE year = ?", [year])  # noqa: S608 (fixed names)
        con.execute(
            """
            INSERT INTO visits BY NAME
            WITH per_plan AS (   -- per plan: its item count and its departments, once
                SELECT p.plan_id,
                       (SELECT count(*) FROM plan_items i WHERE i.plan_id = p.plan_id) AS n_items,
                       (SELECT coalesce(list(d.dept_code), []) FROM plan_depts d
                        WHERE d.plan_id = p.plan_id) AS depts
                FROM (SELECT DISTINCT plan_id FROM m_pair_visit) p
            ), per_visit AS (
                SELECT pv.visit_id, sum(pp.n_items) AS n_tasks,
                       list_sort(list_distinct(flatten(list(pp.depts)))) AS departments
                FROM m_pair_visit pv JOIN per_plan pp USING (plan_id)
                GROUP BY pv.visit_id
            )
            SELECT v.visit_id, v.year, v.uscc, v.window_start, v.window_end, v.n_plans,
                   pv.n_tasks, pv.departments, f.scheduled_id,
                   CASE WHEN d.visit_id IS NULL THEN 'onsite' ELSE 'desk' END AS kind
            FROM m_visits v JOIN per_visit pv USING (visit_id)
                 LEFT JOIN m_folded f USING (visit_id)
                 LEFT JOIN m_desk d USING (visit_id)
            WHERE v.visit_id NOT IN (SELECT visit_id FROM _held)
            """
        )
        con.execute(
            """
            INSERT INTO visit_tasks
            SELECT pv.visit_id, pv.plan_id, pi.item_code, i.dept_code
            FROM m_pair_visit pv JOIN plan_items pi USING (plan_id)
                 JOIN items i USING (item_code)
            WHERE pv.visit_id NOT IN (SELECT visit_id FROM _held)
            """
        )
        con.execute(
            "INSERT INTO merge_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                year, now, "committed draws", result.mode, result.draw_ids,
                result.baseline_visits, result.plan_pairs, result.task_pairs,
                *(result.removed[k] for k, _ in ROUNDS), result.final_visits,
                json.dumps(independent_summary, ensure_ascii=False)
                if independent_summary else None,
            ],
        )  # fmt: skip
        con.execute("INSERT INTO merge_breakdown SELECT * FROM breakdown_rows")
    return result


def merge_campaign(con: Connection, year: int, actor: str = "system") -> MergeResult:
    """Merge and save the campaign's committed draws; a coordinated draw is measured against its
    independent counterpart (the seam above). What the CLI and the Merge page run."""
    draws = current_draws(con, year)
    if draws.empty:
        merge_visits(con, year)  # raises NoCommittedDraw with the message
    coordinated = (draws["mode"] == "coordinated").any()
    t0 = time.perf_counter()
    counterpart = independent_counterpart(con, year) if coordinated else None
    t1 = time.perf_counter()
    result = run_and_save(con, year, counterpart=counterpart, actor=actor)
    result.seconds = {
        "counterpart_draw": round(t1 - t0, 2),
        "merge_and_save": round(time.perf_counter() - t1, 2),
    }
    return result


def saved_run(con: Connection, year: int) -> dict[str, Any] | None:
    """The saved merge of `year` as a dict (columns of merge_runs), or None."""
    df = con.execute("SELECT * FROM merge_runs WHERE year = ?", [year]).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    row["independent"] = (
        json.loads(row.pop("independent_json")) if row.get("independent_json") else None
    )
    row["draw_ids"] = list(row["draw_ids"])
    kind = "kind" if _has_columns(con, "visits", ("kind",)) else "'onsite'"
    row["desk_checks"] = int(
        con.execute(
            f"SELECT count(*) FROM visits WHERE year = ? AND {kind} = 'desk'",  # noqa: S608
            [year],
        ).fetchone()[0]
    )
    return row


def compare(
    con: Connection, year: int, coordinated: Selections, independent: Selections
) -> dict[str, dict[str, Any]]:
    """Side by side: the same campaign drawn in coordinated and in independent mode (same plans,
    same quotas), each merged through the four rounds. Computed, not saved. The selections come
    from the draw (core.sampling)."""
    coord = merge_visits(con, coordinated, counterpart=independent, mode="coordinated")
    indep = coord.independent
    for r in (coord, indep):
        if r.year != year:
            raise ValueError(f"selections belong to campaign {r.year}, not {year}")
    return {"coordinated": coord.summary(), "independent": indep.summary()}
