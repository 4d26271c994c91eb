"""A visit's status and the steps between them: 待检查 pending -> 检查中 in_progress -> 待审核
review -> 已完成 done -> 已公示 published.

A visit without a visit_status row is pending. Entering results starts it; the inspector submits
it once every task has a result; a reviewer of one of the visit's departments approves it (or
returns it, with a reason); publishing its result notice marks it published. Results may still
be corrected after approval, with a reason: the visit is then done again, so that a corrected
notice is published as a new version. Every step here runs inside a unit of work."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from core.db import Connection
from core.refusal import Refused
from core.vocab import TZ
from core.writes import unit_of_work

STATUSES: tuple[str, ...] = ("pending", "in_progress", "review", "done", "published")
APPROVED: tuple[str, ...] = ("done", "published")


def now_text() -> str:
    """The time of a change, ISO 8601 in Asia/Shanghai."""
    return datetime.now(TZ).isoformat(timespec="seconds")


def today() -> date:
    return datetime.now(TZ).date()


def visit_row(con: Connection, visit_id: str) -> dict[str, Any] | None:
    """The visit (year, uscc, window, departments) and its status; None if there is no visit."""
    row = con.execute(
        """
        SELECT v.visit_id, v.year, v.uscc, v.window_start, v.window_end, v.departments,
               coalesce(s.status, 'pending'), s.completed_on, coalesce(s.simulated, FALSE)
        FROM visits v LEFT JOIN visit_status s USING (visit_id) WHERE v.visit_id = ?
        """,
        [visit_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("visit_id", "year", "uscc", "window_start", "window_end", "departments", "status",
            "completed_on", "simulated")  # fmt: skip
    return dict(zip(keys, row, strict=True))


def status_of(con: Connection, visit_id: str) -> str:
    row = con.execute("SELECT status FROM visit_status WHERE visit_id = ?", [visit_id]).fetchone()
    return row[0] if row else "pending"


def set_status(con: Connection, visit_id: str, status: str, actor: str, **fields: Any) -> None:
    """Write the visit's status row (inside the caller's unit of work). `simulated` follows the
    visit's results: a visit stays marked simulated while any of its results is."""
    con.execute(
        """
        INSERT INTO visit_status (visit_id, status, updated_by, updated_at, simulated)
        VALUES ($v, $s, $by, $at,
                coalesce((SELECT bool_or(simulated) FROM results WHERE visit_id = $v), FALSE))
        ON CONFLICT (visit_id) DO UPDATE SET status = excluded.status,
            updated_by = excluded.updated_by, updated_at = excluded.updated_at,
            simulated = excluded.simulated
        """,
        {"v": visit_id, "s": status, "by": actor, "at": now_text()},
    )
    for name, value in fields.items():
        if name not in ("completed_on", "reviewed_by", "reviewed_at", "published_on"):
            raise ValueError(name)
        con.execute(
            f"UPDATE visit_status SET {name} = ? WHERE visit_id = ?",  # noqa: S608 (checked name)
            [value, visit_id],
        )


def missing_tasks(con: Connection, visit_id: str) -> int:
    """Tasks of the visit without a result."""
    return con.execute(
        """
        SELECT count(*) FROM visit_tasks t
        ANTI JOIN results r USING (visit_id, plan_id, item_code)
        WHERE t.visit_id = ?
        """,
        [visit_id],
    ).fetchone()[0]


def _refuse_step(visit_id: str, status: str) -> Refused:
    return Refused("results.bad_transition", visit_id=visit_id, status=status)


def submit(con: Connection, user: dict[str, Any], visit_id: str) -> None:
    """The inspector sends a visit whose every task has a result to review."""
    from core.results.access import require_assigned

    require_assigned(con, user, visit_id)
    with unit_of_work(con, str(user["user_id"]), "results.submit", {"visit_id": visit_id}):
        status = status_of(con, visit_id)
        if status != "in_progress":
            raise _refuse_step(visit_id, status)
        missing = missing_tasks(con, visit_id)
        if missing:
            raise Refused("results.incomplete", visit_id=visit_id, missing=missing)
        set_status(con, visit_id, "review", str(user["user_id"]))


def _reviewable(con: Connection, user: dict[str, Any], visit_id: str) -> dict[str, Any]:
    visit = visit_row(con, visit_id)
    if visit is None:
        raise Refused("results.unknown_visit", visit_id=visit_id)
    dept = user.get("dept_code")
    if not dept or dept not in (visit["departments"] or []):
        raise Refused("results.not_reviewer", visit_id=visit_id, dept_code=dept or "-")
    return visit


def approve(con: Connection, user: dict[str, Any], visit_id: str) -> date:
    """A reviewer of one of the visit's departments approves it: 已完成, completed on the date
    of its last task. Returns that date (the 20-working-day count to publication starts)."""
    actor = str(user["user_id"])
    detail: dict[str, Any] = {"visit_id": visit_id}
    with unit_of_work(con, actor, "results.approve", detail):
        _reviewable(con, user, visit_id)
        status = status_of(con, visit_id)
        if status != "review":
            raise _refuse_step(visit_id, status)
        done = con.execute(
            "SELECT max(completed_on) FROM results WHERE visit_id = ?", [visit_id]
        ).fetchone()[0]
        set_status(con, visit_id, "done", actor, completed_on=done, reviewed_by=actor,
                   reviewed_at=now_text())  # fmt: skip
        detail["completed_on"] = str(done)
    return done


def send_back(con: Connection, user: dict[str, Any], visit_id: str, reason: str) -> None:
    """A reviewer returns a visit to its inspectors, saying why."""
    if not (reason or "").strip():
        raise Refused("results.return_reason")
    actor = str(user["user_id"])
    with unit_of_work(con, actor, "results.return", {"visit_id": visit_id, "reason": reason}):
        _reviewable(con, user, visit_id)
        status = status_of(con, visit_id)
        if status != "review":
            raise _refuse_step(visit_id, status)
        set_status(con, visit_id, "in_progress", actor)


def mark_published(con: Connection, visit_ids: list[str], on: date, actor: str) -> int:
    """Publication stored these visits' result notices: 已公示 (inside the publisher's
    transaction). Returns how many visits changed."""
    if not visit_ids:
        return 0
    row = con.execute(
        """
        UPDATE visit_status SET status = 'published', published_on = ?, updated_by = ?,
               updated_at = ?
        WHERE visit_id IN (SELECT unnest(?::VARCHAR[])) AND status = 'done'
        RETURNING visit_id
        """,
        [on, actor, now_text(), list(visit_ids)],
    ).fetchall()
    return len(row)
