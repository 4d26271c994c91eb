"""Everything a page shows, as text: for tests that read a page as a user would (one language at
a time, no raw names, registry text never interpreted as Markdown).

Walks an AppTest's element tree and returns (element kind, text) pairs: headings, markdown,
captions, alerts, metrics, widget labels and options, tab and expander labels, dataframe column
names and text cells, and a Plotly figure's titles, axis titles, legend and trace names,
category labels and hover templates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

# Proto fields that are identifiers or data, not text a user reads
_SKIP_KEYS = {"id", "formId", "key", "theme", "arrowData", "data", "elementType", "tag", "icon",
              "labelVisibility", "direction", "color", "format", "type", "url", "spec",
              "selectionMode", "width", "height", "useContainerWidth", "args",
              "shortcut", "autocomplete"}  # fmt: skip
_STYLE = re.compile(r"<style>.*?</style>", re.S)  # CSS in st.html: not text anyone reads


def _nodes(node: Any) -> Iterator[Any]:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        label = getattr(node, "proto", None)
        if label is not None:
            yield node
        for child in children.values():
            yield from _nodes(child)
    else:
        yield node


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if key in _SKIP_KEYS:
        return
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def _figure_texts(spec: str) -> Iterator[str]:
    fig = json.loads(spec)
    layout = fig.get("layout", {})

    def title(obj: Any) -> Iterator[str]:
        if isinstance(obj, dict):
            t = obj.get("title")
            if isinstance(t, dict) and t.get("text"):
                yield str(t["text"])
            elif isinstance(t, str) and t:
                yield t

    yield from title(layout)
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            yield from title(axis)
            for tick in axis.get("ticktext", []) or []:
                yield str(tick)
    yield from title(layout.get("legend"))
    for ann in layout.get("annotations", []) or []:
        if ann.get("text"):
            yield str(ann["text"])
    for trace in fig.get("data", []):
        if trace.get("name"):
            yield str(trace["name"])
        if trace.get("hovertemplate"):
            yield str(trace["hovertemplate"])
        for axis in ("x", "y", "labels", "text"):
            values = trace.get(axis)
            if isinstance(values, list):
                yield from (v for v in values if isinstance(v, str))
        node = trace.get("node")
        if isinstance(node, dict):
            yield from (v for v in node.get("label", []) if isinstance(v, str))
        header = trace.get("header")
        if isinstance(header, dict):
            yield from (str(v) for v in _flatten(header.get("values", [])))


def _flatten(values: Any) -> Iterator[Any]:
    for v in values if isinstance(values, list) else [values]:
        if isinstance(v, list):
            yield from _flatten(v)
        else:
            yield v


def page_texts(at: AppTest, cells: bool = True) -> list[tuple[str, str]]:
    """(kind, text) for everything the page shows; `cells` adds dataframes' text cells."""
    out: list[tuple[str, str]] = []
    for el in _nodes(at._tree):
        kind = type(el).__name__
        proto = getattr(el, "proto", None)
        if proto is None:
            continue
        if kind == "Dataframe":
            df = el.value
            order = list(getattr(proto, "column_order", []) or [])
            if order:  # columns left out of column_order are not shown
                df = df[[c for c in df.columns if str(c) in order]]
            # a column's header is its column_config label when it has one (data_editor)
            config = json.loads(getattr(proto, "columns", "") or "{}")
            for c in df.columns:
                header = (config.get(str(c)) or {}).get("label", c)
                out += [(kind, str(header))] if str(header).strip() else []
            if cells:
                for column in df.columns:
                    if df[column].dtype == object:
                        out += [(kind, v) for v in df[column].head(50) if isinstance(v, str)]
            continue
        if kind == "Code":  # code is code: commands and identifiers are meant literally
            continue
        data = MessageToDict(proto, use_integers_for_enums=True)
        if kind == "Html":
            body = _STYLE.sub(" ", data.get("body", ""))
            out += [(kind, body)] if body.strip() else []
            continue
        if "spec" in data:  # a Plotly chart
            out += [("PlotlyChart", t) for t in _figure_texts(data["spec"])]
            continue
        out += [(kind, s) for s in _strings(data)]
    return out
