"""一单两库: browse, search, filter, export and (for administrators) import the three registries.

Every tab's queries are cached by data_version and paged by keyset in DuckDB, so the tabs stay
quick on 6.43 million targets even though st.tabs runs all three."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from core import registry_export, registry_import, registry_search
from core.refusal import Refused
from core.registry_import import MODES
from ui import charts, feedback

PAGE_SIZE = 50
EXPORT_LIMIT = 300_000  # rows a page download may carry; the CLI has no such limit
LABELLED = {
    "item_class": "item_class", "level": "level", "method": "method", "kind": "kind",
    "status": "status",
}  # fmt: skip

st.title(ui.tr("registries.title"))
st.caption(ui.tr("registries.caption"))


def col(name: str) -> str:
    return ui.tr(f"registries.col.{name}")


def option_label(column: str):
    """How a filter option is shown: coded values by their labels, pairs as 'code name'."""

    def fmt(value) -> str:
        if isinstance(value, tuple):
            return f"{value[0]} {value[1]}" if column != "street" else value[1]
        if column == "tier":
            return ui.tr(f"registries.tier.{value}")
        if column in LABELLED:
            return ui.label(LABELLED[column], value)
        return str(value)

    return fmt


def filter_widgets(name: str) -> dict:
    """The tab's filter widgets; returns {column: [values]} for registry_search."""
    options = ui.query(registry_search.filter_options, name)
    chosen: dict = {}
    cols = st.columns(len(options))
    for box, (column, values) in zip(cols, options.items(), strict=True):
        key = f"reg_{name}_f_{column}"
        if column == "street":
            districts = set(chosen.get("district") or [])
            values = [v for v in values if not districts or v[0] in districts]
        if column == "active":
            picked = box.selectbox(
                col(column), [None, True, False], key=key,
                format_func={None: ui.tr("registries.any"), True: ui.tr("registries.yes"),
                             False: ui.tr("registries.no")}.get,
            )  # fmt: skip
            chosen[column] = [] if picked is None else [picked]
            continue
        picked = box.multiselect(
            col(column), values, key=key, format_func=option_label(column),
            placeholder=ui.tr("registries.any"),
        )  # fmt: skip
        chosen[column] = [v[1] if column == "street" else v[0] if isinstance(v, tuple) else v
                          for v in picked]  # fmt: skip
    return chosen


def shown_table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The page of rows with labels instead of codes and headers in the user's language."""
    df = df.drop(columns=["_row"]).copy()
    for column, domain in LABELLED.items():
        if column in df:
            df[column] = [ui.label(domain, v) for v in df[column]]
    if "tier" in df and df["tier"].isna().all():
        df = df.drop(columns=["tier"])  # no risk tiers computed yet
    if "tier" in df:
        df["tier"] = [ui.tr(f"registries.tier.{v}") if isinstance(v, str) else "" for v in df.tier]
    if "registered_on" in df:
        df["registered_on"] = pd.to_datetime(df["registered_on"]).dt.strftime("%Y-%m-%d")
    if "qualifications" in df:
        df["qualifications"] = ["、".join(v) for v in df["qualifications"]]
    for column in ("certified", "active"):
        if column in df:
            df[column] = [ui.tr("registries.yes" if v else "registries.no") for v in df[column]]
    return df.rename(columns={c: col(c) for c in df.columns})


def pager_state(name: str, signature: tuple) -> list:
    """The stack of page starts (rowids) for this search; a new search starts at page 1."""
    key = f"reg_{name}_pager"
    state = st.session_state.get(key)
    if state is None or state["sig"] != signature:
        state = {"sig": signature, "stack": [None]}
        st.session_state[key] = state
    return state["stack"]


def export_now(name: str, fmt: str, text: str, filters: dict) -> bytes:
    """Built only when the user clicks download (a callable `data`), on its own cursor."""
    cur = ui.cursor()
    try:
        return registry_export.export_bytes(cur, name, fmt, text, filters)
    finally:
        cur.close()


def export_section(name: str, text: str, filters: dict, matching: int) -> None:
    st.caption(ui.tr("registries.export_help"))
    if matching > EXPORT_LIMIT:
        st.info(
            ui.tr("registries.export_too_big", n=ui.fmt_int(matching),
                  limit=ui.fmt_int(EXPORT_LIMIT),
                  command=f"python -m core export {name} {name}.csv"),
        )  # fmt: skip
        return
    frozen = {k: tuple(v) for k, v in filters.items() if v}
    left, right = st.columns(2)
    for box, fmt in ((left, "csv"), (right, "xlsx")):
        box.download_button(
            ui.tr(f"registries.export_{fmt}"),
            data=lambda fmt=fmt: export_now(name, fmt, text, frozen),
            file_name=f"{name}.{fmt}", key=f"reg_{name}_export_{fmt}",
            mime="text/csv" if fmt == "csv" else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )  # fmt: skip


