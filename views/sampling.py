"""Sampling for policy staff and administrators: the ratio table, a preview of its consequences,
then the committed, verifiable draw and the list of draws with their public records."""

import json
from datetime import datetime, timedelta

import streamlit as st

import ui
from core import merge_report, sampling, sampling_report
from core.refusal import Refused
from core.simulate import proposals as sim_proposals
from ui import charts, feedback, known_text, links, write_guard

EDITOR = "sampling_ratio_editor"
PREVIEW = "sampling_preview_args"
TIERS = list(sampling.TIERS)

st.title(ui.tr("sampling.title"))
st.caption(ui.tr("sampling.caption"))
ui.draw_warm_up()  # the draw's kernels load in the background while the page is read

years = ui.query(sampling_report.campaign_years)
if not years:
    st.info(ui.tr("app.no_pages"))
    st.stop()
links.seed("year", "sampling_year", years, int)  # a link's ?year= and ?plan= (issue 17.3)
year = links.keep("year", st.selectbox(ui.tr("sampling.year"), years, key="sampling_year"))
status = ui.query(sampling_report.campaign_status, year)

# --- the campaign's commitment notice: published before any draw can be committed ------------
st.subheader(ui.tr("sampling.campaign"))
camp = ui.query(sampling.commitment_in_force, year)

if camp is not None:
    if camp.rehearsal:
        st.warning(ui.tr("sampling.notice.rehearsal"))
    st.text(
        f"{ui.tr('sampling.notice.id')}: {camp.commitment_id}\n"
        f"{ui.tr('sampling.notice.published_at')}: {known_text.local_time(camp.published_at)}\n"
        f"{ui.tr('sampling.commitment')}: {camp.seed_commitment}\n"
        f"{ui.tr('sampling.beacon_source')}: {known_text.beacon_source(camp.beacon_source)}\n"
        f"{ui.tr('sampling.notice.beacon_format')}: "
        f"{known_text.beacon_format(camp.beacon_format)}\n"
        f"{ui.tr('sampling.notice.beacon_date')}: {camp.beacon_date}\n"
        f"{ui.tr('sampling.notice.sha256')}: {camp.notice_sha256}"
    )
    st.download_button(
        ui.tr("sampling.notice.download"), data=camp.notice_json.encode("utf-8"),
        file_name=f"commitment-{camp.commitment_id}.json", mime="application/json",
        key="sampling_notice_download",
    )  # fmt: skip
else:
    st.info(ui.tr("sampling.no_campaign"))
if ui.can("sampling.commit"):
    with st.expander(ui.tr("sampling.notice.publish_title"), expanded=camp is None):
        st.caption(ui.tr("sampling.notice.publish_help"))
        source = st.text_input(ui.tr("sampling.beacon_source"), ui.tr("beacon.default_source"),
                               key="sampling_notice_source")  # fmt: skip
        source = known_text.beacon_source_input(source)
        formats = sorted(sampling.BEACON_FORMATS)
        format_labels = {f: known_text.beacon_format(f) for f in formats}
        fmt = st.selectbox(ui.tr("sampling.notice.beacon_format"), formats,
                           index=formats.index(sampling.DEFAULT_BEACON_FORMAT),
                           format_func=format_labels.get,
                           key="sampling_notice_format")  # fmt: skip
        today = datetime.now(sampling.TZ).date()
        when = st.date_input(
            ui.tr("sampling.notice.beacon_date"), today + timedelta(days=3),
            min_value=today + timedelta(days=1), key="sampling_notice_date",
        )  # fmt: skip
        # a rehearsal (training, a dry run of the cycle): the secret is given, draws may be
        # committed before the beacon date, and nothing it draws can ever be published. Not
        # offered once a real notice is in force (core refuses it then).
        rehearsal, secret = False, None
        if camp is None or camp.rehearsal:
            rehearsal = st.checkbox(ui.tr("sampling.notice.rehearsal_pick"),
                                    key="sampling_notice_rehearsal")  # fmt: skip
        if rehearsal:
            st.caption(ui.tr("sampling.notice.rehearsal_help"))
            secret = st.text_input(ui.tr("sampling.notice.rehearsal_secret"),
                                   key="sampling_notice_secret")  # fmt: skip
        publish = "sampling.notice.publish_rehearsal" if rehearsal else "sampling.notice.publish"
        if st.button(ui.tr(publish), key="sampling_notice_publish"):
            cur, actor = ui.cursor(), ui.actor()
            try:
                with st.status(ui.tr("sampling.notice.working"), expanded=False) as box:
                    write_guard.run_once(  # a second click joins this one; told if stopped
                        "sampling",
                        lambda: sampling.publish_commitment(
                            cur, year, actor, when, beacon_source=source, beacon_format=fmt,
                            secret=secret),
                        lambda made: ("success", "sampling.notice.published",
                                      {"id": made.commitment_id, "c": made.seed_commitment}),
                    )  # fmt: skip
                    box.update(state="complete")
            except Refused as e:
                write_guard.take("sampling")  # said here, not again after the next rerun
                st.error(e.message(ui.lang()))
            else:
                st.session_state.pop(PREVIEW, None)
                st.rerun()
            finally:
                cur.close()
