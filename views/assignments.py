"""Assignments page for administrators: capacity first, then the draw of inspectors, coverage,
workload, unstaffed visits, recusals, replacements and declared conflicts, with downloads."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from core import i18n, merge_report, registry_io
from core import verify_assignment_standalone as assign_verifier
from core.assignment import capacity, conflicts, replace, report, rule, run
from core.refusal import Refused
from ui import charts, feedback, known_text, write_guard

if not ui.can("assignment.view"):
    st.stop()

year = ui.query(merge_report.campaign_year)
st.title(ui.tr("assignments.title"))
st.caption(ui.tr("assignments.caption", year=year, algorithm=rule.ALGORITHM))

NOTICE = "assignments_notice"
if NOTICE in st.session_state:  # the outcome of the last action, kept across the rerun
    kind, text = st.session_state.pop(NOTICE)
    (st.success if kind == "ok" else st.error)(text)
feedback.show("assignments")  # the outcome of the draw of inspectors (ui/write_guard.py)


CATALOGUE = i18n.catalogue()


def recompute_run(info: dict) -> None:
    """The outsider's check of this run (verify_assignment_standalone.py) on the record as
    downloaded, under a status box; its verdict in the reader's language."""
    if st.button(ui.tr("assignments.recompute"), key="assign_recompute"):
        with feedback.working(ui.tr("assignments.recomputing")) as step:
            step("assignments.step.recompute")
            text = ui.query(report.record_json, year) or ""
            try:
                verdict = assign_verifier.check(text, info["record_sha256"])
            except (ValueError, KeyError, TypeError, IndexError, AttributeError):
                verdict = (False, "unreadable", {})
        st.session_state["assign_recomputed"] = (year, *verdict)
    shown = st.session_state.get("assign_recomputed")
    if not shown or shown[0] != year:
        return
    _, ok, key, values = shown
    # record values go inside code spans: nothing in them may close one
    values = {k: str(v).replace("`", "'") if isinstance(v, str) else v
              for k, v in values.items()}  # fmt: skip
    if "table" in values:
        values["table"] = ui.tr(f"assignverifier.table.{values['table']}")
    (st.success if ok else st.error)(ui.tr(f"assignverifier.{key}", **values))


def labels(codes: pd.Series, label: Callable[[object], str]) -> list[str]:
    """Each row's label, looked up once per distinct code (25,000 unstaffed rows, a handful of
    reasons: one translation each, not one per row)."""
    shown = {code: label(code) for code in dict.fromkeys(codes)}
    return [shown[code] for code in codes]


def header(df: pd.DataFrame) -> pd.DataFrame:
    """Column names in the reader's language (assign.col.*), codes labelled."""
    df = df.copy()
    if "reason" in df.columns and "needed" in df.columns:
        df["reason"] = labels(df["reason"], lambda r: ui.tr(f"assign.reason.{r}"))
    if "rule" in df.columns:
        df["rule"] = labels(df["rule"], lambda r: ui.tr(f"assign.rule.{r}"))
    if "role" in df.columns:
        df["role"] = labels(df["role"], lambda r: ui.tr(f"assign.role.{r}"))
    if "level" in df.columns:
        df["level"] = labels(df["level"], lambda v: ui.label("level", v))
    names = {c: ui.tr(f"assign.col.{c}") for c in df.columns if f"assign.col.{c}" in CATALOGUE}
    return df.rename(columns=names)


def downloads(
    df: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, label_key: str,
    rows: int | None = None,
) -> None:  # fmt: skip
    """CSV and XLSX of `df`, text cells made inert in spreadsheets (registries' convention),
    built only when the reader clicks. `df` may be a function giving the frame, with its `rows`:
    then the frame itself is read only on a click (every active assignment, 120,000 rows at full
    scale, is no part of what the page shows)."""
    frame = df if callable(df) else (lambda: df)
    rows = len(df) if rows is None else rows

    def as_csv() -> bytes:
        return registry_io.csv_bytes(report.export_frame(frame())[0])

    def as_xlsx() -> bytes:
        return registry_io.xlsx_bytes(*report.export_frame(frame()))

    left, right = st.columns(2)
    left.download_button(
        f"{ui.tr(label_key)} · CSV", as_csv, f"{stem}-{year}.csv", "text/csv",
        key=f"dl_{stem}_csv", on_click="ignore",
    )  # fmt: skip
    if rows <= registry_io.XLSX_MAX_ROWS:
        right.download_button(
            f"{ui.tr(label_key)} · XLSX", as_xlsx, f"{stem}-{year}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"dl_{stem}_xlsx", on_click="ignore",
        )  # fmt: skip


