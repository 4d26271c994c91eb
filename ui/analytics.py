"""Streamlit glue shared by the analytics pages: the year, the as-of date, the presentation
button and the briefing download."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

import ui
from core import briefing, coverage, discovery
from core.refusal import Refused
from ui import feedback, links

YEAR_KEY = "analytics_year"
PRESENT_KEY = "presentation_slide"
PRESENT_LANG_KEY = "presentation_lang"
BRIEFING_KEY = "analytics_briefing_file"  # (year, lang, day, html) of the last prepared briefing


def year_select(where: Any = st) -> int | None:
    """The year the analytics pages show (shared by them and the presentation mode), chosen in
    `where` (a column, say)."""
    years = ui.query(discovery.years)
    if not years:
        return None
    links.seed("year", YEAR_KEY, years, int)  # a link's ?year= (issue 17.3)
    if st.session_state.get(YEAR_KEY) not in years:
        st.session_state[YEAR_KEY] = years[0]
    year = where.selectbox(ui.tr("analytics.year"), years, key=YEAR_KEY)
    links.keep("year", year)
    return year


def as_of() -> date:
    """Today in Shanghai: the date 'late' and 'overdue' are judged on."""
    return coverage.today()


def _enter_presentation() -> None:
    st.session_state[PRESENT_KEY] = 0
    st.session_state.pop(PRESENT_LANG_KEY, None)


def toolbar(year: int) -> None:
    """One click into the presentation mode; the briefing of `year` as one HTML file, prepared
    under a status box (it embeds plotly.js: 4-5 MB) and then offered for download, with the
    outcome kept across the rerun."""
    left, middle, right, _ = st.columns([1, 1, 1, 2])
    if left.button(
        ui.tr("analytics.present"), key="analytics_present", on_click=_enter_presentation
    ):
        st.switch_page("views/presentation.py")
    lang, day = ui.lang(), as_of()
    prepare = middle.button(ui.tr("analytics.briefing_prepare"), key="analytics_briefing_prepare",
                            help=ui.tr("analytics.briefing_help"))  # fmt: skip
    ready = st.session_state.get(BRIEFING_KEY)
    if ready and ready[:3] == (year, lang, day):
        right.download_button(
            ui.tr("analytics.briefing"), data=ready[3],
            file_name=f"suicha-briefing-{year}-{lang}.html",
            mime="text/html", on_click="ignore", key="analytics_briefing",
        )  # fmt: skip
    if prepare:
        try:
            with feedback.working(ui.tr("analytics.briefing_working", year=year)) as step:
                step("analytics.step.briefing")
                html = _briefing(year, lang, day)
        except Refused as e:
            st.error(e.message(lang))
        else:
            st.session_state[BRIEFING_KEY] = (year, lang, day, html)
            size = f"{len(html.encode('utf-8')) / 2**20:.1f}"
            feedback.keep("briefing", ui.tr("analytics.briefing_ready", year=year, mb=size))
            st.rerun()
    feedback.show("briefing")


def _briefing(year: int, lang: str, day: date) -> str:
    """Built only when the download is clicked (the file embeds plotly.js: 4-5 MB)."""
    cur = ui.cursor()
    try:
        return briefing.build(cur, year, lang, day)
    finally:
        cur.close()


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or value != value else f"{value:.{digits}%}"
