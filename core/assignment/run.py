"""Assign a campaign: compute the rule over every visit, then save the run, its assignments, the
unstaffed visits and the recusal hits in one unit of work (replacing the year's earlier run,
unless results have started)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from core.assignment import greedy, inputs, record, rule
from core.db import Connection
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work

RULE_CODES = {None: 0, "conflict": 1, "previous_campaign": 2}


@dataclass
class AssignmentResult:
    """One computed assignment: the run's figures, its rows and its record."""

    year: int
    run_id: str
    seed: str
    visits: int
    desk_checks: int
    staffed: int
    assignments: pd.DataFrame  # visit_id, dept_code, inspector_id, rank, role, k
    unstaffed: pd.DataFrame  # visit_id, dept_code, reason, needed, eligible
    recusal_hits: pd.DataFrame  # visit_id, dept_code, inspector_id, rule
    record_json: str
    record_sha256: str
    seconds: dict[str, float] = field(default_factory=dict)
    candidates: int = 0

    @property
    def record(self) -> dict[str, Any]:
        """The record, parsed."""
        return json.loads(self.record_json)

    @property
    def unstaffed_visits(self) -> int:
        return self.visits - self.staffed

    def summary(self) -> dict[str, Any]:
        reasons = self.unstaffed.groupby("reason").size().to_dict() if len(self.unstaffed) else {}
        return {
            "year": self.year,
            "run_id": self.run_id,
            "algorithm": rule.ALGORITHM,
            "visits": self.visits,
            "desk_checks": self.desk_checks,
            "staffed": self.staffed,
            "unstaffed": self.unstaffed_visits,
            "unstaffed_by_reason": {k: int(v) for k, v in sorted(reasons.items())},
            "assignments": len(self.assignments),
            "recusal_hits": len(self.recusal_hits),
            "candidates": self.candidates,
            "record_sha256": self.record_sha256,
            "seconds": self.seconds,
        }


