"""四个全面覆盖 for leadership: levels, items, credit-risk evaluation and platform tasks, with a
drill-down city -> district -> street, and who is behind by how much (core/coverage.py)."""

import streamlit as st

import ui
from core import analytics_figures as figs
from core import coverage
from core.refusal import Refused
from ui import analytics as ua
from ui import links

st.title(ui.tr("coverage.title"))
st.caption(ui.tr("coverage.caption"))
pick_year, pick_district, pick_street, _ = st.columns([1, 1, 1, 2])
year = ua.year_select(pick_year)
if year is None:
    st.info(ui.tr("discovery.none"))
    st.stop()
lang, pct, day = ui.lang(), ua.percent, ua.as_of()

city = ui.tr("coverage.city")
districts = ui.query(coverage.districts)
links.seed("district", "coverage_district", districts)  # a link's ?district= (issue 17.3)
district = pick_district.selectbox(
    ui.tr("coverage.scope_district"), [None, *districts],
    format_func=lambda d: city if d is None else d, key="coverage_district",
)  # fmt: skip
links.keep("district", district)
street = None
if district is not None:
    all_streets = ui.tr("coverage.all_streets")  # now: AppTest formats options later
    street = pick_street.selectbox(
        ui.tr("coverage.scope_street"), [None, *ui.query(coverage.streets, district)],
        format_func=lambda s: all_streets if s is None else s,
        key="coverage_street",
    )  # fmt: skip
st.caption(ui.tr("coverage.as_of", day=day.isoformat()))
ua.toolbar(year)

r = ui.query(coverage.report, year, day, district, street)
if r["simulated"]:
    st.caption(ui.tr("analytics.status_simulated"))
h = r["headline"]
cols = st.columns(5)
cols[0].metric(ui.tr("coverage.visits"), ui.fmt_int(h["visits"]))
cols[1].metric(ui.tr("coverage.assigned_m"), ui.fmt_int(h["assigned"]))
cols[2].metric(
    ui.tr("coverage.done_m"), ui.fmt_int(h["done"]),
    help=ui.tr("coverage.late_help", n=ui.fmt_int(h["late"])),
)  # fmt: skip
cols[3].metric(ui.tr("coverage.published_m"), ui.fmt_int(h["published"]))
cols[4].metric(
    ui.tr("coverage.tier_share"), pct(h["tier_share"]),
    help=ui.tr("coverage.tier_share_help", tiered=ui.fmt_int(h["tiered"]),
               targets=ui.fmt_int(h["targets"])),
)  # fmt: skip

# who is behind, and by how much (department names are data: shown as plain text and tables)
st.subheader(ui.tr("coverage.behind"))
behind = r["behind"]
if behind.empty:
    st.text(ui.tr("coverage.behind_none"))
else:
    worst = behind.iloc[0]
    st.text(
        ui.tr(
            "coverage.behind_worst",
            name=worst["name"],
            measure=ui.tr(f"coverage.measure.{worst['measure']}"),
            gap=ui.fmt_int(worst["gap"]),
            of=ui.fmt_int(worst["of"]),
            share=pct(worst["share"]),
        )  # fmt: skip
    )
    shown = behind.assign(
        measure=[ui.tr(f"coverage.measure.{m}") for m in behind["measure"]],
        level=[ui.label("level", v) for v in behind["level"]],
    )[["name", "level", "measure", "gap", "of", "share"]]
    ui.table(
        shown, hide_index=True, height=240,
        column_config={
            "name": ui.tr("coverage.col.name"), "level": ui.tr("coverage.col.level"),
            "measure": ui.tr("coverage.col.measure"), "gap": ui.tr("coverage.col.gap"),
            "of": ui.tr("coverage.col.of"),
            "share": st.column_config.NumberColumn(ui.tr("coverage.col.share"), format="percent"),
        },
    )  # fmt: skip

left, right = st.columns(2)
with left:
    ui.chart(ui.tr("coverage.by_level"), figs.stage_bars(r["levels"], "level", lang),
             "coverage_level")  # fmt: skip
