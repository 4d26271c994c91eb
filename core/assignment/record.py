"""The record of an assignment run: every input the rule reads and its outcome, as one JSON text,
so that core/verify_assignment_standalone.py can recompute the run with hashlib alone. Inspector
names are not in it, only ids. record_sha256 is the sha256 of the UTF-8 text as stored.

Shape (record_version 1; arrays rather than objects to keep 80 k visits small):
  algorithm, year, seed, rule (text), departments {code: {level, district, street}},
  caps {code: cap}, inspectors [[id, dept, [qualifications]]] (active and certified),
  visits [[visit_id, uscc, window_start, district, street, kind, [[dept, [fields]]]]] in the
  rule's order, recused [[inspector_id, uscc, rule]],
  outcome {assignments [[visit_id, dept, inspector_id, rank, role]],
           unstaffed [[visit_id, dept, reason, needed, eligible]]}."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from core.assignment import rule
from core.db import Connection

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
    """The record's JSON text from the a_* tables of inputs.load and the computed outcome."""
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
