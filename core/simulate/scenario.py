"""One what-if: a ratio table evaluated against the campaign's frames, read only.

`load` reads everything a scenario needs once per data version (pages cache it through
ui.query); `evaluate` is then pure numpy over a few thousand groups: inspections per stratum
(the draw's quotas), expected visits after merging (core/simulate/visits.py), each department's
workload against its capacity, expected discoveries with a 95 % interval, visits to firms where
nothing is found (the burden 无事不扰 weighs), coverage by district and item class, and the class
rules. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core import sampling, stats
from core.db import Connection, data_version
from core.simulate import capacity as capacity_module
from core.simulate import discovery, indexes, rules, settings
from core.simulate.frames import FrameStructure, load_frames
from core.simulate.indexes import Indexes
from core.simulate.quotas import plan_ratios, quota
from core.simulate.visits import expected_visits, inclusion
from core.vocab import ITEM_CLASSES, TIERS


@dataclass
class Context:
    """What every scenario of a campaign shares: read once per data version."""

    year: int
    data_version: int
    frames: FrameStructure
    capacity: pd.DataFrame  # dept_code, name, inspectors, cap_per_inspector, capacity
    capacity_source: str
    rates: pd.DataFrame  # tier, inspections, problems, rate, se, lo, hi, fallback
    table: pd.DataFrame  # the default ratio table in force
    overrides: pd.DataFrame  # per-plan overrides in force
    ix: Indexes  # integer indexes over frames and departments
    rate_source: str = "past"  # past: per tier; model: the risk score's propensities
    stratum_rates: np.ndarray | None = None  # (P, 4) discovery rate per stratum
    group_rates: np.ndarray | None = None  # (G,) discovery rate of a group's firms


RATE_SOURCES = ("past", "model")


def load(con: Connection, year: int, rates: str = "past") -> Context:
    """Read the campaign's frames, capacities, discovery rates and ratios in force. `rates`:
    'past' (last year's rate per tier) or 'model' (the risk score's propensities, per stratum;
    'past' when there is no history to fit)."""
    if rates not in RATE_SOURCES:
        raise ValueError(f"rates must be one of {RATE_SOURCES}, not {rates!r}")
    cap, source = capacity_module.department_capacity(con, year)
    model = discovery.score_model(con) if rates == "model" else None
    frames = load_frames(con, year, model)
    tier_rates = discovery.tier_rates(con)
    r_tier = tier_rates.set_index("tier").loc[list(TIERS), "rate"].to_numpy()
    g_tier = frames.groups["tier"].to_numpy()
    if model is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            stratum = np.where(frames.sizes > 0, frames.p_sums / np.maximum(frames.sizes, 1),
                               r_tier[None, :])  # fmt: skip
        group = frames.groups["p_sum"].to_numpy() / frames.groups["n"].to_numpy()
    else:
        stratum = np.broadcast_to(r_tier, frames.sizes.shape).copy()
        group = r_tier[g_tier]
    return Context(
        year=year,
        data_version=data_version(con),
        frames=frames,
        capacity=cap,
        capacity_source=source,
        rates=tier_rates,
        table=sampling.default_ratios(con),
        overrides=sampling.plan_overrides(con),
        ix=indexes.build(frames, cap),
        rate_source="model" if model is not None else "past",
        stratum_rates=stratum,
        group_rates=group,
    )


@dataclass
class Scenario:
    """A table's consequences. Totals in `totals`; breakdowns as DataFrames."""

    table: pd.DataFrame
    strata: pd.DataFrame  # plan_id, item_class, tier, frame_size, ratio_bp, quota, rate,
    # rate_lo, rate_hi (95 % Wilson of the tier's past rate), expected
    totals: dict[str, Any]
    by_class_tier: pd.DataFrame
    workload: pd.DataFrame
    coverage_district: pd.DataFrame
    coverage_class: pd.DataFrame
    rules: pd.DataFrame
    notes: dict[str, Any] = field(default_factory=dict)


def dept_tasks(ctx: Context, quotas: np.ndarray, weighted: bool = False) -> pd.Series:
    """Per department (dept_code index), its plans' drawn targets before merging (once per
    department of the plan); `weighted`: in inspector-visits, each plan's targets times the
    inspectors the department sends when the plan is visited on its own (capacity.plan_need).
    The weighted figure bounds the merged inspector-visits from above and is linear in the
    quotas: what the optimiser constrains."""
    ix = ctx.ix
    per_plan = quotas.sum(axis=1)[ix.pd_plan] * (ix.pd_need if weighted else 1.0)
    values = np.bincount(ix.pd_dept, weights=per_plan, minlength=len(ix.capacity))
    return pd.Series(values, index=ix.depts["dept_code"].to_numpy())


_CT_CLASS = np.repeat(np.array(ITEM_CLASSES), len(TIERS))
_CT_TIER = np.tile(np.array(TIERS), len(ITEM_CLASSES))


