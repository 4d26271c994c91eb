"""The cap-constrained pass of suicha-assign-sha256-v1 over the ordered candidates.

Visits are taken in order; each department of a visit takes the first `need` eligible
candidates (not recused) whose load is below their cap. A visit is staffed only if every
department fills its need, and only then do the picks' loads grow.

Fast path: the first TOP eligible candidates of every slot are gathered once (vectorised); a
slot looks further only when those are at their cap, with a numpy scan of its whole block."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOP = 8


@dataclass
class Pass:
    """The pass's outcome: picks (slot, inspector, rank among the slot's eligible, 1-based) and
    the failing slots of unstaffed visits with their reason."""

    pick_slot: np.ndarray
    pick_insp: np.ndarray
    pick_rank: np.ndarray
    pick_pos: np.ndarray  # the pick's index in the candidate arrays
    fail_slot: np.ndarray
    fail_reason: list[str]
    qualified: np.ndarray  # per slot
    eligible: np.ndarray  # per slot


def run_pass(
    slot_visit: np.ndarray,  # v_no per slot, slots sorted by (v_no, dept)
    slot_need: np.ndarray,
    slot_blocked: list[str | None],  # why a slot cannot be staffed at all (no department,
    # outside the department's area), else None
    cand_slot: np.ndarray,  # sorted by (slot, k)
    cand_insp: np.ndarray,
    cand_recused: np.ndarray,
    insp_cap: np.ndarray,
    slot_group: np.ndarray | None = None,  # g_no per slot: its qualified set (dept, fields)
    member_group: np.ndarray | None = None,  # (g_no, i_no) pairs of the groups
    member_insp: np.ndarray | None = None,
) -> Pass:
    n_slots = len(slot_visit)
    starts = np.searchsorted(cand_slot, np.arange(n_slots + 1))
    qualified = np.diff(starts)
    elig = ~cand_recused
    eligible = np.bincount(cand_slot[elig], minlength=n_slots)
    # rank of each eligible candidate within its slot (1-based); 0 for recused ones
    csum = np.cumsum(elig)
    before = np.concatenate(([0], csum))[starts[:-1]]
    erank = np.where(elig, csum - np.repeat(before, qualified), 0)
    top = np.full((n_slots, TOP), -1, dtype=np.int64)
    keep = elig & (erank <= TOP)
    top[cand_slot[keep], erank[keep] - 1] = np.flatnonzero(keep)  # candidate positions
    top_l = top.tolist()
    top_insp_l = np.where(top >= 0, cand_insp[top], -1).tolist()

    load = np.zeros(len(insp_cap), dtype=np.int64)
    cap = insp_cap.astype(np.int64)
    need_l = slot_need.tolist()
    elig_l = eligible.tolist()
    qual_l = qualified.tolist()
    blocked_l = list(slot_blocked)
    starts_l = starts.tolist()
    vstarts = np.searchsorted(slot_visit, np.arange(int(slot_visit.max()) + 2 if n_slots else 1))
    vstarts_l = vstarts.tolist()
    # per group, members still below their cap: a slot whose group has fewer than `need` left
    # fails for the cap at once, without scanning its candidates
    left: list[int] = []
    groups_of: list[list[int]] = [[] for _ in range(len(insp_cap))]
    group_l: list[int] = []
    if slot_group is not None and member_group is not None and member_insp is not None:
        n_groups = int(max(slot_group.max(initial=-1), member_group.max(initial=-1))) + 1
        left = np.bincount(member_group, minlength=n_groups).tolist()
        for g, i in zip(member_group.tolist(), member_insp.tolist(), strict=True):
            groups_of[i].append(g)
        group_l = slot_group.tolist()
    p_slot: list[int] = []
    p_pos: list[int] = []
    f_slot: list[int] = []
    f_reason: list[str] = []
    for v in range(len(vstarts_l) - 1):
        picks: list[tuple[int, int, int]] = []  # slot, candidate position, inspector
        failed: list[tuple[int, str]] = []
        for s in range(vstarts_l[v], vstarts_l[v + 1]):
            need = need_l[s]
            if blocked_l[s] is not None:
                failed.append((s, blocked_l[s]))
                continue
            if qual_l[s] < need:
                failed.append((s, "no_qualified"))
                continue
            if elig_l[s] < need:
                failed.append((s, "recused"))
                continue
            if group_l and left[group_l[s]] < need:
                failed.append((s, "cap"))
                continue
            got: list[int] = []  # candidate positions
            for c, i in zip(top_l[s], top_insp_l[s], strict=True):
                if c < 0:
                    break
                if load[i] < cap[i]:
                    got.append(c)
                    if len(got) == need:
                        break
            if len(got) < need and elig_l[s] > TOP:
                a, b = starts_l[s], starts_l[s + 1]
                ins = cand_insp[a:b]
                ok = elig[a:b] & (load[ins] < cap[ins])
                got = (np.flatnonzero(ok)[:need] + a).tolist()
            if len(got) < need:
                failed.append((s, "cap"))
                continue
            picks.extend((s, c, int(cand_insp[c])) for c in got)
        if failed:
            f_slot.extend(s for s, _ in failed)
            f_reason.extend(r for _, r in failed)
            continue
        for s, c, i in picks:
            load[i] += 1
            if group_l and load[i] == cap[i]:
                for g in groups_of[i]:
                    left[g] -= 1
            p_slot.append(s)
            p_pos.append(c)
    pick_pos = np.array(p_pos, dtype=np.int64)
    return Pass(
        pick_slot=np.array(p_slot, dtype=np.int64),
        pick_insp=cand_insp[pick_pos],
        pick_rank=erank[pick_pos],
        pick_pos=pick_pos,
        fail_slot=np.array(f_slot, dtype=np.int64),
        fail_reason=f_reason,
        qualified=qualified,
        eligible=eligible,
    )
