"""Simulated results for a committed, assigned campaign, so the dashboards have something real
to show on synthetic data: `python -m core results simulate --year Y`.

Each task's result follows the synthetic hidden truth (synth_truth.propensity, which no scoring
reads) through a number u in [0, 1) taken from SHA-256, never from an unseeded generator:
    u_visit = sha256(f"{S}|sim|{visit_id}"),  u_task = sha256(f"{S}|sim|{visit_id}|{plan}|{item}")
where S is the campaign's committed draw seed, each u being 16 hex digits of the digest / 2^64
(the draw's suicha-prn-sha256-v1 construction). The visit's digest gives its completion day in
its window, whether the target turned out closed or gone (every task "excluded"), and which code
that was; the task's digest gives problem found (u < propensity) and the codes. A visit
completed on or before `as_of` minus REVIEW_DAYS is approved (done), a later one awaits review,
one not yet completed stays pending. Every row is marked simulated; visits with results entered
by a person are never touched. Re-running replaces the earlier simulation."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from core.db import Connection
from core.refusal import Refused
from core.results import workflow
from core.writes import unit_of_work

SIMULATOR = "simulate"
EXCLUDED_SHARE = 0.04  # targets found closed, deregistered, moved out or not in the business
REVIEW_DAYS = 7  # completed this recently: still awaiting the reviewer
DEFAULT_PROPENSITY = 0.1955  # a target without a hidden truth: Shenzhen's discovery rate
# (upper bound of u, code): the problem codes in roughly the mix a county bureau reports
PROBLEM_CODES = ((0.30, "B"), (0.55, "E"), (0.70, "A"), (0.80, "D"), (0.88, "6"), (0.93, "4"),
                 (0.97, "3"), (1.01, "5"))  # fmt: skip
EXCLUDED_CODES = ((0.35, "7"), (0.60, "9"), (0.75, "12"), (1.01, "F"))
SECOND_CODE_E = 0.2  # a problem also corrected on order (code E) this often


def _u(hex_expr: str, start: int) -> str:
    """SQL for 16 hex digits of a SHA-256 hex digest from `start` (1-based), over 2^64."""
    return (
        f"(CAST(CAST('0x' || substr({hex_expr}, {start}, 16) AS UBIGINT) AS DOUBLE) "
        f"/ 18446744073709551616.0)"
    )


def _pick(u_expr: str, table: tuple[tuple[float, str], ...]) -> str:
    whens = " ".join(f"WHEN {u_expr} < {bound!r} THEN '{code}'" for bound, code in table)
    return f"CASE {whens} END"


_VISITS_SQL = f"""
CREATE OR REPLACE TEMP TABLE _sim_visits AS
WITH real AS (
    SELECT visit_id FROM results WHERE NOT simulated
    UNION SELECT visit_id FROM visit_status WHERE NOT simulated),
v AS (
    SELECT v.visit_id, v.uscc, v.window_start, v.window_end,
           sha256($seed || '|sim|' || v.visit_id) AS h
    FROM visits v
    WHERE v.year = $year
      AND v.visit_id IN (SELECT visit_id FROM assignments WHERE active)
      AND v.visit_id NOT IN (SELECT visit_id FROM real))
SELECT visit_id, uscc,
       CAST(window_start + CAST(floor({_u("h", 1)} * (window_end - window_start + 1))
            AS INTEGER) AS DATE) AS completed_on,
       {_u("h", 17)} < {EXCLUDED_SHARE!r} AS excluded,
       {_pick(_u("h", 33), EXCLUDED_CODES)} AS excluded_code
FROM v
"""  # noqa: S608 (constants of this module)

_TASKS_SQL = f"""
INSERT INTO results
WITH t AS (
    SELECT vt.visit_id, vt.plan_id, vt.item_code, s.completed_on, s.excluded, s.excluded_code,
           coalesce(st.propensity, {DEFAULT_PROPENSITY!r}) AS p,
           sha256($seed || '|sim|' || vt.visit_id || '|' || vt.plan_id || '|' || vt.item_code)
               AS h
    FROM visit_tasks vt JOIN _sim_visits s USING (visit_id)
    LEFT JOIN synth_truth st ON st.uscc = s.uscc
    WHERE s.completed_on <= $as_of),
o AS (
    SELECT *, NOT excluded AND {_u("t.h", 1)} < p AS problem,
           {_pick(_u("t.h", 17), PROBLEM_CODES)} AS code,
           {_u("t.h", 33)} < {SECOND_CODE_E!r} AS also_e
    FROM t)
SELECT visit_id, plan_id, item_code,
       CASE WHEN excluded THEN [excluded_code]
            WHEN problem AND also_e AND code <> 'E' THEN [code, 'E']
            WHEN problem THEN [code]
            ELSE ['1'] END,
       problem, NOT excluded, NULL, completed_on, $by, $at, TRUE
