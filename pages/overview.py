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


def labelled(df, **domains):
    df = df.copy()
    for column, domain in domains.items():
        df[column] = [ui.label(domain, v) for v in df[column]]
    return df


left, right = st.columns(2)
with left:
    st.subheader(ui.tr("overview.targets_by_district"))
    st.plotly_chart(
        charts.bar(ui.query(overview.targets_by_district), "district", "n", labels=names),
        key="targets_by_district",
    )
with right:
    st.subheader(ui.tr("overview.targets_by_kind"))
    st.plotly_chart(
        charts.bar(labelled(ui.query(overview.targets_by_kind), kind="kind"), "kind", "n",
                   labels=names),
        key="targets_by_kind",
    )  # fmt: skip

st.subheader(ui.tr("overview.targets_by_street"))
st.plotly_chart(
    charts.treemap(ui.query(overview.targets_by_street), ["district", "street"], "n"),
    key="targets_by_street",
)

left, mid, right = st.columns(3)
with left:
    st.subheader(ui.tr("overview.by_level"))
    st.plotly_chart(
        charts.bar(labelled(ui.query(overview.departments_by_level), level="level"), "level", "n",
                   labels=names),
        key="departments_by_level",
    )  # fmt: skip
with mid:
    st.subheader(ui.tr("overview.items_by_class"))
    st.plotly_chart(
        charts.bar(labelled(ui.query(overview.items_by_class), item_class="item_class",
                            level="level"), "item_class", "n", color="level", labels=names),
        key="items_by_class",
    )  # fmt: skip
with right:
    st.subheader(ui.tr("overview.plans_by_kind"))
    st.plotly_chart(
        charts.bar(labelled(ui.query(overview.plans_by_kind), kind="plan_kind",
                            item_class="item_class"), "kind", "n", color="item_class",
                   labels=names),
        key="plans_by_kind",
    )  # fmt: skip

top = 20
st.subheader(ui.tr("overview.inspectors_by_dept", n=top))
st.plotly_chart(
    charts.bar(ui.query(overview.inspectors_by_department, top), "name", "n", horizontal=True,
               labels=names, height=560),
    key="inspectors_by_department",
)  # fmt: skip
