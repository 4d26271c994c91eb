"""Credit-risk tiers: where they fall, why one target sits in its tier, the weights behind them
(editable by policy staff) and whether they predict last year's findings. One view at a time:
each is a query over 6.43 M targets, so only the chosen one runs."""

import pandas as pd
import streamlit as st

import ui
from core import i18n, risk, risk_calibration
from core.refusal import Refused
from core.writes import unit_of_work
from ui import feedback, risk_charts

WEIGHTS_KEY = "risk_weights_editor"
CUTOFFS_KEY = "risk_cutoffs_editor"

st.title(ui.tr("risk.title"))
st.caption(ui.tr("risk.caption"))

if not ui.query(risk.is_scored):  # a directory built before tiers existed: score it once
    with ui.build_lock():
        cur = ui.cursor()
        try:
            risk.ensure_scored(cur, ui.actor())
        finally:
            cur.close()

tier_names = {t: ui.tr(f"risk.tier.{t}") for t in risk.TIERS}
counts = ui.query(risk.tier_counts)
cutoffs = ui.query(risk.thresholds)
total = sum(counts.values()) or 1
rules = {
    "A": f"< {cutoffs['B']:.2f}",
    "B": f"{cutoffs['B']:.2f} – {cutoffs['C']:.2f}",
    "C": f"{cutoffs['C']:.2f} – {cutoffs['D']:.2f}",
    "D": f"≥ {cutoffs['D']:.2f}",
}
for col, t in zip(st.columns(4), risk.TIERS, strict=True):
    col.metric(
        tier_names[t],
        ui.fmt_int(counts[t]),
        help=ui.tr("risk.tier_help", share=f"{counts[t] / total:.1%}", rule=rules[t]),
    )


def labels(prefix: str):
    """format_func for a choice widget: the language is fixed when the widget is drawn, since
    the function may be called later, outside this script run."""
    lang = ui.lang()
    return lambda v: i18n.t(f"{prefix}.{v}", lang)


views = ["distribution", "lookup", "weights", "calibration"]
view = st.radio(
    ui.tr("risk.view"),
    views,
    format_func=labels("risk.view"),
    horizontal=True,
    key="risk_view",
    label_visibility="collapsed",
)


def factor_name(key: str) -> str:
    return ui.tr(f"risk.factor.{key}")


def show_distribution() -> None:
    by = st.radio(
        ui.tr("risk.by"),
        ["district", "street", "industry"],
        format_func=labels("risk.by"),
        horizontal=True,
        key="risk_by",
    )
    df = ui.query(risk.tier_distribution, by)
    height = max(360, 22 * df["grp"].nunique() + 80)
    axis = {"x": ui.tr("risk.count"), "y": ui.tr(f"risk.by.{by}")}
    st.plotly_chart(risk_charts.tier_stack(df, tier_names, axis, height), key=f"risk_tiers_by_{by}")


def show_lookup() -> None:
    text = st.text_input(ui.tr("risk.lookup_prompt"), key="risk_lookup")
    if not text.strip():
        return
    found = ui.query(risk.find_targets, text.strip())
    if found.empty:
        st.info(ui.tr("risk.lookup_none"))
        return
    uscc = st.selectbox(
        ui.tr("risk.lookup_pick"),
        list(found["uscc"]),
        format_func=lambda c: f"{c} · {found.set_index('uscc').at[c, 'name']}",
        key="risk_lookup_pick",
    )
    info = ui.query(risk.explain, uscc)
    st.subheader(f"{info['name']} · {info['uscc']}")
    cols = st.columns([1, 1, 2])
    cols[0].metric(ui.tr("risk.tier"), tier_names[info["tier"]])
    cols[1].metric(ui.tr("risk.score"), f"{info['score']:.3f}")
    top = ui.tr("risk.list_sep").join(factor_name(k) for k in info["top_factors"]) or "—"
    cols[2].markdown(f"{ui.tr('risk.top_factors')}  \n**{top}**")
    df = info["factors"]
    df = df[(df["value"] != 0) & (df["weight"] != 0)]
    ui.table(
        pd.DataFrame(
            {
                ui.tr("risk.factor"): [factor_name(k) for k in df["factor"]],
                ui.tr("risk.factor_group"): [ui.tr(f"risk.group.{g}") for g in df["group"]],
                ui.tr("risk.value"): df["value"].round(3),
                ui.tr("risk.weight"): df["weight"],
                ui.tr("risk.contribution"): df["contribution"].round(3),
            }
        ),
        hide_index=True,
        key="risk_explain",
    )


