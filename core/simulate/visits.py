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

from core.simulate.capacity import JOINT_INSPECTORS, SOLO_INSPECTORS
from core.simulate.indexes import Indexes


@dataclass
class VisitModel:
    """Per (plan set, tier) group: expected visits and the probability a target is reached; per
    department (Indexes order): expected visits and inspector-visits."""

    visits_per_target: np.ndarray  # (G,)
    reach_per_target: np.ndarray  # (G,)
    dept_visits: np.ndarray  # (D,)
    dept_inspector_visits: np.ndarray  # (D,)


def inclusion(sizes: np.ndarray, quotas: np.ndarray) -> np.ndarray:
    """(P, 4) pi = q / N, 0 for empty strata."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sizes > 0, quotas / np.maximum(sizes, 1), 0.0)


def expected_visits(ix: Indexes, pi: np.ndarray) -> VisitModel:
    """The model above for inclusion probabilities `pi` (P, 4)."""
    p = np.where(ix.valid, pi[ix.slots, ix.g_tier[:, None]], 0.0)  # (G, K)
    order = np.argsort(-p, axis=1, kind="stable")
    p_sorted = np.take_along_axis(p, order, axis=1)
    delta = p_sorted - np.concatenate([p_sorted[:, 1:], np.zeros((len(p), 1))], axis=1)
    rank = np.argsort(order, axis=1, kind="stable")  # rank of each slot by pi, 0 = largest
    n_g, width = p.shape
    k = np.arange(width)
    inprefix = (rank[:, None, :] <= k[None, :, None]) & (p[:, None, :] > 0)

    count = np.zeros((n_g, width), dtype=np.int64)
    cut = np.full((n_g, width), np.iinfo(np.int64).min)
    vid = np.zeros((n_g, width, width), dtype=np.int64)  # visit number of slot j in prefix k
    for j in range(width):  # one vectorised step per plan slot (at most a handful)
        inside = inprefix[:, :, j]
        new = inside & (ix.starts[:, j][:, None] > cut)
        count += new
        cut = np.where(new, ix.ends[:, j][:, None], cut)
        vid[:, :, j] = np.where(inside, count, 0)

    visits_per_target = (delta * count).sum(axis=1)
    reach = p_sorted[:, 0] if width else np.zeros(n_g)

    gi = ix.row_group
    shift = np.arange(width)[None, :]
    in_dept = ((ix.row_bits[:, None] >> shift) & 1).astype(bool)  # (R, K)
    in_other = ((ix.row_other[:, None] >> shift) & 1).astype(bool)
    visit_bit = np.where(vid > 0, np.left_shift(1, vid), 0)[gi]  # (R, K prefixes, K slots)
    mine = np.bitwise_or.reduce(np.where(in_dept[:, None, :], visit_bit, 0), axis=2)
    shared = np.bitwise_or.reduce(np.where(in_other[:, None, :], visit_bit, 0), axis=2)
    alone = np.bitwise_count(mine & ~shared).astype(np.float64)
    joint = np.bitwise_count(mine & shared).astype(np.float64)
    d = delta[gi]
    n = ix.g_n[gi]
    visits = (d * (alone + joint)).sum(axis=1) * n
    inspectors = (d * (SOLO_INSPECTORS * alone + JOINT_INSPECTORS * joint)).sum(axis=1) * n
    n_depts = len(ix.capacity)
    return VisitModel(
        visits_per_target, reach,
        np.bincount(ix.row_dept, weights=visits, minlength=n_depts),
        np.bincount(ix.row_dept, weights=inspectors, minlength=n_depts),
    )  # fmt: skip
