"""Differential sampling: ratio tables by item class and risk tier, and the verifiable draw
`suicha-prn-sha256-v1` (DESIGN.md, docs/draw-record.md), committed only after its campaign's
commitment notice was published.

    ratios    ratio tables and their rules
    prn       seeds, u(c), quotas, beacon formats
    frames    frames from cells, frame files and their hashes (temp tables, in memory)
    draw      the draw itself (preview: nothing written)
    campaign  the commitment notice (commit before reveal; rehearsals)
    commit    committing draws: checks against the notice, records, one bulk write
    records   reading committed draws, records and frame files
    prn_batch u for millions of codes at once (numba; imported by the first draw)

Why PRNs: every target gets a random number u(c) from SHA-256 of the campaign seed and its
code; a stratum's sample is its `quota` smallest u. Nobody can steer it (the seed mixes a secret
committed beforehand with a public beacon known only later) and anyone can re-run it from the
published record with `hashlib` alone."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.db import Connection
from core.refusal import Refused
from core.sampling import frames
from core.sampling.campaign import (
    Campaign,
    Commitment,
    commitment_in_force,
    commitment_notice,
    commitments,
    get_campaign,
    get_commitment,
    is_rehearsal,
    publish_commitment,
)
from core.sampling.commit import AUDIT_FORMAT, RECORD_FORMAT, commit, frame_file
from core.sampling.draw import CUTOFF_SLACK, CUTOFF_Z, Draw, check_ready, compute
from core.sampling.prn import (
    ALGORITHM,
    BEACON_FORMATS,
    BP,
    DEFAULT_BEACON_FORMAT,
    DEFAULT_BEACON_SOURCE,
    EMPTY_SHA256,
    MODES,
    PRN_DEFINITION,
    TWO_64,
    campaign_seed,
    canonical_bytes,
    check_beacon,
    prn,
    prn_seed,
    quota,
    seed_commitment,
)
from core.sampling.ratios import (
    RULES,
    RatioRuleError,
    check_ratios,
    clear_plan_ratios,
    default_ratios,
    plan_overrides,
    ratio_table,
    save_default_ratios,
    save_plan_ratios,
)
from core.sampling.records import (
    audit_record,
    batch_records,
    committed_draws,
    draw_record,
    draw_rehearsal,
    frame_file_bytes,
    frame_files,
    independent_counterpart,
    public_record,
    tier_frames,
)
from core.vocab import ITEM_CLASSES, TIERS, TZ


def first_row(con: Connection, sql: str, params: Any = None) -> tuple | None:
    """The first row, with the result fetched to the end."""
    rows = (
        con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    )
    return rows[0] if rows else None


DrawRefused = Refused  # every refusal of the draw is a Refused with a message key (draw.*)

__all__ = [
    "ALGORITHM", "AUDIT_FORMAT", "BEACON_FORMATS", "BP", "CUTOFF_SLACK", "CUTOFF_Z",
    "DEFAULT_BEACON_FORMAT", "DEFAULT_BEACON_SOURCE", "EMPTY_SHA256", "ITEM_CLASSES", "MODES",
    "PRN_DEFINITION", "RECORD_FORMAT", "RULES", "TIERS", "TWO_64", "TZ", "Campaign", "Commitment",
    "Draw", "DrawRefused", "RatioRuleError", "Refused", "audit_record", "batch_records",
    "campaign_seed", "canonical_bytes", "check_beacon", "check_ratios", "check_ready",
    "clear_plan_ratios", "commit", "commitment_in_force", "commitment_notice", "commitments",
    "committed_draws", "default_ratios", "draw_record", "draw_rehearsal", "first_row", "frame_file",
    "frame_file_bytes", "frame_files", "get_campaign", "get_commitment", "independent_counterpart",
    "is_rehearsal", "plan_overrides", "preview", "prn", "prn_seed", "public_record",
    "publish_commitment", "quota", "ratio_table", "save_default_ratios", "save_plan_ratios",
    "seed_commitment", "stratum_sizes", "tier_frames",
]  # fmt: skip


def preview(
    con: Connection, year: int, plan_id: str | None = None, secret: str | None = None,
    beacon: str = "", mode: str = "coordinated",
) -> Draw:  # fmt: skip
    """Quotas and the selection, computed in memory: nothing is written, ever.

    `plan_id` None draws every plan of the year; `secret` None uses the commitment's secret
    (refused when the campaign has none yet)."""
    if secret is None:
        camp = commitment_in_force(con, year) or get_campaign(con, year)
        if camp is None:
            raise Refused("draw.no_secret", year=year)
        secret = camp.secret
    return compute(con, year, plan_id, secret, beacon, mode)


def stratum_sizes(con: Connection, year: int, plan_id: str | None = None) -> pd.DataFrame:
    """Frame size of every stratum (plan x tier) of a campaign, without drawing or writing:
    DataFrame(plan_id, item_class, tier, frame_size), four rows per plan (for the simulator)."""
    try:
        frames.build(con, year, plan_id, None)
        return con.execute(
            "SELECT plan_id, item_class, tier, frame_size FROM _dr_strata ORDER BY plan_id, tier"
        ).df()
    finally:
        frames.drop_temp(con)


def warm_up() -> None:
    """Load the draw's compiled kernels (about 0.3 s once per process; compiling them, the first
    time after a checkout, about 6 s), so that the first preview a user starts does not wait."""
    from core.sampling import prn_batch

    prn_batch.warm_up()
