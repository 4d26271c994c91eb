"""About: what Suicha is, and the committed scaling run of the benchmark."""

import re

import plotly.express as px
import streamlit as st

import ui
from core import audit, bench
from ui import charts

st.title(ui.tr("about.title"))
st.write(ui.tr("about.intro"))

if ui.can("audit.view"):  # administrators: is the audit trail intact? (core/audit.py verify)
    st.subheader(ui.tr("audit.title"))
    cur = ui.cursor()
    try:  # not cached: a hand edit of the table does not bump data_version
        checked = audit.verify(cur)
    finally:
        cur.close()
    (st.success if checked["ok"] else st.error)(audit.describe(checked, ui.lang()))

table = bench.scaling_table()
if table is None:
    st.info(ui.tr("about.no_run"))
    st.stop()

meta = table["meta"] or {}


def machine_text(text: str) -> str:
    """ "2 cores, 24 GiB, Linux x86_64, Python 3.11.7" (as bench.machine() records it) in the
    reader's language; anything else is shown as recorded."""
    found = re.fullmatch(r"(\d+) cores, (\d+) GiB, (\S+) (\S+), Python (\S+)", text)
    if not found:
        return text
    cores, mem, os_name, arch, py = found.groups()
    return ui.tr("about.machine", cores=cores, mem=mem, os=os_name, arch=arch, py=py)


def stage_label(name: str) -> str:
    return ui.tr(f"bench.stage.{name}")


st.subheader(ui.tr("about.scaling"))
st.caption(ui.tr("about.scaling_caption", machine=machine_text(meta.get("machine", "?")),
                 date=meta.get("date", "?")))  # fmt: skip
names = {"targets": ui.tr("about.targets"), "seconds": ui.tr("about.seconds"),
         "stage": ui.tr("about.stage"), "peak_rss_mb": ui.tr("about.peak_mb")}  # fmt: skip
times = table["times"].assign(stage=lambda d: d["stage"].map(stage_label))
fig = px.line(times, x="targets", y="seconds", color="stage", markers=True,
              log_x=True, log_y=True, labels=names)  # fmt: skip
st.plotly_chart(charts.style(fig, 460), key="scaling")
pivot = times.pivot(index="stage", columns="targets", values="seconds")
pivot = pivot.reindex([stage_label(s) for s in dict.fromkeys(table["times"]["stage"])])
pivot.index.name = names["stage"]
pivot.columns = [f"{n:,}" for n in pivot.columns]
ui.table(pivot, width="stretch")
memory = table["memory"].assign(targets=lambda d: d["targets"].map("{:,}".format))
mem = charts.bar(memory, "targets", "peak_rss_mb", labels=names, height=280)
mem.update_xaxes(type="category")  # sizes are labels here, not a numeric axis
ui.chart(ui.tr("about.memory"), mem, "memory")
