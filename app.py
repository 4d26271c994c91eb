"""Suicha (随查): entry point. Builds the demo dataset on first run, then routes to the pages."""

from __future__ import annotations

import threading

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

import ui
from core import i18n, users
from core.bootstrap import build_database
from core.overview import dataset_status
from core.refusal import Refused
from ui import chrome, feedback, navigation

st.set_page_config(page_title="随查 Suicha", page_icon=":material/shuffle:", layout="wide")

# (group key, page file, title key, icon, url path, permission needed to see it).
# Each page joins when its issue lands.
PAGES: list[tuple[str, str, str, str, str, str]] = [
    ("nav.group.leadership", "views/overview.py", "nav.overview", ":material/dashboard:",
     "overview", "overview.view"),
    ("nav.group.leadership", "views/merge.py", "nav.merge", ":material/merge:", "merge",
     "merge.view"),
    ("nav.group.registries", "views/registries.py", "nav.registries", ":material/table_view:",
     "registries", "registry.view"),
    ("nav.group.leadership", "views/risk.py", "nav.risk", ":material/shield:", "risk", "risk.view"),
    ("sampling.nav_group", "views/sampling.py", "sampling.nav", ":material/casino:",
     "sampling", "sampling.view"),
    ("sampling.nav_group", "views/simulate.py", "nav.simulate", ":material/tune:", "simulate",
     "simulate.view"),
    ("sampling.nav_group", "views/assignments.py", "nav.assignments", ":material/groups:",
     "assignments", "assignment.view"),
    ("nav.group.public", "views/public.py", "nav.public", ":material/campaign:", "public",
     "publish.view_public"),
    ("nav.group.public", "views/verify.py", "nav.verify", ":material/verified:", "verify",
     "verify.use"),
    ("nav.group.public", "views/publish.py", "nav.publish", ":material/publish:", "publish",
     "publish.manage"),
    # leadership analytics (issue 15)
    ("nav.group.leadership", "views/coverage.py", "analytics.nav.coverage", ":material/grid_on:",
     "coverage", "analytics.view"),
    ("nav.group.leadership", "views/discovery.py", "analytics.nav.discovery",
     ":material/query_stats:", "discovery", "analytics.view"),
    ("nav.group.leadership", "views/presentation.py", "analytics.nav.presentation",
     ":material/slideshow:", "presentation", "analytics.view"),
    ("results.nav.group.inspection", "views/my_assignments.py", "results.nav.my_assignments",
     ":material/assignment_ind:", "my-visits", "results.enter"),
    ("results.nav.group.inspection", "views/review.py", "results.nav.review",
     ":material/fact_check:", "review", "results.review"),
    ("nav.group.about", "views/about.py", "nav.about", ":material/info:", "about", "about.view"),
]  # fmt: skip


def language_switch() -> None:
    """The language: a link's `?lang=en` chooses it when the session starts; the switch then
    keeps the link in step, so a copied address opens in the language being read."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang")
        st.session_state["lang"] = asked if asked in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    st.sidebar.radio(
        i18n.t("app.language", "zh"),  # one label in both languages: a new label resets it
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key="lang",
        horizontal=True,
        on_change=ui.carry_choices,  # the page's choices survive the switch
    )
    if st.query_params.get("lang", i18n.DEFAULT_LANGUAGE) != st.session_state["lang"]:
        st.query_params["lang"] = st.session_state["lang"]


def ensure_dataset() -> None:
    """First run: build the demo data under a progress bar; nobody has to run a command. The
    engine reports each step; between reports the bar creeps on a little (never past the next
    few percent), so a long step does not look like a hang."""
    path = ui.db_path()
    if path.exists():
        return
    with ui.build_lock():
        if path.exists():
            return
        bar = st.progress(0.0, text=ui.tr("app.building", step="…"))
        state = {"reported": 0.0, "shown": 0.0, "text": ui.tr("app.building", step="…")}
        lock, finished = threading.Lock(), threading.Event()

        def progress(fraction: float, message: str) -> None:
            with lock:
                state["reported"] = state["shown"] = min(max(fraction, state["shown"]), 1.0)
                state["text"] = ui.tr("app.building", step=feedback.build_step(message))
                bar.progress(state["shown"], text=state["text"])

        def creep() -> None:
            while not finished.wait(0.5):
                with lock:
                    cap = min(state["reported"] + 0.08, 0.99)
                    state["shown"] += (cap - state["shown"]) * 0.08
                    bar.progress(state["shown"], text=state["text"])

        ticker = threading.Thread(target=creep, daemon=True)
        add_script_run_ctx(ticker, get_script_run_ctx())
        ticker.start()
        try:
            build_database(path, "demo", progress=progress, campaign=True)
        finally:
            finished.set()
            ticker.join()
        bar.empty()
    st.toast(ui.tr("app.built"))


def dataset_status_or_stop() -> dict:
    try:
        return ui.query(dataset_status)
    except duckdb.IOException:  # another process (a CLI run) holds the file's lock
        st.cache_resource.clear()
        st.error(ui.tr("app.db_locked"))  # no path, no process id: issue 16.7
        st.stop()
    except Refused as e:  # e.g. a file written by a newer release (core/migrations)
        st.cache_resource.clear()
        st.error(e.message(ui.lang()))
        st.stop()


def dataset_sidebar(status: dict) -> None:
    st.sidebar.caption(ui.tr("app.dataset"))
    st.sidebar.caption(
        ui.tr(
            "app.dataset_status",
            targets=ui.fmt_int(status["targets"]),
            built_at=str(status["built_at"])[:16].replace("T", " "),
            version=status["version"],
        )
    )


def session_user() -> dict | None:
    """The signed-in user, re-read on every run so a disabled account or a changed role takes
    effect at once; with single sign-on configured, a person st.login vouched for is mapped to
    their account (once per session: each attempt is an audit entry)."""
    user = ui.current_user()
    if user is not None:
        fresh = ui.query(users.get_user, user["user_id"])
        if fresh is None:
            ui.sign_out()
        elif fresh != user:
            ui.sign_in(fresh)
        return ui.current_user()
    if ui.oidc_configured() and st.user.is_logged_in and "oidc_refused" not in st.session_state:
        cur = ui.cursor()
        try:
            ui.sign_in(users.authenticate_oidc(cur, st.user.get("email", ""),
                                               str(st.user.get("sub", ""))))  # fmt: skip
        except Refused as e:
            st.session_state["oidc_refused"] = e
        finally:
            cur.close()
    return ui.current_user()


def account_sidebar(user: dict | None) -> None:
    """Who is signed in (their name is data: shown as text, never Markdown), and sign-out."""
    if user is None:
        st.sidebar.text(ui.tr("app.not_signed_in"))
        return
    st.sidebar.text(
        ui.tr("app.signed_in_as", name=user["display_name"], role=ui.label("role", user["role"]))
    )
    if st.sidebar.button(ui.tr("app.signout"), key="signout", icon=":material/logout:"):
        cur = ui.cursor()
        try:
            users.sign_out(cur, user["user_id"])
        finally:
            cur.close()
        ui.sign_out()
        st.session_state["flash"] = "app.signed_out"
        if ui.oidc_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()


language_switch()
chrome.translate()
ensure_dataset()
status = dataset_status_or_stop()
user = session_user()
page = st.navigation(navigation.pages(PAGES, user is not None, ui.role()), expanded=True)
account_sidebar(user)
if user is not None:
    dataset_sidebar(status)
if flash := st.session_state.pop("flash", None):
    st.toast(ui.tr(flash))
page.run()