def table(df: pd.DataFrame, key: str) -> None:
    ui.table(header(df), hide_index=True, width="stretch", key=key)


def assign_button(label_key: str) -> None:
    if not ui.can("assignment.run"):
        return
    if st.button(ui.tr(label_key), key="assign_run", type="primary"):
        with st.status(ui.tr("assignments.running")) as status:
            cur, actor = ui.cursor(), ui.actor()
            try:
                write_guard.run_once(  # a second click joins this one; told if stopped
                    "assignments",
                    lambda: run.assign_campaign(cur, year, actor),
                    lambda result: ("success", "assignments.done", {
                        "staffed": ui.fmt_int(result.staffed),
                        "unstaffed": ui.fmt_int(result.unstaffed_visits)}),
                )  # fmt: skip
                status.update(state="complete")
            except Refused as e:
                write_guard.take("assignments")
                st.session_state[NOTICE] = ("error", e.message(ui.lang()))
                status.update(state="error")
            finally:
                cur.close()
        st.rerun()


visits = ui.query(capacity.department_capacity, year)
if visits.empty:
    st.info(ui.tr("assignments.not_merged", year=year))
    st.stop()
info = ui.query(report.run_info, year)

TABS = ("capacity", "coverage", "workload", "unstaffed", "recusals", "conflicts")
tabs = st.tabs([ui.tr(f"assignments.tab.{t}") for t in TABS])

# -- capacity first ----------------------------------------------------------------------------
with tabs[0]:
    st.caption(ui.tr("assignments.capacity_intro"))
    options = ui.query(capacity.shortfall_options, year)
    if len(options):
        st.warning(ui.tr("assignments.short_count", n=len(options),
                         short=ui.fmt_int(options["shortfall"].sum())))  # fmt: skip
    else:
        st.success(ui.tr("assignments.no_short"))
    cols = ["dept_code", "name", "level", "inspectors", "cap_per_inspector", "capacity",
            "demand", "desk_demand", "shortfall"]  # fmt: skip
    table(visits[cols].rename(columns={"name": "dept_name"}), "capacity_table")
    if len(options):
        st.subheader(ui.tr("assignments.options"))
        st.caption(ui.tr("assignments.options_note"))
        cols = ["dept_code", "name", "shortfall", "cap_per_inspector", "cap_needed",
                "borrowable", "borrow_closes", "defer_visits"]  # fmt: skip
        table(options[cols].rename(columns={"name": "dept_name"}), "options_table")
    if ui.can("assignment.edit"):
        st.subheader(ui.tr("assignments.caps"))
        with st.form("cap_form"):
            dept = st.selectbox(ui.tr("assignments.cap_dept"),
                                ["*", *visits["dept_code"].tolist()], key="cap_dept")  # fmt: skip
            value = st.number_input(ui.tr("assignments.cap_value"), min_value=1, max_value=10000,
                                    value=rule.DEFAULT_CAP, step=1, key="cap_value")  # fmt: skip
            if st.form_submit_button(ui.tr("assignments.cap_save")):
                cur = ui.cursor()
                try:
                    capacity.set_cap(cur, dept, int(value), ui.actor())
                    st.session_state[NOTICE] = ("ok", ui.tr("assignments.cap_saved", dept=dept,
                                                            cap=int(value)))  # fmt: skip
                except Refused as e:
                    st.session_state[NOTICE] = ("error", e.message(ui.lang()))
                finally:
                    cur.close()
                st.rerun()
    if info is None:
        st.info(ui.tr("assignments.no_run", year=year))
    assign_button("assignments.run" if info is None else "assignments.rerun")
    st.caption(ui.tr("assignments.cli_hint", year=year))

