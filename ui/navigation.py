"""Which pages a session gets, decided from the signed-in user's role on every run.

The public pages (permissions the `public` role holds: notices, Verify, About) need no sign-in.
Every other page needs one: for someone not signed in, its URL is still registered, hidden, but
runs the sign-in page, so a page opened by its URL shows the sign-in form and nothing else; after
signing in, the same URL (same page hash: Streamlit hashes the url path) opens the real page."""

from __future__ import annotations

import streamlit as st

import ui
from core import roles

SIGNIN = "views/signin.py"
HOME = "home_page"  # session_state: the file of the page this session lands on


# (group key, page file, title key, icon, url path, permission): app.py's PAGES list
PageSpec = tuple[str, str, str, str, str, str]


def is_public(spec: PageSpec) -> bool:
    return roles.allowed(ui.PUBLIC_ROLE, spec[5])


def home_path(specs: list[PageSpec], role: str) -> str | None:
    """The page a user of `role` lands on: the first page their role may open."""
    return next((path for _, path, _, _, _, perm in specs if roles.allowed(role, perm)), None)


def pages(specs: list[PageSpec], signed_in: bool, role: str) -> dict[str, list]:
    """st.navigation's sections for this session (see the module docstring). Hidden pages go
    into a section that also has visible ones, so no empty section heading shows."""
    groups: dict[str, list] = {}
    hidden: list = []
    first = True
    for spec in specs:
        group, path, title, icon, url, permission = spec
        if roles.allowed(role, permission):
            page = st.Page(path, title=ui.tr(title), icon=icon, url_path=url, default=first)
            first = False
            groups.setdefault(ui.tr(group), []).append(page)
        elif not signed_in and not is_public(spec):
            # the internal page's URL, answered by the sign-in form
            hidden.append(st.Page(SIGNIN, title=ui.tr(title), icon=icon, url_path=url,
                                  visibility="hidden"))  # fmt: skip
    signin = st.Page(SIGNIN, title=ui.tr("nav.signin"), icon=":material/login:",
                     url_path="signin", visibility="hidden" if signed_in else "visible",
                     default=first)  # fmt: skip
    st.session_state[HOME] = home_path(specs, role)
    if signed_in and groups:
        list(groups.values())[-1].extend([signin, *hidden])
    else:
        groups[ui.tr("nav.group.account")] = [signin, *hidden]
    return groups
