"""Reads for the administrators' Assignments page and its downloads: the run, staffing coverage,
workload per inspector and department, unstaffed visits, recusal hits, replacements. Reads
only; every figure the page shows comes from here."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core import target_lookup
from core.assignment.inputs import caps_sql, has_column
from core.db import Connection, registered


def run_info(con: Connection, year: int) -> dict[str, Any] | None:
    """The year's assignment run with its live figures (replacements change them), or None."""
    row = con.execute(
        """
        SELECT run_id, algorithm, seed, assigned_at, assigned_by, visits, staffed, unstaffed,
               record_sha256
        FROM assignment_runs WHERE year = ?
        """,
        [year],
    ).fetchone()
    if row is None:
        return None
    keys = ("run_id", "algorithm", "seed", "assigned_at", "assigned_by", "visits", "staffed",
            "unstaffed", "record_sha256")  # fmt: skip
    info = dict(zip(keys, row, strict=True))
    kind = "coalesce(v.kind, 'onsite')" if has_column(con, "visits", "kind") else "'onsite'"
    live = con.execute(
        f"""
        SELECT count(*) FILTER (a.active),
               count(DISTINCT a.inspector_id) FILTER (a.active),
               count(*) FILTER (NOT a.active),
               count(DISTINCT a.visit_id) FILTER (a.active AND {kind} = 'desk')
        FROM assignments a JOIN visits v USING (visit_id) WHERE v.year = ?
        """,  # noqa: S608 (fixed fragment)
        [year],
    ).fetchone()
    info.update(
        assignments=int(live[0]), inspectors=int(live[1]), replacements=int(live[2]),
        desk_staffed=int(live[3]),
        recusal_hits=int(con.execute(
            "SELECT count(*) FROM assignment_recusals WHERE run_id = ?", [info["run_id"]]
        ).fetchone()[0]),
        desk_checks=int(con.execute(
            f"SELECT count(*) FROM visits v WHERE v.year = ? AND {kind} = 'desk'",  # noqa: S608
            [year],
        ).fetchone()[0]),
    )  # fmt: skip
    return info


def record_json(con: Connection, year: int) -> str | None:
    row = con.execute("SELECT record_json FROM assignment_runs WHERE year = ?", [year]).fetchone()
    return row[0] if row else None


def coverage_by_department(con: Connection, year: int) -> pd.DataFrame:
    """Per participating department: visits, staffed visits, unstaffed visits, coverage %."""
    return con.execute(
        """
        WITH slots AS (
            SELECT v.visit_id, u.dept_code FROM visits v, unnest(v.departments) AS u(dept_code)
            WHERE v.year = $year
        ), staffed AS (
            SELECT DISTINCT a.visit_id FROM assignments a JOIN visits v USING (visit_id)
            WHERE a.active AND v.year = $year
        )
        SELECT s.dept_code, any_value(d.name) AS dept_name, count(*) AS visits,
               count(st.visit_id) AS staffed, count(*) - count(st.visit_id) AS unstaffed,
               round(100.0 * count(st.visit_id) / count(*), 1) AS coverage_pct
        FROM slots s LEFT JOIN staffed st USING (visit_id)
             LEFT JOIN departments d ON d.dept_code = s.dept_code
        GROUP BY s.dept_code ORDER BY unstaffed DESC, visits DESC, s.dept_code
        """,
        {"year": year},
    ).df()


def workload(con: Connection, year: int) -> pd.DataFrame:
    """Per active certified inspector of a department taking part in the campaign: on-site
    visits, desk checks, total and the department's cap (inspectors with none included)."""
    kind = "coalesce(v.kind, 'onsite')" if has_column(con, "visits", "kind") else "'onsite'"
    return con.execute(
        f"""
        WITH load AS (
            SELECT a.inspector_id, count(*) FILTER ({kind} <> 'desk') AS onsite,
                   count(*) FILTER ({kind} = 'desk') AS desk
            FROM assignments a JOIN visits v USING (visit_id)
            WHERE a.active AND v.year = $year GROUP BY 1
        ), depts AS (
            SELECT DISTINCT u.dept_code FROM visits v, unnest(v.departments) AS u(dept_code)
            WHERE v.year = $year
        )
        SELECT i.inspector_id, i.name, i.dept_code, d.name AS dept_name,
               CAST(coalesce(l.onsite, 0) AS INTEGER) AS onsite,
               CAST(coalesce(l.desk, 0) AS INTEGER) AS desk,
               CAST(coalesce(l.onsite, 0) + coalesce(l.desk, 0) AS INTEGER) AS total,
               CAST(c.cap AS INTEGER) AS cap
        FROM inspectors i SEMI JOIN depts USING (dept_code)
             JOIN departments d USING (dept_code) JOIN ({caps_sql()}) c USING (dept_code)
             LEFT JOIN load l USING (inspector_id)
        WHERE i.active AND i.certified
        ORDER BY total DESC, i.inspector_id
        """,  # noqa: S608 (fixed fragments)
        {"year": year},
    ).df()


