"""Reading committed draws: the records and the frame files, byte for byte as hashed."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from core.db import Connection
from core.refusal import Refused
from core.sampling import frames


def committed_draws(con: Connection, year: int | None = None) -> pd.DataFrame:
    """Every committed draw, newest first, with its size, whether it is still in force and
    whether it belongs to a rehearsal campaign."""
    return con.execute(
        """
        WITH sizes AS (SELECT draw_id, count(*) AS selected FROM draw_selections GROUP BY 1)
        SELECT d.draw_id, d.year, d.plan_id, p.name AS plan_name, d.mode, d.committed_at,
               d.committed_by, d.supersedes, d.reason, d.batch_id,
               coalesce(s.selected, 0) AS selected,
               d.draw_id IN (SELECT draw_id FROM current_draws) AS in_force,
               coalesce(c.rehearsal, false) AS rehearsal, c.commitment_id
        FROM draws d LEFT JOIN plans p USING (plan_id) LEFT JOIN sizes s USING (draw_id)
        LEFT JOIN draw_commits c USING (draw_id)
        WHERE $year IS NULL OR d.year = $year
        ORDER BY d.committed_at DESC, d.draw_id
        """,
        {"year": year},
    ).df()


def draw_record(con: Connection, draw_id: str) -> dict[str, Any]:
    """The draw's full (auditor) record as stored: every key of the v1 record, tiers included."""
    rows = con.execute("SELECT record_json FROM draws WHERE draw_id = ?", [draw_id]).fetchall()
    if not rows:
        raise Refused("draw.no_draw", draw=draw_id)
    return json.loads(rows[0][0])


audit_record = draw_record


def public_record(con: Connection, draw_id: str) -> dict[str, Any]:
    """The public record (suicha-draw-record-v2, no tiers) of a draw committed under a notice."""
    rows = con.execute("SELECT public_json FROM draw_commits WHERE draw_id = ?",
                       [draw_id]).fetchall()  # fmt: skip
    if not rows:
        raise Refused("draw.no_public_record", draw=draw_id)
    return json.loads(rows[0][0])


def draw_rehearsal(con: Connection, draw_id: str) -> bool:
    rows = con.execute("SELECT rehearsal FROM draw_commits WHERE draw_id = ?", [draw_id]).fetchall()
    return bool(rows and rows[0][0])


def _commitment_of(con: Connection, draw_id: str) -> tuple[str, str] | None:
    rows = con.execute(
        "SELECT c.commitment_id, d.plan_id FROM draw_commits c JOIN draws d USING (draw_id) "
        "WHERE c.draw_id = ?",
        [draw_id],
    ).fetchall()
    return rows[0] if rows else None


def frame_files(con: Connection, draw_ids: list[str]) -> dict[str, dict[str | None, bytes]]:
    """Every frame file of the given committed draws: draw_id -> {None: whole frame bytes,
    tier: tier frame bytes}. Re-derived from the notice's anchored frames in one pass per
    notice (legacy draws: from draw_frames)."""
    out: dict[str, dict[str | None, bytes]] = {d: {} for d in draw_ids}
    if not draw_ids:
        return out
    known = con.execute(
        "SELECT c.draw_id, c.commitment_id, d.plan_id FROM draw_commits c "
        "JOIN draws d USING (draw_id) WHERE list_contains($ids, c.draw_id)",
        {"ids": draw_ids},
    ).df()
    for commitment_id, group in known.groupby("commitment_id"):
        members = con.sql(
            "SELECT uscc, cell, tier FROM draw_frame_members WHERE commitment_id = ? ORDER BY uscc",
            params=[commitment_id],
        ).to_arrow_table()
        pcs = con.execute(
            "SELECT plan_id, cell FROM draw_frame_plan_cells WHERE commitment_id = ?",
            [commitment_id],
        ).df()
        plan_ids = sorted(set(group["plan_id"]))
        _, files = frames.expand(members, pcs, plan_ids, want_bytes=True)
        for draw_id, plan_id in zip(group["draw_id"], group["plan_id"], strict=True):
            out[draw_id] = {k[1]: v for k, v in files.items() if k[0] == plan_id}
    for draw_id in set(draw_ids) - set(known["draw_id"]):  # legacy: one row per pair
        rows = con.execute(
            "SELECT tier, uscc FROM draw_frames WHERE draw_id = ? ORDER BY uscc", [draw_id]
        ).fetchall()
        by_tier: dict[str, list[str]] = {}
        for tier, uscc in rows:
            by_tier.setdefault(tier, []).append(uscc)
        out[draw_id] = {t: frames.join_codes(v) for t, v in by_tier.items()}
        out[draw_id][None] = frames.join_codes([u for _, u in rows])
    return out


def frame_file_bytes(con: Connection, draw_id: str, tier: str | None = None) -> bytes:
    """One frame file of a committed draw: the whole frame (`tier` None) or one tier frame,
    byte for byte as its sha256 in the records covers."""
    found = _commitment_of(con, draw_id)
    if found is None:
        sql = "SELECT uscc FROM draw_frames WHERE draw_id = ?"
        params: list[Any] = [draw_id]
    else:
        sql = (
            "SELECT m.uscc FROM draw_frame_plan_cells pc JOIN draw_frame_members m "
            "ON m.commitment_id = pc.commitment_id AND m.cell = pc.cell "
            "WHERE pc.commitment_id = ? AND pc.plan_id = ?"
        )
        params = list(found)
    if tier is not None:
        sql += " AND tier = ?"
        params.append(tier)
    codes = con.sql(sql + " ORDER BY uscc", params=params).to_arrow_table()["uscc"]
    codes = codes.combine_chunks()
    return frames.join_codes(codes)


def tier_frames(con: Connection, draw_id: str) -> dict[str, list[str]]:
    """A committed draw's frames by risk tier, codes ascending (auditor package only)."""
    files = frame_files(con, [draw_id])[draw_id]
    return {t: v.decode("utf-8").split("\n") for t, v in sorted(files.items(), key=str)
            if t is not None and v}  # fmt: skip


def batch_records(con: Connection, batch_id: str) -> list[dict[str, Any]]:
    """Every record of one commit (a whole-campaign draw is one batch of per-plan records)."""
    rows = con.execute(
        "SELECT record_json FROM draws WHERE batch_id = ? ORDER BY plan_id", [batch_id]
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def independent_counterpart(con: Connection, year: int) -> pd.DataFrame | None:
    """The stored independent-mode counterpart of the campaign's draws in force (plan_id, uscc),
    or None when none was stored (draws committed before it was kept)."""
    rows = con.execute(
        """
        SELECT c.commitment_id, d.seed FROM current_draws d JOIN draw_commits c USING (draw_id)
        WHERE d.year = ? GROUP BY ALL ORDER BY count(*) DESC, max(d.committed_at) DESC LIMIT 1
        """,
        [year],
    ).fetchall()
    if not rows:
        return None
    df = con.execute(
        "SELECT plan_id, uscc FROM draw_counterparts WHERE commitment_id = ? AND seed = ? "
        "ORDER BY plan_id, uscc",
        list(rows[0]),
    ).df()
    return df if not df.empty else None
