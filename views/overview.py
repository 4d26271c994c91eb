"""Overview for leadership: the size and shape of the 一单两库 and the year's plans."""

import streamlit as st

import ui
from core import overview
from ui import charts

st.title(ui.tr("overview.title"))
st.caption(ui.tr("overview.caption"))

h = ui.query(overview.headline)
cols = st.columns(5)
cols[0].metric(
    ui.tr("overview.departments"), ui.fmt_int(h["departments"]),
    help=ui.tr("overview.departments_help", city=h["city_departments"],
               district=h["district_departments"], street=h["street_units"]),
)  # fmt: skip
cols[1].metric(ui.tr("overview.items"), ui.fmt_int(h["items"]))
cols[2].metric(ui.tr("overview.targets"), ui.fmt_int(h["targets"]))
cols[3].metric(
    ui.tr("overview.inspectors"), ui.fmt_int(h["inspectors"]),
    help=ui.tr("overview.inspectors_help", n=ui.fmt_int(h["inspectors_available"])),
)  # fmt: skip
cols[4].metric(
    ui.tr("overview.plans"), ui.fmt_int(h["plans"]),
    help=ui.tr("overview.plans_help", single=h["single_plans"], joint=h["joint_plans"]),
)  # fmt: skip

names = {
    "n": ui.tr("overview.count"), "level": ui.tr("overview.level"),
    "item_class": ui.tr("overview.class"), "kind": ui.tr("overview.kind"),
    "district": ui.tr("overview.district"), "street": ui.tr("overview.street"),
    "name": ui.tr("overview.department"),
}  # fmt: skip


q, lab = ui.query, ui.labelled
left, right = st.columns(2)
with left:
    ui.chart(
        ui.tr("overview.targets_by_district"),
        charts.bar(q(overview.targets_by_district), "district", "n", labels=names),
        "targets_by_district",
    )
with right:
    ui.chart(
        ui.tr("overview.targets_by_kind"),
        # horizontal: the bilingual kind names ("个体工商户 individual business") overlap slanted
        charts.bar(
            lab(q(overview.targets_by_kind), kind="kind"),
            "kind",
            "n",
            horizontal=True,
            labels=names,
        ),
        "targets_by_kind",
    )
ui.chart(
    ui.tr("overview.targets_by_street"),
    charts.treemap(q(overview.targets_by_street), ["district", "street"], "n"),
    "targets_by_street",
)

left, mid, right = st.columns(3)
with left:
    levels = lab(q(overview.departments_by_level), level="level")
    ui.chart(
        ui.tr("overview.by_level"),
        charts.bar(levels, "level", "n", labels=names),
        "departments_by_level",
    )
with mid:
    items = lab(q(overview.items_by_class), item_class="item_class", level="level")
    ui.chart(
        ui.tr("overview.items_by_class"),
        charts.bar(items, "item_class", "n", color="level", labels=names),
        "items_by_class",
    )
with right:
    plans = lab(q(overview.plans_by_kind), kind="plan_kind", item_class="item_class")
    # one segment per item class: the query also splits by level, which this chart does not show
    plans = plans.groupby(["kind", "item_class"], as_index=False, sort=False)["n"].sum()
    ui.chart(
        ui.tr("overview.plans_by_kind"),
        charts.bar(plans, "kind", "n", color="item_class", labels=names),
        "plans_by_kind",
    )

top = 20
ui.chart(
    ui.tr("overview.inspectors_by_dept", n=top),
    charts.bar(q(overview.inspectors_by_department, top), "name", "n", horizontal=True,
               labels=names, height=560),
    "inspectors_by_department",
)  # fmt: skip
