"""Publish: put the year's notices out (versioned, audited), download them, and watch the
20-working-day result deadlines by department."""

import streamlit as st

import ui
from core import deadlines
from core.publication import deadlines as result_deadlines
from core.publication import package, results, versions
from core.refusal import Refused
from ui import feedback, known_text

st.title(ui.tr("pub.title"))
st.caption(ui.tr("pub.caption"))

years = ui.query(versions.publication_years)
year = st.selectbox(ui.tr("pub.year"), years, index=len(years) - 1, key="pub_year")

status = ui.query(versions.publication_status, year)
cols = st.columns(5)
cols[0].metric(ui.tr("pub.plans"), ui.fmt_int(status["plans"]))
cols[1].metric(ui.tr("pub.plan_notices"), ui.fmt_int(status["plan_notices"]))
cols[2].metric(ui.tr("pub.versions"), ui.fmt_int(status["plan_notice_versions"]),
               help=ui.tr("pub.versions_help"))  # fmt: skip
cols[3].metric(ui.tr("pub.drawn"), ui.fmt_int(status["drawn_plans"]))
cols[4].metric(ui.tr("pub.results"), ui.fmt_int(status["result_notices"]))

with st.form("pub_form"):
    reason = st.text_input(ui.tr("pub.reason"), key="pub_reason")
    if st.form_submit_button(ui.tr("pub.publish"), type="primary"):
        cur = ui.cursor()
        try:
            with feedback.working(ui.tr("pub.publish")) as step:
                step("pub.step.notices")
                st.session_state["pub_done"] = versions.publish_year(
                    cur, year, ui.actor(), reason.strip() or None
                )
        except Refused as e:
            st.session_state["pub_refused"] = e.message(ui.lang())
        finally:
            cur.close()
        st.rerun()
refused = st.session_state.pop("pub_refused", None)
if refused:
    st.error(ui.tr("pub.publish_refused"))
    st.text(refused)
done = st.session_state.pop("pub_done", None)
if done is not None:
    st.success(ui.tr("pub.published", new=len(done.new), corrections=done.corrections,
                     unchanged=done.unchanged))  # fmt: skip

st.subheader(ui.tr("pub.downloads"))
files = ui.query(package.plan_notice_files, year)
if not files:
    st.info(ui.tr("pub.nothing_published"))
else:
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        ui.tr("pub.download_csv"),
        files["csv"],
        file_name=f"plan_notices_{year}.csv",
        mime="text/csv",
        key="dl_csv",
    )
    c2.download_button(
        ui.tr("pub.download_xlsx"),
        files["xlsx"],
        file_name=f"plan_notices_{year}.xlsx",
        key="dl_xlsx",
    )
    c3.download_button(ui.tr("pub.download_json"), files["json"],
                       file_name=f"plan_notices_{year}.json", mime="application/json",
                       key="dl_json")  # fmt: skip
st.subheader(ui.tr("pub.package"))
st.caption(ui.tr("pub.package_help"))
with_auditor = ui.can("publish.auditor_package")
if st.button(ui.tr("pub.prepare"), key="pub_prepare"):
    cur = ui.cursor()
    try:
        with feedback.working(ui.tr("pub.preparing")) as step:
            step("pub.step.build")
            st.session_state["pub_zips"] = (year, package.package_zips(cur, year, with_auditor))
    except Refused as e:
        st.session_state["pub_zips"] = (year, e.message(ui.lang()))
    finally:
        cur.close()
zips = st.session_state.get("pub_zips")
if zips and zips[0] == year:
    if isinstance(zips[1], str):
        st.error(ui.tr("pub.package_refused"))
        st.text(zips[1])
    else:
        st.download_button(ui.tr("pub.download_package"), zips[1]["public"],
                           file_name=f"suicha-publication-{year}.zip", mime="application/zip",
                           key="dl_package")  # fmt: skip
        if "auditor" in zips[1]:
            st.download_button(ui.tr("pub.download_auditor"), zips[1]["auditor"],
                               file_name=f"suicha-auditor-{year}.zip", mime="application/zip",
                               key="dl_auditor")  # fmt: skip
st.caption(ui.tr("pub.cli_hint", year=year))

history = ui.query(versions.version_history, year)
if not history.empty:
    st.subheader(ui.tr("pub.history", n=ui.fmt_int(len(history))))
    ui.table(
        history.assign(published_at=[known_text.local_time(v) for v in history["published_at"]])
        .rename(columns={"publication_id": ui.tr("pub.col.publication"),
                                "subject": ui.tr("col.plan_id"), "version": ui.tr("col.version"),
                                "supersedes": ui.tr("pub.col.supersedes"),
                                "reason": ui.tr("pub.col.reason"),
                                "published_at": ui.tr("col.published_at")}).drop(columns="kind"),
        hide_index=True, width="stretch", key="pub_history",
    )  # fmt: skip

st.subheader(ui.tr("pub.deadlines"))
today = deadlines.today()
st.caption(ui.tr("pub.today", day=today.isoformat()))
if not ui.query(results.results_available):
    st.info(ui.tr("pub.no_results"))
else:
    by_dept = ui.query(result_deadlines.deadlines_by_department, year, today)
    if by_dept.empty:
        st.info(ui.tr("pub.no_completed"))
    else:
        ui.table(
            by_dept.rename(columns={"dept_code": ui.tr("col.dept_code"),
                                    "dept_name": ui.tr("col.dept"),
                                    **{s: ui.tr(f"deadline.{s}")
                                       for s in result_deadlines.DEADLINE_STATUSES}}),
            hide_index=True, width="stretch", key="pub_by_dept",
        )  # fmt: skip
        visits = ui.query(result_deadlines.visit_deadlines, year, today)
        names = {"dept_name": "col.dept", "visit_id": "col.visit",
                 "enterprise_name": "col.enterprise", "uscc": "col.uscc",
                 "completed_on": "col.completed_on", "due_on": "col.due_on",
                 "working_days_left": "col.days_left",
                 "simulated": "results.col.simulated"}  # fmt: skip
        if visits["simulated"].any():
            st.warning(ui.tr("results.simulated_notice"))
        for status_key, title in (("overdue", "pub.overdue_list"),
                                  ("due_soon", "pub.due_soon_list")):  # fmt: skip
            st.markdown(f"**{ui.tr(title)}**")
            rows = visits[visits["status"] == status_key]
            if rows.empty:
                st.caption(ui.tr("pub.none"))
            else:
                ui.table(rows[list(names)].rename(columns={k: ui.tr(v)
                                                               for k, v in names.items()}),
                             hide_index=True, width="stretch", key=f"pub_{status_key}")  # fmt: skip