def proposed(shown: pd.DataFrame, key: str, column: str, by: str, current: dict) -> dict:
    """Values that differ from `current` once the edits of data_editor `key` (its
    edited_rows) are applied to the frame it was drawn from, keyed by column `by`."""
    edits = st.session_state.get(key, {}).get("edited_rows", {})
    out = {}
    for i in range(len(shown)):
        value = edits.get(i, edits.get(str(i), {})).get(column, shown.iloc[i][column])
        name = shown.iloc[i][by]
        if value is not None and pd.notna(value) and float(value) != float(current[name]):
            out[name] = float(value)
    return out


def save_settings(new_w: dict, new_c: dict, keys: tuple[str, ...]) -> None:
    """Save the edits, rescore every target and recalibrate in one write, under a status box
    (minutes at full scale); then a rerun with clean editors shows the outcome."""
    cur = ui.cursor()
    try:
        with feedback.working(ui.tr("risk.saving")) as step:
            with unit_of_work(cur, ui.actor(), "risk.save", {"recalibrate": True}):
                step("risk.step.rescore")
                risk.save(cur, new_w, new_c, actor=ui.actor())  # joins this unit
                step("risk.step.calibrate")
                risk_calibration.refresh(cur, actor=ui.actor())  # so does the recalibration
    except Refused as e:
        st.error(e.message(ui.lang()))
        return
    finally:
        cur.close()
    feedback.keep("risk", ui.tr("risk.saved", version=ui.data_version()))
    for key in (*keys, "risk_preview"):
        st.session_state.pop(key, None)  # the editors start from the saved values
    st.rerun()


def show_weights() -> None:
    st.caption(ui.tr("risk.weights_intro"))
    editable = ui.can("risk.edit")
    if not editable:
        st.info(ui.tr("risk.read_only"))
    feedback.show("risk")  # the outcome of a save, after its rerun
    base_w = ui.query(risk.weights_table)
    shown = pd.DataFrame(
        {
            "factor": base_w["factor"],
            "name": [factor_name(k) for k in base_w["factor"]],
            "group": [ui.tr(f"risk.group.{g}") for g in base_w["group"]],
            "weight": base_w["weight"],
            "default_weight": base_w["default_weight"],
            "fitted_weight": base_w["fitted_weight"].round(2),
        }
    )
    current_w = dict(zip(base_w["factor"], base_w["weight"], strict=True))
    weights_key = WEIGHTS_KEY
    if editable and base_w["fitted_weight"].notna().all():
        if st.toggle(ui.tr("risk.use_fitted"), key="risk_use_fitted"):
            shown["weight"] = shown["fitted_weight"]
            weights_key = WEIGHTS_KEY + "_fitted"  # its own edits: the starting values differ
    left, right = st.columns([5, 2])
    with left:
        st.data_editor(
            shown,
            key=weights_key,
            hide_index=True,
            placeholder=ui.MISSING,
            disabled=not editable or ["factor", "name", "group", "default_weight", "fitted_weight"],
            column_order=["name", "group", "weight", "default_weight", "fitted_weight"],
            column_config={
                "name": ui.tr("risk.factor"),
                "group": ui.tr("risk.factor_group"),
                "weight": st.column_config.NumberColumn(
                    ui.tr("risk.weight"), min_value=-10.0, max_value=10.0, step=0.05
                ),
                "default_weight": ui.tr("risk.default_weight"),
                "fitted_weight": ui.tr("risk.fitted_weight"),
            },
            height=35 * (len(shown) + 1) + 3,
        )
    base_c = pd.DataFrame({"tier": ["B", "C", "D"], "min_score": [cutoffs[t] for t in "BCD"]})
    with right:
        st.markdown(f"**{ui.tr('risk.thresholds')}**")
        st.data_editor(
            base_c.assign(name=[tier_names[t] for t in base_c["tier"]]),
            key=CUTOFFS_KEY,
            hide_index=True,
            placeholder=ui.MISSING,
            disabled=not editable or ["tier", "name"],
            column_order=["name", "min_score"],
            column_config={
                "name": ui.tr("risk.tier"),
                "min_score": st.column_config.NumberColumn(ui.tr("risk.min_score"), format="%.3f"),
            },
        )
    if not editable:
        return
    new_w = proposed(shown, weights_key, "weight", "factor", current_w)
    new_c = proposed(base_c, CUTOFFS_KEY, "min_score", "tier", cutoffs)
    b1, b2 = st.columns(2)
    if b1.button(ui.tr("risk.preview"), key="risk_preview_button"):
        if not new_w and not new_c:
            st.info(ui.tr("risk.no_edits"))
        else:
            problems = risk.validate({**ui.query(risk.weights), **new_w}, {**cutoffs, **new_c})
            if problems:
                st.error(risk.InvalidSettings(problems).message(ui.lang()))
            else:
                moves = ui.query(risk.preview, new_w, new_c)
                st.session_state["risk_preview"] = (new_w, new_c, moves)
    if "risk_preview" in st.session_state:
        w_p, c_p, moves = st.session_state["risk_preview"]
        if (w_p, c_p) == (new_w, new_c):
            st.info(ui.tr("risk.preview_result", n=ui.fmt_int(risk.changed_count(moves))))
            table = moves.pivot_table(
                index="tier_now", columns="tier_new", values="n", fill_value=0, aggfunc="sum"
            )
            now, new = ui.tr("risk.tier_now"), ui.tr("risk.tier_new")
            table.index = [f"{now}: {tier_names[t]}" for t in table.index]
            table.columns = [f"{new}: {tier_names[t]}" for t in table.columns]
            table = table.map(ui.fmt_int)
            ui.table(table, key="risk_preview_table")
    if b2.button(
        ui.tr("risk.save"), key="risk_save", type="primary", disabled=not new_w and not new_c
    ):
        save_settings(new_w, new_c, (weights_key, CUTOFFS_KEY))


