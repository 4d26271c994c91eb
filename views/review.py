"""Review (department reviewers): visits of the reviewer's department awaiting review; approve
(已完成: the result notice becomes due within 20 working days) or return with a reason."""

import streamlit as st

import ui
from core.refusal import Refused
from core.results import access, workflow

st.title(ui.tr("results.review.title"))
st.caption(ui.tr("results.review.caption"))

user = ui.current_user()
if not user or not user.get("dept_code"):
    st.info(ui.tr("results.review.no_dept"))
    st.stop()
message = st.session_state.pop("review_message", None)
if message:
    st.success(message)

counts = ui.query(access.department_status_counts, user)
by_status = dict(zip(counts["status"], counts["visits"], strict=True))
st.subheader(ui.tr("results.review.counts"))
cols = st.columns(len(workflow.STATUSES))
for col, status in zip(cols, workflow.STATUSES, strict=True):
    col.metric(ui.tr(f"results.status.{status}"), ui.fmt_int(by_status.get(status, 0)))

queue = ui.query(access.review_queue, user)
if queue.empty:
    st.info(ui.tr("results.review.none"))
    st.stop()
ui.table(
    queue.drop(columns=["year"]).assign(
        status=[ui.tr(f"results.status.{s}") for s in queue["status"]],
        kind=[ui.tr(f"results.kind.{k}") for k in queue["kind"]],
    ).rename(columns={c: ui.tr(f"results.col.{c}") for c in queue.columns}),
    hide_index=True, width="stretch", key="review_queue",
)  # fmt: skip
visit_id = st.selectbox(ui.tr("results.review.pick"), list(queue["visit_id"]), key="review_visit")
try:
    tasks = ui.query(access.review_tasks, user, visit_id)
except Refused as e:
    st.error(e.message(ui.lang()))
    st.stop()
COLUMNS = {"plan_name": "plan", "item_name": "item", "dept_name": "departments",
           "outcomes": "outcomes", "note": "note", "completed_on": "completed_on"}  # fmt: skip
ui.table(
    tasks[list(COLUMNS)]
    .assign(outcomes=[",".join(o) for o in tasks["outcomes"]])
    .rename(columns={k: ui.tr(f"results.col.{v}") for k, v in COLUMNS.items()}),
    hide_index=True, width="stretch", key="review_tasks",
)  # fmt: skip


def act(step, done_key: str, *args) -> None:
    cur = ui.cursor()
    try:
        step(cur, user, visit_id, *args)
    except Refused as e:
        st.error(e.message(ui.lang()))
        return
    finally:
        cur.close()
    st.session_state["review_message"] = ui.tr(done_key, visit_id=visit_id)
    st.rerun()


left, right = st.columns(2)
if left.button(ui.tr("results.review.approve"), type="primary", key="review_approve"):
    act(workflow.approve, "results.review.approved")
reason = right.text_input(ui.tr("results.review.reason"), key="review_reason")
if right.button(ui.tr("results.review.return"), key="review_return"):
    act(workflow.send_back, "results.review.returned", reason)
