"""Notices stored as immutable versions. A notice is stored once as JSON in `publications` and
never changed: when its content changes (quotas become known after the draw, a correction) a new
version is stored that names the one it supersedes, and the audit log records each. This module
is publication's only writer, and it writes through core/writes.py's unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from core import deadlines
from core.db import Connection
from core.publication.notices import plan_notices
from core.publication.public_fields import assert_public_json, canonical, sha256_text
from core.publication.results import result_notices, results_available
from core.refusal import Refused
from core.vocab import TZ
from core.writes import Work, unit_of_work

PLAN_NOTICE = "plan_notice"
RESULT_NOTICE = "result_notice"


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


def store_notices(
    work: Work, kind: str, year: int, contents: dict[str, dict], reason: str | None
) -> tuple[list[str], int, int]:
    """Store every changed notice of one kind as a new version inside the open unit of work;
    returns (new publication ids, unchanged count, corrections count)."""
    con = work.con
    latest = latest_versions(con, kind, year)
    now = datetime.now(TZ).isoformat(timespec="seconds")
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
                     work.actor, text, digest))  # fmt: skip
        new.append(publication_id)
    if rows:
        con.executemany("INSERT INTO publications VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        for r in rows:
            work.log(
                f"publication.{kind}",
                {"publication_id": r[0], "version": r[4], "supersedes": r[5], "reason": r[6],
                 "content_sha256": r[10]},
            )  # fmt: skip
    return new, unchanged, corrections


def store_year(work: Work, year: int, reason: str | None = None) -> PublishSummary:
    """Store the year's changed plan and result notices inside the open unit of work (the CLI
    keeps it open until the public folder is complete, so both land or neither does)."""
    con = work.con
    if year not in publication_years(con):
        raise Refused("publish.no_plans", year=year)
    summary = PublishSummary(year=year, results_available=results_available(con))
    plans = plan_notices(con, year)
    results = result_notices(con, year)
    for kind, contents in ((PLAN_NOTICE, plans), (RESULT_NOTICE, results)):
        new, unchanged, corrections = store_notices(work, kind, year, contents, reason)
        summary.new += new
        summary.unchanged += unchanged
        summary.corrections += corrections
        if kind == RESULT_NOTICE and results:  # stored now or already out unchanged: 已公示
            from core.results import workflow

            workflow.mark_published(con, list(results), deadlines.today(), work.actor)
    return summary


def publish_year(
    con: Connection, year: int, actor: str, reason: str | None = None
) -> PublishSummary:
    """Publish (or re-version) every plan notice and, when results exist, every result notice
    of `year`, all-or-nothing. An unchanged notice is not stored again."""
    detail: dict = {"year": year, "reason": reason}
    with unit_of_work(con, actor, "publication.publish", detail) as work:
        summary = store_year(work, year, reason)
        detail |= {"new": len(summary.new), "corrections": summary.corrections}
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