if status["scored_targets"] == 0:
    st.warning(ui.tr("sampling.no_risk"))
feedback.show("sampling")  # the outcome of the last write, once, after its rerun

# --- the ratio table ---------------------------------------------------------------------------
st.subheader(ui.tr("sampling.ratios"))
st.caption(ui.tr("sampling.ratios_help"))
table = ui.query(sampling_report.ratio_table).reset_index()
table["item_class"] = [ui.label("item_class", c) for c in table["item_class"]]
editable = ui.can("sampling.edit_ratios")
st.data_editor(
    table,
    key=EDITOR,
    hide_index=True,
    placeholder=ui.MISSING,
    disabled=not editable or ["item_class", "mean_bp"],
    column_config={
        "item_class": st.column_config.TextColumn(ui.tr("sampling.item_class")),
        "mean_bp": st.column_config.NumberColumn(ui.tr("sampling.mean_bp"), format="%.1f"),
        **{
            t: st.column_config.NumberColumn(
                ui.label("sampling.tier", t), min_value=0, max_value=10_000, step=1
            )
            for t in TIERS
        },
    },
)
if editable:
    if st.button(ui.tr("sampling.save_ratios"), key="sampling_save_ratios"):
        edits = st.session_state.get(EDITOR, {}).get("edited_rows", {})
        classes = list(sampling.ITEM_CLASSES)
        change = {
            classes[int(row)]: {t: v for t, v in cols.items() if t in TIERS}
            for row, cols in edits.items()
        }
        cur = ui.cursor()
        try:
            sampling.save_default_ratios(cur, change, actor=ui.actor())
        except Refused as e:
            st.error(e.message(ui.lang()))
        else:
            st.session_state.pop(EDITOR, None)
            st.session_state.pop(PREVIEW, None)
            # kept for the rerun that follows (a message shown now would vanish with it)
            feedback.keep_message("sampling", "sampling.saved")
            st.rerun()
        finally:
            cur.close()
else:
    st.caption(ui.tr("sampling.read_only"))

# --- adopt a proposal saved on the Simulation page (issue 14) ----------------------------------
if note := st.session_state.pop("sampling_adopt_note", None):
    st.success(note)
