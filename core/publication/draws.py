"""The committed draws as publication reads them: the draw in force per plan and its frames as
they were kept at draw time (the sampling issue's tables and its current_draws view)."""

from __future__ import annotations

import pandas as pd

from core.db import Connection


def current_draws(con: Connection, year: int) -> pd.DataFrame:
    """The draw in force for each plan of `year` (the schema's current_draws view)."""
    return con.execute(
        "SELECT draw_id, plan_id, mode, committed_at, record_json FROM current_draws "
        "WHERE year = ? ORDER BY plan_id",
        [year],
    ).df()


def stratum_frames(con: Connection, draw_id: str) -> dict[str, list[str]]:
    """A committed draw's frames by risk tier, sorted ascending (auditor data, never public).

    Read through core.sampling when it re-derives them from the frames anchored by the draw's
    commitment notice, else from `draw_frames` (draws committed before notices), so a later
    import or re-scoring cannot change what is published. The export checks every frame against
    the SHA-256 in the draw record: a mismatch is refused, never shipped."""
    from core import sampling

    tier_frames = getattr(sampling, "tier_frames", None)
    if tier_frames is not None:
        return tier_frames(con, draw_id)
    rows = con.execute(
        "SELECT tier, uscc FROM draw_frames WHERE draw_id = ? ORDER BY tier, uscc", [draw_id]
    ).fetchall()
    frames: dict[str, list[str]] = {}
    for tier, uscc in rows:
        frames.setdefault(tier, []).append(uscc)
    return frames


def frame_bytes(codes: list[str]) -> bytes:
    """A frame file: codes sorted ascending, '\\n'-joined, UTF-8, no trailing newline."""
    return "\n".join(sorted(codes)).encode("utf-8")


def draw_choices(con: Connection) -> pd.DataFrame:
    """Committed, current draws anyone may pick on the Verify page."""
    return con.execute(
        """
        SELECT d.draw_id, d.year, d.plan_id, p.name AS plan_name, d.mode, d.committed_at
        FROM current_draws d LEFT JOIN plans p USING (plan_id)
        ORDER BY d.year DESC, d.plan_id, d.committed_at DESC
        """
    ).df()


def draw_record(con: Connection, draw_id: str) -> str | None:
    """A draw's public record, exactly as committed; None for an unknown draw."""
    row = con.execute("SELECT record_json FROM draws WHERE draw_id = ?", [draw_id]).fetchone()
    return row[0] if row else None
