"""Sign in: the page someone not signed in sees for every internal page, opened by its URL or
from the sidebar. Also says which demo accounts a demo dataset carries (under a banner)."""

import pandas as pd
import streamlit as st

import ui
from core import users
from core.refusal import Refused
from ui import navigation

if ui.current_user() is not None:  # signed in on this very page: go to the user's first page
    if home := st.session_state.get(navigation.HOME):
        st.switch_page(home)
    st.stop()

st.title(ui.tr("signin.title"))
st.caption(ui.tr("signin.caption"))

if refused := st.session_state.pop("oidc_refused", None):
    st.error(refused.message(ui.lang()))
if ui.oidc_configured():
    if st.button(ui.tr("signin.oidc"), key="signin_oidc", icon=":material/badge:"):
        st.login()

with st.form("signin", clear_on_submit=True):
    user_id = st.text_input(ui.tr("signin.user_id"), key="signin_user", max_chars=64)
    password = st.text_input(ui.tr("signin.password"), type="password", key="signin_password")
    submitted = st.form_submit_button(ui.tr("signin.submit"), type="primary")

if submitted:
    cur = ui.cursor()
    try:
        signed_in = users.authenticate(cur, user_id, password)
    except Refused as e:
        st.error(e.message(ui.lang()))
    else:
        ui.sign_in(signed_in)
        st.session_state["flash"] = "signin.welcome"
        st.rerun()
    finally:
        cur.close()

accounts = ui.query(users.demo_accounts)
if accounts:
    st.warning(ui.tr("signin.demo_banner"), icon=":material/science:")
    ui.table(
        pd.DataFrame(
            {
                ui.tr("signin.col.user_id"): [a.user_id for a in accounts],
                ui.tr("signin.col.password"): [a.password for a in accounts],
                ui.tr("signin.col.role"): [ui.label("role", a.role) for a in accounts],
            }
        ),
        hide_index=True,
        key="demo_accounts",
    )
elif ui.query(users.account_count) == 0:
    st.info(ui.tr("signin.no_accounts"))
