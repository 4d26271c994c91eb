"""一公开: the public notices of plans and results, their versions, and what leaves the building.

A notice is built from the registries, stored once as JSON in `publications` and never changed:
when its content changes (quotas become known after the draw, a correction) a new version is
stored that names the one it supersedes, and the audit log records each. Everything exported is
checked against an allow-list of public fields (PUBLIC_KEYS, PUBLIC_COLUMNS): a field that is not
on it cannot leave, whatever a query happens to return.

Results come from the assignment issue. Until its tables exist the result notices are simply
absent. The contract read here (DESIGN.md's data model):
    visits(visit_id, uscc, completed_on DATE)      -- one row per visit, completed_on NULL if open
    visit_tasks(visit_id, plan_id)                 -- the plans a visit serves
    results(visit_id, item_code, outcome)          -- outcome: code(s) of DOMAIN.md's table
The inspecting departments are the departments of the items checked.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from core import audit, deadlines
from core.db import Connection, bump_data_version, transaction

PLAN_NOTICE = "plan_notice"
RESULT_NOTICE = "result_notice"

# Outcome categories of the national publicity system (DOMAIN.md): code -> (zh, en, category),
# category: "no_problem", "problem" or "excluded" (leaves the discovery-rate denominator).
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "1": ("未发现问题", "no problem found", "no_problem"),
    "3": ("违反食品药品监管规定", "violates food-and-drug rules", "problem"),
    "4": ("违反质量监管规定", "violates quality rules", "problem"),
    "G": ("违反公安管理规定", "violates public-security rules", "problem"),
    "5": ("违反其他部门监管规定", "violates other departments' rules", "problem"),
    "6": ("通过登记的住所(经营场所)无法联系", "cannot be reached at registered address", "problem"),
    "7": ("已关闭停业或正在组织清算", "closed or in liquidation", "excluded"),
    "8": ("不配合检查情节严重", "serious non-cooperation", "problem"),
    "9": ("已注销", "deregistered", "excluded"),
    "10": ("已吊销", "licence revoked", "excluded"),
    "11": ("已撤销登记", "registration cancelled", "excluded"),
    "12": ("已迁出", "moved out", "excluded"),
    "A": ("发现问题待后续处理", "problem found, follow-up pending", "problem"),
    "B": ("未按规定公示应当公示的信息", "failed to publish required information", "problem"),
    "C": ("公示信息隐瞒真实情况弄虚作假", "published false information", "problem"),
    "D": ("违反其他市场监管规定", "other market-supervision violations", "problem"),
    "E": ("发现问题经责令已改正", "problem found and corrected on order", "problem"),
    "F": ("未发现开展本次抽查涉及的经营活动", "activity not carried on", "excluded"),
}

# Every key a public JSON notice may carry, at any depth. Nothing else may leave.
PUBLIC_KEYS = frozenset(
    {
        # plan notices
        "plan_id", "year", "name", "kind", "item_class", "level", "period_start", "period_end",
        "lead_dept", "departments", "code", "role", "items", "item_code", "method",
        "legal_basis", "subject", "frame", "kinds", "industries", "districts",
        "streets", "campaign", "seed_commitment", "beacon_source", "draw", "draw_record",
        "algorithm", "mode", "committed_at", "strata", "stratum", "frame_size", "ratio_bp",
        "quota", "total_quota",
        # result notices
        "enterprise_name", "uscc", "plans", "completed_on", "outcome_codes", "outcome",
        "category",
        # publication metadata
        "publication_id", "version", "supersedes", "reason", "published_at", "notice",
    }
)  # fmt: skip

# Columns of the tabular exports (CSV, XLSX), per table.
PUBLIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan_notices": (
        "publication_id", "version", "supersedes", "reason", "published_at", "plan_id", "name",
        "year", "kind", "item_class", "level", "lead_dept", "departments", "items", "frame",
        "period_start", "period_end", "seed_commitment", "beacon_source", "total_quota",
    ),
    "result_notices": (
        "publication_id", "version", "supersedes", "reason", "published_at", "enterprise_name",
        "uscc", "plans", "departments", "completed_on", "item_code", "item_name",
        "outcome_codes", "outcome", "category",
    ),
}  # fmt: skip


class NotPublic(ValueError):
    """A field outside the public allow-list was about to be exported."""


def assert_public_json(obj: Any, path: str = "$") -> None:
    """Raise NotPublic if any key at any depth of `obj` is not in PUBLIC_KEYS."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key not in PUBLIC_KEYS:
                raise NotPublic(f"{path}.{key} is not a public field")
            assert_public_json(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            assert_public_json(value, f"{path}[{i}]")


def assert_public_table(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return `df` restricted to, and ordered as, the table's public columns; refuse others."""
    allowed = PUBLIC_COLUMNS[table]
    extra = [c for c in df.columns if c not in allowed]
    if extra:
        raise NotPublic(f"{table}: columns {extra} are not public")
    return df[[c for c in allowed if c in df.columns]]


def canonical(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def table_exists(con: Connection, table: str, columns: tuple[str, ...] = ()) -> bool:
    cols = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    return bool(cols) and set(columns) <= cols


def results_available(con: Connection) -> bool:
    """True once the assignment issue's visits, visit_tasks and results tables exist."""
    return (
        table_exists(con, "visits", ("visit_id", "uscc", "completed_on"))
        and table_exists(con, "visit_tasks", ("visit_id", "plan_id"))
        and table_exists(con, "results", ("visit_id", "item_code", "outcome"))
    )


def outcome_codes(value: Any) -> list[str]:
    """An outcome cell as its list of codes: a list, or codes separated by , ; | or spaces."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip().upper() for v in value if str(v).strip()]
    return [c.upper() for c in re.split(r"[,;|\s]+", str(value).strip()) if c]


def outcome_category(codes: list[str]) -> str:
    """'problem' if any code is a problem, else 'excluded' if any is excluded, else no_problem."""
    cats = {OUTCOMES[c][2] for c in codes if c in OUTCOMES}
    for category in ("problem", "excluded", "no_problem"):
        if category in cats:
            return category
    return "unknown"


# ---------------------------------------------------------------------------------------------
# Draws (read from the sampling issue's contract tables)


def current_draws(con: Connection, year: int) -> pd.DataFrame:
    """The draw in force for each plan of `year` (the schema's current_draws view)."""
    return con.execute(
        "SELECT draw_id, plan_id, mode, committed_at, record_json FROM current_draws "
        "WHERE year = ? ORDER BY plan_id",
        [year],
    ).df()


def stratum_frames(con: Connection, draw_id: str) -> dict[str, list[str]]:
    """A committed draw's frames by risk tier, sorted ascending: its frame files.

    Read from `draw_frames`, where the draw kept each stratum's frame as it was at draw time, so
    a later import or re-scoring cannot change what is published. The export still checks every
    frame against the SHA-256 in the draw record: a mismatch is reported, never shipped."""
    rows = con.execute(
        "SELECT tier, uscc FROM draw_frames WHERE draw_id = ? ORDER BY tier, uscc", [draw_id]
    ).fetchall()
    frames: dict[str, list[str]] = {}
    for tier, uscc in rows:
        frames.setdefault(tier, []).append(uscc)
    return frames


def frame_bytes(codes: list[str]) -> bytes:
    """A frame file: codes sorted ascending, '\\n'-joined, UTF-8, no trailing newline."""
    return "\n".join(sorted(codes)).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Plan notices


def plan_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every plan of `year`, keyed by plan_id; a few set-based queries."""
    plans = con.execute(
        """
        SELECT p.plan_id, p.year, p.name, p.kind, p.item_class, p.level, p.lead_dept,
               d.name AS lead_name, p.frame_kinds, p.frame_industries, p.frame_districts,
               p.frame_streets, CAST(p.period_start AS VARCHAR), CAST(p.period_end AS VARCHAR)
        FROM plans p LEFT JOIN departments d ON d.dept_code = p.lead_dept
        WHERE p.year = ? ORDER BY p.plan_id
        """,
        [year],
    ).fetchall()
    depts: dict[str, list] = {}
    for plan_id, code, name, role in con.execute(
        """
        SELECT pd.plan_id, pd.dept_code, d.name, pd.role FROM plan_depts pd
        JOIN plans p USING (plan_id) LEFT JOIN departments d USING (dept_code)
        WHERE p.year = ? ORDER BY pd.plan_id, pd.role, pd.dept_code
        """,
        [year],
    ).fetchall():
        depts.setdefault(plan_id, []).append({"code": code, "name": name, "role": role})
    items: dict[str, list] = {}
    for plan_id, code, name, cls, method, basis, subject in con.execute(
        """
        SELECT pi.plan_id, i.item_code, i.name, i.item_class, i.method, i.legal_basis, i.subject
        FROM plan_items pi JOIN plans p USING (plan_id) JOIN items i USING (item_code)
        WHERE p.year = ? ORDER BY pi.plan_id, i.item_code
        """,
        [year],
    ).fetchall():
        items.setdefault(plan_id, []).append(
            {"item_code": code, "name": name, "item_class": cls, "method": method,
             "legal_basis": basis, "subject": subject}
        )  # fmt: skip
    industry_names = dict(con.execute("SELECT code, name FROM industries").fetchall())
    campaign = con.execute(
        "SELECT seed_commitment, beacon_source FROM campaigns WHERE year = ?", [year]
    ).fetchone()
    draws: dict[str, dict] = {}
    for row in current_draws(con, year).itertuples(index=False):
        record = json.loads(row.record_json)
        strata = [
            {"stratum": s["tier"], "frame_size": s["frame_size"], "ratio_bp": s["ratio_bp"],
             "quota": s["quota"]}
            for s in record["strata"]
        ]  # fmt: skip
        draws[row.plan_id] = {
            "algorithm": record["algorithm"], "mode": record["mode"],
            "committed_at": str(row.committed_at), "strata": strata,
            "total_quota": sum(s["quota"] for s in strata),
            "draw_record": f"draws/{row.plan_id}.json",
        }  # fmt: skip
    notices = {}
    for (plan_id, yr, name, kind, cls, level, lead, lead_name, kinds, inds, dists, streets,
         start, end) in plans:  # fmt: skip
        notices[plan_id] = {
            "plan_id": plan_id, "year": yr, "name": name, "kind": kind, "item_class": cls,
            "level": level, "period_start": start, "period_end": end,
            "lead_dept": {"code": lead, "name": lead_name},
            "departments": depts.get(plan_id, []),
            "items": items.get(plan_id, []),
            "frame": {
                "kinds": kinds,
                "industries": None if inds is None
                else [{"code": c, "name": industry_names.get(c)} for c in inds],
                "districts": dists, "streets": streets,
            },
            "campaign": None if campaign is None
            else {"seed_commitment": campaign[0], "beacon_source": campaign[1]},
            "draw": draws.get(plan_id),
        }  # fmt: skip
    return notices


# ---------------------------------------------------------------------------------------------
# Result notices


def result_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every completed visit serving a plan of `year`, keyed by visit_id;
    empty until the assignment issue's results tables exist."""
    if not results_available(con):
        return {}
    rows = con.execute(
        """
        WITH v AS (
            SELECT DISTINCT v.visit_id, v.uscc, CAST(v.completed_on AS VARCHAR) AS completed_on
            FROM visits v JOIN visit_tasks vt USING (visit_id) JOIN plans p USING (plan_id)
            WHERE v.completed_on IS NOT NULL AND p.year = ?)
        SELECT v.visit_id, v.uscc, t.name, v.completed_on,
               (SELECT list(DISTINCT {'plan_id': p.plan_id, 'name': p.name}
                            ORDER BY {'plan_id': p.plan_id, 'name': p.name})
                FROM visit_tasks vt JOIN plans p USING (plan_id)
                WHERE vt.visit_id = v.visit_id) AS plans,
               r.item_code, i.name AS item_name, i.dept_code, d.name AS dept_name,
               CAST(r.outcome AS VARCHAR) AS outcome
        FROM v JOIN results r USING (visit_id)
        LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets) t USING (uscc)
        LEFT JOIN items i ON i.item_code = r.item_code
        LEFT JOIN departments d ON d.dept_code = i.dept_code
        ORDER BY v.visit_id, r.item_code
        """,
        [year],
    ).fetchall()
    notices: dict[str, dict[str, Any]] = {}
    for visit_id, uscc, name, done, plans, item, item_name, dept, dept_name, outcome in rows:
        n = notices.setdefault(
            visit_id,
            {"enterprise_name": name, "uscc": uscc, "completed_on": done,
             "plans": [dict(p) for p in plans or []], "departments": [], "items": []},
        )  # fmt: skip
        if dept is not None and {"code": dept, "name": dept_name} not in n["departments"]:
            n["departments"].append({"code": dept, "name": dept_name})
        codes = outcome_codes(outcome.strip("[]").replace("'", "") if outcome else None)
        n["items"].append(
            {"item_code": item, "name": item_name, "outcome_codes": codes,
             "outcome": [OUTCOMES[c][0] if c in OUTCOMES else c for c in codes],
             "category": outcome_category(codes)}
        )  # fmt: skip
    return notices


# ---------------------------------------------------------------------------------------------
# Versioned, immutable publication


@dataclass
class PublishSummary:
    year: int
    new: list[str] = field(default_factory=list)  # publication ids stored now
    unchanged: int = 0
    corrections: int = 0
    results_available: bool = False


def latest_versions(con: Connection, kind: str, year: int) -> dict[str, tuple[str, int, str]]:
    """subject -> (publication_id, version, content_sha256) of its newest version."""
    rows = con.execute(
        """
        SELECT subject, publication_id, version, content_sha256 FROM publications
        WHERE kind = ? AND year = ?
        QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1
        """,
        [kind, year],
    ).fetchall()
    return {s: (pid, v, h) for s, pid, v, h in rows}


def _store(
    con: Connection, kind: str, year: int, contents: dict[str, dict], actor: str, reason: str | None
) -> tuple[list[str], int, int]:
    latest = latest_versions(con, kind, year)
    now = datetime.now(deadlines.TZ).isoformat(timespec="seconds")
    new, unchanged, corrections = [], 0, 0
    rows = []
    for subject, content in contents.items():
        assert_public_json(content)
        text = canonical(content)
        digest = sha256_text(text)
        prev = latest.get(subject)
        if prev is not None and prev[2] == digest:
            unchanged += 1
            continue
        version = 1 if prev is None else prev[1] + 1
        publication_id = f"{kind}:{subject}:v{version}"
        why = None if prev is None else (reason or "content changed")
        corrections += prev is not None
        rows.append((publication_id, kind, subject, year, version, prev and prev[0], why, now,
                     actor, text, digest))  # fmt: skip
        new.append(publication_id)
    if rows:
        con.executemany("INSERT INTO publications VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        for r in rows:
            audit.record(
                con, actor, f"publication.{kind}",
                {"publication_id": r[0], "version": r[4], "supersedes": r[5], "reason": r[6],
                 "content_sha256": r[10]},
            )  # fmt: skip
    return new, unchanged, corrections


def publish_year(
    con: Connection, year: int, actor: str, reason: str | None = None
) -> PublishSummary:
    """Publish (or re-version) every plan notice and, when results exist, every result notice
    of `year`, all-or-nothing. An unchanged notice is not stored again."""
    summary = PublishSummary(year=year, results_available=results_available(con))
    plans = plan_notices(con, year)
    results = result_notices(con, year)
    with transaction(con):
        for kind, contents in ((PLAN_NOTICE, plans), (RESULT_NOTICE, results)):
            new, unchanged, corrections = _store(con, kind, year, contents, actor, reason)
            summary.new += new
            summary.unchanged += unchanged
            summary.corrections += corrections
        if summary.new:
            bump_data_version(con)
    return summary


def published(con: Connection, kind: str, year: int, latest_only: bool = True) -> pd.DataFrame:
    """Stored publications of one kind and year with their metadata (no publisher account)."""
    sql = """
        SELECT publication_id, subject, version, supersedes, reason, published_at, content_json,
               content_sha256
        FROM publications WHERE kind = ? AND year = ?
    """
    if latest_only:
        sql += " QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1"
    return con.execute(sql + " ORDER BY subject, version", [kind, year]).df()


def publication_years(con: Connection) -> list[int]:
    rows = con.execute(
        "SELECT DISTINCT year FROM plans UNION SELECT DISTINCT year FROM publications ORDER BY 1"
    ).fetchall()
    return [int(r[0]) for r in rows]


def publication_status(con: Connection, year: int) -> dict[str, int]:
    """Counts for the Publish page: plans, published notices, draws, results."""
    row = con.execute(
        """
        SELECT (SELECT count(*) FROM plans WHERE year = $1),
               (SELECT count(DISTINCT subject) FROM publications
                WHERE kind = 'plan_notice' AND year = $1),
               (SELECT count(*) FROM publications WHERE kind = 'plan_notice' AND year = $1),
               (SELECT count(DISTINCT plan_id) FROM draws WHERE year = $1),
               (SELECT count(DISTINCT subject) FROM publications
                WHERE kind = 'result_notice' AND year = $1)
        """,
        [year],
    ).fetchone()
    keys = ["plans", "plan_notices", "plan_notice_versions", "drawn_plans", "result_notices"]
    return dict(zip(keys, (int(v) for v in row), strict=True))


# ---------------------------------------------------------------------------------------------
# Deadlines: 20 working days from completion to publication

DEADLINE_STATUSES = ("overdue", "due_soon", "open", "published")


def visit_deadlines(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per completed visit and inspecting department: completion, due date, working days left
    and status (published / overdue / due_soon within DUE_SOON_WORKING_DAYS / open). Empty, with
    the same columns, until results exist."""
    columns = ["dept_code", "dept_name", "visit_id", "uscc", "enterprise_name", "completed_on",
               "due_on", "working_days_left", "status"]  # fmt: skip
    if not results_available(con):
        return pd.DataFrame(columns=columns)
    df = con.execute(
        """
        SELECT DISTINCT i.dept_code, d.name AS dept_name, v.visit_id, v.uscc,
               t.name AS enterprise_name, CAST(v.completed_on AS DATE) AS completed_on,
               v.visit_id IN (SELECT subject FROM publications WHERE kind = 'result_notice')
                   AS published
        FROM visits v JOIN results r USING (visit_id)
        JOIN items i ON i.item_code = r.item_code
        LEFT JOIN departments d ON d.dept_code = i.dept_code
        LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets) t USING (uscc)
        WHERE v.completed_on IS NOT NULL AND v.visit_id IN (
            SELECT vt.visit_id FROM visit_tasks vt JOIN plans p USING (plan_id) WHERE p.year = ?)
        ORDER BY completed_on, v.visit_id, i.dept_code
        """,
        [year],
    ).df()
    if df.empty:
        return pd.DataFrame(columns=columns)
    holidays = deadlines.holiday_table(con)
    df["completed_on"] = pd.to_datetime(df["completed_on"]).dt.date
    df["due_on"] = deadlines.due_dates(df["completed_on"], holidays)
    df["working_days_left"] = deadlines.working_days_left(df["due_on"], on, holidays)
    df["status"] = np.select(
        [df["published"], df["working_days_left"] < 0,
         df["working_days_left"] <= deadlines.DUE_SOON_WORKING_DAYS],
        ["published", "overdue", "due_soon"], default="open",
    )  # fmt: skip
    return df[columns]


def deadlines_by_department(con: Connection, year: int, on: date) -> pd.DataFrame:
    """Per department: how many results are overdue, due soon, open and published."""
    df = visit_deadlines(con, year, on)
    out = (
        df.groupby(["dept_code", "dept_name", "status"]).size().unstack("status", fill_value=0)
        if not df.empty
        else pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=["dept_code", "dept_name"]))
    )
    for status in DEADLINE_STATUSES:
        if status not in out.columns:
            out[status] = 0
    out = out[list(DEADLINE_STATUSES)].reset_index()
    return out.sort_values(["overdue", "due_soon"], ascending=False, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# The public view: what anyone may read, searchable by enterprise name or USCC


def public_plans(con: Connection, year: int, text: str = "") -> pd.DataFrame:
    """Latest published plan notices, optionally filtered by plan name or id."""
    like = f"%{text.strip()}%"
    return con.execute(
        """
        SELECT subject AS plan_id, content_json->>'name' AS name,
               content_json->>'item_class' AS item_class, content_json->>'level' AS level,
               content_json->'lead_dept'->>'name' AS lead_dept,
               content_json->>'period_start' AS period_start,
               content_json->>'period_end' AS period_end,
               TRY_CAST(content_json->'draw'->>'total_quota' AS INTEGER) AS total_quota,
               version, published_at, publication_id
        FROM publications WHERE kind = 'plan_notice' AND year = ?
          AND (subject ILIKE ? OR content_json->>'name' ILIKE ?)
        QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1
        ORDER BY subject
        """,
        [year, like, like],
    ).df()


def search_enterprise(con: Connection, year: int, text: str, limit: int = 200) -> pd.DataFrame:
    """Enterprises drawn in a published plan whose name contains `text` or whose USCC is `text`:
    one row per (enterprise, plan). Only drawn targets are searched, so this is quick at scale."""
    text = text.strip()
    if not text:
        return pd.DataFrame(columns=["uscc", "enterprise_name", "plan_id", "plan_name"])
    return con.execute(
        """
        WITH cur AS (SELECT draw_id, plan_id FROM current_draws WHERE year = ?),
        notice AS (
            SELECT subject AS plan_id, content_json->>'name' AS plan_name FROM publications
            WHERE kind = 'plan_notice' AND year = ?
            QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1),
        drawn AS (
            SELECT DISTINCT s.uscc, s.plan_id FROM draw_selections s JOIN cur USING (draw_id))
        SELECT d.uscc, t.name AS enterprise_name, d.plan_id, n.plan_name
        FROM drawn d JOIN notice n USING (plan_id)
        JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets
              WHERE uscc IN (SELECT uscc FROM drawn)) t USING (uscc)
        WHERE upper(d.uscc) = upper(?) OR t.name ILIKE ?
        ORDER BY d.uscc, d.plan_id LIMIT ?
        """,
        [year, year, text, f"%{text}%", limit],
    ).df()


def public_results(con: Connection, year: int, text: str = "") -> pd.DataFrame:
    """Latest published result notices (one row per item), filtered by enterprise or USCC."""
    like = f"%{text.strip()}%"
    rows = con.execute(
        """
        SELECT publication_id, version, published_at, content_json FROM publications
        WHERE kind = 'result_notice' AND year = ?
          AND (content_json->>'uscc' ILIKE ? OR content_json->>'enterprise_name' ILIKE ?)
        QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1
        ORDER BY content_json->>'completed_on' DESC, subject
        """,
        [year, like, like],
    ).fetchall()
    table = []
    for pid, version, _published_at, content in rows:
        n = json.loads(content)
        for item in n["items"]:
            table.append(
                {"enterprise_name": n["enterprise_name"], "uscc": n["uscc"],
                 "plans": "; ".join(p["name"] for p in n["plans"]),
                 "departments": "; ".join(d["name"] or d["code"] for d in n["departments"]),
                 "completed_on": n["completed_on"], "item_name": item["name"],
                 "outcome_codes": ",".join(item["outcome_codes"]),
                 "category": item["category"], "version": version, "publication_id": pid}
            )  # fmt: skip
    return pd.DataFrame(
        table,
        columns=["enterprise_name", "uscc", "plans", "departments", "completed_on", "item_name",
                 "outcome_codes", "category", "version", "publication_id"],
    )  # fmt: skip


def draw_choices(con: Connection) -> pd.DataFrame:
    """Committed, current draws anyone may pick on the Verify page."""
    return con.execute(
        """
        SELECT d.draw_id, d.year, d.plan_id, p.name AS plan_name, d.mode, d.committed_at
        FROM current_draws d LEFT JOIN plans p USING (plan_id)
        ORDER BY d.year DESC, d.plan_id, d.committed_at DESC
        """
    ).df()


def draw_record(con: Connection, draw_id: str) -> str | None:
    row = con.execute("SELECT record_json FROM draws WHERE draw_id = ?", [draw_id]).fetchone()
    return row[0] if row else None


def version_history(con: Connection, year: int) -> pd.DataFrame:
    """Every version after the first: what it replaced, when and why (newest first)."""
    return con.execute(
        """
        SELECT publication_id, kind, subject, version, supersedes, reason, published_at
        FROM publications WHERE year = ? AND version > 1
        ORDER BY published_at DESC, publication_id
        """,
        [year],
    ).df()