if info is None:
    st.stop()

# -- coverage ----------------------------------------------------------------------------------
with tabs[1]:
    staffed = info["staffed"]
    row = st.columns(4)
    row[0].metric(ui.tr("assignments.m.visits"), ui.fmt_int(info["visits"]))
    row[1].metric(ui.tr("assignments.m.staffed"), ui.fmt_int(staffed))
    row[2].metric(ui.tr("assignments.m.unstaffed"), ui.fmt_int(info["unstaffed"]))
    row[3].metric(ui.tr("assignments.m.desk"), ui.fmt_int(info["desk_checks"]))
    row = st.columns(3)
    row[0].metric(ui.tr("assignments.m.inspectors"), ui.fmt_int(info["inspectors"]))
    row[1].metric(ui.tr("assignments.m.recusals"), ui.fmt_int(info["recusal_hits"]))
    row[2].metric(ui.tr("assignments.m.replacements"), ui.fmt_int(info["replacements"]))
    merged = ui.query(merge_report.status, year)["run"]
    folded = merged["round4_removed"] if merged else 0
    if folded and info["visits"] == merged["final_visits"] + folded:
        # the Merge page counts visits folded into a scheduled inspection as saved; they are
        # still staffed here: say so, or the two pages' totals look contradictory
        st.caption(ui.tr("assignments.visits_from_merge", visits=ui.fmt_int(info["visits"]),
                         final=ui.fmt_int(merged["final_visits"]),
                         folded=ui.fmt_int(folded)))  # fmt: skip
    st.caption(ui.tr("assignments.run_info", run_id=info["run_id"],
                     assigned_at=known_text.local_time(info["assigned_at"]),
                     assigned_by=known_text.actor(info["assigned_by"]),
                     sha=info["record_sha256"]))  # fmt: skip
    st.subheader(ui.tr("assignments.coverage_by_dept"))
    table(ui.query(report.coverage_by_department, year), "coverage_table")
    downloads(
        lambda: ui.query(report.assignments, year), "assignments",
        "assignments.download_assignments", ui.query(report.active_assignments, year),
    )  # fmt: skip
    desk = ui.query(report.desk_checks, year)
    if len(desk):
        with st.expander(f"{ui.tr('assignments.desk_list')} ({ui.fmt_int(len(desk))})"):
            table(desk, "desk_table")
            downloads(desk, "desk-checks", "assignments.download_desk")
    st.download_button(
        ui.tr("assignments.download_record"),
        lambda: (ui.query(report.record_json, year) or "").encode("utf-8"),
        f"assignment-record-{year}.json", "application/json", key="dl_record",
        on_click="ignore",
    )  # fmt: skip
    st.caption(ui.tr("assignments.verify_hint"))
    recompute_run(info)

# -- workload ----------------------------------------------------------------------------------
with tabs[2]:
    load = ui.query(report.workload, year)
    counts = load.groupby("total").size().reset_index(name="inspectors")
    fig = go.Figure(go.Bar(x=counts["total"], y=counts["inspectors"], marker_color="#4c78a8"))
    for cap in sorted(set(load["cap"].tolist())):
        fig.add_vline(x=cap, line_dash="dash", line_color="#b22",
                      annotation_text=ui.tr("assignments.hist_cap", cap=cap))  # fmt: skip
    fig.update_layout(
        xaxis_title=ui.tr("assignments.hist_x"), yaxis_title=ui.tr("assignments.hist_y")
    )
    ui.chart(ui.tr("assignments.histogram"), charts.style(fig), key="workload_histogram")
    st.subheader(ui.tr("assignments.by_dept"))
    table(ui.query(report.workload_by_department, year), "workload_dept_table")
    downloads(load, "workload", "assignments.download_workload")