def evaluate(ctx: Context, table: pd.DataFrame, overrides: pd.DataFrame | None = None) -> Scenario:
    """Every figure of the scenario `table` (class x tier bp) with `overrides` (None: the
    overrides in force). Numpy over the context's indexes; small DataFrames out."""
    frames, ix = ctx.frames, ctx.ix
    overrides = ctx.overrides if overrides is None else overrides
    table = table.reindex(index=list(ITEM_CLASSES), columns=list(TIERS)).astype("int64")
    ratios = plan_ratios(frames, table, overrides)
    q = quota(frames.sizes, ratios)  # (P, 4)
    model = expected_visits(ix, inclusion(frames.sizes, q))

    rate = ctx.rates.set_index("tier").loc[list(TIERS)]
    se_tier = rate["se"].to_numpy()
    n_tiers = len(TIERS)
    r_pt = ctx.stratum_rates
    found_pt = q * r_pt
    found, sd, lo, hi = stats.binomial_total_interval(
        q.ravel(), r_pt.ravel(), frames.sizes.ravel(),
        rate_se=np.broadcast_to(se_tier, q.shape).ravel(),
        rate_group=np.broadcast_to(np.arange(n_tiers), q.shape).ravel(),
    )  # fmt: skip
    strata = ix.strata_base.copy(deep=False)
    strata["ratio_bp"] = ratios.ravel()
    strata["quota"] = q.ravel()
    strata["rate"] = r_pt.ravel()
    strata["rate_lo"] = np.broadcast_to(rate["lo"].to_numpy(), q.shape).ravel()
    strata["rate_hi"] = np.broadcast_to(rate["hi"].to_numpy(), q.shape).ravel()
    strata["expected"] = found_pt.ravel()

    ct = (ix.plan_class[:, None] * n_tiers + np.arange(n_tiers)[None, :]).ravel()
    n_ct = len(ITEM_CLASSES) * n_tiers
    ct_frame = np.bincount(ct, weights=frames.sizes.ravel(), minlength=n_ct)
    ct_insp = np.bincount(ct, weights=q.ravel(), minlength=n_ct)
    ct_found = np.bincount(ct, weights=found_pt.ravel(), minlength=n_ct)
    by_ct = pd.DataFrame({
        "item_class": _CT_CLASS, "tier": _CT_TIER, "frame_size": ct_frame.astype(np.int64),
        "inspections": ct_insp.astype(np.int64), "discoveries": ct_found,
        "rate": np.where(ct_insp > 0, ct_found / np.maximum(ct_insp, 1), 0.0),
    })  # fmt: skip

    visits_g = ix.g_n * model.visits_per_target
    visits = float(visits_g.sum())
    burden = float((visits_g * (1 - ctx.group_rates)).sum())
    reached_g = ix.g_n * model.reach_per_target

    n_depts = len(ix.capacity)
    per_plan = q.sum(axis=1)[ix.pd_plan]
    tasks = np.bincount(ix.pd_dept, weights=per_plan, minlength=n_depts)
    insp_tasks = np.bincount(ix.pd_dept, weights=per_plan * ix.pd_need, minlength=n_depts)
    iv = model.dept_inspector_visits
    cap = ix.capacity
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(iv == 0, 0.0, np.where(cap > 0, iv / np.maximum(cap, 1), np.inf))
    keep = (tasks > 0) | (cap > 0)
    work = ix.depts.copy(deep=False)
    work["tasks"] = tasks.astype(np.int64)
    work["inspector_tasks"] = insp_tasks.astype(np.int64)
    work["visits"] = model.dept_visits
    work["inspector_visits"] = iv
    work["load"] = load
    work["over"] = iv > cap
    order = np.lexsort((np.arange(n_depts), -load))  # most loaded first, then registry order
    order = order[keep[order]]
    work = work.iloc[order].reset_index(drop=True)

    n_d = len(ix.districts)
    cov_d = ix.districts.copy(deep=False)
    cov_d["reached"] = np.bincount(
        ix.gd_district, weights=ix.gd_n * model.reach_per_target[ix.gd_group], minlength=n_d
    )
    cov_d["share"] = cov_d["reached"] / cov_d["targets"].clip(lower=1)
    c_frame = ct_frame.reshape(len(ITEM_CLASSES), n_tiers).sum(axis=1)
    c_insp = ct_insp.reshape(len(ITEM_CLASSES), n_tiers).sum(axis=1)
    cov_c = pd.DataFrame({
        "item_class": list(ITEM_CLASSES), "frame_size": c_frame.astype(np.int64),
        "inspections": c_insp.astype(np.int64),
        "discoveries": ct_found.reshape(len(ITEM_CLASSES), n_tiers).sum(axis=1),
        "share": c_insp / np.maximum(c_frame, 1),
    })  # fmt: skip

    low = [TIERS.index(t) for t in settings.LOW_RISK_TIERS]
    inspections = int(q.sum())
    checked = rules.check(table, overrides)
    totals = {
        "year": ctx.year,
        "inspections": inspections,
        "targets_reached": float(reached_g.sum()),
        "visits": visits,
        "inspector_visits": float(iv.sum()),
        "discoveries": found,
        "discoveries_sd": sd,
        "discoveries_lo": lo,
        "discoveries_hi": hi,
        "discovery_rate": found / inspections if inspections else 0.0,
        "discovery_rate_lo": lo / inspections if inspections else 0.0,
        "discovery_rate_hi": hi / inspections if inspections else 0.0,
        "burden_visits": burden,
        "low_risk_inspections": int(q[:, low].sum()),
        "departments_over": int((iv > cap).sum()),
        "rules_ok": bool(checked["ok"].all()),
        "unscored": frames.unscored,
        "capacity_source": ctx.capacity_source,
        "rate_source": ctx.rate_source,
    }
    return Scenario(
        table=table, strata=strata, totals=totals, by_class_tier=by_ct, workload=work,
        coverage_district=cov_d, coverage_class=cov_c, rules=checked,
    )  # fmt: skip


def compare(base: Scenario, other: Scenario) -> pd.DataFrame:
    """metric, base, other, delta for the headline totals (the page's side-by-side)."""
    keys = (
        "inspections", "targets_reached", "visits", "inspector_visits", "discoveries",
        "discovery_rate", "burden_visits", "low_risk_inspections", "departments_over",
    )  # fmt: skip
    rows = [
        {"metric": k, "base": base.totals[k], "other": other.totals[k],
         "delta": other.totals[k] - base.totals[k]}
        for k in keys
    ]  # fmt: skip
    return pd.DataFrame(rows)