with right:
    ui.chart(ui.tr("coverage.by_class"), figs.stage_bars(r["classes"], "item_class", lang),
             "coverage_class")  # fmt: skip
left, right = st.columns(2)
with left:
    ui.chart(ui.tr("coverage.plan_share") + " · " + ui.tr("coverage.col.level"),
             figs.share_bars(r["levels"], "level", lang), "coverage_share_level")  # fmt: skip
with right:
    ui.chart(ui.tr("coverage.plan_share") + " · " + ui.tr("coverage.col.class"),
             figs.share_bars(r["classes"], "item_class", lang), "coverage_share_class")  # fmt: skip

classes = r["classes"].assign(item_class=lambda d: [ui.label("item_class", v)
                                                     for v in d["item_class"]])  # fmt: skip
ui.table(
    classes[["item_class", "items", "items_planned", "plan_share", "plans", "plans_drawn",
             "visits", "assigned", "done", "published", "late", "overdue"]],
    hide_index=True,
    column_config={
        "item_class": ui.tr("coverage.col.class"),
        **{c: ui.tr(f"coverage.col.{c}") for c in
           ("items", "items_planned", "plans", "plans_drawn", "visits", "assigned", "done",
            "published", "late", "overdue")},
        "plan_share": st.column_config.NumberColumn(ui.tr("coverage.col.plan_share"),
                                                    format="percent"),
    },
)  # fmt: skip

st.subheader(ui.tr("coverage.departments"))
depts = r["departments"].assign(level=lambda d: [ui.label("level", v) for v in d["level"]])
ui.table(
    depts[["name", "level", "items", "items_planned", "plan_share", "plans", "plans_drawn",
           "visits", "assigned", "done", "published", "late", "overdue"]],
    hide_index=True, height=320,
    column_config={
        **{c: ui.tr(f"coverage.col.{c}") for c in
           ("name", "level", "items", "items_planned", "plans", "plans_drawn", "visits",
            "assigned", "done", "published", "late", "overdue")},
        "plan_share": st.column_config.NumberColumn(ui.tr("coverage.col.plan_share"),
                                                    format="percent"),
    },
)  # fmt: skip

ui.chart(ui.tr("coverage.progress"), figs.progress_lines(r["progress"], lang),
         "coverage_progress")  # fmt: skip

st.subheader(ui.tr("coverage.platform"))
platform = r["platform"]
if platform["target"].notna().any():
    st.plotly_chart(figs.platform_bars(platform, lang), key="coverage_platform")
else:
    st.text(ui.tr("coverage.platform_none"))
ui.table(
    platform.assign(metric=[ui.tr(f"coverage.metric.{m}") for m in platform["metric"]])[
        ["metric", "actual", "target", "gap"]
    ],
    hide_index=True,
    column_config={
        "metric": "",
        "actual": ui.tr("coverage.actual"),
        "target": ui.tr("coverage.target"),
        "gap": ui.tr("coverage.gap"),
    },  # fmt: skip
)

if ui.can("analytics.set_targets"):
    with st.expander(ui.tr("coverage.set_targets")):
        with st.form("coverage_targets"):
            current = ui.query(coverage.targets_for, year)
            values = {
                m: st.number_input(
                    ui.tr(f"coverage.metric.{m}"), min_value=0, step=1, value=current.get(m),
                    key=f"coverage_target_{m}",
                )
                for m in coverage.PLATFORM_METRICS
            }  # fmt: skip
            if st.form_submit_button(ui.tr("coverage.save_targets")):
                try:
                    coverage.set_targets(
                        ui.cursor(),
                        year,
                        {m: v for m, v in values.items() if v is not None},
                        ui.actor(),
                    )
                    st.session_state["coverage_saved"] = ui.tr("coverage.saved")
                    st.rerun()
                except Refused as e:
                    st.error(e.message(lang))
if st.session_state.get("coverage_saved"):
    st.toast(st.session_state.pop("coverage_saved"))
