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

and a department's expected visits count the visits that carry at least one of its plans. The
earliest-deadline pass runs vectorised over every (group, k) at once, one step per plan slot
(slots are ordered by period end, so a slot either joins the open visit or opens the next).
tests/test_simulate.py checks the model against real draws merged by core/merge.py."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.simulate.frames import FrameStructure


@dataclass
class VisitModel:
    """Per (plan set, tier) group: expected visits and distinct targets per target of the group;
    per department: expected visits."""

    visits_per_target: np.ndarray  # (G,)
    reach_per_target: np.ndarray  # (G,) probability a target of the group is selected at all
    dept_visits: pd.DataFrame  # dept_code, visits


def inclusion(sizes: np.ndarray, quotas: np.ndarray) -> np.ndarray:
    """(P, 4) pi = q / N, 0 for empty strata."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sizes > 0, quotas / np.maximum(sizes, 1), 0.0)


def _dept_masks(frames: FrameStructure) -> pd.DataFrame:
    """(plan set, department, slot bit mask of the department's plans in the set)."""
    slots = frames.set_slots
    s_idx, j_idx = np.nonzero(slots >= 0)
    long = pd.DataFrame({"plan_set": s_idx, "bit": 1 << j_idx, "plan": slots[s_idx, j_idx]})
    long = long.merge(frames.plan_depts, on="plan")
    return long.groupby(["plan_set", "dept_code"], as_index=False)["bit"].sum()


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
    in_dept = ((bits[:, None] >> np.arange(width)[None, :]) & 1).astype(bool)  # (R, K)
    v = vid[gi]  # (R, K prefixes, K slots)
    mark = np.where(in_dept[:, None, :] & (v > 0), np.left_shift(1, v), 0)
    distinct = np.bitwise_count(np.bitwise_or.reduce(mark, axis=2)).astype(np.float64)
    per_target = (delta[gi] * distinct).sum(axis=1)
    n = frames.groups["n"].to_numpy()
    rows["visits"] = per_target * n[gi]
    dept = rows.groupby("dept_code", as_index=False)["visits"].sum()
    return VisitModel(visits_per_target, reach, dept)
