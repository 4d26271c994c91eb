"""Streamlit's own words on screen in the reader's language. While a script runs, Streamlit's
header shows a "Stop" button (its running indicator) that no setting translates; on a Chinese
page that is an English word above every long action. A style rule swaps its text for ours;
the button keeps working."""

from __future__ import annotations

import streamlit as st

import ui

_STOP = '[data-testid="stStatusWidget"] button'


def translate() -> None:
    """Put the running indicator's button text in the reader's language (Chinese only: the
    English text is Streamlit's own). Our message text only: no data goes into the rule."""
    if ui.lang() != "zh":
        return
    label = ui.tr("app.stop").replace('"', "")
    st.sidebar.html(
        f"<style>{_STOP} {{ font-size: 0 !important; }} "
        f'{_STOP}::after {{ content: "{label}"; font-size: 0.875rem; }}</style>'
    )
