"""A write started from a page runs to its end, once, and its outcome is told.

Streamlit stops a running script at its next st call when the reader clicks anything, and (fast
reruns, the default) starts the new run at once, beside the old one. A second click on Commit
during a six-second commit therefore ran a second commit next to the first: the first was saved,
the second refused as a write conflict, and the page said "nothing was changed", with the first
outcome lost. Here the write runs in a thread of its own; a run that finds the same session's
write of the same action still going (or finished and not yet told) waits for it and gets its
result instead of starting another; and the outcome is also kept where the next run of the page
finds it (feedback.show), should the run that started the write have been stopped."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.refusal import Refused

T = TypeVar("T")
Outcome = tuple[str, str, dict[str, Any]]  # (kind, message key, values)


@dataclass
class _Job:
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


_LOCK = threading.Lock()
_JOBS: dict[tuple[str, str], _Job] = {}
_OUTBOX: dict[tuple[str, str], Outcome | Refused] = {}


def session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "-"


def run_once(
    action: str, write: Callable[[], T], outcome: Callable[[T], Outcome],
    session: str | None = None,
) -> T:  # fmt: skip
    """`write()` for this session's `action`, in its own thread; joins a run of it already
    going. Keeps `outcome(result)` (or the exception) for `take(action)`; returns the result or
    raises the exception here too."""
    key = (session or session_id(), action)
    with _LOCK:
        job = _JOBS.get(key)
        if job is None:
            job = _JOBS[key] = _Job()
            threading.Thread(target=_work, args=(key, job, write, outcome), daemon=True,
                             name=f"write-{action}").start()  # fmt: skip
    job.done.wait()
    with _LOCK:
        if _JOBS.get(key) is job:
            del _JOBS[key]
    if job.error is not None:
        raise job.error
    return job.result


def _work(key: tuple[str, str], job: _Job, write: Callable[[], Any], outcome: Callable) -> None:
    """The write and its outcome (a message key, values: no st call in this thread)."""
    told: Outcome | Refused | None = None
    try:
        job.result = write()
        told = outcome(job.result)
    except Refused as e:
        job.error = told = e
    except BaseException as e:  # noqa: BLE001 - a failure: raised where the write is awaited
        job.error = e
    with _LOCK:
        if told is not None:
            _OUTBOX[key] = told
    job.done.set()


def take(action: str, session: str | None = None) -> Outcome | Refused | None:
    """The kept outcome of this session's `action` (once): a message or a refusal."""
    with _LOCK:
        return _OUTBOX.pop((session or session_id(), action), None)
