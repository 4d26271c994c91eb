"""Ratio simulator for policy staff: move the class x tier ratios and see, before anything is
drawn or saved, what they mean (inspections, visits, workload against capacity, problems
expected, visits finding nothing, coverage, class rules); ask the optimiser; save a proposal for
the Sampling page to adopt. Only "save as proposal" writes."""

import numpy as np
import pandas as pd
import streamlit as st

import ui
from core import sampling_report
from core.refusal import Refused
from core.simulate import optimise, proposals, scenario, settings
from core.vocab import ITEM_CLASSES, TIERS
from ui import simulate_charts

KEY = "sim_{}_{}"  # one slider per item class x risk tier
OPTIMUM = "sim_optimum"
NOTE = "sim_note"
TOP_DEPARTMENTS = 15

st.title(ui.tr("simulate.title"))
st.caption(ui.tr("simulate.caption"))
if note := st.session_state.pop(NOTE, None):
    st.success(note)

years = ui.query(sampling_report.campaign_years)
if not years:
    st.info(ui.tr("app.no_pages"))
    st.stop()
top_left, top_right = st.columns([1, 2])
year = top_left.selectbox(ui.tr("simulate.year"), years, key="sim_year")
source_labels = {x: ui.tr(f"simulate.rates.{x}") for x in scenario.RATE_SOURCES}
source = top_right.radio(
    ui.tr("simulate.rates"),
    list(source_labels),
    format_func=source_labels.get,
    horizontal=True,
    key="sim_rates",
)
with st.spinner(ui.tr("simulate.loading")):
    ctx = ui.query(scenario.load, year, source)
editable = ui.can("simulate.use")
if ctx.frames.unscored:
    st.warning(ui.tr("simulate.unscored", n=ui.fmt_int(ctx.frames.unscored)))


def set_table(table: pd.DataFrame) -> None:
    for c in ITEM_CLASSES:
        for t in TIERS:
            st.session_state[KEY.format(c, t)] = int(table.loc[c, t])


def current_table() -> pd.DataFrame:
    return pd.DataFrame(
        [[int(st.session_state[KEY.format(c, t)]) for t in TIERS] for c in ITEM_CLASSES],
        index=list(ITEM_CLASSES),
        columns=list(TIERS),
    )


if any(KEY.format(c, t) not in st.session_state for c in ITEM_CLASSES for t in TIERS):
    set_table(ctx.table)


