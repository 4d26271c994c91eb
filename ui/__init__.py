"""Streamlit glue shared by the pages: the connection, the language, and cached queries keyed
by data_version. Pages stay thin: read inputs, call core through `query`, draw the result."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from core import db, i18n, roles, users


def db_path() -> Path:
    return db.default_db_path()


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> db.Connection:
    """One read-write connection per process; callers take a cursor() each (DESIGN.md)."""
    return db.connect(path)


@st.cache_resource(show_spinner=False)
def draw_warm_up() -> threading.Thread:
    """Load the draw's compiled kernels in the background, once per server process, when a page
    that draws first opens: the user's first preview then does not wait for them."""
    from core import sampling

    def run() -> None:
        with contextlib.suppress(Exception):  # a failure shows on the draw itself, with its key
            sampling.warm_up()

    thread = threading.Thread(target=run, name="draw-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def build_lock() -> threading.Lock:
    """Only one session builds the first-run dataset; the others wait for it."""
    return threading.Lock()


def cursor() -> db.Connection:
    return _connection(str(db_path())).cursor()


def lang() -> str:
    return st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)


PUBLIC_ROLE = "public"  # whoever is not signed in


def role() -> str:
    """The signed-in user's role; the public's when nobody is signed in."""
    user = current_user()
    return str(user["role"]) if user else PUBLIC_ROLE


def current_user() -> dict[str, Any] | None:
    """The signed-in user: {"user_id", "display_name", "role", "dept_code", "inspector_id"}, or
    None when nobody is signed in (the public)."""
    return st.session_state.get("user")


def actor() -> str:
    """Who the audit trail names for a write from this session: the signed-in user's id."""
    user = current_user()
    return str(user["user_id"]) if user else users.ANONYMOUS


def sign_in(user: dict[str, Any]) -> None:
    """Remember the user this session signed in as (core/users.authenticate returned it)."""
    st.session_state["user"] = {k: user.get(k) for k in users.PUBLIC_FIELDS}


def sign_out() -> None:
    st.session_state.pop("user", None)


def oidc_configured() -> bool:
    """Is single sign-on (st.login) configured: an [auth] section in Streamlit's secrets?"""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: not configured
        return False


def can(permission: str) -> bool:
    """Does the signed-in user's role hold `permission` (core/roles.py)?"""
    return roles.allowed(role(), permission)


def _plain(value: Any) -> bool:
    """A value a choice or input widget holds (no button's bool, no upload, no editor's edits)."""
    if isinstance(value, list | tuple):
        return all(v is None or _plain(v) for v in value)
    return isinstance(value, str | int | float | dt.date | dt.time) and not isinstance(value, bool)


def carry_choices() -> None:
    """The language switch's on_change. A choice widget (radio, selectbox, ...) sends back the
    label of its option; after a switch that label matches no option of the new language, so
    Streamlit would reset the widget to its default, and a chosen "independent" mode would
    silently become "coordinated". Stating every plain value again makes the next run, in the
    new language, keep each widget's choice."""
    for key in list(st.session_state.keys()):
        value = st.session_state[key]
        if key != "lang" and _plain(value):
            st.session_state[key] = value


def tr(key: str, **values: object) -> str:
    return i18n.t(key, lang(), **values)


def label(domain: str, value: object) -> str:
    return i18n.label(domain, value, lang())


def data_version() -> int:
    cur = cursor()
    try:
        return db.data_version(cur)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(module: str, name: str, path: str, version: int, args: tuple, kw: tuple) -> Any:
    fn = getattr(importlib.import_module(module), name)
    cur = _connection(path).cursor()
    try:
        return fn(cur, *args, **dict(kw))
    finally:
        cur.close()


def query(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a core function `fn(cursor, *args)` with its result cached until the data changes."""
    return _cached_call(
        fn.__module__, fn.__name__, str(db_path()), data_version(), args,
        tuple(sorted(kwargs.items())),
    )  # fmt: skip


def fmt_int(n: int) -> str:
    return f"{int(n):,}"


MISSING = "—"  # what a table shows for a missing value, in either language


def _is_year(values: Any, name: object) -> bool:
    """A column of calendar years (2026 must not read 2,026)."""
    text = str(name).lower()
    return ("year" in text or "年" in text) and bool(((values >= 1900) & (values <= 2100)).all())


def table(data: Any, **kwargs: Any) -> Any:
    """st.dataframe with whole numbers grouped by thousands (39,660), as every other figure on
    the pages; columns the caller configures, and years, are left as they are. A missing cell
    reads "—" (st.dataframe's own "None" is an English word on a Chinese page)."""
    import pandas as pd

    kwargs.setdefault("placeholder", MISSING)
    if isinstance(data, pd.DataFrame):
        config = dict(kwargs.pop("column_config", None) or {})
        for column in data.columns:
            values = data[column]
            if (
                isinstance(column, str)
                and column not in config
                and pd.api.types.is_integer_dtype(values)
                and not pd.api.types.is_bool_dtype(values)
                and not _is_year(values, column)
            ):
                config[column] = st.column_config.NumberColumn(format="localized")
        kwargs["column_config"] = config
    return st.dataframe(data, **kwargs)


def labelled(df: Any, **domains: str) -> Any:
    """A copy of `df` whose coded columns show their labels, e.g. labelled(df, level="level")."""
    df = df.copy()
    for column, domain in domains.items():
        df[column] = [label(domain, v) for v in df[column]]
    return df


def chart(title: str, figure: Any, key: str) -> None:
    """A titled Plotly chart; `key` lets tests find it (tests/apptest_helpers.figure_by_key)."""
    st.subheader(title)
    st.plotly_chart(figure, key=key)
