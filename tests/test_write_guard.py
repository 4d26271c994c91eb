"""ui/write_guard.py: a write started from a page runs once even when a second click (a second
run of the page, beside the first) asks for it again, and its outcome is kept for the page's
next run; a refusal too."""

from __future__ import annotations

import threading
import time

import pytest

from core.refusal import Refused
from ui import write_guard


def test_a_second_request_while_the_write_runs_joins_it():
    calls: list[int] = []
    started = threading.Event()

    def write() -> int:
        calls.append(1)
        started.set()
        time.sleep(0.3)  # the reader clicks again meanwhile
        return len(calls)

    results: list[int] = []
    first = threading.Thread(
        target=lambda: results.append(
            write_guard.run_once("commit", write, lambda n: ("success", "done", {"n": n}), "s1")
        )
    )
    first.start()
    started.wait(5)
    results.append(write_guard.run_once("commit", write, lambda n: ("x", "x", {}), "s1"))
    first.join(5)
    assert calls == [1] and results == [1, 1]
    # the outcome is kept once (for the run that was stopped, if any); other sessions' apart
    assert write_guard.take("commit", "s2") is None
    assert write_guard.take("commit", "s1") == ("success", "done", {"n": 1})
    assert write_guard.take("commit", "s1") is None
    # a later request is a new write
    assert write_guard.run_once("commit", write, lambda n: ("success", "done", {}), "s1") == 2
    assert calls == [1, 1]


def test_a_refusal_is_raised_and_kept():
    def refused() -> None:
        raise Refused("draw.secret_empty")

    with pytest.raises(Refused):
        write_guard.run_once("publish", refused, lambda _: ("success", "x", {}), "s3")
    kept = write_guard.take("publish", "s3")
    assert isinstance(kept, Refused) and kept.key == "draw.secret_empty"
    # a failure that is not a refusal is raised where it is awaited, and not kept
    with pytest.raises(ZeroDivisionError):
        write_guard.run_once("publish", lambda: 1 / 0, lambda _: ("success", "x", {}), "s3")
    assert write_guard.take("publish", "s3") is None
