"""Feedback on long work and on outcomes (issue 17.1): a status box with named steps in the
reader's language, and outcomes kept in session state so the rerun after a write shows them."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

import ui
from core.refusal import Refused
from ui import write_guard

_OUTCOME = "feedback_outcome_{}"


@contextmanager
def working(label: str) -> Iterator[Callable[..., None]]:
    """`with working(text) as step: step("msg.key", **values)`: a status box open while the
    block runs, each step a line in it; on leaving, the label says how long it took."""
    started = time.perf_counter()
    with st.status(label, expanded=True) as box:

        def step(key: str, **values: Any) -> None:
            box.write(ui.tr(key, **values))

        try:
            yield step
        except BaseException:
            # the caller shows why (a refusal, an error): the box must not go on saying "working"
            box.update(label=ui.tr("feedback.failed", what=label), state="error", expanded=False)
            raise
        box.update(
            label=ui.tr("feedback.done", what=label, s=f"{time.perf_counter() - started:.1f}"),
            state="complete",
            expanded=False,
        )


def keep(page: str, text: str, kind: str = "success") -> None:
    """Remember an outcome for the next run of `page` (a write is followed by st.rerun)."""
    st.session_state[_OUTCOME.format(page)] = (kind, text)


def keep_message(page: str, key: str, kind: str = "success", **values: Any) -> None:
    """Like `keep`, with a message key: the text is made when shown, so an outcome kept before
    a language switch reads in the new language."""
    st.session_state[_OUTCOME.format(page)] = (kind, key, values)


def show(page: str) -> None:
    """Show the outcome kept for `page`, once, and a toast with it: one kept in the session, or
    one a guarded write left (ui/write_guard.py) when the run that started it was stopped."""
    found = st.session_state.pop(_OUTCOME.format(page), None) or write_guard.take(page)
    if isinstance(found, Refused):
        st.error(found.message(ui.lang()))
    elif found:
        kind, text = found if len(found) == 2 else (found[0], ui.tr(found[1], **found[2]))
        {"success": st.success, "error": st.error, "warning": st.warning}.get(kind, st.info)(text)
        if kind == "success":
            st.toast(text)


def build_step(message: str) -> str:
    """A build step (core/synth.py and core/bootstrap.py name them) in the reader's language."""
    counted = re.fullmatch(r"targets ([\d,]+) / ([\d,]+)", message)
    if counted:
        return ui.tr("build.step.targets", done=counted[1], total=counted[2])
    return ui.tr(f"build.step.{message.replace(' ', '_')}")