def workload_by_department(con: Connection, year: int) -> pd.DataFrame:
    """Per department: inspectors, assignments (on-site, desk), mean and max per inspector, cap,
    inspectors at the cap."""
    per = workload(con, year)  # noqa: F841 (read by the SQL below)
    return con.execute(
        """
        SELECT dept_code, any_value(dept_name) AS dept_name, count(*) AS inspectors,
               CAST(sum(onsite) AS BIGINT) AS onsite, CAST(sum(desk) AS BIGINT) AS desk,
               round(avg(total), 1) AS mean_per_inspector, max(total) AS max_per_inspector,
               any_value(cap) AS cap, count(*) FILTER (total >= cap) AS at_cap
        FROM per GROUP BY dept_code ORDER BY sum(total) DESC, dept_code
        """
    ).df()


NAMES = "_report_target_names"  # the listed visits' target names, for one query


def _names(con: Connection, codes_sql: str, params: dict[str, Any]) -> Any:
    """The names of the targets `codes_sql` selects (uscc, name), read by position
    (core/target_lookup.py rows_of): a few thousand names without a scan of 6.43 M codes."""
    return target_lookup.rows_of(con, codes_sql, params, ("name",)).drop_columns(["_row"])


def unstaffed(con: Connection, year: int) -> pd.DataFrame:
    """Unstaffed visits, one row per failing department, with the reason."""
    codes = (
        "SELECT v.uscc FROM assignment_unstaffed u JOIN visits v USING (visit_id) "
        "WHERE u.year = $year"
    )
    with registered(con, NAMES, _names(con, codes, {"year": year})):
        return con.execute(
            f"""
            SELECT u.visit_id, t.name AS target_name, d.name AS dept_name, u.reason, u.needed,
                   u.eligible, strftime(v.window_start, '%Y-%m-%d') AS window_start,
                   strftime(v.window_end, '%Y-%m-%d') AS window_end, v.uscc, u.dept_code
            FROM assignment_unstaffed u JOIN visits v USING (visit_id)
                 LEFT JOIN departments d ON d.dept_code = u.dept_code
                 LEFT JOIN (SELECT uscc, any_value(name) AS name FROM {NAMES}
                            GROUP BY uscc) t ON t.uscc = v.uscc
            WHERE u.year = $year
            ORDER BY v.window_start, u.visit_id, u.dept_code
            """,  # noqa: S608 (a constant)
            {"year": year},
        ).df()


def recusal_hits(con: Connection, year: int) -> pd.DataFrame:
    return con.execute(
        """
        SELECT h.visit_id, v.uscc, h.dept_code, h.inspector_id, i.name AS inspector_name, h.rule
        FROM assignment_recusals h JOIN assignment_runs r USING (run_id)
             JOIN visits v USING (visit_id) LEFT JOIN inspectors i USING (inspector_id)
        WHERE r.year = ? ORDER BY h.visit_id, h.inspector_id
        """,
        [year],
    ).df()


