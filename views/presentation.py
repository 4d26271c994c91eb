"""Presentation mode: the headline charts one at a time, full width, large type, no sidebar or
widgets; → / Space next, ← previous, L switches 中文/English, Esc leaves (Streamlit's button
shortcuts on buttons the page hides)."""

import streamlit as st

import ui
from core import briefing, coverage, discovery, i18n
from ui import analytics as ua

CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
.st-key-present_keys { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.5rem 3rem 1rem 3rem; max-width: 100%; }
.st-key-present_title h1 { font-size: 2.6rem; }
.st-key-present_footer p { font-size: 1.1rem; }
</style>
"""

st.html(CSS)
years = ui.query(discovery.years)
if not years:
    st.info(ui.tr("discovery.none"))
    st.stop()
year = st.session_state.get(ua.YEAR_KEY) if st.session_state.get(ua.YEAR_KEY) in years else years[0]
# L switches the deck's language only (the app's own switch is a widget the deck hides)
lang, day = st.session_state.get(ua.PRESENT_LANG_KEY) or ui.lang(), ua.as_of()
report = ui.query(discovery.report, year)
deck = briefing.slides(report, ui.query(coverage.charts, year, day), lang)
n = len(deck)
i = min(max(int(st.session_state.get(ua.PRESENT_KEY, 0)), 0), n - 1)


def _move(step: int) -> None:
    st.session_state[ua.PRESENT_KEY] = min(max(i + step, 0), n - 1)


def _switch_language() -> None:
    st.session_state[ua.PRESENT_LANG_KEY] = "en" if lang == "zh" else "zh"


def _leave() -> None:
    st.session_state[ua.PRESENT_KEY] = 0
    st.session_state.pop(ua.PRESENT_LANG_KEY, None)
    st.session_state["presentation_leave"] = True


if st.session_state.pop("presentation_leave", False):
    st.switch_page("views/discovery.py")

with st.container(key="present_keys", horizontal=True):
    st.button(i18n.t("presentation.prev", lang), key="present_prev", shortcut="Left",
              on_click=_move, args=(-1,))  # fmt: skip
    st.button(i18n.t("presentation.next", lang), key="present_next", shortcut="Right",
              on_click=_move, args=(1,))  # fmt: skip
    st.button(i18n.t("presentation.next", lang), key="present_space", shortcut="Space",
              on_click=_move, args=(1,))  # fmt: skip
    st.button("L", key="present_lang", shortcut="L", on_click=_switch_language)
    st.button(
        i18n.t("presentation.exit", lang), key="present_exit", shortcut="Esc", on_click=_leave
    )

slide = deck[i]
with st.container(key="present_title"):
    st.title(slide.title)
fig = slide.figure
fig.update_layout(height=620, font=dict(size=22), margin=dict(l=20, r=20, t=60, b=20))
# large type: the axes' labels need room (plotly's template asks for it, but theme=None drops it)
fig.update_xaxes(automargin=True)
fig.update_yaxes(automargin=True)
# theme=None: the deck's own large type, not Streamlit's chart theme
st.plotly_chart(fig, key=f"present_{slide.key}", theme=None, config={"displayModeBar": False})
with st.container(key="present_footer"):
    footer = f"{i18n.t('presentation.slide', lang, i=i + 1, n=n)} · {year} · "
    st.caption(footer + i18n.t("presentation.keys", lang))
    if slide.note:
        st.caption(slide.note)
    if report["source"] == "simulated":
        st.caption(i18n.t("analytics.source.simulated", lang))
