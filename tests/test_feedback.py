"""A status box says when the work it showed failed, instead of going on saying "working"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import i18n
from tests.page_text import page_texts

SCRIPT = """
import streamlit as st
from core.refusal import Refused
from ui.feedback import working

st.session_state["lang"] = "en"
try:
    with working("Building the package") as step:
        step("feedback.done", what="x", s="0")
        raise Refused("write.busy")
except Refused as e:
    st.error(e.message("en"))
"""


def test_a_failed_step_closes_its_status_box_as_failed():
    at = AppTest.from_string(SCRIPT).run()
    assert not at.exception
    texts = [t for _, t in page_texts(at)]
    assert i18n.t("feedback.failed", "en", what="Building the package") in texts
    assert "Building the package" not in texts  # the running label is gone
    assert at.error[0].value == i18n.t("write.busy", "en")