def replacements(con: Connection, year: int) -> pd.DataFrame:
    """Every replacement: visit, who stepped down, who took over, why, by whom, when (by whom
    and when empty on a file opened read-only before migration 5 gave assignments them)."""
    changed = (
        "a.changed_by, a.changed_at"
        if has_column(con, "assignments", "changed_by")
        else "CAST(NULL AS VARCHAR) AS changed_by, CAST(NULL AS VARCHAR) AS changed_at"
    )
    return con.execute(
        f"""
        SELECT a.visit_id, a.dept_code, a.inspector_id AS replaced, o.name AS replaced_name,
               a.replaced_by AS replacement, n.name AS replacement_name, a.reason, {changed}
        FROM assignments a JOIN visits v USING (visit_id)
             LEFT JOIN inspectors o ON o.inspector_id = a.inspector_id
             LEFT JOIN inspectors n ON n.inspector_id = a.replaced_by
        WHERE NOT a.active AND v.year = ?
        ORDER BY changed_at DESC, a.visit_id
        """,  # noqa: S608 (fixed fragments)
        [year],
    ).df()


def active_assignments(con: Connection, year: int) -> int:
    """How many rows assignments() holds: the download's size without reading its rows."""
    return int(
        con.execute(
            "SELECT count(*) FROM assignments a JOIN visits v USING (visit_id) "
            "WHERE a.active AND v.year = ?",
            [year],
        ).fetchall()[0][0]
    )


def assignments(con: Connection, year: int) -> pd.DataFrame:
    """Every active assignment of the year, for the download and the replacement form."""
    return con.execute(
        """
        SELECT a.visit_id, v.uscc, strftime(v.window_start, '%Y-%m-%d') AS window_start,
               strftime(v.window_end, '%Y-%m-%d') AS window_end, a.dept_code, a.inspector_id,
               i.name AS inspector_name, a.role, a.rank, a.assigned_at, a.reason
        FROM assignments a JOIN visits v USING (visit_id)
             LEFT JOIN inspectors i USING (inspector_id)
        WHERE a.active AND v.year = ?
        ORDER BY v.window_start, a.visit_id, a.dept_code, a.rank
        """,
        [year],
    ).df()


def desk_checks(con: Connection, year: int) -> pd.DataFrame:
    """The desk-check list (非现场检查): visits whose every task is off-site, with their tasks,
    departments and the inspectors assigned."""
    if not has_column(con, "visits", "kind"):
        return pd.DataFrame(
            columns=["visit_id", "uscc", "target_name", "window_start", "window_end",
                     "n_tasks", "departments", "inspectors"]
        )  # fmt: skip
    codes = "SELECT uscc FROM visits WHERE year = $year AND kind = 'desk'"
    with registered(con, NAMES, _names(con, codes, {"year": year})):
        return _desk_checks(con, year)


def _desk_checks(con: Connection, year: int) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH d AS (SELECT * FROM visits WHERE year = $year AND kind = 'desk'),
        ins AS (
            SELECT a.visit_id, string_agg(a.inspector_id, ' ' ORDER BY a.dept_code, a.rank)
                   AS inspectors
            FROM assignments a SEMI JOIN d USING (visit_id) WHERE a.active GROUP BY 1
        )
        SELECT d.visit_id, d.uscc, t.name AS target_name,
               strftime(d.window_start, '%Y-%m-%d') AS window_start,
               strftime(d.window_end, '%Y-%m-%d') AS window_end, d.n_tasks,
               array_to_string(d.departments, ' ') AS departments, ins.inspectors
        FROM d LEFT JOIN ins USING (visit_id)
             LEFT JOIN (SELECT uscc, any_value(name) AS name FROM {NAMES} GROUP BY uscc) t
             USING (uscc)
        ORDER BY d.window_start, d.visit_id
        """,  # noqa: S608 (a constant)
        {"year": year},
    ).df()


def export_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, set[str]]:
    """A frame for CSV/XLSX download: text cells made inert in spreadsheets (the registries'
    neutralise), numbers kept as numbers. Returns the text frame and its numeric columns.
    Column by column (vectorised): 120 k assignments in a fraction of a second."""
    from core.registry_io import FORMULA_START

    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])}
    out = pd.DataFrame(index=df.index)
    for c in df.columns:
        col = df[c]
        missing = col.isna().to_numpy()
        text = col.astype(object).where(~missing, "").astype(str)
        if c not in numeric:
            inert = text.str.match(FORMULA_START.pattern).to_numpy(dtype=bool)
            text = text.where(~inert, "'" + text)
        out[c] = text.astype(str)
    return out.reset_index(drop=True), numeric
