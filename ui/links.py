"""Deep links (issue 17.3): the filters that matter on a page (year, plan, district) live in the
address, so a copied link opens the same view. A widget is seeded from `?param=` once, when the
session first draws it, and the address follows the widget afterwards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def seed(param: str, key: str, options: Sequence[Any], cast: Callable[[str], Any] = str) -> None:
    """Before the widget `key` is drawn: take its value from the link's `?param=` if the widget
    has no value yet and the link names one of `options` (anything else is ignored)."""
    if key in st.session_state or param not in st.query_params:
        return
    try:
        value = cast(st.query_params[param])
    except (TypeError, ValueError):
        return
    if value in list(options):
        st.session_state[key] = value


def keep(param: str, value: Any) -> Any:
    """After the widget is drawn: the address shows its value (None removes the parameter).
    Returns the value, so a widget call can be wrapped."""
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != str(value):
        st.query_params[param] = str(value)
    return value
