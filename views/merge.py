"""Merge page for leadership: 进一次门、查多项事, the four rounds and the savings they bring."""

import streamlit as st

import ui
from core import merge, merge_report
from core.assignment import report
from core.refusal import Refused
from ui import feedback, merge_charts, write_guard

year = ui.query(merge_report.campaign_year)
st.title(ui.tr("merge.title"))
feedback.show("merge")  # the outcome of a merge run, after its rerun
st.caption(ui.tr("merge.caption", year=year))

state = ui.query(merge_report.status, year)


def numbers(df, name) -> dict:
    """Thousands separators for every numeric column of a table shown with renamed columns."""
    return {
        name(f"merge.col.{c}"): st.column_config.NumberColumn(format="localized")
        for c in df.columns
        if df[c].dtype.kind in "if"
    }


def run_controls() -> None:
    """Merge and save from the page, for roles that may; always the CLI hint."""
    st.caption(ui.tr("merge.run_hint", year=year))
    if not ui.can("merge.run"):
        return
    if st.button(ui.tr("merge.run"), key="merge_run", type="primary"):
        cur, actor = ui.cursor(), ui.actor()
        try:
            with feedback.working(ui.tr("merge.running")) as step:
                step("merge.step.merge")
                write_guard.run_once(  # a second click joins this one; told if stopped
                    "merge",
                    lambda: merge.merge_campaign(cur, year, actor=actor),
                    lambda result: ("success", "merge.done",
                                    {"visits": ui.fmt_int(result.final_visits)}),
                )  # fmt: skip
        except Refused as e:
            write_guard.take("merge")  # said here, not again
            st.error(e.message(ui.lang()))
            return
        finally:
            cur.close()
        st.rerun()


if state["draws"] == 0 and not state["merged"]:
    st.info(ui.tr("merge.no_draw", year=year))
    st.stop()
if not state["merged"]:
    st.info(ui.tr("merge.not_merged", year=year, draws=state["draws"]))
    run_controls()
    st.stop()
if state["stale"]:
    st.warning(ui.tr("merge.stale"))
    run_controls()

run = state["run"]
st.caption(
    ui.tr(
        "merge.merged_at",
        at=str(run["merged_at"])[:16].replace("T", " "),
        mode=ui.tr(f"merge.mode.{run['mode']}"),
        draws=len(run["draw_ids"]),
    )
)
removed = run["baseline_visits"] - run["final_visits"]
cols = st.columns(4)
cols[0].metric(
    ui.tr("merge.baseline"), ui.fmt_int(run["baseline_visits"]), help=ui.tr("merge.baseline_help")
)
cols[1].metric(ui.tr("merge.final"), ui.fmt_int(run["final_visits"]))
cols[2].metric(ui.tr("merge.removed"), ui.fmt_int(removed))
cols[3].metric(
    ui.tr("merge.savings"),
    f"{100 * removed / run['baseline_visits']:.2f} %" if run["baseline_visits"] else "—",
    help=ui.tr("merge.savings_help"),
)
if run.get("desk_checks"):
    st.caption(ui.tr("merge.desk_checks", desk=ui.fmt_int(run["desk_checks"])))
if ui.can("assignment.run") and not state["stale"] and ui.query(report.run_info, year) is None:
    # the cycle's next step: inspectors are drawn for the merged visits
    st.info(ui.tr("merge.next_assign"))
    st.page_link("views/assignments.py", label=ui.tr("nav.assignments"), icon=":material/groups:")

steps = {
    k: ui.tr(f"merge.step.{k}")
    for k in ["baseline", *(key for key, _ in merge.ROUNDS), "final"]
}  # fmt: skip
left, right = st.columns([3, 2])
with left:
    st.subheader(ui.tr("merge.waterfall"))
    st.plotly_chart(
        merge_charts.waterfall(ui.query(merge_report.waterfall, year), steps), key="waterfall"
    )
    st.caption(ui.tr("merge.rounds_help"))
with right:
    st.subheader(ui.tr("merge.compare"))
    modes = ui.query(merge_report.comparison, year)
    if len(modes) < 2:
        st.info(ui.tr("merge.compare_missing"))
    mode_names = {
        "coordinated": ui.tr("merge.mode.coordinated"),
        "independent": ui.tr("merge.mode.independent"),
        "baseline_pairs": ui.tr("merge.col.baseline_pairs"),
        "visits": ui.tr("merge.col.visits"),
    }
    st.plotly_chart(merge_charts.modes(modes, mode_names), key="modes")
    table = modes[["mode", "visits", "removed", "savings_pct"]].copy()
    # short mode names: the chart above carries the long ones; every column fits the half width
    table["mode"] = [ui.tr(f"merge.mode_short.{m}") for m in table["mode"]]
    columns = numbers(table, ui.tr)
    columns[ui.tr("merge.col.savings_pct")] = st.column_config.NumberColumn(format="%.1f %%")
    ui.table(
        table.rename(columns={c: ui.tr(f"merge.col.{c}") for c in table.columns}),
        hide_index=True,
        key="modes_table",
        column_config=columns,
        width="stretch",
    )
    st.caption(ui.tr("merge.compare_caption"))

left, right = st.columns(2)
with left:
    st.subheader(ui.tr("merge.sankey"))
    node_names = {k: ui.tr(f"merge.node.{k}") for k in ("alone", "joint", "own", "folded")}
    node_names["其他"] = ui.tr("merge.node.other")
    st.plotly_chart(
        merge_charts.sankey(ui.query(merge_report.department_flows, year), node_names),
        key="sankey",
    )
    st.caption(ui.tr("merge.sankey_caption"))
with right:
    st.subheader(ui.tr("merge.burden"))
    burden_names = {
        k: ui.tr(f"merge.burden.{k}") for k in ("before", "after", "visits", "targets")
    }  # fmt: skip
    st.plotly_chart(
        merge_charts.burden(ui.query(merge_report.burden, year), burden_names), key="burden"
    )
    st.caption(ui.tr("merge.burden_caption"))

st.subheader(ui.tr("merge.top"))
top = ui.query(merge_report.most_merged, year, 20)
top["window"] = [
    f"{a:%m-%d} – {b:%m-%d}" for a, b in zip(top["window_start"], top["window_end"], strict=True)
]
top = top[["target", "uscc", "district", "window", "n_plans", "n_tasks", "n_departments",
           "departments", "scheduled_id"]].rename(columns={"scheduled_id": "folded"})  # fmt: skip
ui.table(
    top.rename(columns={c: ui.tr(f"merge.col.{c}") for c in top.columns}),
    hide_index=True,
    key="most_merged",
)

st.subheader(ui.tr("merge.breakdown"))
dimension = st.radio(
    ui.tr("merge.breakdown"),
    list(merge.DIMENSIONS),
    format_func={d: ui.tr(f"merge.dim.{d}") for d in merge.DIMENSIONS}.get,
    horizontal=True,
    label_visibility="collapsed",
    key="merge_dimension",
)
groups = ui.query(merge_report.breakdown, year, dimension)
if dimension == "level":
    groups["key"] = [ui.label("level", v) for v in groups["key"]]
ui.table(
    groups.round(1).rename(columns={c: ui.tr(f"merge.col.{c}") for c in groups.columns}),
    hide_index=True,
    key="breakdown",
    column_config=numbers(groups, ui.tr),
)
st.caption(ui.tr("merge.breakdown_caption"))
