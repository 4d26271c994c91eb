"""The rule's inputs for one campaign, as temp tables on the connection (set-based SQL):

a_visits   (v_no, visit_id, uscc, window_start, kind, district, street, departments)
a_slots    (s_no, v_no, visit_id, uscc, dept_code, need, fields, in_area, blocked, g_no)
a_insp     (i_no, inspector_id, dept_code, qualifications, cap): active, certified inspectors
a_members  (g_no, i_no): inspectors of the department holding every field the slot needs
a_recused  (inspector_id, uscc, rule): conflicts and the previous campaign's assignments
a_pairs    (s_no, i_no): every qualified inspector of every in-area slot (integer keys)
a_prefix   (s_no, prefix): the hashed text's start "S|visit_id|" per slot
a_rec      (s_no, i_no, r): recused pairs (1 conflict, 2 previous campaign)

A slot is one department at one visit. Reads only; temp tables are the connection's own."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from core import target_lookup
from core.assignment import rule
from core.db import Connection
from core.refusal import Refused


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
    near = ""  # a replacement reads its few targets by rowid (target_lookup), not by a scan
    if visit_ids is not None:
        params["ids"] = visit_ids
        codes = con.execute(
            "SELECT DISTINCT uscc FROM visits WHERE year = $year AND list_contains($ids, visit_id)",
            params,
        ).fetchall()
        params["rids"] = list(target_lookup.rowids(con, [c for (c,) in codes]).values())
        near = "WHERE rowid IN (SELECT unnest($rids::BIGINT[]))"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_visits AS
        WITH v AS (SELECT * FROM visits v WHERE v.year = $year {only}),
        t AS (SELECT uscc, any_value(district) AS district, any_value(street) AS street
              FROM targets SEMI JOIN v USING (uscc) {near} GROUP BY uscc)
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
            SELECT v.v_no, v.visit_id, v.uscc, v.district, v.street,
                   -- a visit without departments keeps one slot (code ''): unstaffed
                   unnest(CASE WHEN len(v.departments) = 0 THEN [''] ELSE v.departments END)
                       AS dept_code,
                   len(v.departments) AS nd
            FROM a_visits v
        ), f AS (
            SELECT t.visit_id, t.dept_code,
                   list_sort(list(DISTINCT i.field) FILTER (i.field IS NOT NULL)) AS fields
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


def pairs(
    con: Connection,
    seed: str,
    slot_group: np.ndarray,
    slot_in_area: np.ndarray,
    member_group: np.ndarray,
    member_insp: np.ndarray,
) -> None:
    """a_pairs, a_prefix, a_rec: every qualified inspector of every in-area slot by integer keys
    (nothing hashed yet), the hashed text's per-slot start, and the recused pairs among them.

    a_pairs is listed in numpy in (s_no, i_no) order, so that a chunk's slots lie in a few row
    groups (their zone maps let `ordered` skip the rest)."""
    by = np.lexsort((member_insp, member_group))
    m_group, m_insp = member_group[by], member_insp[by]
    n_groups = int(max(slot_group.max(initial=-1), m_group.max(initial=-1))) + 1
    g_start = np.searchsorted(m_group, np.arange(n_groups + 1))
    slot = np.flatnonzero(slot_in_area).astype(np.int32)
    first = g_start[slot_group[slot]]  # the slot's group's first member in m_insp
    size = g_start[slot_group[slot] + 1] - first
    ends = np.cumsum(size)
    # pair j of the slot listed from `ends - size` takes member first + j
    member = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(first - (ends - size), size)
    listed = pa.table(  # noqa: F841 (read below)
        {
            "s_no": pa.array(np.repeat(slot, size)),
            "i_no": pa.array(m_insp[member].astype(np.int32)),
        }
    )
    con.execute("CREATE OR REPLACE TEMP TABLE a_pairs AS SELECT * FROM listed")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE a_prefix AS
        SELECT s_no, $seed || '|' || visit_id || '|' AS prefix FROM a_slots WHERE in_area
        """,
        {"seed": seed},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE a_rec AS
        SELECT s.s_no, i.i_no, CAST(CASE r.rule WHEN 'conflict' THEN 1 ELSE 2 END AS TINYINT) AS r
        FROM a_recused r JOIN a_insp i USING (inspector_id) JOIN a_slots s USING (uscc)
             JOIN a_members m ON m.g_no = s.g_no AND m.i_no = i.i_no
        WHERE s.in_area
        ORDER BY s.s_no, i.i_no
        """
    )


def ordered(con: Connection, slots: np.ndarray, lo: int, hi: int) -> dict[str, np.ndarray]:
    """The qualified inspectors of `slots` (slot numbers between lo and hi) with their draw
    number k and recusal rule (0 none, 1 conflict, 2 previous campaign), sorted in the rule's
    order (s_no, k, inspector id): numpy arrays s_no, i_no (int32), k (uint64), r. The one
    place where pairs are hashed.

    Why this shape: the hashing scans a_pairs (millions of rows, parallel over its row groups)
    rather than the slots (one row group, one thread); the hashed text is the per-slot prefix
    "S|visit_id|" and the inspector id, the very text the rule names; recusals are matched on
    integer keys; and only the slots the caller still needs are hashed."""
    wanted = pa.table({"s_no": pa.array(slots, type=pa.int32())})  # noqa: F841 (read below)
    k = rule.key_sql_text("p.prefix || i.inspector_id")
    cand = con.execute(
        f"""
        SELECT a.s_no, a.i_no, {k} AS k, CAST(coalesce(r.r, 0) AS TINYINT) AS r
        FROM a_pairs a SEMI JOIN wanted w USING (s_no)
             JOIN a_prefix p USING (s_no) JOIN a_insp i USING (i_no)
             LEFT JOIN a_rec r USING (s_no, i_no)
        WHERE a.s_no BETWEEN $lo AND $hi AND p.s_no BETWEEN $lo AND $hi
        """,  # noqa: S608 (fixed fragments)
        {"lo": int(lo), "hi": int(hi)},
    ).fetchnumpy()
    s_no = np.asarray(cand["s_no"], dtype=np.int32)
    i_no = np.asarray(cand["i_no"], dtype=np.int32)
    k = np.asarray(cand["k"], dtype=np.uint64)
    by = rule_order(s_no - lo, k, i_no, hi - lo + 1)
    return {"s_no": s_no[by], "i_no": i_no[by], "k": k[by], "r": np.asarray(cand["r"])[by]}


def rule_order(slot: np.ndarray, k: np.ndarray, insp: np.ndarray, n_slots: int) -> np.ndarray:
    """The permutation sorting pairs by (slot, k, inspector), slot in 0..n_slots-1: one sort of
    a single 64-bit key (the slot in the high bits, k's leading bits below), and the exact
    three-key sort only when two pairs of a slot share that key (k agreeing in its leading
    64 - log2(n_slots) bits, in practice never)."""
    bits = max(1, int(n_slots).bit_length())
    if len(slot) == 0 or bits > 32:
        return np.lexsort((insp, k, slot))
    key = (slot.astype(np.uint64) << np.uint64(64 - bits)) | (k >> np.uint64(bits))
    by = np.argsort(key)
    ordered = key[by]
    if (ordered[1:] == ordered[:-1]).any():
        return np.lexsort((insp, k, slot))
    return by