def compute_assignment(con: Connection, year: int) -> AssignmentResult:
    """The assignment of `year`'s visits by the rule, computed and not saved (temp tables only)."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    seed = inputs.campaign_seed(con, year)
    n_visits = con.execute("SELECT count(*) FROM visits WHERE year = ?", [year]).fetchone()[0]
    if not n_visits:
        raise Refused("assign.no_visits", year=year)
    inputs.load(con, year)
    t1 = time.perf_counter()
    slots = con.execute("SELECT v_no, need, blocked, g_no FROM a_slots ORDER BY s_no").fetchnumpy()
    members = con.execute("SELECT g_no, i_no FROM a_members").fetchnumpy()
    caps = con.execute("SELECT cap FROM a_insp ORDER BY i_no").fetchnumpy()["cap"]
    k = rule.key_sql("$seed", "s.visit_id", "i.inspector_id")
    cand = con.execute(
        f"""
        SELECT s.s_no, m.i_no,
               CASE r.rule WHEN 'conflict' THEN 1 WHEN 'previous_campaign' THEN 2 ELSE 0 END
                   AS r
        FROM a_slots s JOIN a_members m USING (g_no) JOIN a_insp i USING (i_no)
             LEFT JOIN a_recused r ON r.inspector_id = i.inspector_id AND r.uscc = s.uscc
        WHERE s.in_area
        ORDER BY s.s_no, {k}, m.i_no
        """,  # noqa: S608 (fixed fragments)
        {"seed": seed},
    ).fetchnumpy()
    t2 = time.perf_counter()
    cand_slot = np.asarray(cand["s_no"], dtype=np.int64)
    cand_insp = np.asarray(cand["i_no"], dtype=np.int64)
    cand_rule = np.asarray(cand["r"], dtype=np.int8)
    slot_need = np.asarray(slots["need"], dtype=np.int64)
    result = greedy.run_pass(
        np.asarray(slots["v_no"], dtype=np.int64),
        slot_need,
        [None if b is None else str(b) for b in slots["blocked"].tolist()],
        cand_slot,
        cand_insp,
        cand_rule > 0,
        np.asarray(caps, dtype=np.int64),
        np.asarray(slots["g_no"], dtype=np.int64),
        np.asarray(members["g_no"], dtype=np.int64),
        np.asarray(members["i_no"], dtype=np.int64),
    )
    t3 = time.perf_counter()
    # recusal hits: a recused candidate within the first `need` of the slot's qualified order
    starts = np.searchsorted(cand_slot, np.arange(len(slot_need) + 1))
    qpos = np.arange(len(cand_slot)) - np.repeat(starts[:-1], np.diff(starts)) + 1
    hit = (cand_rule > 0) & (qpos <= slot_need[cand_slot])
    picks = pa.table(  # noqa: F841 (read by the SQL below)
        {"s_no": result.pick_slot, "i_no": result.pick_insp, "rank": result.pick_rank}
    )
    assignments = con.execute(
        f"""
        WITH p AS (
            SELECT s.visit_id, s.dept_code, i.inspector_id, CAST(p.rank AS INTEGER) AS rank,
                   {rule.key_sql("$seed", "s.visit_id", "i.inspector_id")} AS k, s.s_no
            FROM picks p JOIN a_slots s USING (s_no) JOIN a_insp i USING (i_no)
        )
        SELECT visit_id, dept_code, inspector_id, rank,
               CASE WHEN row_number() OVER (PARTITION BY visit_id ORDER BY k, inspector_id) = 1
                    THEN 'lead' ELSE 'member' END AS role, k
        FROM p ORDER BY s_no, rank
        """,  # noqa: S608 (fixed fragments)
        {"seed": seed},
    ).df()
    fails = pa.table(  # noqa: F841 (read by the SQL below)
        {
            "s_no": result.fail_slot,
            "reason": pa.array(result.fail_reason, type=pa.string()),
            "eligible": result.eligible[result.fail_slot] if len(result.fail_slot) else [],
        }
    )
    unstaffed = con.execute(
        """
        SELECT s.visit_id, s.dept_code, f.reason, s.need AS needed,
               CAST(f.eligible AS INTEGER) AS eligible
        FROM fails f JOIN a_slots s USING (s_no) ORDER BY s.s_no
        """
    ).df()
    hits = pa.table(  # noqa: F841 (read by the SQL below)
        {"s_no": cand_slot[hit], "i_no": cand_insp[hit], "r": cand_rule[hit]}
    )
    recusal_hits = con.execute(
        """
        SELECT s.visit_id, s.dept_code, i.inspector_id,
               CASE h.r WHEN 1 THEN 'conflict' ELSE 'previous_campaign' END AS rule
        FROM hits h JOIN a_slots s USING (s_no) JOIN a_insp i USING (i_no)
        ORDER BY s.s_no, i.inspector_id
        """
    ).df()
    t4 = time.perf_counter()
    text = record.build_text(con, year, seed, assignments, unstaffed)
    digest = record.sha256(text)
    desk = con.execute("SELECT count(*) FROM a_visits WHERE kind = 'desk'").fetchone()[0]
    staffed = assignments["visit_id"].nunique()
    t5 = time.perf_counter()
    return AssignmentResult(
        year=year,
        run_id=f"A{year}-{digest[:12]}",
        seed=seed,
        visits=int(n_visits),
        desk_checks=int(desk),
        staffed=int(staffed),
        assignments=assignments,
        unstaffed=unstaffed,
        recusal_hits=recusal_hits,
        record_json=text,
        record_sha256=digest,
        candidates=len(cand_slot),
        seconds={
            "inputs": round(t1 - t0, 3),
            "hash_and_order": round(t2 - t1, 3),
            "greedy": round(t3 - t2, 3),
            "outcome": round(t4 - t3, 3),
            "record": round(t5 - t4, 3),
            "cpu": round(time.process_time() - cpu0, 3),  # every thread's CPU time, all phases
        },
    )


def results_started(con: Connection, year: int) -> int:
    """Visits of `year` with a result or a status past pending (results issue's tables)."""
    parts = []
    if inputs.has_column(con, "results", "visit_id"):
        parts.append("SELECT visit_id FROM results")
    if inputs.has_column(con, "visit_status", "status"):
        parts.append("SELECT visit_id FROM visit_status WHERE status <> 'pending'")
    if not parts:
        return 0
    sql = f"SELECT count(DISTINCT visit_id) FROM ({' UNION '.join(parts)}) x "  # noqa: S608
    sql += "WHERE visit_id IN (SELECT visit_id FROM visits WHERE year = ?)"
    return int(con.execute(sql, [year]).fetchone()[0])


def assign_campaign(con: Connection, year: int, actor: str) -> AssignmentResult:
    """Compute and save the assignment of `year` as one unit of work (replacing the year's earlier
    run). Refused once results have started for the campaign: then use replacements."""
    detail: dict[str, Any] = {"year": year}
    with unit_of_work(con, actor, "assignment.run", detail):
        started = results_started(con, year)
        if started:
            raise Refused("assign.results_started", year=year, n=started)
        result = compute_assignment(con, year)
        t = time.perf_counter()
        now = datetime.now(TZ).isoformat(timespec="seconds")
        con.execute(
            "DELETE FROM assignments WHERE visit_id IN "
            "(SELECT visit_id FROM visits WHERE year = $year) "
            "OR run_id IN (SELECT run_id FROM assignment_runs WHERE year = $year)",
            {"year": year},
        )
        con.execute(
            "DELETE FROM assignment_recusals "
            "WHERE run_id IN (SELECT run_id FROM assignment_runs WHERE year = $year)",
            {"year": year},
        )
        con.execute("DELETE FROM assignment_unstaffed WHERE year = ?", [year])
        con.execute("DELETE FROM assignment_runs WHERE year = ?", [year])
        con.execute(
            "INSERT INTO assignment_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                result.run_id, year, rule.ALGORITHM, result.seed, now, actor, result.visits,
                result.staffed, result.unstaffed_visits, result.record_sha256, result.record_json,
            ],
        )  # fmt: skip
        rows = result.assignments  # noqa: F841 (read by the SQL below)
        con.execute(
            """
            INSERT INTO assignments BY NAME
            SELECT visit_id, inspector_id, dept_code, role, rank, $run AS run_id,
                   $now AS assigned_at, true AS active
            FROM rows
            """,
            {"run": result.run_id, "now": now},
        )
        un = result.unstaffed  # noqa: F841 (read by the SQL below)
        con.execute(
            "INSERT INTO assignment_unstaffed SELECT $run, $year, visit_id, dept_code, reason, "
            "needed, eligible FROM un",
            {"run": result.run_id, "year": year},
        )
        hits = result.recusal_hits  # noqa: F841 (read by the SQL below)
        con.execute(
            "INSERT INTO assignment_recusals SELECT $run, visit_id, dept_code, inspector_id, rule "
            "FROM hits",
            {"run": result.run_id},
        )
        result.seconds["save"] = round(time.perf_counter() - t, 3)
        summary = result.summary()
        detail.update({k: v for k, v in summary.items() if k != "seconds"})
    return result