def import_section(name: str) -> None:
    st.caption(ui.tr("registries.import_help"))
    upload = st.file_uploader(
        ui.tr("registries.import"), type=["csv", "xlsx"], key=f"reg_{name}_upload"
    )
    mode = st.radio(
        ui.tr("registries.mode"), MODES, key=f"reg_{name}_mode", horizontal=True,
        format_func={m: ui.tr(f"registries.mode.{m}") for m in MODES}.get,
    )  # fmt: skip
    result_key = f"reg_{name}_import_result"
    if st.button(ui.tr("registries.run_import"), key=f"reg_{name}_run", disabled=upload is None):
        cur = ui.cursor()
        try:
            with feedback.working(ui.tr("registries.checking", file=upload.name)) as step:
                step("registries.step.check")
                result = registry_import.import_bytes(
                    cur, name, upload.getvalue(), upload.name, mode, actor=ui.actor()
                )
        except Refused as e:  # the write itself failed: nothing changed, the attempt is logged
            result = None
            st.session_state[f"{result_key}_refused"] = e
        finally:
            cur.close()
        st.session_state[result_key] = result
    if refused := st.session_state.pop(f"{result_key}_refused", None):
        st.error(refused.message(ui.lang()))
    result = st.session_state.get(result_key)
    if result is None:
        return
    if result.ok:
        st.success(
            ui.tr("registries.accepted", file=result.file, rows=ui.fmt_int(result.rows),
                  added=ui.fmt_int(result.added), updated=ui.fmt_int(result.updated),
                  version=result.data_version),
        )  # fmt: skip
        return
    st.error(ui.tr("registries.rejected", file=result.file, n=ui.fmt_int(len(result.errors))))
    reason = "reason" if ui.lang() == "zh" else "reason_en"
    table = result.errors[["file", "row", "column", "value", reason]].head(1000)
    ui.table(
        table.rename(columns={c: ui.tr(f"registries.err.{c}") for c in
                              ("file", "row", "column", "value")} | {reason: ui.tr(
                                  "registries.err.reason")}),
        hide_index=True, key=f"reg_{name}_errors",
    )  # fmt: skip
    st.download_button(
        ui.tr("registries.report"), registry_import.report_csv(result),
        file_name=f"{result.file}.errors.csv", mime="text/csv", key=f"reg_{name}_report",
    )  # fmt: skip


def registry_tab(name: str) -> None:
    text = st.text_input(
        ui.tr("registries.search"), key=f"reg_{name}_q", help=ui.tr("registries.search_help")
    )
    filters = filter_widgets(name)
    frozen = {k: tuple(v) for k, v in filters.items() if v}
    stack = pager_state(name, (text, tuple(sorted(frozen.items()))))
    # one cached call gives the first page, the count and the chart (one scan at most)
    rows, matching, chart = ui.query(registry_search.search_view, name, text, frozen, None,
                                     PAGE_SIZE)  # fmt: skip
    if stack[-1] is not None:
        rows = ui.query(registry_search.page, name, text, frozen, stack[-1], PAGE_SIZE)
    total = ui.query(registry_search.count, name)
    a, b = st.columns(2)
    a.metric(ui.tr("registries.total"), ui.fmt_int(total))
    b.metric(ui.tr("registries.matching"), ui.fmt_int(matching))

    if rows.empty:
        st.info(ui.tr("registries.none"))
    else:
        ui.table(shown_table(name, rows), hide_index=True, key=f"reg_{name}_table")
    nav = st.columns([1, 1, 1, 4])
    nav[0].button(
        ui.tr("registries.first"), key=f"reg_{name}_first", disabled=len(stack) == 1,
        on_click=stack.__delitem__, args=(slice(1, None),),
    )  # fmt: skip
    nav[1].button(
        ui.tr("registries.prev"), key=f"reg_{name}_prev", disabled=len(stack) == 1,
        on_click=stack.pop,
    )  # fmt: skip
    last = None if rows.empty else int(rows["_row"].iloc[-1])
    nav[2].button(
        ui.tr("registries.next"), key=f"reg_{name}_next", disabled=len(rows) < PAGE_SIZE,
        on_click=stack.append, args=(last,),
    )  # fmt: skip
    nav[3].caption(ui.tr("registries.page", page=len(stack), rows=len(rows), size=PAGE_SIZE))

    st.subheader(ui.tr(f"registries.chart.{name}"))
    if name == "items":
        chart = chart.assign(value=[ui.label("item_class", v) for v in chart["value"]])
    st.plotly_chart(
        charts.bar(chart, "value", "n", labels={"value": col(registry_search.CHART_COLUMN[name]),
                                               "n": ui.tr("registries.count")}, height=300),
        key=f"reg_{name}_chart",
    )  # fmt: skip

    with st.expander(ui.tr("registries.export")):
        export_section(name, text, filters, matching)
    if ui.can("registry.import"):
        with st.expander(ui.tr("registries.import")):
            import_section(name)


names = ("items", "targets", "inspectors")
for tab, name in zip(st.tabs([ui.tr(f"registries.tab.{n}") for n in names]), names, strict=True):
    with tab:
        registry_tab(name)
