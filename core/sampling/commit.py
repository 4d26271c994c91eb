"""Committing a draw (docs/draw-record.md §2, §3, §6): checks against the notice in force, the
records, and one bulk write.

The draw computed for the checks is the draw saved (no second computation); frame hashes come
from one sorted pass; rows go in through Arrow; frames are not copied per draw (the notice keeps
them compactly). Merge's independent counterpart is computed here, once, and stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from core.db import Connection
from core.refusal import Refused
from core.sampling import draw as drawing
from core.sampling import frames
from core.sampling.campaign import Clock, Commitment, commitment_in_force, iso, now
from core.sampling.prn import (
    ALGORITHM,
    PRN_DEFINITION,
    canonical_bytes,
    check_beacon,
    prn_seed,
    seed_commitment,
    sha256_hex,
)
from core.vocab import TIERS
from core.writes import attempt, unit_of_work

RECORD_FORMAT = "suicha-draw-record-v2"
AUDIT_FORMAT = "suicha-draw-audit-v1"


def frame_file(plan_id: str, tier: str | None = None) -> str:
    """A frame file's path relative to the package root, as the records name it."""
    return f"frames/{plan_id}.txt" if tier is None else f"frames/{plan_id}/{tier}.txt"


def _check_timing(camp: Commitment, moment: datetime) -> None:
    published = datetime.fromisoformat(camp.published_at)
    if camp.beacon_date is None or camp.beacon_date <= published.date():
        raise Refused("draw.beacon_date_not_after", date=str(camp.beacon_date),
                      published=published.date().isoformat())  # fmt: skip
    if not camp.rehearsal and moment.date() < camp.beacon_date:
        raise Refused("draw.beacon_not_yet", date=camp.beacon_date.isoformat())


_FRAMES_DIFFER_SQL = """
WITH drawn AS (SELECT unnest($plans::VARCHAR[]) AS plan_id),
cur_sig AS (   -- each cell with the drawn plans whose frame admits it, now ...
    SELECT cell, string_agg(plan_id, '|' ORDER BY plan_id) AS sig
    FROM _dr_plan_cells SEMI JOIN drawn USING (plan_id) GROUP BY cell
),
old_sig AS (   -- ... and as the notice anchored it (cell numbers may differ: compare plans)
    SELECT cell, string_agg(plan_id, '|' ORDER BY plan_id) AS sig
    FROM draw_frame_plan_cells SEMI JOIN drawn USING (plan_id)
    WHERE commitment_id = $commitment GROUP BY cell
),
sigs AS (SELECT sig, row_number() OVER () AS sid
         FROM (SELECT sig FROM cur_sig UNION SELECT sig FROM old_sig)),
cur AS (SELECT m.uscc, m.tier, g.sid FROM _dr_members m
        JOIN cur_sig s USING (cell) JOIN sigs g USING (sig)),
old AS (SELECT m.uscc, m.tier, g.sid FROM draw_frame_members m
        JOIN old_sig s USING (cell) JOIN sigs g USING (sig) WHERE m.commitment_id = $commitment)
SELECT count(*) FROM cur FULL JOIN old USING (uscc)
WHERE cur.uscc IS NULL OR old.uscc IS NULL OR cur.tier IS DISTINCT FROM old.tier
   OR cur.sid IS DISTINCT FROM old.sid
"""


def _anchored_hashes(camp: Commitment, anchored: pd.DataFrame,
                     plan_ids: list[str]) -> frames.FrameHashes:  # fmt: skip
    """The frame sizes and hashes the notice anchored for `plan_ids`: whole frames from the
    notice, tier frames from its strata (`anchored`, read once by _check_anchored)."""
    whole = {p["plan_id"]: (int(p["frame_size"]), p["frame_sha256"]) for p in camp.notice["plans"]}
    rows = anchored[anchored["plan_id"].isin(plan_ids)]
    return frames.FrameHashes(
        whole={p: whole[p] for p in plan_ids if p in whole},
        tiers={
            (p, t): (int(n), sha)
            for p, t, n, sha in zip(
                rows["plan_id"], rows["tier"], rows["frame_size"], rows["frame_sha256"], strict=True
            )
        },  # fmt: skip
    )


