"""The cap-constrained pass of suicha-assign-sha256-v1, vectorised.

Visits are taken in order; each department of a visit takes the first `need` eligible
candidates (not recused) whose load is below their cap. A visit is staffed only if every
department fills its need, and only then do the picks' loads grow.

Two observations make it fast without changing any outcome:

- Whether a slot can fill is a count (its eligible inspectors still below their cap), and that
  count never grows. So, at the start of each chunk of visits, a slot whose count is already
  short fails for the cap whatever happens in between, and its visit is unstaffed: such visits
  need no draw numbers, and their pairs are never hashed (`order` is asked only for the rest).
- Between two moments where an inspector reaches the cap, who is below the cap does not change.
  A window of visits is computed at once (numpy) as if nobody reached the cap inside it; the
  first visit where that assumption shows (a pick, or a probe of a slot that would fill, names
  an inspector whose load has reached the cap by then) ends the window, everything before it is
  exact, and the next window starts there with the loads updated. The loop is over windows
  (about as many as inspectors reaching the cap), each a handful of array operations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# reason codes of a failing slot, in the order they are tested (0: the slot can fill)
REASONS = ("", "no_department", "outside_area", "no_qualified", "recused", "cap")
CAP = REASONS.index("cap")
CHUNK_PAIRS = 400_000  # qualified pairs per chunk (one hashing query each)
FIRST_WINDOW = 64  # visits
MAX_WINDOW = 8192


@dataclass
class Pass:
    """The pass's outcome: picks (slot, inspector, rank among the slot's eligible, 1-based, k),
    the failing slots of unstaffed visits with their reason, the recusal hits (a recused
    inspector among the first `need` of the slot's qualified order), per slot counts."""

    pick_slot: np.ndarray
    pick_insp: np.ndarray
    pick_rank: np.ndarray
    pick_k: np.ndarray
    fail_slot: np.ndarray
    fail_reason: np.ndarray  # of str
    hit_slot: np.ndarray
    hit_insp: np.ndarray
    hit_rule: np.ndarray
    qualified: np.ndarray  # per slot
    eligible: np.ndarray  # per slot
    hashed: int  # pairs whose draw number was computed
    windows: int


Order = Callable[[np.ndarray, int, int], dict[str, np.ndarray]]


def _chunks(visit_pairs: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Consecutive visit ranges of about `size` qualified pairs each."""
    n = len(visit_pairs)
    if n == 0:
        return []
    cum = np.cumsum(visit_pairs)
    cuts = np.searchsorted(cum, np.arange(size, int(cum[-1]) + size, size), side="right")
    bounds = np.unique(np.concatenate(([0], np.minimum(cuts, n), [n])))
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))


def run_pass(
    slot_visit: np.ndarray,  # v_no per slot, slots sorted by (v_no, dept)
    slot_need: np.ndarray,
    slot_blocked: np.ndarray,  # reason code when the slot cannot be staffed at all, else 0
    slot_group: np.ndarray,  # g_no per slot: its qualified set (dept, fields)
    member_group: np.ndarray,  # (g_no, i_no) pairs of the groups
    member_insp: np.ndarray,
    insp_cap: np.ndarray,
    rec_slot: np.ndarray,  # recused (slot, inspector) pairs among the qualified
    rec_insp: np.ndarray,
    order: Order,  # order(slots, lo, hi) -> sorted candidates s_no, i_no, k, r of those slots
    chunk_pairs: int | None = None,  # default CHUNK_PAIRS
) -> Pass:
    n_slots, n_insp = len(slot_visit), len(insp_cap)
    n_visits = int(slot_visit.max()) + 1 if n_slots else 0
    n_groups = int(max(slot_group.max(initial=-1), member_group.max(initial=-1))) + 1
    cap = insp_cap.astype(np.int64)
    need = slot_need.astype(np.int64)
    group_size = np.bincount(member_group, minlength=n_groups)
    qualified = np.where(slot_blocked == 0, group_size[slot_group], 0)
    recused = np.bincount(rec_slot, minlength=n_slots)
    eligible = qualified - recused
    static = np.select(
        [slot_blocked > 0, qualified < need, eligible < need],
        [slot_blocked, REASONS.index("no_qualified"), REASONS.index("recused")],
        0,
    ).astype(np.int8)
    vstarts = np.searchsorted(slot_visit, np.arange(n_visits + 1))
    has_rec = recused > 0

    load = np.zeros(n_insp, dtype=np.int64)
    out_pick: list[tuple[np.ndarray, ...]] = []
    out_fail: list[tuple[np.ndarray, np.ndarray]] = []
    out_hit: list[tuple[np.ndarray, ...]] = []
    hashed = windows = 0
    visit_pairs = np.bincount(slot_visit, weights=qualified, minlength=n_visits)
    for v0, v1 in _chunks(visit_pairs, chunk_pairs or CHUNK_PAIRS):
        s0, s1 = int(vstarts[v0]), int(vstarts[v1])
        below = load < cap
        left = np.bincount(member_group[below[member_insp]], minlength=n_groups)
        rec_below = np.bincount(rec_slot[below[rec_insp]], minlength=n_slots)[s0:s1]
        count = left[slot_group[s0:s1]] - rec_below  # eligible below the cap now
        reason = static[s0:s1].copy()
        reason[(reason == 0) & (count < need[s0:s1])] = CAP  # short now, short later
        # hash the slots that may still fill, and in-area slots with recusals (for the hits);
        # a slot short now fails whatever its order, and so does its visit
        want = (reason == 0) | (has_rec[s0:s1] & (slot_blocked[s0:s1] == 0))
        slots = np.flatnonzero(want) + s0
        cand = order(slots, s0, s1 - 1)
        hashed += len(cand["s_no"])
        c_slot, c_insp, c_k, c_rule = cand["s_no"], cand["i_no"], cand["k"], cand["r"]
        starts = np.searchsorted(c_slot, np.arange(s0, s1 + 1))
        slot_start = starts[c_slot - s0]
        pos = np.arange(len(c_slot)) - slot_start  # 0-based position in the qualified order
        elig = c_rule == 0
        ecum = np.cumsum(elig)
        erank = ecum - np.concatenate(([0], ecum))[slot_start]  # 1-based among the eligible
        hit = ~elig & (pos < need[c_slot])
        out_hit.append((c_slot[hit], c_insp[hit], c_rule[hit]))
        # windows of visits computed at once, each ending where an inspector at the cap would
        # be picked (or probed: a slot of an unstaffed visit that would fill only with them)
        a = v0
        width = FIRST_WINDOW
        while a < v1:
            windows += 1
            b = min(v1, a + width)
            sa, sb = int(vstarts[a]), int(vstarts[b])
            ca, cb = int(starts[sa - s0]), int(starts[sb - s0])
            w_slot, w_insp = c_slot[ca:cb], c_insp[ca:cb]
            avail = elig[ca:cb] & (load[w_insp] < cap[w_insp])
            cum = np.cumsum(avail)
            arank = cum - np.concatenate(([0], cum))[slot_start[ca:cb] - ca]
            pick = avail & (arank <= need[w_slot])
            n_avail = np.bincount(w_slot[avail] - sa, minlength=sb - sa)
            w_reason = reason[sa - s0 : sb - s0].copy()
            w_reason[(w_reason == 0) & (n_avail < need[sa:sb])] = CAP
            w_visit = slot_visit[sa:sb] - a
            bad = np.bincount(w_visit[w_reason > 0], minlength=b - a) > 0
            p = np.flatnonzero(pick)
            p_visit = slot_visit[w_slot[p]] - a
            p_insp = w_insp[p]
            staffed = ~bad[p_visit]
            # the first visit whose pick (or probe) names an inspector already at the cap then
            by = np.lexsort((p_visit, p_insp))
            s_insp, s_visit, s_staffed = p_insp[by], p_visit[by], staffed[by]
            run = np.ones(len(by), dtype=bool)  # first pick of an (inspector, visit)
            run[1:] = (s_insp[1:] != s_insp[:-1]) | (s_visit[1:] != s_visit[:-1])
            first_of_insp = np.ones(len(by), dtype=bool)
            first_of_insp[1:] = s_insp[1:] != s_insp[:-1]
            csum = np.cumsum(s_staffed)
            upto = csum - s_staffed  # staffed picks before this one, in (inspector, visit) order
            run_base = np.maximum.accumulate(np.where(run, np.arange(len(by)), 0))
            insp_base = np.maximum.accumulate(np.where(first_of_insp, np.arange(len(by)), 0))
            earlier = upto[run_base] - upto[insp_base]  # in earlier visits of the window
            over = load[s_insp] + earlier >= cap[s_insp]
            end = b - a if not over.any() else int(s_visit[over].min())
            # commit visits a .. a + end - 1
            done = p_visit < end
            keep = p[done & staffed]
            if len(keep):
                out_pick.append((w_slot[keep], w_insp[keep], erank[ca:cb][keep], c_k[ca:cb][keep]))
                load += np.bincount(w_insp[keep], minlength=n_insp)
            se = int(vstarts[a + end]) - sa
            fail = np.flatnonzero(bad[w_visit[:se]] & (w_reason[:se] > 0))
            if len(fail):
                out_fail.append((fail + sa, w_reason[fail]))
            width = min(MAX_WINDOW, width * 2) if end == b - a else max(8, 2 * end)
            a += end

    def cat(parts: list, i: int, dtype: type) -> np.ndarray:
        return np.concatenate([x[i] for x in parts]) if parts else np.zeros(0, dtype=dtype)

    fail_reason = cat(out_fail, 1, np.int8)
    hit_slot, hit_insp = cat(out_hit, 0, np.int64), cat(out_hit, 1, np.int64)
    by = np.lexsort((hit_insp, hit_slot))
    return Pass(
        pick_slot=cat(out_pick, 0, np.int64),
        pick_insp=cat(out_pick, 1, np.int64),
        pick_rank=cat(out_pick, 2, np.int64),
        pick_k=cat(out_pick, 3, np.uint64),
        fail_slot=cat(out_fail, 0, np.int64),
        fail_reason=np.array(REASONS, dtype=object)[fail_reason],
        hit_slot=hit_slot[by],
        hit_insp=hit_insp[by],
        hit_rule=cat(out_hit, 2, np.int8)[by],
        qualified=qualified,
        eligible=eligible,
        hashed=hashed,
        windows=windows,
    )
