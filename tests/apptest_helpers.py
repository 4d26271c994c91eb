"""Helpers for AppTest: run the app, read metrics and Plotly figures."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import duckdb
import numpy as np
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from core import db, users

ROOT = Path(__file__).resolve().parent.parent


def run_app(
    page: str | None = None,
    lang: str | None = None,
    role: str | None = "leadership",
    user: str | None = None,
) -> AppTest:
    """Run the app as that user would open it: signed in as the demo account of `role`
    (core/users.DEMO_ACCOUNTS), or as the account `user` (a user id), or not signed in at all
    for role "public". The session holds what a sign-in leaves there (the sign-in form itself
    is tested in tests/test_signin.py). Under st.navigation, AppTest does not re-render the
    entrypoint's sidebar after a widget change, so the language is set before the first run;
    the browser tests click the real switch."""
    account = user or demo_user_id(role or "leadership")
    if account is not None and not db.default_db_path().exists():
        AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()  # builds the demo
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if lang:
        at.session_state["lang"] = lang
    if account is not None:
        try:
            at.session_state["user"] = signed_in_user(account)
        except duckdb.IOException:
            pass  # another process holds the file: the app says so to everyone
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def demo_user_id(role: str) -> str | None:
    """The demo account of `role`; None for the public (who never signs in)."""
    if role == "public":
        return None
    return next(a.user_id for a in users.DEMO_ACCOUNTS if a.role == role)


def signed_in_user(user_id: str) -> dict:
    """The session's user for `user_id`, read from the database the app will open."""
    con = db.connect(db.default_db_path())
    try:
        found = users.get_user(con, user_id)
    finally:
        con.close()
    if found is None:
        raise LookupError(f"no active account {user_id!r} in {db.default_db_path()}")
    return found


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def decode(values) -> list:
    """Plotly JSON may carry arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def figure_by_key(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        if key in el.proto.id:
            return json.loads(el.proto.spec)
    raise KeyError(key)


def choose_option(widget, index: int):
    """Choose a radio's or selectbox's `index`-th option as the browser does: the widget state
    carries the option's label (AppTest's set_value wants the option's value, which a test
    walking every page does not know). Run the app afterwards."""
    label = widget.options[index]

    class Chosen(type(widget)):
        @property
        def _widget_state(self) -> WidgetState:
            state = WidgetState()
            state.id = self.id
            state.string_value = label
            return state

    widget.__class__ = Chosen
    return widget
