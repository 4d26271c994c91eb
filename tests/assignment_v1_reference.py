"""TEST REFERENCE ONLY: the inspector assignment as it was before the speed work (core/assignment/
rule, inputs, greedy, record and run.compute_assignment at 89e03a5), kept unchanged in one module
so tests prove the new engine assigns, lists and records the same
(tests/test_assignment_identity.py).
The rule's text that goes into the record is copied here too, so a change to it is caught."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from core import settings
from core.db import Connection
from core.refusal import Refused

# ---- rule (core/assignment/rule.py) -------------------------------------------------------------
RULE_DOC = (  # the record carries it: rule.__doc__ at 89e03a5
    """The assignment rule suicha-assign-sha256-v1, in the words docs/assignment-rule.md uses.

For each visit of the campaign (in order of window start, then visit id) and each of its
participating departments (sorted by code), the department's eligible inspectors are ordered by
k = int.from_bytes(sha256(f"{S}|{visit_id}|{inspector_id}").digest()[:8], "big") (ties by
inspector id), S the campaign seed of the committed draws; the department takes the first
`need` of them who are below their cap. need = 2 when the visit has one department, else 1 per
department (so every visit has at least two inspectors and one per participating department).
A visit is staffed only when every department fills its need; otherwise nobody is taken for it
(no load is consumed) and each failing department is listed with the reason."""
)
ALGORITHM = "suicha-assign-sha256-v1"
DEFAULT_CAP = int(settings.value("inspector_cap_per_campaign"))
REASONS = ("no_qualified", "recused", "cap")


def key_sql(seed_expr: str, visit_expr: str, inspector_expr: str) -> str:
    return (
        f"CAST('0x' || substr(sha256({seed_expr} || '|' || {visit_expr} || '|' || "
        f"{inspector_expr}), 1, 16) AS UBIGINT)"
    )


class rule:  # noqa: N801 (the name the copied code uses)
    ALGORITHM = ALGORITHM
    DEFAULT_CAP = DEFAULT_CAP
    __doc__ = RULE_DOC
    key_sql = staticmethod(key_sql)


# ---- inputs (core/assignment/inputs.py) ---------------------------------------------------------
def campaign_seed(con: Connection, year: int) -> str:
    """S: the seed of the campaign's committed draws in force (the most common one when plans
    were drawn under several, e.g. a re-drawn plan)."""
    row = con.execute(
        "SELECT seed FROM current_draws WHERE year = ? GROUP BY seed "
        "ORDER BY count(*) DESC, seed LIMIT 1",
        [year],
    ).fetchone()
    if row is None:
        raise Refused("assign.no_draw", year=year)
    return row[0]


def has_column(con: Connection, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = ? AND column_name = ?",
            [table, column],
        ).fetchone()[0]
    )


def caps_sql(con: Connection | None = None) -> str:
    """(dept_code, cap) for every department: its own setting, else the '*' default, else
    rule.DEFAULT_CAP (for every department when `con` lacks the settings table, e.g. a file
    opened read-only from before the assignment schema)."""
    if con is not None and not has_column(con, "assignment_caps", "dept_code"):
        return f"SELECT dept_code, {int(rule.DEFAULT_CAP)} AS cap FROM departments"  # noqa: S608
    return f"""
        SELECT d.dept_code,
               coalesce(c.cap_per_inspector, dflt.cap_per_inspector, {int(rule.DEFAULT_CAP)})
                   AS cap
        FROM departments d
             LEFT JOIN assignment_caps c ON c.dept_code = d.dept_code
             LEFT JOIN (SELECT cap_per_inspector FROM assignment_caps WHERE dept_code = '*')
                  dflt ON true
    """  # noqa: S608 (a constant integer)


def load(con: Connection, year: int, visit_ids: list[str] | None = None) -> None:
    """Build the a_* tables for the year's visits (or only `visit_ids`, for a replacement)."""
    kind = "coalesce(v.kind, 'onsite')" if has_column(con, "visits", "kind") else "'onsite'"
    only = "AND list_contains($ids, v.visit_id)" if visit_ids is not None else ""
    params: dict = {"year": year}
    if visit_ids is not None:
        params["ids"] = visit_ids
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_visits AS
        WITH v AS (SELECT * FROM visits v WHERE v.year = $year {only}),
        t AS (SELECT uscc, any_value(district) AS district, any_value(street) AS street
              FROM targets SEMI JOIN v USING (uscc) GROUP BY uscc)
        SELECT CAST(row_number() OVER (ORDER BY v.window_start, v.visit_id) - 1 AS INTEGER)
                   AS v_no,
               v.visit_id, v.uscc, v.window_start, {kind} AS kind, t.district, t.street,
               list_sort(v.departments) AS departments
        FROM v LEFT JOIN t USING (uscc)
        """,  # noqa: S608 (fixed fragments)
        params,
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE a_slots AS
        WITH vd AS (
            SELECT v.v_no, v.visit_id, v.uscc, v.district, v.street, u.dept_code,
                   len(v.departments) AS nd
            FROM a_visits v,  -- a visit without departments keeps one slot (code ''): unstaffed
                 unnest(CASE WHEN len(v.departments) = 0 THEN [''] ELSE v.departments END)
                 AS u(dept_code)
        ), f AS (
            SELECT t.visit_id, t.dept_code, list_sort(list_distinct(list(i.field))) AS fields
            FROM visit_tasks t JOIN items i USING (item_code) SEMI JOIN a_visits USING (visit_id)
            GROUP BY ALL
        ), s AS (
            SELECT vd.v_no, vd.visit_id, vd.uscc, vd.dept_code,
                   CASE WHEN vd.nd <= 1 THEN 2 ELSE 1 END AS need,
                   coalesce(f.fields, []::VARCHAR[]) AS fields,
                   CASE d.level WHEN 'district' THEN d.district IS NOT DISTINCT FROM vd.district
                                WHEN 'street' THEN d.street IS NOT DISTINCT FROM vd.street
                                ELSE d.dept_code IS NOT NULL END AS in_area
            FROM vd LEFT JOIN f USING (visit_id, dept_code)
                 LEFT JOIN departments d ON d.dept_code = vd.dept_code
        )
        SELECT CAST(row_number() OVER (ORDER BY v_no, dept_code) - 1 AS INTEGER) AS s_no, s.*,
               CASE WHEN s.dept_code = '' THEN 'no_department'
                    WHEN NOT s.in_area THEN 'outside_area' END AS blocked,
               CAST(dense_rank() OVER (ORDER BY dept_code, fields::VARCHAR) - 1 AS INTEGER)
                   AS g_no
        FROM s
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_insp AS
        SELECT CAST(row_number() OVER (ORDER BY i.inspector_id) - 1 AS INTEGER) AS i_no,
               i.inspector_id, i.dept_code, i.qualifications, c.cap
        FROM inspectors i JOIN ({caps_sql()}) c USING (dept_code)
        WHERE i.active AND i.certified
          AND i.dept_code IN (SELECT DISTINCT dept_code FROM a_slots)
        """  # noqa: S608 (fixed fragments)
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE a_members AS
        SELECT g.g_no, i.i_no
        FROM (SELECT DISTINCT g_no, dept_code, fields FROM a_slots) g
             JOIN a_insp i ON i.dept_code = g.dept_code
                          AND list_has_all(i.qualifications, g.fields)
        """
    )
    previous = """
        SELECT a.inspector_id, v.uscc, 'previous_campaign' AS rule
        FROM assignments a JOIN visits v USING (visit_id)
        WHERE a.active AND v.year = $prev
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_recused AS
        SELECT inspector_id, uscc, min(rule) AS rule   -- 'conflict' before 'previous_campaign'
        FROM (SELECT inspector_id, uscc, 'conflict' AS rule FROM inspector_conflicts
              UNION ALL {previous}) r
        SEMI JOIN a_insp USING (inspector_id)
        SEMI JOIN a_visits USING (uscc)
        GROUP BY inspector_id, uscc
        """,  # noqa: S608 (fixed fragments)
        {"prev": year - 1},
    )


def candidates(con: Connection, seed: str) -> None:
    """a_cand: every qualified inspector of every in-area slot with its draw number k, in the
    rule's order (s_no, k, inspector id). The one place where the pairs are hashed."""
    k = rule.key_sql("$seed", "s.visit_id", "i.inspector_id")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_cand AS
        SELECT s.s_no, m.i_no, {k} AS k, r.rule
        FROM a_slots s JOIN a_members m USING (g_no) JOIN a_insp i USING (i_no)
             LEFT JOIN a_recused r ON r.inspector_id = i.inspector_id AND r.uscc = s.uscc
        WHERE s.in_area
        ORDER BY s.s_no, k, m.i_no
        """,  # noqa: S608 (fixed fragments)
        {"seed": seed},
    )


# ---- greedy (core/assignment/greedy.py) ---------------------------------------------------------
TOP = 8


@dataclass
class Pass:
    """The pass's outcome: picks (slot, inspector, rank among the slot's eligible, 1-based) and
    the failing slots of unstaffed visits with their reason."""

    pick_slot: np.ndarray
    pick_insp: np.ndarray
    pick_rank: np.ndarray
    fail_slot: np.ndarray
    fail_reason: list[str]
    qualified: np.ndarray  # per slot
    eligible: np.ndarray  # per slot


def run_pass(
    slot_visit: np.ndarray,  # v_no per slot, slots sorted by (v_no, dept)
    slot_need: np.ndarray,
    slot_blocked: list[str | None],  # why a slot cannot be staffed at all (no department,
    # outside the department's area), else None
    cand_slot: np.ndarray,  # sorted by (slot, k)
    cand_insp: np.ndarray,
    cand_recused: np.ndarray,
    insp_cap: np.ndarray,
    slot_group: np.ndarray | None = None,  # g_no per slot: its qualified set (dept, fields)
    member_group: np.ndarray | None = None,  # (g_no, i_no) pairs of the groups
    member_insp: np.ndarray | None = None,
) -> Pass:
    n_slots = len(slot_visit)
    starts = np.searchsorted(cand_slot, np.arange(n_slots + 1))
    qualified = np.diff(starts)
    elig = ~cand_recused
    eligible = np.bincount(cand_slot[elig], minlength=n_slots)
    # rank of each eligible candidate within its slot (1-based); 0 for recused ones
    csum = np.cumsum(elig)
    before = np.concatenate(([0], csum))[starts[:-1]]
    erank = np.where(elig, csum - np.repeat(before, qualified), 0)
    top = np.full((n_slots, TOP), -1, dtype=np.int64)
    keep = elig & (erank <= TOP)
    top[cand_slot[keep], erank[keep] - 1] = cand_insp[keep]
    top_l = top.tolist()

    load = np.zeros(len(insp_cap), dtype=np.int64)
    cap = insp_cap.astype(np.int64)
    need_l = slot_need.tolist()
    elig_l = eligible.tolist()
    qual_l = qualified.tolist()
    blocked_l = list(slot_blocked)
    starts_l = starts.tolist()
    vstarts = np.searchsorted(slot_visit, np.arange(int(slot_visit.max()) + 2 if n_slots else 1))
    vstarts_l = vstarts.tolist()
    # per group, members still below their cap: a slot whose group has fewer than `need` left
    # fails for the cap at once, without scanning its candidates
    left: list[int] = []
    groups_of: list[list[int]] = [[] for _ in range(len(insp_cap))]
    group_l: list[int] = []
    if slot_group is not None and member_group is not None and member_insp is not None:
        n_groups = int(max(slot_group.max(initial=-1), member_group.max(initial=-1))) + 1
        left = np.bincount(member_group, minlength=n_groups).tolist()
        for g, i in zip(member_group.tolist(), member_insp.tolist(), strict=True):
            groups_of[i].append(g)
        group_l = slot_group.tolist()
    p_slot: list[int] = []
    p_insp: list[int] = []
    p_rank: list[int] = []
    f_slot: list[int] = []
    f_reason: list[str] = []
    for v in range(len(vstarts_l) - 1):
        picks: list[tuple[int, int, int]] = []
        failed: list[tuple[int, str]] = []
        for s in range(vstarts_l[v], vstarts_l[v + 1]):
            need = need_l[s]
            if blocked_l[s] is not None:
                failed.append((s, blocked_l[s]))
                continue
            if qual_l[s] < need:
                failed.append((s, "no_qualified"))
                continue
            if elig_l[s] < need:
                failed.append((s, "recused"))
                continue
            if group_l and left[group_l[s]] < need:
                failed.append((s, "cap"))
                continue
            got: list[tuple[int, int]] = []
            for pos, i in enumerate(top_l[s]):
                if i < 0:
                    break
                if load[i] < cap[i]:
                    got.append((i, pos + 1))
                    if len(got) == need:
                        break
            if len(got) < need and elig_l[s] > TOP:
                a, b = starts_l[s], starts_l[s + 1]
                ins = cand_insp[a:b]
                ok = elig[a:b] & (load[ins] < cap[ins])
                idx = np.flatnonzero(ok)[:need]
                got = [(int(ins[j]), int(erank[a + j])) for j in idx]
            if len(got) < need:
                failed.append((s, "cap"))
                continue
            picks.extend((s, i, r) for i, r in got)
        if failed:
            f_slot.extend(s for s, _ in failed)
            f_reason.extend(r for _, r in failed)
            continue
        for s, i, r in picks:
            load[i] += 1
            if group_l and load[i] == cap[i]:
                for g in groups_of[i]:
                    left[g] -= 1
            p_slot.append(s)
            p_insp.append(i)
            p_rank.append(r)
    return Pass(
        pick_slot=np.array(p_slot, dtype=np.int64),
        pick_insp=np.array(p_insp, dtype=np.int64),
        pick_rank=np.array(p_rank, dtype=np.int64),
        fail_slot=np.array(f_slot, dtype=np.int64),
        fail_reason=f_reason,
        qualified=qualified,
        eligible=eligible,
    )


# ---- record (core/assignment/record.py) ---------------------------------------------------------
RECORD_VERSION = 1


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _agg(con: Connection, sql: str, frame: pd.DataFrame | None = None) -> str:
    """A JSON array from rows of json_array(...) values, built in DuckDB (`frame` is readable by
    that name in the SQL)."""
    agg = "SELECT '[' || coalesce(string_agg(j, ',' ORDER BY o), '') || ']'"
    return con.execute(f"{agg} FROM ({sql})").fetchone()[0]  # noqa: S608


def build_text(
    con: Connection, year: int, seed: str, assignments: pd.DataFrame, unstaffed: pd.DataFrame
) -> str:
    """The record's JSON text from the a_* tables of load and the computed outcome."""
    depts = con.execute(
        "SELECT dept_code, level, district, street FROM departments "
        "SEMI JOIN a_slots USING (dept_code) ORDER BY dept_code"
    ).fetchall()
    caps = con.execute("SELECT dept_code, any_value(cap) FROM a_insp GROUP BY 1 ORDER BY 1")
    head = {
        "record_version": RECORD_VERSION,
        "algorithm": rule.ALGORITHM,
        "year": year,
        "seed": seed,
        "rule": " ".join(rule.__doc__.split("\n\n", 1)[1].split()),
        "departments": {d: {"level": lv, "district": di, "street": st} for d, lv, di, st in depts},
        "caps": {d: int(c) for d, c in caps.fetchall()},
    }
    visits = _agg(
        con,
        """
        SELECT v.v_no AS o,
               json_array(v.visit_id, v.uscc, strftime(v.window_start, '%Y-%m-%d'), v.district,
                          v.street, v.kind, s.slots) AS j
        FROM a_visits v JOIN (
            SELECT v_no, list(json_array(dept_code, fields) ORDER BY dept_code) AS slots
            FROM a_slots GROUP BY v_no
        ) s USING (v_no)
        """,
    )
    inspectors = _agg(
        con,
        "SELECT i_no AS o, json_array(inspector_id, dept_code, list_sort(qualifications)) AS j "
        "FROM a_insp",
    )
    recused = _agg(
        con,
        "SELECT row_number() OVER (ORDER BY inspector_id, uscc) AS o, "
        "json_array(inspector_id, uscc, rule) AS j FROM a_recused",
    )
    picks = _agg(
        con,
        "SELECT row_number() OVER () AS o, "
        "json_array(visit_id, dept_code, inspector_id, rank, role) AS j FROM frame",
        assignments,
    )
    fails = _agg(
        con,
        "SELECT row_number() OVER () AS o, "
        "json_array(visit_id, dept_code, reason, needed, eligible) AS j FROM frame",
        unstaffed,
    )
    text = json.dumps(head, ensure_ascii=False, sort_keys=True, separators=(",", ":"))[:-1]
    return (
        f'{text},"inspectors":{inspectors},"visits":{visits},"recused":{recused},'
        f'"outcome":{{"assignments":{picks},"unstaffed":{fails}}}}}'
    )


# ---- run.compute_assignment (core/assignment/run.py) --------------------------------------------
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
    seed = campaign_seed(con, year)
    n_visits = con.execute("SELECT count(*) FROM visits WHERE year = ?", [year]).fetchone()[0]
    if not n_visits:
        raise Refused("assign.no_visits", year=year)
    load(con, year)
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
    result = run_pass(
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
    text = build_text(con, year, seed, assignments, unstaffed)
    digest = sha256(text)
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
