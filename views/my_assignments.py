"""My visits (inspectors, signed in): the visits I was drawn for, their tasks, and result entry.

Everything on this page comes from core.results.access with the signed-in user: no widget, URL or
query parameter names an inspector, and the visit picker offers only the user's own visits (the
engine refuses any other anyway)."""

import pandas as pd
import streamlit as st

import ui
from core.refusal import Refused
from core.results import access, entry, workflow
from core.vocab import OUTCOMES

st.title(ui.tr("results.mine.title"))
st.caption(ui.tr("results.mine.caption"))

user = ui.current_user()
try:
    visits = ui.query(access.my_visits, user)
except Refused as e:
    st.info(e.message(ui.lang()))
    st.stop()

st.text(ui.tr("results.mine.signed_in_as", name=user.get("display_name") or "",
              inspector_id=user["inspector_id"]))  # fmt: skip
message = st.session_state.pop("mine_message", None)
if message:
    st.success(message)
if visits.empty:
    st.info(ui.tr("results.mine.none"))
    st.stop()

counts = visits["status"].value_counts()
cols = st.columns(len(workflow.STATUSES))
for col, status in zip(cols, workflow.STATUSES, strict=True):
    col.metric(ui.tr(f"results.status.{status}"), ui.fmt_int(counts.get(status, 0)))

shown = visits.assign(
    status=[ui.tr(f"results.status.{s}") for s in visits["status"]],
    kind=[ui.tr(f"results.kind.{k}") for k in visits["kind"]],
    my_role=[ui.tr(f"results.role.{r}") for r in visits["my_role"]],
)
st.subheader(ui.tr("results.mine.visits", n=ui.fmt_int(len(visits))))
ui.table(
    shown.drop(columns=["year", "simulated"]).rename(
        columns={c: ui.tr(f"results.col.{c}") for c in shown.columns}
    ),
    hide_index=True, width="stretch", key="mine_table",
)  # fmt: skip
st.download_button(
    ui.tr("results.mine.download"), data=lambda: ui.query(access.my_visits_csv, user),
    file_name="my_visits.csv", mime="text/csv", key="mine_download",
)  # fmt: skip

to_do = [i for i, s in enumerate(visits["status"]) if s in ("pending", "in_progress")]
visit_id = st.selectbox(ui.tr("results.mine.pick"), list(visits["visit_id"]),
                        index=to_do[0] if to_do else 0, key="mine_visit")  # fmt: skip
visit = visits.set_index("visit_id").loc[visit_id]
st.text(f"{visit['enterprise_name']}  {visit['uscc']}  ·  {visit['district']} {visit['street']}")
st.text(ui.tr("results.mine.window", start=str(visit["window_start"])[:10],
              end=str(visit["window_end"])[:10]))  # fmt: skip
co = visit["co_inspectors"]
st.text(ui.tr("results.mine.co", names=co) if co else ui.tr("results.mine.co_none"))
st.text(ui.tr("results.mine.status", status=ui.tr(f"results.status.{visit['status']}")))
if visit["kind"] == "desk":
    st.info(ui.tr("results.mine.desk"))
if visit["simulated"]:
    st.warning(ui.tr("results.mine.simulated"))

try:
    tasks = ui.query(access.my_visit_tasks, user, visit_id)
except Refused as e:
    st.error(e.message(ui.lang()))
    st.stop()
st.subheader(ui.tr("results.mine.tasks"))
TASK_COLUMNS = {
    "plan_name": "plan",
    "item_name": "item",
    "content": "content",
    "legal_basis": "legal_basis",
    "method": "method",
    "dept_name": "departments",
    "outcomes": "outcomes",
}
ui.table(
    tasks[list(TASK_COLUMNS)]
    .assign(outcomes=[",".join(o) for o in tasks["outcomes"]],
            method=[ui.label("method", m) for m in tasks["method"]])
    .rename(columns={k: ui.tr(f"results.col.{v}") for k, v in TASK_COLUMNS.items()}),
    hide_index=True, width="stretch", key="mine_tasks",
)  # fmt: skip


def code_label(code: str) -> str:
    return f"{code} {ui.tr(f'results.outcome.{code}')}"


today = workflow.today()
start = pd.Timestamp(visit["window_start"]).date()
end = pd.Timestamp(visit["window_end"]).date()
default_day = min(max(min(today, end), start), today)  # today, inside the window if possible
st.subheader(ui.tr("results.mine.entry"))
with st.form(f"mine_form_{visit_id}"):
    for i, t in enumerate(tasks.itertuples(index=False)):  # a visit's few tasks, one widget each
        st.markdown(f"**{i + 1}.**")
        st.text(f"{t.item_name} ({t.item_code})")
        left, mid, right = st.columns([3, 1, 2])
        left.multiselect(ui.tr("results.mine.outcomes"), list(OUTCOMES), default=list(t.outcomes),
                         format_func=code_label, placeholder=ui.tr("results.mine.choose"),
                         key=f"mine_out_{visit_id}_{i}")  # fmt: skip
        done = pd.Timestamp(t.completed_on).date() if pd.notna(t.completed_on) else None
        mid.date_input(ui.tr("results.mine.completed_on"), value=done or default_day,
                       min_value=min(start, today), max_value=today,
                       key=f"mine_day_{visit_id}_{i}")  # fmt: skip
        right.text_input(ui.tr("results.mine.note"), value=t.note, key=f"mine_note_{visit_id}_{i}")
    reason = st.text_input(ui.tr("results.mine.reason"), key=f"mine_reason_{visit_id}")
    save = st.form_submit_button(ui.tr("results.mine.save"), type="primary")
if save:
    entries = [
        entry.TaskEntry(
            t.plan_id, t.item_code,
            tuple(st.session_state.get(f"mine_out_{visit_id}_{i}") or ()),
            st.session_state.get(f"mine_day_{visit_id}_{i}"),
            st.session_state.get(f"mine_note_{visit_id}_{i}") or "",
        )
        for i, t in enumerate(tasks.itertuples(index=False))
    ]  # fmt: skip
    cur = ui.cursor()
    try:
        saved = entry.save(cur, user, visit_id, entries, reason=reason or None)
    except Refused as e:
        st.error(e.message(ui.lang()))
    else:
        st.session_state["mine_message"] = ui.tr("results.mine.saved", n=saved.tasks)
        st.rerun()
    finally:
        cur.close()

if visit["status"] == "in_progress" and st.button(ui.tr("results.mine.submit"), key="mine_submit"):
    cur = ui.cursor()
    try:
        workflow.submit(cur, user, visit_id)
    except Refused as e:
        st.error(e.message(ui.lang()))
    else:
        st.session_state["mine_message"] = ui.tr("results.mine.submitted", visit_id=visit_id)
        st.rerun()
    finally:
        cur.close()
