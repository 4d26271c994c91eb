"""Entering one visit's results: per task the outcome codes (several allowed), a note and the
completion date, checked before anything is written.

An inspector enters results only for their own visits (access.require_assigned). A visit under
review is locked; after approval a change needs a reason, is audited with the old values, and
puts the visit back to done so that a corrected notice is published."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.db import Connection
from core.refusal import Refused
from core.results import workflow
from core.results.access import require_assigned
from core.vocab import OUTCOMES, outcome_counts
from core.writes import attempt, unit_of_work

NOTE_LIMIT = 1000
_SEPARATORS = re.compile(r"[,;|、,;\s]+")


@dataclass(frozen=True)
class TaskEntry:
    """One task's result as entered."""

    plan_id: str
    item_code: str
    outcomes: tuple[str, ...]
    completed_on: date | None
    note: str = ""


def parse_codes(value: Any) -> tuple[str, ...]:
    """Outcome codes from a list or a cell such as "6,E" / "6、E" (order kept, no repeats)."""
    if value is None:
        return ()
    parts = value if isinstance(value, list | tuple) else _SEPARATORS.split(str(value))
    out: list[str] = []
    for p in parts:
        code = str(p).strip().upper()
        if code and code not in out:
            out.append(code)
    return tuple(out)


def problems(
    entry: TaskEntry, window_start: date | None, today: date
) -> list[tuple[str, str, dict]]:
    """Every problem of one entry as (field, message key, values); empty when it is valid."""
    found: list[tuple[str, str, dict]] = []
    item = entry.item_code
    if not entry.outcomes:
        found.append(("outcomes", "results.no_outcome", {"item_code": item}))
    for code in entry.outcomes:
        if code not in OUTCOMES:
            found.append(("outcomes", "results.bad_outcome", {"item_code": item, "code": code}))
    if "1" in entry.outcomes and len(entry.outcomes) > 1:
        found.append(("outcomes", "results.clear_mixed", {"item_code": item}))
    day = entry.completed_on
    if day is None:
        found.append(("completed_on", "results.no_date", {"item_code": item}))
    elif day > today:
        found.append(("completed_on", "results.future_date", {"item_code": item, "day": day}))
    elif window_start is not None and day < window_start:
        found.append(("completed_on", "results.early_date",
                      {"item_code": item, "day": day, "start": window_start}))  # fmt: skip
    if len(entry.note or "") > NOTE_LIMIT:
        found.append(("note", "results.note_long", {"item_code": item, "limit": NOTE_LIMIT}))
    return found


def check(entry: TaskEntry, window_start: date | None, today: date) -> None:
    """Refuse the entry with its first problem."""
    found = problems(entry, window_start, today)
    if found:
        _field, key, values = found[0]
        raise Refused(key, **values)


def result_rows(entries: list[TaskEntry], visit_id: str, actor: str, at: str, simulated=False):
    """The results rows of these entries (problem_found/counted from core.vocab)."""
    rows = []
    for e in entries:
        problem, counted = outcome_counts(list(e.outcomes))
        rows.append((visit_id, e.plan_id, e.item_code, list(e.outcomes), problem, counted,
                     e.note or None, e.completed_on, actor, at, simulated))  # fmt: skip
    return rows