def _check_anchored(con: Connection, camp: Commitment, draw: drawing.Draw) -> frames.FrameHashes:
    """Refuse unless every drawn plan's ratios and frames are those of the notice; return the
    anchored frame hashes (which then are the hashes of the frames just drawn from).

    Frames are compared as sets, not re-hashed: every member now and at the notice must have
    the same code, tier and set of drawn plans whose frame admits it. Equal sets give
    byte-identical frame files, so the notice's hashes are theirs. Only a refusal re-hashes, to
    name the first plan whose frame changed."""
    anchored = con.execute(
        "SELECT plan_id, tier, ratio_bp, frame_size, frame_sha256 FROM draw_commitment_strata "
        "WHERE commitment_id = ?",
        [camp.commitment_id],
    ).df()
    known = set(anchored["plan_id"])
    plan_ids = sorted(draw.strata["plan_id"].unique())
    for plan_id in plan_ids:
        if plan_id not in known:
            raise Refused("draw.plan_not_committed", plan=plan_id, commitment=camp.commitment_id)
    merged = draw.strata.merge(anchored, on=["plan_id", "tier"], suffixes=("", "_notice"))
    changed = merged[merged["ratio_bp"] != merged["ratio_bp_notice"]]
    if not changed.empty:
        r = changed.iloc[0]
        raise Refused("draw.ratios_changed", plan=r.plan_id, tier=r.tier,
                      now=int(r.ratio_bp), notice=int(r.ratio_bp_notice))  # fmt: skip
    anchored_hashes = _anchored_hashes(camp, anchored, plan_ids)
    params = {"plans": plan_ids, "commitment": camp.commitment_id}
    differ = con.execute(_FRAMES_DIFFER_SQL, params).fetchall()[0][0]
    if not differ and len(anchored_hashes.whole) == len(plan_ids):  # equal sets: equal sizes
        return anchored_hashes
    now_hashes = frames.frame_hashes(con, plan_ids)
    for plan_id in plan_ids:
        same = all(now_hashes.tiers[(plan_id, t)] == anchored_hashes.tiers.get((plan_id, t))
                   for t in TIERS)  # fmt: skip
        if not same:
            raise Refused("draw.frames_changed", plan=plan_id, commitment=camp.commitment_id)
    return now_hashes


def _split(df: pd.DataFrame, keys: list[str]) -> dict[Any, list[str]]:
    """{key: codes} for a frame already sorted by `keys` (one vectorised split, no per-group
    DataFrame work)."""
    if df.empty:
        return {}
    key = df[keys[0]].astype(str).to_numpy(object)
    for k in keys[1:]:
        key = key + "|" + df[k].astype(str).to_numpy(object)
    starts = np.concatenate([[0], np.flatnonzero(key[1:] != key[:-1]) + 1])
    codes = np.split(df["uscc"].to_numpy(object), starts[1:])
    firsts = df.iloc[starts][keys].itertuples(index=False, name=None)
    return {(k if len(keys) > 1 else k[0]): c.tolist()
            for k, c in zip(firsts, codes, strict=True)}  # fmt: skip


