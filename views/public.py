"""The public view (no sign-in): published plans, the enterprises drawn and published results,
searchable by enterprise name or USCC."""

import json

import streamlit as st

import ui
from core.publication import public_views, versions
from ui import known_text, links, plan_notice

st.title(ui.tr("public.title"))
st.caption(ui.tr("public.caption"))

years = ui.query(versions.publication_years)
# a link ?plan=<plan_id> opens that plan: its year first, then the plan itself (issue 17.3)
linked_plan = st.query_params.get("plan")
if linked_plan and "public_year" not in st.session_state:
    for y in reversed(years):
        if linked_plan in set(ui.query(public_views.public_plans, y, "")["plan_id"]):
            st.session_state["public_year"] = y
            break
links.seed("year", "public_year", years, int)
year = st.selectbox(ui.tr("pub.year"), years, index=len(years) - 1, key="public_year")
links.keep("year", year)
text = st.text_input(ui.tr("public.search"), key="public_search").strip()


def rename(df, columns: dict[str, str]):
    return df[list(columns)].rename(columns={k: ui.tr(v) for k, v in columns.items()})


if text:
    drawn = ui.query(public_views.search_enterprise, year, text)
    st.subheader(ui.tr("public.drawn_in"))
    if drawn.empty:
        st.info(ui.tr("public.not_drawn"))
    else:
        ui.table(
            rename(drawn, {"enterprise_name": "col.enterprise", "uscc": "col.uscc",
                           "plan_id": "col.plan_id", "plan_name": "col.plan_name"}),
            hide_index=True, width="stretch", key="public_drawn",
        )  # fmt: skip

st.subheader(ui.tr("public.results"))
results = ui.query(public_views.public_results, year, text)
if results.empty:
    st.info(ui.tr("public.no_results"))
else:
    results = results.assign(category=[ui.tr(f"category.{c}") for c in results["category"]])
    if results["simulated"].any():
        st.warning(ui.tr("results.simulated_notice"))
    ui.table(
        rename(results, {"enterprise_name": "col.enterprise", "uscc": "col.uscc",
                         "plans": "col.plans", "departments": "col.departments",
                         "completed_on": "col.completed_on", "item_name": "col.item",
                         "outcome_codes": "col.outcome_codes", "category": "col.category",
                         "simulated": "results.col.simulated", "version": "col.version"}),
        hide_index=True, width="stretch", key="public_results",
    )  # fmt: skip

plan_filter = "" if text else st.text_input(ui.tr("public.search_plans"), key="public_plans_q")
plans = ui.query(public_views.public_plans, year, plan_filter)
if text and not plans.empty:
    drawn_ids = set(ui.query(public_views.search_enterprise, year, text)["plan_id"])
    plans = plans[plans["plan_id"].isin(drawn_ids)]
st.subheader(ui.tr("public.plans", n=ui.fmt_int(len(plans))))
if plans.empty:
    # a search that found nothing is not a year without plans
    st.info(ui.tr("public.no_match" if text or plan_filter else "public.no_plans"))
else:
    shown = plans.assign(
        item_class=[ui.label("item_class", c) for c in plans["item_class"]],
        level=[ui.label("level", v) for v in plans["level"]],
        period=plans["period_start"] + " – " + plans["period_end"],
        published_at=[known_text.local_time(v) for v in plans["published_at"]],
    )
    ui.table(
        rename(shown, {"plan_id": "col.plan_id", "name": "col.plan_name",
                       "item_class": "col.item_class", "level": "col.level",
                       "lead_dept": "col.lead_dept", "period": "col.period",
                       "total_quota": "col.quota", "version": "col.version",
                       "published_at": "col.published_at"}),
        hide_index=True, width="stretch", key="public_plans",
    )  # fmt: skip
    # the id in the label too: different plans can share a name
    names = dict(zip(plans["plan_id"], plans["name"], strict=True))
    links.seed("plan", "public_plan", list(plans["plan_id"]))
    chosen = st.selectbox(ui.tr("public.plan_detail"), list(plans["plan_id"]),
                          format_func=lambda p: f"{p} · {names[p]}", key="public_plan")  # fmt: skip
    links.keep("plan", chosen)
    notices = ui.query(versions.published, versions.PLAN_NOTICE, year)
    plan_notice.render(json.loads(notices.set_index("subject").loc[chosen, "content_json"]))
