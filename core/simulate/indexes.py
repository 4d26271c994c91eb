"""Integer indexes over a campaign's frame structure, built once per data version, so that a
scenario is arithmetic on numpy arrays only (no joins, no string columns rebuilt per slider
move): plans, departments, (plan set, tier) groups, their districts, and per (group, department)
the bit masks the visit model needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.simulate.capacity import plan_need
from core.simulate.frames import FrameStructure
from core.vocab import ITEM_CLASSES, TIERS


@dataclass
class Indexes:
    plan_class: np.ndarray  # (P,) item class index
    starts: np.ndarray  # (G, K) period start per group slot (days)
    ends: np.ndarray  # (G, K)
    slots: np.ndarray  # (G, K) plan index, 0 where invalid
    valid: np.ndarray  # (G, K)
    g_tier: np.ndarray  # (G,)
    g_n: np.ndarray  # (G,)
    depts: pd.DataFrame  # dept_code, name, inspectors, cap_per_inspector, capacity (index order)
    capacity: np.ndarray  # (D,)
    pd_plan: np.ndarray  # (E,) plan of each plan x department row
    pd_dept: np.ndarray  # (E,) department index
    pd_need: np.ndarray  # (E,) inspectors the department sends to the plan visited alone
    row_group: np.ndarray  # (R,) group of each (group, department) row
    row_dept: np.ndarray  # (R,)
    row_bits: np.ndarray  # (R,) slots of the department's plans
    row_other: np.ndarray  # (R,) slots whose plan brings another department
    gd_group: np.ndarray  # (GD,) group of each (group, district) row
    gd_district: np.ndarray  # (GD,)
    gd_n: np.ndarray  # (GD,)
    districts: pd.DataFrame  # district, targets (index order)
    strata_base: pd.DataFrame  # plan_id, item_class, tier, frame_size: 4 rows per plan


def build(frames: FrameStructure, capacity: pd.DataFrame) -> Indexes:
    """Index the structure; `capacity` lists the departments (others found in plans join with
    capacity 0)."""
    groups = frames.groups
    g_set = groups["plan_set"].to_numpy()
    slots = frames.set_slots[g_set]
    valid = slots >= 0
    safe = np.where(valid, slots, 0)
    starts = frames.plans["period_start"].to_numpy()[safe]
    ends = frames.plans["period_end"].to_numpy()[safe]

    depts = capacity[["dept_code", "name", "inspectors", "cap_per_inspector", "capacity"]]
    extra = sorted(set(frames.plan_depts["dept_code"]) - set(depts["dept_code"]))
    if extra:
        depts = pd.concat([depts, pd.DataFrame({"dept_code": extra, "name": extra,
                                                "inspectors": 0, "capacity": 0})],
                          ignore_index=True)  # fmt: skip
    depts = depts.reset_index(drop=True)
    dept_pos = pd.Series(np.arange(len(depts)), index=depts["dept_code"])
    pd_plan = frames.plan_depts["plan"].to_numpy()
    pd_dept = dept_pos.loc[frames.plan_depts["dept_code"]].to_numpy()
    need = plan_need(frames.plan_depts, frames.n_plans)

    # per (plan set, department): the department's slots and the slots bringing another one
    s_idx, j_idx = np.nonzero(frames.set_slots >= 0)
    plan_at = frames.set_slots[s_idx, j_idx]
    bit = np.left_shift(1, j_idx).astype(np.int64)
    n_sets = len(frames.set_slots)
    all_bits = np.bincount(s_idx, weights=bit, minlength=n_sets).astype(np.int64)
    n_depts = np.bincount(pd_plan, minlength=frames.n_plans)
    multi = np.bincount(s_idx, weights=bit * (n_depts[plan_at] > 1), minlength=n_sets)
    multi = multi.astype(np.int64)
    long = pd.DataFrame({"plan_set": s_idx, "bit": bit, "plan": plan_at}).merge(
        pd.DataFrame({"plan": pd_plan, "dept": pd_dept}), on="plan"
    )
    masks = long.groupby(["plan_set", "dept"], as_index=False)["bit"].sum()
    mine = masks["bit"].to_numpy().astype(np.int64)
    ps = masks["plan_set"].to_numpy()
    masks["other"] = (all_bits[ps] & ~mine) | (mine & multi[ps])
    rows = pd.DataFrame({"group": np.arange(len(groups)), "plan_set": g_set}).merge(
        masks, on="plan_set"
    )

    gd = frames.group_districts
    key = pd.MultiIndex.from_frame(groups[["plan_set", "tier"]])
    pos = pd.Series(np.arange(len(groups)), index=key)
    gd_group = pos.reindex(pd.MultiIndex.from_frame(gd[["plan_set", "tier"]])).to_numpy()
    districts = frames.district_targets.reset_index(drop=True)
    d_pos = pd.Series(np.arange(len(districts)), index=districts["district"])
    known = gd["district"].isin(d_pos.index).to_numpy()
    n_tiers = len(TIERS)
    strata_base = pd.DataFrame({
        "plan_id": np.repeat(frames.plans["plan_id"].to_numpy(), n_tiers),
        "item_class": np.repeat(frames.plans["item_class"].to_numpy(), n_tiers),
        "tier": np.tile(np.array(TIERS), frames.n_plans),
        "frame_size": frames.sizes.ravel(),
    })  # fmt: skip
    return Indexes(
        plan_class=frames.plans["item_class"].map(
            {c: i for i, c in enumerate(ITEM_CLASSES)}).to_numpy(),
        starts=starts, ends=ends, slots=safe, valid=valid,
        g_tier=groups["tier"].to_numpy(), g_n=groups["n"].to_numpy().astype(np.float64),
        depts=depts, capacity=depts["capacity"].to_numpy().astype(np.float64),
        pd_plan=pd_plan, pd_dept=pd_dept, pd_need=need[pd_plan].astype(np.float64),
        row_group=rows["group"].to_numpy(), row_dept=rows["dept"].to_numpy(),
        row_bits=rows["bit"].to_numpy().astype(np.int64),
        row_other=rows["other"].to_numpy().astype(np.int64),
        gd_group=gd_group[known], gd_district=d_pos.loc[gd["district"][known]].to_numpy(),
        gd_n=gd["n"].to_numpy()[known].astype(np.float64),
        districts=districts, strata_base=strata_base,
    )  # fmt: skip
