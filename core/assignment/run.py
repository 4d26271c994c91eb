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
    candidates: int = 0  # qualified (visit, inspector) pairs
    hashed: int = 0  # of which hashed (the others were in visits already short)

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
            "hashed": self.hashed,
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
    slots = con.execute(
        "SELECT v_no, need, g_no, visit_id, dept_code, CAST(CASE WHEN blocked IS NULL THEN 0 "
        "ELSE list_position($reasons, blocked) - 1 END AS TINYINT) AS blocked "
        "FROM a_slots ORDER BY s_no",
        {"reasons": list(greedy.REASONS)},
    ).fetchnumpy()
    members = con.execute("SELECT g_no, i_no FROM a_members").fetchnumpy()
    insp = con.execute("SELECT cap, inspector_id FROM a_insp ORDER BY i_no").fetchnumpy()
    slot_group = np.asarray(slots["g_no"], dtype=np.int64)
    member_group = np.asarray(members["g_no"], dtype=np.int64)
    member_insp = np.asarray(members["i_no"], dtype=np.int64)
    slot_blocked = np.asarray(slots["blocked"], dtype=np.int8)  # a greedy.REASONS index
    inputs.pairs(con, seed, slot_group, slot_blocked == 0, member_group, member_insp)
    rec = con.execute("SELECT s_no, i_no FROM a_rec").fetchnumpy()
    t2 = time.perf_counter()
    slot_need = np.asarray(slots["need"], dtype=np.int64)
    slot_visit = np.asarray(slots["v_no"], dtype=np.int64)
    result = greedy.run_pass(
        slot_visit,
        slot_need,
        slot_blocked,
        slot_group,
        member_group,
        member_insp,
        np.asarray(insp["cap"], dtype=np.int64),
        np.asarray(rec["s_no"], dtype=np.int64),
        np.asarray(rec["i_no"], dtype=np.int64),
        lambda wanted, lo, hi: inputs.ordered(con, wanted, lo, hi),
    )
    t3 = time.perf_counter()
    visit_ids = np.asarray(slots["visit_id"], dtype=object)
    dept_codes = np.asarray(slots["dept_code"], dtype=object)
    inspector_ids = np.asarray(insp["inspector_id"], dtype=object)
    assignments = _assignments(result, slot_visit, visit_ids, dept_codes, inspector_ids)
    fail = result.fail_slot
    unstaffed = pd.DataFrame(
        {
            "visit_id": visit_ids[fail],
            "dept_code": dept_codes[fail],
            "reason": result.fail_reason,
            "needed": slot_need[fail].astype(np.int32),
            "eligible": result.eligible[fail].astype(np.int32),
        }
    )
    # recusal hits: a recused candidate within the first `need` of the slot's qualified order
    recusal_hits = pd.DataFrame(
        {
            "visit_id": visit_ids[result.hit_slot],
            "dept_code": dept_codes[result.hit_slot],
            "inspector_id": inspector_ids[result.hit_insp],
            "rule": np.where(result.hit_rule == 1, "conflict", "previous_campaign").astype(object),
        }
    )
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
        candidates=int(result.qualified.sum()),
        hashed=result.hashed,
        seconds={
            "inputs": round(t1 - t0, 3),
            "pairs": round(t2 - t1, 3),
            "hash_and_greedy": round(t3 - t2, 3),
            "outcome": round(t4 - t3, 3),
            "record": round(t5 - t4, 3),
            "cpu": round(time.process_time() - cpu0, 3),  # every thread's CPU time, all phases
        },
    )


def _assignments(
    result: greedy.Pass,
    slot_visit: np.ndarray,
    visit_ids: np.ndarray,
    dept_codes: np.ndarray,
    inspector_ids: np.ndarray,
) -> pd.DataFrame:
    """The picks as rows (visit_id, dept_code, inspector_id, rank, role, k) in slot then rank
    order; the lead is the visit's pick with the smallest k (ties by inspector id)."""
    slot, ins = result.pick_slot, result.pick_insp
    k = result.pick_k
    visit = slot_visit[slot]
    order = np.lexsort((ins, k, visit))
    first = np.ones(len(order), dtype=bool)
    first[1:] = visit[order][1:] != visit[order][:-1]
    lead = np.zeros(len(order), dtype=bool)
    lead[order[first]] = True
    return pd.DataFrame(
        {
            "visit_id": visit_ids[slot],
            "dept_code": dept_codes[slot],
            "inspector_id": inspector_ids[ins],
            "rank": result.pick_rank.astype(np.int32),
            "role": np.where(lead, "lead", "member").astype(object),
            "k": k,
        }
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