saved = ui.query(sim_proposals.list_proposals, year)
if editable and not saved.empty:
    with st.expander(ui.tr("simulate.adopt_title")):
        labels = dict(zip(saved["proposal_id"], saved["proposal_id"] + " · " + saved["name"],
                          strict=True))  # fmt: skip
        pick = st.selectbox(ui.tr("simulate.adopt_title"), list(labels), format_func=labels.get,
                            key="sampling_adopt_pick")  # fmt: skip
        if st.button(ui.tr("simulate.adopt"), key="sampling_adopt"):
            cur = ui.cursor()
            try:
                sim_proposals.adopt(cur, ui.actor(), pick)
            except Refused as e:
                st.error(e.message(ui.lang()))
            else:
                st.session_state["sampling_adopt_note"] = ui.tr("simulate.adopt_done", id=pick)
                st.session_state.pop(EDITOR, None)
                st.rerun()
            finally:
                cur.close()

# --- preview -------------------------------------------------------------------------------------
st.subheader(ui.tr("sampling.preview"))
plans = ui.query(sampling_report.plan_choices, year)
names = dict(zip(plans["plan_id"], plans["name"], strict=True))
left, mid, right = st.columns(3)
# labels computed now: AppTest calls format_func outside the script run
scope_labels = {s: ui.tr(f"sampling.scope.{s}") for s in ("campaign", "plan")}
mode_labels = {m: ui.tr(f"sampling.mode.{m}") for m in sampling.MODES}
plan_labels = {p: f"{p} · {names[p]}" for p in plans["plan_id"]}
if st.query_params.get("plan") in plan_labels and "sampling_scope" not in st.session_state:
    st.session_state["sampling_scope"] = "plan"
links.seed("plan", "sampling_plan", list(plan_labels))
scope = left.radio(
    ui.tr("sampling.scope"), list(scope_labels), key="sampling_scope",
    format_func=scope_labels.get,
)  # fmt: skip
plan_id = None
if scope == "plan":
    plan_id = left.selectbox(
        ui.tr("sampling.plan"), list(plans["plan_id"]), key="sampling_plan",
        format_func=plan_labels.get,
    )  # fmt: skip
links.keep("plan", plan_id)
if plan_id is not None:  # the plan's own ratios, overriding the default table
    overrides = ui.query(sampling.plan_overrides)
    own = overrides[overrides["plan_id"] == plan_id]
    plan_class = plans.set_index("plan_id").loc[plan_id, "item_class"]
    base = ui.query(sampling_report.ratio_table).loc[plan_class]
    with st.expander(ui.tr("sampling.plan_ratios", cls=ui.label("item_class", plan_class)),
                     expanded=not own.empty):  # fmt: skip
        cols = st.columns(4)
        values = {
            t: cols[i].number_input(
                ui.label("sampling.tier", t), min_value=0, max_value=10_000, step=1,
                value=int(own[t].iloc[0]) if not own.empty else int(base[t]),
                key=f"sampling_plan_bp_{plan_id}_{t}",
            )
            for i, t in enumerate(TIERS)
        }  # fmt: skip
        st.caption(ui.tr("sampling.plan_ratios_state" if not own.empty
                         else "sampling.plan_ratios_default"))  # fmt: skip
        if ui.can("sampling.edit_ratios"):
            save_col, clear_col = st.columns(2)
            if save_col.button(ui.tr("sampling.save_plan_ratios"), key="sampling_save_plan"):
                cur = ui.cursor()
                try:
                    sampling.save_plan_ratios(cur, plan_id, values, actor=ui.actor())
                except Refused as e:
                    st.error(e.message(ui.lang()))
                else:
                    st.session_state.pop(PREVIEW, None)
                    feedback.keep_message("sampling", "sampling.plan_saved", plan=plan_id)
                    st.rerun()
                finally:
                    cur.close()
            if not own.empty and clear_col.button(
                ui.tr("sampling.clear_plan_ratios"), key="sampling_clear_plan"
            ):
                cur = ui.cursor()
                try:
                    sampling.clear_plan_ratios(cur, plan_id, actor=ui.actor())
                finally:
                    cur.close()
                st.session_state.pop(PREVIEW, None)
                feedback.keep_message("sampling", "sampling.plan_cleared", plan=plan_id)
                st.rerun()
