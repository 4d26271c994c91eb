"""Expected visits after merging, in coordinated mode, from the overlap structure.

The model. In coordinated mode every target has one number u for all plans; plan p selects, in
the target's tier t, the quota q smallest u of its stratum: a target is in p's sample with
probability pi_p = q / N (exact), and *which* plans select it is nested by u: if u falls below the
k largest pi of its plan set, exactly those k plans select it (treating each stratum's cut as its
ratio, exact in expectation as N grows). The merge then turns the selected plans' periods into
visits by the earliest-deadline rule (core/merge.py). So, for a group of n interchangeable
targets with sorted pi_(1) >= ... >= pi_(K) (pi_(K+1) = 0):

    E[visits] = n * sum_k (pi_(k) - pi_(k+1)) * visits(top k plans)
    E[distinct targets] = n * pi_(1)

and a department's expected visits count the visits that carry at least one of its plans; its
inspector-visits weigh each by the assignment rule (two inspectors when the department visits
alone, one when another department is in the visit). The earliest-deadline pass runs
vectorised over every (group, k) at once, one step per plan slot (slots are ordered by period
end, so a slot either joins the open visit or opens the next).
tests/test_simulate.py checks the model against real draws merged by core/merge.py."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.simulate.capacity import JOINT_INSPECTORS, SOLO_INSPECTORS
from core.simulate.frames import FrameStructure


@dataclass
class VisitModel:
    """Per (plan set, tier) group: expected visits and distinct targets per target of the group;
    per department: expected visits."""

    visits_per_target: np.ndarray  # (G,)
    reach_per_target: np.ndarray  # (G,) probability a target of the group is selected at all
    dept_visits: pd.DataFrame  # dept_code, visits, inspector_visits


def inclusion(sizes: np.ndarray, quotas: np.ndarray) -> np.ndarray:
    """(P, 4) pi = q / N, 0 for empty strata."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sizes > 0, quotas / np.maximum(sizes, 1), 0.0)


def _dept_masks(frames: FrameStructure) -> pd.DataFrame:
    """(plan set, department, bit: slots of the department's plans, other: slots whose plan
    brings another department)."""
    slots = frames.set_slots
    s_idx, j_idx = np.nonzero(slots >= 0)
    plans = slots[s_idx, j_idx]
    n_depts = np.bincount(frames.plan_depts["plan"].to_numpy(), minlength=frames.n_plans)
    slot_bits = pd.DataFrame({"plan_set": s_idx, "bit": 1 << j_idx, "plan": plans})
    valid = slot_bits.groupby("plan_set")["bit"].sum()
    multi = slot_bits[n_depts[plans] > 1].groupby("plan_set")["bit"].sum()
    long = slot_bits.merge(frames.plan_depts, on="plan")
    out = long.groupby(["plan_set", "dept_code"], as_index=False)["bit"].sum()
    all_bits = valid.reindex(out["plan_set"]).to_numpy()
    multi_bits = multi.reindex(out["plan_set"]).fillna(0).astype(np.int64).to_numpy()
    mine = out["bit"].to_numpy()
    out["other"] = (all_bits & ~mine) | (mine & multi_bits)
    return out


def expected_visits(frames: FrameStructure, pi: np.ndarray) -> VisitModel:
    """The model above for inclusion probabilities `pi` (P, 4)."""
    g_set = frames.groups["plan_set"].to_numpy()
    g_tier = frames.groups["tier"].to_numpy()
    slots = frames.set_slots[g_set]  # (G, K)
    valid = slots >= 0
    safe = np.where(valid, slots, 0)
    p = np.where(valid, pi[safe, g_tier[:, None]], 0.0)  # (G, K)
    starts = frames.plans["period_start"].to_numpy()[safe]
    ends = frames.plans["period_end"].to_numpy()[safe]

    order = np.argsort(-p, axis=1, kind="stable")
    p_sorted = np.take_along_axis(p, order, axis=1)
    delta = p_sorted - np.concatenate([p_sorted[:, 1:], np.zeros((len(p), 1))], axis=1)
    rank = np.argsort(order, axis=1, kind="stable")  # rank of each slot by pi, 0 = largest
    n_g, width = p.shape
    k = np.arange(width)
    inprefix = (rank[:, None, :] <= k[None, :, None]) & valid[:, None, :] & (p[:, None, :] > 0)

    count = np.zeros((n_g, width), dtype=np.int64)
    cut = np.full((n_g, width), np.iinfo(np.int64).min)
    vid = np.zeros((n_g, width, width), dtype=np.int64)  # visit number of slot j in prefix k
    for j in range(width):  # one vectorised step per plan slot (at most a handful)
        inside = inprefix[:, :, j]
        new = inside & (starts[:, j][:, None] > cut)
        count += new
        cut = np.where(new, ends[:, j][:, None], cut)
        vid[:, :, j] = np.where(inside, count, 0)

    visits_per_target = (delta * count).sum(axis=1)
    reach = p_sorted[:, 0] if width else np.zeros(n_g)

    masks = _dept_masks(frames)
    rows = pd.DataFrame({"group": np.arange(n_g), "plan_set": g_set}).merge(masks, on="plan_set")
    gi = rows["group"].to_numpy()
    bits = rows["bit"].to_numpy()
    others = rows["other"].to_numpy()
    shift = np.arange(width)[None, :]
    in_dept = ((bits[:, None] >> shift) & 1).astype(bool)  # (R, K)
    in_other = ((others[:, None] >> shift) & 1).astype(bool)
    v = vid[gi]  # (R, K prefixes, K slots)
    visit_bit = np.where(v > 0, np.left_shift(1, v), 0)
    mine = np.bitwise_or.reduce(np.where(in_dept[:, None, :], visit_bit, 0), axis=2)
    shared = np.bitwise_or.reduce(np.where(in_other[:, None, :], visit_bit, 0), axis=2)
    alone = np.bitwise_count(mine & ~shared).astype(np.float64)
    joint = np.bitwise_count(mine & shared).astype(np.float64)
    d = delta[gi]
    n = frames.groups["n"].to_numpy()[gi]
    rows["visits"] = (d * (alone + joint)).sum(axis=1) * n
    rows["inspector_visits"] = (d * (SOLO_INSPECTORS * alone + JOINT_INSPECTORS * joint)).sum(
        axis=1
    ) * n
    dept = rows.groupby("dept_code", as_index=False)[["visits", "inspector_visits"]].sum()
    return VisitModel(visits_per_target, reach, dept)