def _records(
    camp: Commitment, draw: drawing.Draw, hashes: frames.FrameHashes, ids: dict[str, str],
    in_force: dict[str, str], reason: str | None, committed_at: str,
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:  # fmt: skip
    """plan_id -> (public record, auditor record)."""
    sel = draw.selections
    by_stratum = _split(sel.sort_values(["plan_id", "tier", "rank"]), ["plan_id", "tier"])
    by_plan = _split(sel.sort_values(["plan_id", "u", "uscc"]), ["plan_id"])
    notice_digest = {p["plan_id"]: p["tier_frames_digest"] for p in camp.notice["plans"]}
    rows = draw.strata.sort_values(["plan_id", "tier"]).to_dict("records")
    out = {}
    for i in range(0, len(rows), len(TIERS)):  # four strata per plan, tiers A..D
        group = rows[i : i + len(TIERS)]
        pid = group[0]["plan_id"]
        assert [r["tier"] for r in group] == list(TIERS) and {r["plan_id"] for r in group} == {pid}
        size, whole_sha = hashes.whole[pid]
        old = in_force.get(pid)
        common = {
            "algorithm": ALGORITHM, "campaign": str(draw.year), "plan_id": pid,
            "draw_id": ids[pid], "mode": draw.mode, "rehearsal": camp.rehearsal,
            "commitment_id": camp.commitment_id, "commitment_sha256": camp.notice_sha256,
            "seed_commitment": camp.seed_commitment, "secret": camp.secret,
            "beacon": draw.beacon, "seed": draw.seed,
            "prn_seed": prn_seed(draw.seed, pid, draw.mode),
            "supersedes": old, "reason": reason if old else None,
        }  # fmt: skip
        public = {
            **common, "format": RECORD_FORMAT,
            "commitment_published_at": camp.published_at, "committed_at": committed_at,
            "frame_file": frame_file(pid), "frame_size": int(size), "frame_sha256": whole_sha,
            "strata": [{"ratio_bp": int(r["ratio_bp"]), "frame_size": int(r["frame_size"]),
                        "quota": int(r["quota"])} for r in group],
            "quota": sum(int(r["quota"]) for r in group), "selected": by_plan.get(pid, []),
        }  # fmt: skip
        audit = {
            **common, "format": AUDIT_FORMAT, "prn": PRN_DEFINITION,
            "tier_salt": camp.tier_salt, "tier_frames_digest": notice_digest[pid],
            "public_record_sha256": sha256_hex(canonical_bytes(public)),
            "strata": [{
                "tier": r["tier"], "ratio_bp": int(r["ratio_bp"]),
                "frame_size": int(r["frame_size"]),
                "frame_sha256": hashes.tiers[(pid, r["tier"])][1],
                "frame_file": frame_file(pid, r["tier"]), "quota": int(r["quota"]),
                "selected": by_stratum.get((pid, r["tier"]), []),
            } for r in group],
        }  # fmt: skip
        out[pid] = (public, audit)
    return out


def _insert(con: Connection, table: str, df: pd.DataFrame, columns: str | None = None) -> None:
    """Bulk insert through Arrow."""
    name = f"_dr_in_{table}"
    con.register(name, pa.Table.from_pandas(df, preserve_index=False))
    try:
        cols = f" ({columns})" if columns else ""
        con.execute(f"INSERT INTO {table}{cols} SELECT * FROM {name}")  # noqa: S608 (our names)
    finally:
        con.unregister(name)


def counterpart_stored(con: Connection, commitment_id: str, seed: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM draw_counterparts WHERE commitment_id = ? AND seed = ?",
        [commitment_id, seed]).fetchone()[0])  # fmt: skip


def _counterpart(con: Connection, year: int, draw: drawing.Draw) -> pd.DataFrame:
    """The independent-mode selection of the whole campaign under the same secret and beacon,
    reusing the frames in the temp tables when they hold the whole campaign."""
    if draw.mode == "independent" and draw.plan_id is None:
        return draw.selections[["plan_id", "uscc"]]
    if draw.plan_id is None:
        selected, _ = drawing._select_independent(con, draw.seed)
        return selected[["plan_id", "uscc"]]
    other = drawing.compute(con, year, None, draw.secret, draw.beacon, "independent")
    return other.selections[["plan_id", "uscc"]]


def commit(
    con: Connection, year: int, actor: str, plan_id: str | None = None, secret: str | None = None,
    beacon: str = "", mode: str | None = None, reason: str | None = None,
    clock: Clock | None = None,
) -> drawing.Draw:  # fmt: skip
    """Draw and save under the notice in force (see _commit); a refusal, even one of the checks
    before the write, leaves one audit entry of the attempt (core/writes.py)."""
    detail = {"year": year, "plan_id": plan_id, "mode": mode}
    with attempt(con, actor, "sampling.draw.commit", detail):
        return _commit(con, year, actor, plan_id, secret, beacon, mode, reason, clock)