mode = mid.radio(
    ui.tr("sampling.mode"), list(sampling.MODES), key="sampling_mode",
    format_func=mode_labels.get,
)  # fmt: skip
beacon = right.text_input(ui.tr("sampling.beacon"), key="sampling_beacon")
st.caption(ui.tr("sampling.preview_hint"))
if st.button(ui.tr("sampling.preview"), type="primary", key="sampling_preview"):
    st.session_state[PREVIEW] = (year, plan_id, beacon, mode)

args = st.session_state.get(PREVIEW)
if args:
    try:
        with feedback.working(ui.tr("sampling.preview_working")) as step:
            step("sampling.step.preview")
            report = ui.query(sampling_report.preview_report, *args)
    except Refused as e:
        st.warning(e.message(ui.lang()))
        report = None
    if report:
        if report["illustrative"]:
            st.info(ui.tr("sampling.no_campaign"))
        cols = st.columns(5)
        cols[0].metric(ui.tr("sampling.selected"), ui.fmt_int(report["selected"]))
        cols[1].metric(ui.tr("sampling.distinct"), ui.fmt_int(report["distinct_targets"]))
        cols[2].metric(ui.tr("sampling.plans"), ui.fmt_int(report["plans"]))
        cols[3].metric(ui.tr("sampling.inspector_visits"), ui.fmt_int(report["inspector_visits"]),
                       help=ui.tr("sampling.inspector_visits_help"))  # fmt: skip
        cols[4].metric(ui.tr("sampling.inspectors"), ui.fmt_int(report["inspectors"]),
                       help=ui.tr("sampling.inspectors_help"))  # fmt: skip
        # what was previewed, in words: the commit below commits exactly this
        year_, plan_, beacon_, mode_ = args
        st.text(
            ui.tr("sampling.previewed", year=year_,
                  scope=plan_labels.get(plan_, plan_) if plan_ else scope_labels["campaign"],
                  mode=mode_labels[mode_], beacon=beacon_ or ui.MISSING)
            + f"\n{ui.tr('sampling.seed')}: {report['draw'].seed}"
        )  # fmt: skip

        col_names = {c: ui.tr(f"sampling.col.{c}") for c in [
            "plan_id", "tier", "ratio_bp", "frame_size", "quota", "selected", "district", "n",
            "visits", "visits_per_inspector"]}  # fmt: skip
        col_names["item_class"] = ui.tr("sampling.item_class")
        left, right = st.columns(2)
        with left:
            st.subheader(ui.tr("sampling.by_district"))
            st.plotly_chart(
                charts.bar(report["by_district"], "district", "n", labels=col_names),
                key="sampling_by_district",
            )
        with right:
            st.subheader(ui.tr("sampling.by_class_tier"))
            by = report["by_class_tier"].copy()
            by["item_class"] = [ui.label("item_class", c) for c in by["item_class"]]
            by["tier"] = [ui.label("sampling.tier", t) for t in by["tier"]]
            tier_colors = {ui.label("sampling.tier", t): c for t, c in charts.TIER_COLORS.items()}
            # horizontal: the small C类事项 bar keeps its numbers on a long axis
            st.plotly_chart(
                charts.bar(by, "item_class", "n", color="tier", labels=col_names,
                           horizontal=True, color_map=tier_colors),
                key="sampling_by_class_tier",
            )  # fmt: skip
        st.subheader(ui.tr("sampling.workload"))
        work = report["workload"]
        if report["understaffed"]:
            st.warning(ui.tr("sampling.understaffed", n=report["understaffed"]))
        st.plotly_chart(
            charts.bar(work.head(20).rename(columns={"name": "dept"}), "dept",
                       "visits_per_inspector", horizontal=True,
                       labels={**col_names, "dept": ui.tr("sampling.col.dept")}, height=520),
            key="sampling_workload",
        )  # fmt: skip
        st.subheader(ui.tr("sampling.strata"))
        strata = report["strata"].drop(columns="item_class").copy()
        strata["tier"] = [ui.label("sampling.tier", t) for t in strata["tier"]]
        ui.table(strata.rename(columns=col_names), hide_index=True, key="sampling_strata")

        # --- commit ---------------------------------------------------------------------------
        st.subheader(ui.tr("sampling.commit"))
        if not ui.can("sampling.commit"):
            st.caption(ui.tr("sampling.commit_only_admin"))
        elif report["illustrative"]:
            st.info(ui.tr("sampling.no_campaign"))
        else:
            # the widgets changed since the preview: committing would draw what is not on screen
            changed = tuple(args) != (year, plan_id, beacon, mode)
            if changed:
                st.warning(ui.tr("sampling.preview_changed"))
            held = ui.query(merge_report.held_visits, year_)
            if held:  # a re-draw now cannot be merged: the staffed visits would change
                st.warning(ui.tr("sampling.redraw_held", n=held, year=year_))
            reason = st.text_input(ui.tr("sampling.reason"), key="sampling_reason")
            sure = st.checkbox(ui.tr("sampling.confirm"), key="sampling_confirm")
            if st.button(ui.tr("sampling.commit"), disabled=not sure or changed,
                         key="sampling_commit"):  # fmt: skip
                cur, actor = ui.cursor(), ui.actor()
                try:
                    with feedback.working(ui.tr("sampling.commit_working")) as step:
                        step("sampling.step.commit")
                        write_guard.run_once(  # a second click joins this one; told if stopped
                            "sampling_commit",
                            lambda: sampling.commit(cur, year_, actor=actor, plan_id=plan_,
                                                    beacon=beacon_, mode=mode_,
                                                    reason=reason or None),
                            lambda drawn: ("success", "sampling.committed", {
                                "n": len(drawn.draw_ids), "first": drawn.draw_ids[0],
                                "selected": ui.fmt_int(drawn.total_selected)}),
                        )  # fmt: skip
                except Refused as e:
                    write_guard.take("sampling_commit")  # said here, not again
                    st.error(e.message(ui.lang()))
                else:
                    st.session_state.pop(PREVIEW, None)
                    st.rerun()
                finally:
                    cur.close()