FROM o
"""  # noqa: S608 (constants of this module)


@dataclass
class Simulated:
    year: int
    as_of: str
    seed_source: str
    visits: int = 0
    tasks: int = 0
    done: int = 0
    review: int = 0
    pending: int = 0
    problems: int = 0
    counted: int = 0
    skipped_real: int = 0
    simulated: bool = True

    def summary(self) -> dict[str, Any]:
        out = asdict(self)
        out["discovery_rate"] = round(self.problems / self.counted, 4) if self.counted else None
        return out


def campaign_seed(con: Connection, year: int) -> str:
    """The committed draw seed of the campaign (public once committed)."""
    row = con.execute(
        "SELECT min(seed), count(*) FROM current_draws WHERE year = ?", [year]
    ).fetchone()
    if not row or not row[1]:
        raise Refused("results.sim_no_draw", year=year)
    return str(row[0])


def simulate(con: Connection, year: int, actor: str, as_of: date | None = None) -> Simulated:
    """Fill (or refill) the simulated results of `year`'s assigned visits; see the module."""
    from core.results.access import has_assignments

    as_of = as_of or workflow.today()
    seed = campaign_seed(con, year)
    if not con.execute("SELECT count(*) FROM visits WHERE year = ?", [year]).fetchone()[0]:
        raise Refused("results.sim_no_visits", year=year)
    assigned = (
        has_assignments(con)
        and con.execute(
            "SELECT count(*) FROM assignments a JOIN visits v USING (visit_id) "
            "WHERE a.active AND v.year = ?",
            [year],
        ).fetchone()[0]
    )
    if not assigned:
        raise Refused("results.sim_no_assignments", year=year)
    out = Simulated(year=year, as_of=as_of.isoformat(), seed_source="current_draws.seed")
    params = {"year": year, "seed": seed, "as_of": as_of,
              "review_from": as_of - timedelta(days=REVIEW_DAYS), "by": SIMULATOR,
              "at": workflow.now_text()}  # fmt: skip
    detail: dict[str, Any] = {"year": year, "as_of": out.as_of, "simulated": True}
    with unit_of_work(con, actor, "results.simulate", detail):
        con.execute(_VISITS_SQL, {"year": year, "seed": seed})
        out.skipped_real = con.execute(
            """
            SELECT count(*) FROM visits WHERE year = $year
            AND visit_id IN (SELECT visit_id FROM results WHERE NOT simulated
                             UNION SELECT visit_id FROM visit_status WHERE NOT simulated)
            """,
            {"year": year},
        ).fetchone()[0]
        con.execute(
            "DELETE FROM results WHERE simulated AND visit_id IN (SELECT visit_id FROM _sim_visits)"
        )
        con.execute(
            "DELETE FROM visit_status WHERE simulated AND visit_id IN "
            "(SELECT visit_id FROM _sim_visits)"
        )
        con.execute(_TASKS_SQL, {k: params[k] for k in ("seed", "as_of", "by", "at")})
        con.execute(
            """
            INSERT INTO visit_status
            SELECT visit_id,
                   CASE WHEN completed_on <= $review_from THEN 'done' ELSE 'review' END,
                   CASE WHEN completed_on <= $review_from THEN completed_on END,
                   CASE WHEN completed_on <= $review_from THEN $by END,
                   CASE WHEN completed_on <= $review_from
                        THEN strftime(completed_on + 3, '%Y-%m-%dT17:00:00+08:00') END,
                   NULL, $by, $at, TRUE
            FROM _sim_visits WHERE completed_on <= $as_of
            """,
            {k: params[k] for k in ("as_of", "review_from", "by", "at")},
        )
        counts = con.execute(
            """
            SELECT count(*) FILTER (WHERE completed_on <= $as_of),
                   count(*) FILTER (WHERE completed_on <= $review_from),
                   count(*) FILTER (WHERE completed_on > $review_from
                                    AND completed_on <= $as_of),
                   count(*) FILTER (WHERE completed_on > $as_of)
            FROM _sim_visits
            """,
            {"as_of": as_of, "review_from": params["review_from"]},
        ).fetchone()
        out.visits, out.done, out.review, out.pending = (int(c) for c in counts)
        tasks = con.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE problem_found),
                   count(*) FILTER (WHERE counted)
            FROM results WHERE simulated AND visit_id IN (SELECT visit_id FROM _sim_visits)
            """
        ).fetchone()
        out.tasks, out.problems, out.counted = (int(c) for c in tasks)
        con.execute("DROP TABLE IF EXISTS _sim_visits")
        detail.update(out.summary())
    return out
