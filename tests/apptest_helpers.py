"""Helpers for AppTest: run the app, read metrics and Plotly figures."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def run_app(page: str | None = None, lang: str | None = None, role: str | None = None) -> AppTest:
    """Run the app as a user with that language and role would open it. (Under st.navigation,
    AppTest does not re-render the entrypoint's sidebar after a widget change, so language and
    role are set before the first run; the browser test clicks the real switch.)"""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if lang:
        at.session_state["lang"] = lang
    if role:
        at.session_state["role"] = role
    at.run()
    if page:
        at.switch_page(page).run()
    return at


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