@st.fragment
def simulator(ctx: scenario.Context, year: int, source: str, editable: bool) -> None:
    """Everything a slider move changes: a fragment, so a move reruns only this part (not the
    sidebar, the year and source pickers, or the cached context's fetch)."""
    # --- the two tables ---------------------------------------------------------------------------
    left, right = st.columns([2, 3])
    with left:
        st.subheader(ui.tr("simulate.in_force"))
        shown = ctx.table.copy()
        shown.index = [ui.label("item_class", c) for c in shown.index]
        shown.columns = [f"{t}级" for t in shown.columns]
        ui.table(shown)
        st.button(
            ui.tr("simulate.reset"),
            on_click=set_table,
            args=(ctx.table,),
            key="sim_reset",
            disabled=not editable,
        )
    with right:
        st.subheader(ui.tr("simulate.proposed"))
        st.caption(ui.tr("simulate.sliders_help") if editable else ui.tr("simulate.read_only"))
        for c in ITEM_CLASSES:
            cols = st.columns(len(TIERS))
            for col, t in zip(cols, TIERS, strict=True):
                col.slider(
                    f"{ui.label('item_class', c)} · {ui.label('sampling.tier', t)}",
                    min_value=1,
                    max_value=10_000,
                    step=1,
                    key=KEY.format(c, t),
                    disabled=not editable,
                )

    proposed = current_table()
    cached = st.session_state.get("sim_base")  # the table in force changes only with the data
    if cached is None or cached[0] != (year, ctx.data_version, source):
        cached = ((year, ctx.data_version, source), scenario.evaluate(ctx, ctx.table))
        st.session_state["sim_base"] = cached
    base = cached[1]
    other = scenario.evaluate(ctx, proposed)

    # --- side by side -----------------------------------------------------------------------------
    st.subheader(ui.tr("simulate.compare"))
    inverse = {"burden_visits", "departments_over", "low_risk_inspections", "inspector_visits"}
    headline = (
        "inspections",
        "visits",
        "discoveries",
        "discovery_rate",
        "burden_visits",
        "departments_over",
    )

    def shown_value(metric: str, value: float) -> str:
        return f"{100 * value:.1f}%" if metric == "discovery_rate" else f"{value:,.0f}"

    def shown_delta(metric: str, value: float) -> str:
        return f"{100 * value:+.1f}%" if metric == "discovery_rate" else f"{value:+,.0f}"

    diff = scenario.compare(base, other)
    cols = st.columns(len(headline))
    for col, metric in zip(cols, headline, strict=True):
        row = diff.set_index("metric").loc[metric]
        col.metric(
            ui.tr(f"simulate.metric.{metric}"),
            shown_value(metric, row["other"]),
            delta=shown_delta(metric, row["delta"]) if abs(row["delta"]) > 1e-9 else None,
            delta_color="inverse" if metric in inverse else "normal",
        )
    t = other.totals
    st.caption(
        ui.tr(
            "simulate.interval", lo=f"{t['discoveries_lo']:,.0f}", hi=f"{t['discoveries_hi']:,.0f}"
        )
    )
    table = pd.DataFrame(
        {
            ui.tr("simulate.col.metric"): [ui.tr(f"simulate.metric.{m}") for m in diff["metric"]],
            ui.tr("simulate.in_force"): [
                shown_value(m, v) for m, v in zip(diff["metric"], diff["base"], strict=True)
            ],
            ui.tr("simulate.proposed"): [
                shown_value(m, v) for m, v in zip(diff["metric"], diff["other"], strict=True)
            ],
            ui.tr("simulate.col.delta"): [
                shown_delta(m, v) for m, v in zip(diff["metric"], diff["delta"], strict=True)
            ],
        }
    )
    ui.table(table, hide_index=True, key="sim_compare")
    broken = other.rules[~other.rules["ok"]]
    if broken.empty:
        st.success(ui.tr("simulate.rules_ok"))
    for r in broken.itertuples(index=False):
        st.error(
            ui.tr(
                "simulate.rule_broken",
                scope=ui.tr("simulate.scope.default") if r.scope == "default" else r.scope,
                cls=ui.label("item_class", r.item_class),
                rule=ui.tr(f"sampling.rule.{r.rule}"),
            )
        )
    st.caption(ui.tr("simulate.model_note"))

    # --- workload against capacity ----------------------------------------------------------------
    work = base.workload[["dept_code", "name", "inspector_visits", "capacity"]].merge(
        other.workload[["dept_code", "inspector_visits"]], on="dept_code", suffixes=("_b", "_o")
    )
    work = work[work["capacity"] > 0]
    for col in ("b", "o"):
        work[f"pct_{col}"] = 100 * work[f"inspector_visits_{col}"] / work["capacity"]
    work["top"] = np.maximum(work["pct_b"], work["pct_o"])
    work = work.sort_values("top", ascending=False).head(TOP_DEPARTMENTS)
    fig = simulate_charts.workload(
        pd.DataFrame(
            {
                "department": work["name"],
                "base": work["pct_b"],
                "other": work["pct_o"],
                "base_n": work["inspector_visits_b"],
                "other_n": work["inspector_visits_o"],
                "capacity": work["capacity"],
            }
        ),
        (ui.tr("simulate.in_force"), ui.tr("simulate.proposed")),
        ui.tr("simulate.capacity"),
        ui.tr("simulate.load_axis"),
    )
    ui.chart(ui.tr("simulate.workload"), fig, key="sim_workload")
    source = ctx.capacity_source
    st.caption(ui.tr(f"simulate.capacity_source.{source}", cap=settings.DEFAULT_CAP_PER_INSPECTOR))

    # --- problems found against burden ------------------------------------------------------------
    points = [(ui.tr("simulate.in_force"), base.totals), (ui.tr("simulate.proposed"), other.totals)]
    found = st.session_state.get(OPTIMUM)
    if found and found.get("key") != (year, ctx.data_version, source):
        found = st.session_state.pop(OPTIMUM)  # computed on other data: gone
        found = None
    if found and found.get("feasible"):
        points.append((ui.tr("simulate.optimiser"), found["totals"]))
    fig = simulate_charts.discoveries_vs_burden(
        pd.DataFrame(
            [
                {
                    "scenario": name,
                    "burden": s["burden_visits"],
                    "discoveries": s["discoveries"],
                    "lo": s["discoveries_lo"],
                    "hi": s["discoveries_hi"],
                }
                for name, s in points
            ]
        ),
        ui.tr("simulate.metric.burden_visits"),
        ui.tr("simulate.metric.discoveries"),
    )
    ui.chart(ui.tr("simulate.discoveries_vs_burden"), fig, key="sim_discoveries")

    # --- breakdowns -------------------------------------------------------------------------------
    st.subheader(ui.tr("simulate.by_class_tier"))
    ct = other.by_class_tier.merge(
        base.by_class_tier[["item_class", "tier", "inspections"]],
        on=["item_class", "tier"],
        suffixes=("", "_base"),
    )
    ui.table(
        pd.DataFrame(
            {
                ui.tr("simulate.col.item_class"): [
                    ui.label("item_class", c) for c in ct["item_class"]
                ],
                ui.tr("simulate.col.tier"): [ui.label("sampling.tier", x) for x in ct["tier"]],
                ui.tr("simulate.col.frame_size"): ct["frame_size"],
                f"{ui.tr('simulate.col.inspections')} · {ui.tr('simulate.in_force')}": ct[
                    "inspections_base"
                ],
                f"{ui.tr('simulate.col.inspections')} · {ui.tr('simulate.proposed')}": ct[
                    "inspections"
                ],
                ui.tr("simulate.col.discoveries"): ct["discoveries"].round(1),
                ui.tr("simulate.col.rate"): (100 * ct["rate"]).round(1),
            }
        ),
        hide_index=True,
        key="sim_class_tier",
    )
    left, right = st.columns(2)
    with left:
        st.subheader(ui.tr("simulate.coverage_district"))
        cd = other.coverage_district
        ui.table(
            pd.DataFrame(
                {
                    ui.tr("simulate.col.district"): cd["district"],
                    ui.tr("simulate.col.targets"): cd["targets"],
                    ui.tr("simulate.col.reached"): cd["reached"].round(0),
                    ui.tr("simulate.col.share"): (100 * cd["share"]).round(2),
                }
            ),
            hide_index=True,
            key="sim_district",
        )
    with right:
        st.subheader(ui.tr("simulate.coverage_class"))
        cc = other.coverage_class
        ui.table(
            pd.DataFrame(
                {
                    ui.tr("simulate.col.item_class"): [
                        ui.label("item_class", c) for c in cc["item_class"]
                    ],
                    ui.tr("simulate.col.frame_size"): cc["frame_size"],
                    ui.tr("simulate.col.inspections"): cc["inspections"],
                    ui.tr("simulate.col.discoveries"): cc["discoveries"].round(1),
                    ui.tr("simulate.col.share"): (100 * cc["share"]).round(2),
                }
            ),
            hide_index=True,
            key="sim_class",
        )

    # --- the optimiser ----------------------------------------------------------------------------
    st.subheader(ui.tr("simulate.optimiser"))
    st.caption(ui.tr("simulate.optimiser_help"))
    names = dict(zip(ctx.capacity["dept_code"], ctx.capacity["name"], strict=True))

    def constraint_label(name: str) -> str:
        kind, _, rest = name.partition(":")
        if kind == "capacity":
            return ui.tr("simulate.c.capacity", name=names.get(rest, rest))
        if kind == "min_ratio":
            return ui.tr("simulate.c.min_ratio", tier=ui.label("sampling.tier", rest))
        if kind == "tiers_rise":
            cls, pair = rest.split(":")
            return ui.tr(
                "simulate.c.tiers_rise",
                cls=ui.label("item_class", cls),
                lo=ui.label("sampling.tier", pair[0]),
                hi=ui.label("sampling.tier", pair[1]),
            )
        return ui.tr(f"simulate.c.{name}")

    a, b, c, d, e = st.columns(5)
    floor = a.number_input(
        ui.tr("simulate.min_ratio"),
        min_value=1,
        max_value=10_000,
        value=settings.DEFAULT_MIN_RATIO_BP,
        step=1,
        key="sim_floor",
    )
    use_capacity = b.checkbox(ui.tr("simulate.use_capacity"), value=True, key="sim_use_capacity")
    keep = c.checkbox(ui.tr("simulate.keep_inspections"), value=False, key="sim_keep")
    low_cap = d.number_input(
        ui.tr("simulate.low_risk_cap"), min_value=0, value=0, step=100, key="sim_low_cap"
    )
    strict = e.checkbox(ui.tr("simulate.strict_capacity"), value=False, key="sim_strict")
    if st.button(ui.tr("simulate.run_optimiser"), key="sim_run_optimiser"):
        req = optimise.Request(
            min_ratio_bp={x: int(floor) for x in TIERS},
            capacity=use_capacity,
            strict_capacity=strict,
            low_risk_cap=int(low_cap) or None,
            max_inspections=base.totals["inspections"] if keep else None,
        )
        with st.status(ui.tr("simulate.optimising")) as status:
            result = optimise.optimise(ctx, req)
            status.update(state="complete" if result.feasible else "error")
        st.session_state[OPTIMUM] = {
            "feasible": result.feasible,
            "objective": result.objective,
            "bound": result.upper_bound,
            "binding": result.binding,
            "conflict": result.conflict,
            "table": result.table.T.to_dict() if result.table is not None else None,
            "unreachable": result.unreachable,
            "key": (year, ctx.data_version, source),
            "totals": scenario.evaluate(ctx, result.table).totals if result.feasible else None,
        }
        st.rerun()  # draw the proposal's point in the chart above
    found = st.session_state.get(OPTIMUM)
    if found:
        if found.get("unreachable"):
            st.warning(
                ui.tr(
                    "simulate.unreachable",
                    names="; ".join(names.get(x, x) for x in found["unreachable"]),
                )
            )
        if found["feasible"]:
            table = pd.DataFrame(found["table"]).T.loc[list(ITEM_CLASSES), list(TIERS)]
            shown = table.copy()
            shown.index = [ui.label("item_class", x) for x in shown.index]
            shown.columns = [ui.label("sampling.tier", x) for x in shown.columns]
            ui.table(shown, key="sim_optimum_table")
            st.text(
                ui.tr(
                    "simulate.optimum",
                    value=f"{found['objective']:,.0f}",
                    bound=f"{found['bound']:,.0f}",
                )
            )
            st.text(
                ui.tr(
                    "simulate.binding",
                    names="; ".join(constraint_label(n) for n in found["binding"]) or "—",
                )
            )
            st.button(
                ui.tr("simulate.load_optimum"),
                on_click=set_table,
                args=(table,),
                key="sim_load_optimum",
                disabled=not editable,
            )
        else:
            st.error(
                ui.tr(
                    "simulate.infeasible",
                    names="; ".join(constraint_label(n) for n in found["conflict"]),
                )
            )

    # --- proposals --------------------------------------------------------------------------------
    st.subheader(ui.tr("simulate.proposals"))
    saved = ui.query(proposals.list_proposals, year)
    if saved.empty:
        st.caption(ui.tr("simulate.no_proposals"))
    else:
        ui.table(
            pd.DataFrame(
                {
                    ui.tr("simulate.col.proposal"): saved["proposal_id"],
                    ui.tr("simulate.proposal_name"): saved["name"],
                    ui.tr("simulate.col.author"): saved["author"],
                    ui.tr("simulate.col.created_at"): saved["created_at"],
                    ui.tr("simulate.col.source"): [
                        ui.tr(f"simulate.source.{x}") for x in saved["source"]
                    ],
                    ui.tr("simulate.adopted"): saved["adopted_at"].fillna(""),
                }
            ),
            hide_index=True,
            key="sim_proposals",
        )

        def load_proposal(proposal_id: str) -> None:
            cur = ui.cursor()
            try:
                set_table(proposals.proposal_table(cur, proposal_id))
            finally:
                cur.close()

        pick = st.selectbox(
            ui.tr("simulate.load_proposal"), list(saved["proposal_id"]), key="sim_pick"
        )
        st.button(
            ui.tr("simulate.load_proposal"),
            on_click=load_proposal,
            args=(pick,),
            key="sim_load_proposal",
            disabled=not editable,
        )
    if editable:
        name = st.text_input(ui.tr("simulate.proposal_name"), key="sim_name", max_chars=100)
        if st.button(ui.tr("simulate.save"), key="sim_save"):
            optimum = st.session_state.get(OPTIMUM) or {}
            from_optimiser = bool(optimum.get("feasible")) and (
                pd.DataFrame(optimum["table"])
                .T.loc[list(ITEM_CLASSES), list(TIERS)]
                .astype("int64")
                .equals(proposed)
            )
            figures = {
                k: other.totals[k]
                for k in (
                    "inspections",
                    "visits",
                    "discoveries",
                    "discoveries_lo",
                    "discoveries_hi",
                    "burden_visits",
                    "departments_over",
                )
            }
            cur = ui.cursor()
            try:
                pid = proposals.save_proposal(
                    cur,
                    ui.actor(),
                    year,
                    name,
                    proposed,
                    summary=figures,
                    source="optimiser" if from_optimiser else "manual",
                )
            except Refused as e:
                st.error(e.message(ui.lang()))
            else:
                st.session_state[NOTE] = ui.tr("simulate.saved", id=pid)
                st.toast(ui.tr("simulate.saved", id=pid))
                st.rerun()
            finally:
                cur.close()


simulator(ctx, year, source, editable)