def show_calibration() -> None:
    report = ui.query(risk_calibration.latest)
    if ui.can("risk.edit") and st.button(ui.tr("risk.recalibrate"), key="risk_recalibrate"):
        cur = ui.cursor()
        try:
            with feedback.working(ui.tr("risk.recalibrating")) as step:
                step("risk.step.calibrate")
                risk_calibration.refresh(cur, actor=ui.actor())
        except Refused as e:
            st.error(e.message(ui.lang()))
        finally:
            cur.close()
        report = ui.query(risk_calibration.latest)
    if report is None:
        st.info(ui.tr("risk.calibration_none"))
        return
    fitted = report["fitted"]
    st.caption(
        ui.tr(
            "risk.calibration_intro",
            n=ui.fmt_int(report["inspections"]),
            problems=ui.fmt_int(report["problems"]),
            rate=f"{report['discovery_rate']:.2%}",
            holdout=ui.fmt_int(fitted["holdout"]),
            at=report["computed_at"][:16].replace("T", " "),
        )
    )
    cols = st.columns(3)
    cols[0].metric(
        ui.tr("risk.auc_current"),
        f"{report['auc_current']:.3f}",
        help=ui.tr("risk.auc_current_help"),
    )
    cols[1].metric(
        ui.tr("risk.auc_fitted"),
        f"{fitted['auc_holdout']:.3f}",
        help=ui.tr("risk.auc_fitted_help", shuffled=f"{fitted['auc_shuffled_mean']:.3f}"),
    )
    lift = report["lift_d_over_a"]
    cols[2].metric(
        ui.tr("risk.lift"), "—" if lift is None else f"{lift:.1f}×", help=ui.tr("risk.lift_help")
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ui.tr('risk.rate_by_tier')}**")
        st.plotly_chart(
            risk_charts.rate_by_tier(report["by_tier"], tier_names, ui.tr("risk.discovery_rate")),
            key="risk_rate_by_tier",
        )
    with right:
        st.markdown(f"**{ui.tr('risk.curve')}**")
        names = {k: ui.tr(f"risk.{k}") for k in ("perfect", "observed", "predicted")}
        st.plotly_chart(
            risk_charts.calibration_curve(fitted["curve"], names), key="risk_calibration_curve"
        )


{
    "distribution": show_distribution,
    "lookup": show_lookup,
    "weights": show_weights,
    "calibration": show_calibration,
}[view]()