feedback.show("sampling_commit")

# --- committed draws -----------------------------------------------------------------------------
st.subheader(ui.tr("sampling.draws"))
draws = ui.query(sampling.committed_draws, year)
if draws.empty:
    st.caption(ui.tr("sampling.no_draws"))
else:
    merged = ui.query(merge_report.status, year)
    if ui.can("merge.run") and (not merged["merged"] or merged["stale"]):
        # the cycle's next step: draws become visits only once merged
        st.info(ui.tr("sampling.next_merge"))
        st.page_link("views/merge.py", label=ui.tr("nav.merge"), icon=":material/merge:")
    if draws["rehearsal"].any():
        st.warning(ui.tr("sampling.notice.rehearsal_draws"))
    shown = draws[["draw_id", "plan_id", "plan_name", "mode", "committed_at", "committed_by",
                   "selected", "in_force", "rehearsal", "supersedes", "reason"]].copy()  # fmt: skip
    shown["mode"] = [mode_labels[m] for m in shown["mode"]]
    shown["committed_at"] = [known_text.local_time(v) for v in shown["committed_at"]]
    ui.table(
        shown.rename(columns={c: ui.tr(f"sampling.col.{c}") for c in shown.columns}),
        hide_index=True, key="sampling_draws",
    )  # fmt: skip
    pick = st.selectbox(ui.tr("sampling.draw_pick"), list(draws["draw_id"]), key="sampling_pick")
    record = ui.query(sampling.draw_record, pick)
    st.download_button(
        ui.tr("sampling.download"),
        data=json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"),
        file_name=f"{pick}.json",
        mime="application/json",
        key="sampling_download",
    )