# -- unstaffed ---------------------------------------------------------------------------------
with tabs[3]:
    missing = ui.query(report.unstaffed, year)
    if missing.empty:
        st.success(ui.tr("assignments.unstaffed_none"))
    else:
        table(missing, "unstaffed_table")
        downloads(missing, "unstaffed", "assignments.download_unstaffed")

# -- recusals and replacements -----------------------------------------------------------------
with tabs[4]:
    st.subheader(ui.tr("assignments.recusals"))
    hits = ui.query(report.recusal_hits, year)
    if hits.empty:
        st.info(ui.tr("assignments.recusals_none"))
    else:
        table(hits, "recusals_table")
    st.subheader(ui.tr("assignments.replacements"))
    done = ui.query(report.replacements, year)
    if done.empty:
        st.info(ui.tr("assignments.replacements_none"))
    else:
        table(done, "replacements_table")
    if ui.can("assignment.edit"):
        st.subheader(ui.tr("assignments.replace_title"))
        visit_id = st.text_input(ui.tr("assignments.replace_visit"), key="replace_visit").strip()
        if visit_id:
            current = ui.query(report.assignments, year)
            on_visit = current.loc[current["visit_id"] == visit_id, "inspector_id"].tolist()
            if not on_visit:
                st.warning(ui.tr("assignments.no_assignment"))
            else:
                with st.form("replace_form"):
                    who = st.selectbox(ui.tr("assignments.replace_inspector"), on_visit,
                                       key="replace_who")  # fmt: skip
                    why = st.text_input(ui.tr("assignments.replace_reason"), key="replace_why")
                    if st.form_submit_button(ui.tr("assignments.replace_go")):
                        cur = ui.cursor()
                        try:
                            new = replace.replace_inspector(cur, visit_id, who, why, ui.actor())
                            st.session_state[NOTICE] = (
                                "ok",
                                ui.tr("assignments.replaced", old=who, new=new),
                            )
                        except Refused as e:
                            st.session_state[NOTICE] = ("error", e.message(ui.lang()))
                        finally:
                            cur.close()
                        st.rerun()

# -- declared conflicts ------------------------------------------------------------------------
with tabs[5]:
    declared = ui.query(conflicts.list_conflicts)
    if declared.empty:
        st.info(ui.tr("assignments.conflicts_none"))
    else:
        table(declared, "conflicts_table")
    st.caption(ui.tr("assignments.conflicts_next"))
    if ui.can("assignment.edit"):
        with st.form("conflict_add"):
            c1, c2 = st.columns(2)
            inspector = c1.text_input(ui.tr("assignments.conflict_inspector"), key="conf_insp")
            uscc = c2.text_input(ui.tr("assignments.conflict_uscc"), key="conf_uscc")
            why = st.text_input(ui.tr("assignments.conflict_reason"), key="conf_reason")
            if st.form_submit_button(ui.tr("assignments.conflict_add")):
                cur = ui.cursor()
                try:
                    conflicts.add_conflict(cur, inspector, uscc, why, ui.actor())
                    st.session_state[NOTICE] = ("ok", ui.tr("assignments.conflict_added"))
                except Refused as e:
                    st.session_state[NOTICE] = ("error", e.message(ui.lang()))
                finally:
                    cur.close()
                st.rerun()
        if not declared.empty:
            with st.form("conflict_remove"):
                pairs = [f"{i} · {u}" for i, u in zip(declared["inspector_id"], declared["uscc"],
                                                     strict=True)]  # fmt: skip
                pick = st.selectbox(ui.tr("assignments.conflict_remove"), pairs, key="conf_pick")
                why = st.text_input(ui.tr("assignments.conflict_reason"), key="conf_rm_reason")
                if st.form_submit_button(ui.tr("assignments.conflict_remove")):
                    inspector, uscc = pick.split(" · ", 1)
                    cur = ui.cursor()
                    try:
                        conflicts.remove_conflict(cur, inspector, uscc, why, ui.actor())
                        st.session_state[NOTICE] = ("ok", ui.tr("assignments.conflict_removed"))
                    except Refused as e:
                        st.session_state[NOTICE] = ("error", e.message(ui.lang()))
                    finally:
                        cur.close()
                    st.rerun()
