"""About: what Suicha is, and the committed scaling run of the benchmark."""

import plotly.express as px
import streamlit as st

import ui
from core import bench
from ui import charts

st.title(ui.tr("about.title"))
st.write(ui.tr("about.intro"))

table = bench.scaling_table()
if table is None:
    st.info(ui.tr("about.no_run"))
    st.stop()

meta = table["meta"] or {}
st.subheader(ui.tr("about.scaling"))
st.caption(ui.tr("about.scaling_caption", machine=meta.get("machine", "?"),
                 date=meta.get("date", "?")))  # fmt: skip
names = {"targets": ui.tr("about.targets"), "seconds": ui.tr("about.seconds"),
         "stage": ui.tr("about.stage")}  # fmt: skip
fig = px.line(table["times"], x="targets", y="seconds", color="stage", markers=True,
              log_x=True, log_y=True, labels=names)  # fmt: skip
st.plotly_chart(charts.style(fig, 460), key="scaling")
pivot = table["times"].pivot(index="stage", columns="targets", values="seconds")
pivot.columns = [f"{n:,}" for n in pivot.columns]
st.dataframe(pivot, width="stretch")
memory = table["memory"].assign(targets=lambda d: d["targets"].map("{:,}".format))
mem = charts.bar(memory, "targets", "peak_rss_mb", labels=names, height=280)
mem.update_xaxes(type="category")  # sizes are labels here, not a numeric axis
ui.chart(ui.tr("about.memory"), mem, "memory")
