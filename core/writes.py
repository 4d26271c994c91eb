"""The one write path: every change to the database is a unit of work.

A unit of work is one transaction that ends with an audit entry per action (actor = the
signed-in user's id, or the OS user for the CLI) and exactly one data_version bump, so page
caches refresh once. Units nest: an inner `unit_of_work` on the same connection joins the outer
one and its audit entry is written when the outer one commits. Within a process every unit runs
behind one lock (datasette's single writer): concurrent users queue instead of failing with
DuckDB's "Conflict on update"; a write that cannot get its turn within WRITE_WAIT_SECONDS is
refused with the message key `write.busy` and changes nothing. Across processes DuckDB's file
lock already allows only one writer.

A unit that fails (a refusal or an error) leaves one audit entry of the attempt, written after
the rollback by the outermost unit only (a nested unit's failure is the outer one's): the unit's
action and actor, its detail as it stood, `attempt: true`, `outcome` refused or failed, and the
refusal's key or the error's class name (never its message: it may quote data). A writer whose
checks come before its unit wraps its whole run in `attempt(...)`, the same rule over a wider
span: whatever escapes it is recorded once; a writer that reports a refusal instead of raising it
(a rejected import's problem report) records it with `record_attempt(...)`. An attempt changes no
data, so data_version (the pages' cache key) stays. Reads and previews never come here:
anything that does not go through `unit_of_work` must not write, and a refused preview leaves no
trace."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb

from core import audit, settings
from core.db import Connection, bump_data_version
from core.refusal import Refused

WRITE_WAIT_SECONDS = float(settings.value("write_wait_seconds"))

_WRITER = threading.RLock()  # the process-wide serialising point
_local = threading.local()  # the unit of work open in this thread, if any


@dataclass
class Work:
    """The open unit: its connection, and the audit entries to write when it commits."""

    con: Connection
    actor: str
    entries: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    data_version: int | None = None

    def log(self, action: str, detail: dict[str, Any] | None = None, actor: str | None = None):
        """Add one more audit entry to this unit (written at commit, in order)."""
        self.entries.append((actor or self.actor, action, dict(detail or {})))


def current() -> Work | None:
    """The unit of work open in this thread, or None."""
    return getattr(_local, "work", None)


@contextmanager
def unit_of_work(
    con: Connection, actor: str, action: str, detail: dict[str, Any] | None = None
) -> Iterator[Work]:
    """Run the block as one all-or-nothing write by `actor`; see the module docstring.

    `detail` is the audit entry's detail: the block may add to it (it is written at the end), or
    call `work.log(...)` for further entries. On any exception everything is rolled back and no
    audit entry or version bump is left behind; the exception propagates."""
    detail = detail if detail is not None else {}
    outer = current()
    if outer is not None:
        if outer.con is not con:
            raise RuntimeError("a nested unit of work must use the outer unit's connection")
        outer.entries.append((actor, action, detail))
        yield outer
        return
    if not actor:
        raise ValueError("a write needs an actor (the signed-in user's id)")
    if not _WRITER.acquire(timeout=WRITE_WAIT_SECONDS):
        raise Refused("write.busy")
    work = Work(con=con, actor=actor)
    work.entries.append((actor, action, detail))
    _local.work = work
    try:
        try:
            con.execute("BEGIN TRANSACTION")
        except duckdb.Error as e:  # e.g. the database file was closed or replaced under us
            raise Refused("write.failed", error=str(e).splitlines()[0]) from e
        try:
            yield work
            for who, what, info in work.entries:
                audit.record(con, who, what, info)
            work.data_version = bump_data_version(con)
            con.execute("COMMIT")
            _anchor(con)
        except BaseException as e:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            error = Refused("write.conflict") if isinstance(e, duckdb.TransactionException) else e
            if isinstance(e, Exception) and getattr(_local, "scope", None) is None:
                _local.work = None
                _write_attempt(con, actor, action, detail, error)
            if error is not e:
                raise error from e
            raise
    finally:
        _local.work = None
        _WRITER.release()


def checkpoint(con: Connection) -> bool:
    """Fold committed writes into the database file now, after a large write (a commitment
    notice anchors millions of frame members). Otherwise DuckDB folds them in during whichever
    later commit crosses its WAL threshold, and an unrelated write (the draw's commit) waits for
    this one's. Skipped inside an open unit; a failure changes nothing, since the writes are
    durable in the WAL either way. Returns whether the checkpoint ran."""
    if current() is not None:
        return False
    if not _WRITER.acquire(timeout=WRITE_WAIT_SECONDS):
        return False
    try:
        con.execute("CHECKPOINT")
        return True
    except duckdb.Error:
        return False
    finally:
        _WRITER.release()


@contextmanager
def attempt(
    con: Connection, actor: str, action: str, detail: dict[str, Any] | None = None
) -> Iterator[None]:
    """Record a refusal or failure escaping the block once, as the attempt of `action` by
    `actor` (see the module docstring): for a writer whose checks run before its unit of work.
    Scopes and units inside it leave the recording to it; it writes nothing when the block
    succeeds."""
    if getattr(_local, "scope", None) is not None or current() is not None:
        yield
        return
    detail = detail if detail is not None else {}
    _local.scope = action
    try:
        yield
    except Exception as e:
        _local.scope = None
        record_attempt(con, actor, action, detail, e)
        raise
    finally:
        _local.scope = None


def record_attempt(
    con: Connection, actor: str, action: str, detail: dict[str, Any] | None, error: BaseException
) -> None:
    """Record an attempt whose refusal the caller reports rather than raises (a rejected import
    returns its problem report): the same entry as a refusal escaping `attempt(...)`, and no
    data_version bump. Inside an open unit the entry joins that unit (committed or rolled back
    with it); elsewhere it is written at once, in the writer's turn."""
    work = current()
    if work is not None:
        work.log(action, attempt_detail(detail, error), actor=actor or "unknown")
        return
    if _WRITER.acquire(timeout=WRITE_WAIT_SECONDS):
        try:
            _write_attempt(con, actor, action, detail, error)
        finally:
            _WRITER.release()


@contextmanager
def turn() -> Iterator[None]:
    """Hold the writer's turn across a read and the record it decides (a sign-in counts the
    failures before it in the audit trail, then records its own): no other writer comes in
    between. Units and attempts inside it take the same turn again. Refused `write.busy` when
    the turn does not come within WRITE_WAIT_SECONDS, like a unit."""
    if not _WRITER.acquire(timeout=WRITE_WAIT_SECONDS):
        raise Refused("write.busy")
    try:
        yield
    finally:
        _WRITER.release()


def attempt_detail(detail: dict[str, Any] | None, error: BaseException) -> dict[str, Any]:
    """What an attempt's audit entry says: the detail as it stood, the outcome, and the
    refusal's key or the error's class (never a message, which may quote data)."""
    out = {**(detail or {}), "attempt": True}
    if isinstance(error, Refused):
        out.update(outcome="refused", refusal=error.key)
    else:
        out.update(outcome="failed", error=type(error).__name__)
    return out


def _write_attempt(
    con: Connection, actor: str, action: str, detail: dict[str, Any] | None, error: BaseException
) -> None:
    """Append the attempt's entry in its own small transaction (the caller holds the writer's
    turn). If even that cannot be written (a full disk), the original failure still reaches the
    user: nothing is raised from here."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.Error:
        return
    try:
        audit.record(con, actor or "unknown", action, attempt_detail(detail, error))
        con.execute("COMMIT")
    except Exception:  # noqa: BLE001 - the failure being recorded is what the user must see
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        return
    _anchor(con)


def _anchor(con: Connection) -> None:
    """After a commit, still holding the writer's turn: the chain's new head goes to the side
    file (core/audit.py). A failure here cannot undo the committed write; the entries just stay
    unanchored until the next write, and `audit verify` says so."""
    try:
        audit.write_anchor(con)
    except (OSError, duckdb.Error):
        pass


def cli_actor() -> str:
    """The audit actor of a CLI run: the operating-system user, never a free argument."""
    import getpass

    try:
        return f"os:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "os:unknown"