def write_rows(con: Connection, rows: list[tuple]) -> None:
    """Replace the results of these tasks (inside the caller's unit of work). The rows travel
    as list parameters (no registered frame: a connection with a pending result refuses one)."""
    cols = list(zip(*rows, strict=True)) if rows else [[] for _ in range(11)]
    params = {f"c{k}": list(col) for k, col in enumerate(cols)}
    params["c3"] = [list(codes) for codes in params["c3"]]
    con.execute(
        """
        DELETE FROM results r USING (
            SELECT unnest($c0) AS visit_id, unnest($c1) AS plan_id, unnest($c2) AS item_code) n
        WHERE r.visit_id = n.visit_id AND r.plan_id = n.plan_id AND r.item_code = n.item_code
        """,
        {k: params[k] for k in ("c0", "c1", "c2")},
    )
    con.execute(
        """
        INSERT INTO results
        SELECT unnest($c0), unnest($c1), unnest($c2), unnest(CAST($c3 AS VARCHAR[][])),
               unnest(CAST($c4 AS BOOLEAN[])), unnest(CAST($c5 AS BOOLEAN[])),
               unnest(CAST($c6 AS VARCHAR[])), unnest(CAST($c7 AS DATE[])),
               unnest(CAST($c8 AS VARCHAR[])), unnest(CAST($c9 AS VARCHAR[])),
               unnest(CAST($c10 AS BOOLEAN[]))
        """,
        params,
    )


@dataclass
class Saved:
    visit_id: str
    tasks: int
    status: str


def save(
    con: Connection, user: dict[str, Any] | None, visit_id: str, entries: list[TaskEntry],
    reason: str | None = None, today: date | None = None,
) -> Saved:  # fmt: skip
    """Save the signed-in inspector's results for tasks of their visit, all or nothing. A
    refusal (not the user's visit, a bad code, a visit in review …) is recorded once as the
    attempt (core/writes.py)."""
    actor = str((user or {}).get("user_id") or "anonymous")
    detail: dict[str, Any] = {"visit_id": visit_id, "tasks": len(entries)}
    with attempt(con, actor, "results.enter", detail):
        return _save(con, user, visit_id, entries, reason, today, detail)


def _save(
    con: Connection, user: dict[str, Any] | None, visit_id: str, entries: list[TaskEntry],
    reason: str | None, today: date | None, detail: dict[str, Any],
) -> Saved:  # fmt: skip
    require_assigned(con, user, visit_id)
    if not entries:
        raise Refused("results.no_entries")
    actor = str(user["user_id"])  # type: ignore[index]
    today = today or workflow.today()
    with unit_of_work(con, actor, "results.enter", detail):
        visit = workflow.visit_row(con, visit_id)
        if visit is None:
            raise Refused("results.not_assigned", visit_id=visit_id)
        status = visit["status"]
        if status == "review":
            raise Refused("results.in_review", visit_id=visit_id)
        if status in workflow.APPROVED and not (reason or "").strip():
            raise Refused("results.reason_needed", visit_id=visit_id)
        tasks = set(
            con.execute(
                "SELECT plan_id, item_code FROM visit_tasks WHERE visit_id = ?", [visit_id]
            ).fetchall()
        )
        for e in entries:
            if (e.plan_id, e.item_code) not in tasks:
                raise Refused("results.unknown_task", visit_id=visit_id, plan_id=e.plan_id,
                              item_code=e.item_code)  # fmt: skip
            check(e, visit["window_start"], today)
        if status in workflow.APPROVED:
            before = con.execute(
                "SELECT plan_id, item_code, outcomes, note, CAST(completed_on AS VARCHAR) "
                "FROM results WHERE visit_id = ? ORDER BY plan_id, item_code",
                [visit_id],
            ).fetchall()
            detail.update(reason=reason.strip(), status_before=status,  # type: ignore[union-attr]
                          before=[list(map(_plain, r)) for r in before])  # fmt: skip
        write_rows(con, result_rows(entries, visit_id, actor, workflow.now_text()))
        detail["after"] = [[e.plan_id, e.item_code, list(e.outcomes), str(e.completed_on)]
                           for e in entries]  # fmt: skip
        new_status = "done" if status in workflow.APPROVED else "in_progress"
        if status in workflow.APPROVED:
            done = con.execute(
                "SELECT max(completed_on) FROM results WHERE visit_id = ?", [visit_id]
            ).fetchone()[0]
            workflow.set_status(con, visit_id, new_status, actor, completed_on=done)
        else:
            workflow.set_status(con, visit_id, new_status, actor)
    return Saved(visit_id=visit_id, tasks=len(entries), status=new_status)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value
