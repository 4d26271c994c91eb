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
from core.simulate import discovery, rules, settings
from core.simulate.capacity import plan_need
from core.simulate.frames import FrameStructure, load_frames
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


def load(con: Connection, year: int) -> Context:
    """Read the campaign's frames, capacities, past discovery rates and ratios in force."""
    cap, source = capacity_module.department_capacity(con, year)
    return Context(
        year=year,
        data_version=data_version(con),
        frames=load_frames(con, year),
        capacity=cap,
        capacity_source=source,
        rates=discovery.tier_rates(con),
        table=sampling.default_ratios(con),
        overrides=sampling.plan_overrides(con),
    )


@dataclass
class Scenario:
    """A table's consequences. Totals in `totals`; breakdowns as DataFrames."""

    table: pd.DataFrame
    strata: pd.DataFrame  # plan_id, item_class, tier, ratio_bp, frame_size, quota, rate, expected
    totals: dict[str, Any]
    by_class_tier: pd.DataFrame
    workload: pd.DataFrame
    coverage_district: pd.DataFrame
    coverage_class: pd.DataFrame
    rules: pd.DataFrame
    notes: dict[str, Any] = field(default_factory=dict)


def dept_tasks(ctx: Context, quotas: np.ndarray, weighted: bool = False) -> pd.Series:
    """Per department, its plans' drawn targets before merging (once per department of the
    plan); `weighted`: in inspector-visits, each plan's targets times the inspectors the
    department sends when the plan is visited on its own (capacity.plan_need). The weighted
    figure bounds the merged inspector-visits from above and is linear in the quotas: what the
    optimiser constrains."""
    per_plan = quotas.sum(axis=1)
    pd_ = ctx.frames.plan_depts
    plans = pd_["plan"].to_numpy()
    values = per_plan[plans]
    if weighted:
        values = values * plan_need(pd_, ctx.frames.n_plans)[plans]
    tasks = pd.Series(values, index=pd_["dept_code"].to_numpy())
    return tasks.groupby(level=0).sum()


def evaluate(ctx: Context, table: pd.DataFrame, overrides: pd.DataFrame | None = None) -> Scenario:
    """Every figure of the scenario `table` (class x tier bp) with `overrides` (None: the
    overrides in force)."""
    frames = ctx.frames
    overrides = ctx.overrides if overrides is None else overrides
    table = table.reindex(index=list(ITEM_CLASSES), columns=list(TIERS)).astype("int64")
    ratios = plan_ratios(frames, table, overrides)
    q = quota(frames.sizes, ratios)  # (P, 4)
    pi = inclusion(frames.sizes, q)
    model = expected_visits(frames, pi)

    rate = ctx.rates.set_index("tier").loc[list(TIERS)]
    r_tier = rate["rate"].to_numpy()
    se_tier = rate["se"].to_numpy()
    n_tiers = len(TIERS)
    tier_idx = np.tile(np.arange(n_tiers), frames.n_plans)
    strata = pd.DataFrame({
        "plan_id": np.repeat(frames.plans["plan_id"].to_numpy(), n_tiers),
        "item_class": np.repeat(frames.plans["item_class"].to_numpy(), n_tiers),
        "tier": np.array(TIERS)[tier_idx], "ratio_bp": ratios.ravel(),
        "frame_size": frames.sizes.ravel(), "quota": q.ravel(), "rate": r_tier[tier_idx],
    })  # fmt: skip
    strata["expected"] = strata["quota"] * strata["rate"]
    found, sd, lo, hi = stats.binomial_total_interval(
        strata["quota"].to_numpy(), strata["rate"].to_numpy(), strata["frame_size"].to_numpy(),
        rate_se=se_tier[tier_idx], rate_group=tier_idx,
    )  # fmt: skip

    by_ct = strata.groupby(["item_class", "tier"], as_index=False)[
        ["frame_size", "quota", "expected"]
    ].sum()
    by_ct["rate"] = np.where(by_ct["quota"] > 0, by_ct["expected"] / by_ct["quota"].clip(1), 0)
    by_ct = by_ct.rename(columns={"quota": "inspections", "expected": "discoveries"})

    groups = frames.groups
    n_g = groups["n"].to_numpy()
    g_tier = groups["tier"].to_numpy()
    visits_g = n_g * model.visits_per_target
    visits = float(visits_g.sum())
    burden = float((visits_g * (1 - r_tier[g_tier])).sum())
    reached = float((n_g * model.reach_per_target).sum())

    tasks = dept_tasks(ctx, q)
    weighted = dept_tasks(ctx, q, weighted=True)
    work = ctx.capacity.merge(
        pd.DataFrame({"dept_code": tasks.index, "tasks": tasks.to_numpy(),
                      "inspector_tasks": weighted.reindex(tasks.index).to_numpy()}),
        on="dept_code", how="left",
    ).merge(model.dept_visits, on="dept_code", how="left")  # fmt: skip
    work = work.fillna({"tasks": 0, "inspector_tasks": 0, "visits": 0.0, "inspector_visits": 0.0})
    work["load"] = np.where(
        work["capacity"] > 0, work["inspector_visits"] / work["capacity"].clip(lower=1), np.inf
    )
    work.loc[work["inspector_visits"] == 0, "load"] = 0.0
    work["over"] = work["inspector_visits"] > work["capacity"]
    work = work[(work["tasks"] > 0) | (work["capacity"] > 0)].sort_values(
        ["load", "dept_code"], ascending=[False, True], ignore_index=True
    )

    gd = frames.group_districts
    reach_gd = pd.Series(model.reach_per_target)
    key = pd.MultiIndex.from_frame(groups[["plan_set", "tier"]])
    pos = pd.Series(np.arange(len(groups)), index=key)
    gd_pos = pos.reindex(pd.MultiIndex.from_frame(gd[["plan_set", "tier"]])).to_numpy()
    by_district = (
        pd.DataFrame({"district": gd["district"], "reached": gd["n"] * reach_gd.to_numpy()[gd_pos]})
        .groupby("district", as_index=False)["reached"].sum()
    )  # fmt: skip
    cov_d = frames.district_targets.merge(by_district, on="district", how="left").fillna(
        {"reached": 0.0}
    )
    cov_d["share"] = cov_d["reached"] / cov_d["targets"].clip(lower=1)
    cov_c = strata.groupby("item_class", as_index=False)[["frame_size", "quota", "expected"]].sum()
    cov_c = cov_c.rename(columns={"quota": "inspections", "expected": "discoveries"})
    cov_c["share"] = cov_c["inspections"] / cov_c["frame_size"].clip(lower=1)

    low = [TIERS.index(t) for t in settings.LOW_RISK_TIERS]
    inspections = int(q.sum())
    checked = rules.check(table, overrides)
    totals = {
        "year": ctx.year,
        "inspections": inspections,
        "targets_reached": reached,
        "visits": visits,
        "inspector_visits": float(work["inspector_visits"].sum()),
        "discoveries": found,
        "discoveries_sd": sd,
        "discoveries_lo": lo,
        "discoveries_hi": hi,
        "discovery_rate": found / inspections if inspections else 0.0,
        "discovery_rate_lo": lo / inspections if inspections else 0.0,
        "discovery_rate_hi": hi / inspections if inspections else 0.0,
        "burden_visits": burden,
        "low_risk_inspections": int(q[:, low].sum()),
        "departments_over": int(work["over"].sum()),
        "rules_ok": bool(checked["ok"].all()),
        "unscored": frames.unscored,
        "capacity_source": ctx.capacity_source,
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