def _commit(
    con: Connection, year: int, actor: str, plan_id: str | None, secret: str | None,
    beacon: str, mode: str | None, reason: str | None, clock: Clock | None,
) -> drawing.Draw:  # fmt: skip
    """Draw and save under the notice in force, all or nothing (docs/draw-record.md §6).

    Refused unless: a notice was published; `secret`, if given, is the notice's; the mode is the
    notice's; the beacon is a clean value of the declared format; the clock is on or after the
    beacon date, which is after the notice's publication (rehearsals skip the clock); the
    frames and ratios of every drawn plan are those anchored by the notice. A plan with a draw in
    force is re-drawn only with a `reason`. Returns the Draw with its draw_ids (plan order)."""
    camp = commitment_in_force(con, year)
    if camp is None:
        raise Refused("draw.no_commitment", year=year)
    if secret is not None and seed_commitment(secret) != camp.seed_commitment:
        raise Refused("draw.secret_mismatch", commitment=camp.seed_commitment[:16])
    mode = mode or camp.mode
    if mode != camp.mode:
        raise Refused("draw.mode_not_committed", mode=mode, committed=camp.mode)
    check_beacon(beacon, camp.beacon_format)
    moment = now(clock)
    _check_timing(camp, moment)
    try:
        draw = drawing.compute_in_temp(con, year, plan_id, camp.secret, beacon, mode)
        draw.rehearsal = camp.rehearsal
        plan_ids = sorted(draw.strata["plan_id"].unique())
        hashes = _check_anchored(con, camp, draw)
        in_force = dict(con.execute(
            "SELECT d.plan_id, d.draw_id FROM current_draws d "
            "LEFT JOIN draw_commits c USING (draw_id) "
            "WHERE d.year = ? AND (NOT coalesce(c.rehearsal, false) OR ?)",
            [year, camp.rehearsal]).fetchall())  # fmt: skip
        redrawn = [p for p in plan_ids if p in in_force]
        if redrawn and not (reason and reason.strip()):
            raise Refused("draw.redraw_needs_reason", n=len(redrawn), plan=redrawn[0],
                          draw=in_force[redrawn[0]])  # fmt: skip
        counts = dict(con.execute(
            "SELECT plan_id, count(*) FROM draws WHERE year = ? GROUP BY plan_id", [year]
        ).fetchall())  # fmt: skip
        committed_at = iso(moment)
        batches = con.execute("SELECT count(DISTINCT batch_id) FROM draws").fetchone()[0]
        batch_id = f"{year}-b{batches + 1}-{committed_at}"
        ids = {p: f"{p}-d{counts.get(p, 0) + 1}" for p in plan_ids}
        records = _records(camp, draw, hashes, ids, in_force, reason, committed_at)
        draws_df = pd.DataFrame([{
            "draw_id": ids[p], "year": year, "plan_id": p, "mode": mode, "algorithm": ALGORITHM,
            "seed_commitment": camp.seed_commitment, "secret": camp.secret, "beacon": beacon,
            "seed": draw.seed, "committed_at": committed_at, "committed_by": actor,
            "supersedes": in_force.get(p), "reason": reason if in_force.get(p) else None,
            "record_json": canonical_bytes(records[p][1]).decode("utf-8"),
            "batch_id": batch_id, "prn_seed": prn_seed(draw.seed, p, mode),
        } for p in plan_ids])  # fmt: skip
        commits_df = pd.DataFrame([{
            "draw_id": ids[p], "commitment_id": camp.commitment_id,
            "commitment_published_at": camp.published_at, "beacon_date": camp.beacon_date,
            "committed_at": committed_at, "rehearsal": camp.rehearsal,
            "frame_size": hashes.whole[p][0], "frame_sha256": hashes.whole[p][1],
            "public_json": canonical_bytes(records[p][0]).decode("utf-8"),
        } for p in plan_ids])  # fmt: skip
        ids_df = pd.DataFrame(list(ids.items()), columns=["plan_id", "draw_id"])
        strata_df = draw.strata.merge(ids_df, on="plan_id")
        strata_df["frame_sha256"] = [hashes.tiers[(p, t)][1]
                                     for p, t in zip(strata_df.plan_id, strata_df.tier,
                                                     strict=True)]  # fmt: skip
        strata_df = strata_df[["draw_id", "tier", "ratio_bp", "frame_size", "frame_sha256",
                               "quota"]]  # fmt: skip
        sel_df = draw.selections.merge(ids_df, on="plan_id")[
            ["draw_id", "plan_id", "uscc", "tier", "u", "rank"]]  # fmt: skip
        need_counterpart = not counterpart_stored(con, camp.commitment_id, draw.seed)
        counterpart = _counterpart(con, year, draw) if need_counterpart else None
        detail = {
            "year": year, "plan_id": plan_id, "mode": mode, "batch_id": batch_id,
            "commitment_id": camp.commitment_id, "rehearsal": camp.rehearsal,
            "draws": len(plan_ids), "selected": draw.total_selected, "seed": draw.seed,
            "beacon": beacon, "superseded": len(redrawn), "reason": reason,
        }  # fmt: skip
        with unit_of_work(con, actor, "sampling.draw.commit", detail):
            _insert(con, "draws", draws_df, ", ".join(draws_df.columns))
            _insert(con, "draw_strata", strata_df)
            _insert(con, "draw_selections", sel_df, ", ".join(sel_df.columns))
            _insert(con, "draw_commits", commits_df, ", ".join(commits_df.columns))
            if counterpart is not None:
                cp = counterpart.assign(commitment_id=camp.commitment_id, seed=draw.seed)
                _insert(con, "draw_counterparts", cp[["commitment_id", "seed", "plan_id", "uscc"]])
        draw.draw_ids = [ids[p] for p in plan_ids]
        return draw
    finally:
        frames.drop_temp(con)
