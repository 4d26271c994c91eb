"""Commit, then reveal (issue 18.1-18.2, docs/draw-record.md §1, §6).

A campaign's commitment notice is published (stored with its time) before any of its draws can
be committed. It fixes the secret (by its sha256), the beacon (source, declared format, and a
date after the publication), the mode, the ratio table and every plan's frames (whole-frame
sha256 for the public, a salted digest of the tier frames for auditors), and keeps the anchored
frames compactly (members and plan cells) so the frame files can be re-derived byte for byte.

A secret supplied by a person makes a rehearsal campaign: marked as such in the notice, the
draws, the records, and never publishable as real."""

from __future__ import annotations

import json
import secrets as secrets_module
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import pyarrow as pa

from core.db import Connection
from core.refusal import Refused
from core.sampling import frames
from core.sampling.draw import check_ready
from core.sampling.prn import (
    ALGORITHM,
    DEFAULT_BEACON_FORMAT,
    DEFAULT_BEACON_SOURCE,
    canonical_bytes,
    check_beacon_format,
    check_mode,
    seed_commitment,
    sha256_hex,
)
from core.sampling.ratios import ratio_table
from core.vocab import TIERS, TZ
from core.writes import attempt, checkpoint, unit_of_work

NOTICE_FORMAT = "suicha-draw-commitment-v1"
SECRET_MIN_HEX = 32  # 128 bits

Clock = Callable[[], datetime]


def now(clock: Clock | None = None) -> datetime:
    """The current time in Asia/Shanghai; tests inject `clock`."""
    moment = clock() if clock is not None else datetime.now(TZ)
    return moment.astimezone(TZ) if moment.tzinfo else moment.replace(tzinfo=TZ)


def earliest_beacon_date(clock: Clock | None = None) -> date:
    """The first beacon date a notice published now may name: the day after today on the
    notice's clock (Asia/Shanghai, whatever the server's own time zone)."""
    return now(clock).date() + timedelta(days=1)


def iso(moment: datetime) -> str:
    return moment.astimezone(TZ).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Commitment:
    commitment_id: str
    year: int
    rehearsal: bool
    mode: str
    secret: str = field(repr=False)
    seed_commitment: str = ""
    tier_salt: str = field(default="", repr=False)
    beacon_source: str = ""
    beacon_format: str = ""
    beacon_date: date | None = None
    published_at: str = ""
    published_by: str = ""
    supersedes: str | None = None
    notice_json: str = field(default="", repr=False)
    notice_sha256: str = ""

    @property
    def notice(self) -> dict[str, Any]:
        return json.loads(self.notice_json)


_COLUMNS = (
    "commitment_id, year, rehearsal, mode, secret, seed_commitment, tier_salt, beacon_source, "
    "beacon_format, beacon_date, published_at, published_by, supersedes, notice_json, "
    "notice_sha256"
)


def commitment_in_force(con: Connection, year: int) -> Commitment | None:
    """The campaign's latest commitment notice (by its sequence number), or None."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM draw_commitments WHERE year = ? "  # noqa: S608 (constant)
        "ORDER BY CAST(split_part(commitment_id, '-c', 2) AS INTEGER) DESC LIMIT 1",
        [year],
    ).fetchall()
    return Commitment(*rows[0]) if rows else None


def get_commitment(con: Connection, commitment_id: str) -> Commitment | None:
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM draw_commitments WHERE commitment_id = ?",  # noqa: S608
        [commitment_id],
    ).fetchall()
    return Commitment(*rows[0]) if rows else None


def commitment_notice(con: Connection, year: int) -> dict[str, Any] | None:
    """The notice in force, exactly as published (docs/draw-record.md §1)."""
    found = commitment_in_force(con, year)
    return found.notice if found else None


def is_rehearsal(con: Connection, year: int) -> bool:
    """True when the campaign's notice in force is a rehearsal (never publishable as real)."""
    found = commitment_in_force(con, year)
    return bool(found and found.rehearsal)


def _fresh_secret() -> str:
    secret = secrets_module.token_hex(32)  # 256 bits
    assert len(secret) >= SECRET_MIN_HEX
    return secret


def publish_commitment(
    con: Connection, year: int, actor: str, beacon_date: date,
    beacon_source: str = DEFAULT_BEACON_SOURCE, beacon_format: str = DEFAULT_BEACON_FORMAT,
    mode: str = "coordinated", secret: str | None = None, clock: Clock | None = None,
) -> Commitment:  # fmt: skip
    """Create and publish the campaign's commitment notice (a new one supersedes the one in
    force). `secret` given: a rehearsal campaign. Returns the stored commitment. A refusal,
    even one of the checks before the write, leaves one audit entry of the attempt."""
    with attempt(con, actor, "sampling.commitment.publish", {"year": year, "mode": mode}):
        return _publish_commitment(con, year, actor, beacon_date, beacon_source, beacon_format,
                                   mode, secret, clock)  # fmt: skip


def _publish_commitment(
    con: Connection, year: int, actor: str, beacon_date: date, beacon_source: str,
    beacon_format: str, mode: str, secret: str | None, clock: Clock | None,
) -> Commitment:  # fmt: skip
    check_ready(con, year, None)
    check_mode(mode)
    check_beacon_format(beacon_format)
    if not isinstance(beacon_source, str) or not beacon_source.strip():
        raise Refused("draw.beacon_source_empty")
    moment = now(clock)
    if not isinstance(beacon_date, date) or beacon_date <= moment.date():
        raise Refused("draw.beacon_date_not_after", date=str(beacon_date),
                      published=moment.date().isoformat())  # fmt: skip
    rehearsal = secret is not None
    if rehearsal and not secret:
        raise Refused("draw.secret_empty")
    previous = commitment_in_force(con, year)
    if rehearsal and previous is not None and not previous.rehearsal:
        raise Refused("draw.rehearsal_after_real", year=year)
    secret = secret if rehearsal else _fresh_secret()
    salt = secrets_module.token_hex(16)
    n = con.execute("SELECT count(*) FROM draw_commitments WHERE year = ?", [year]).fetchone()[0]
    commitment_id = f"{year}-c{n + 1}"
    try:
        frames.build(con, year, None, None)
        strata = frames.strata(con)
        plan_ids = sorted(strata["plan_id"].unique())
        hashes = frames.frame_hashes(con, plan_ids)
        table = ratio_table(con, year)
        classes = dict(zip(strata["plan_id"], strata["item_class"], strict=False))
        plans = []
        for p in plan_ids:
            size, sha = hashes.whole[p]
            tier_sha = {t: hashes.tiers[(p, t)][1] for t in TIERS}
            plans.append({
                "plan_id": p, "item_class": classes[p], "frame_size": size, "frame_sha256": sha,
                "tier_frames_digest": frames.tier_frames_digest(salt, p, tier_sha),
            })  # fmt: skip
        notice = {
            "format": NOTICE_FORMAT, "algorithm": ALGORITHM, "campaign": str(year),
            "commitment_id": commitment_id,
            "supersedes": previous.commitment_id if previous else None,
            "rehearsal": rehearsal, "mode": mode, "seed_commitment": seed_commitment(secret),
            "beacon": {"source": beacon_source, "format": beacon_format,
                       "date": beacon_date.isoformat()},
            "published_at": iso(moment), "ratio_table": table,
            "ratio_table_sha256": sha256_hex(canonical_bytes(table)), "plans": plans,
        }  # fmt: skip
        body = canonical_bytes(notice)
        anchored = strata[["plan_id", "tier", "ratio_bp", "frame_size"]].copy()
        anchored["frame_sha256"] = [
            hashes.tiers[(p, t)][1] for p, t in zip(anchored.plan_id, anchored.tier, strict=True)
        ]
        anchored.insert(0, "commitment_id", commitment_id)
        detail = {"year": year, "commitment_id": commitment_id, "rehearsal": rehearsal,
                  "seed_commitment": notice["seed_commitment"], "beacon": notice["beacon"],
                  "notice_sha256": sha256_hex(body), "plans": len(plans)}  # fmt: skip
        with unit_of_work(con, actor, "sampling.commitment.publish", detail):
            con.execute(
                f"INSERT INTO draw_commitments ({_COLUMNS}) "  # noqa: S608 (constant)
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [commitment_id, year, rehearsal, mode, secret, notice["seed_commitment"], salt,
                 beacon_source, beacon_format, beacon_date, notice["published_at"], actor,
                 notice["supersedes"], body.decode("utf-8"), sha256_hex(body)],
            )  # fmt: skip
            con.register("_dr_anchored", pa.Table.from_pandas(anchored, preserve_index=False))
            try:
                con.execute("INSERT INTO draw_commitment_strata SELECT * FROM _dr_anchored")
            finally:
                con.unregister("_dr_anchored")
            con.execute(
                "INSERT INTO draw_frame_members SELECT ?, uscc, cell, tier FROM _dr_members",
                [commitment_id],
            )
            con.execute(
                "INSERT INTO draw_frame_plan_cells SELECT ?, plan_id, cell FROM _dr_plan_cells",
                [commitment_id],
            )
            con.execute(  # the legacy one-row-per-year view of the campaign, kept in step
                "INSERT INTO campaigns VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET "
                "secret = excluded.secret, seed_commitment = excluded.seed_commitment, "
                "beacon_source = excluded.beacon_source, created_at = excluded.created_at",
                [year, secret, notice["seed_commitment"], beacon_source, notice["published_at"]],
            )
    finally:
        frames.drop_temp(con)
    checkpoint(con)  # the anchored frames go into the file now, not into the draw's commit
    return get_commitment(con, commitment_id)  # type: ignore[return-value]


def commitments(con: Connection, year: int | None = None) -> pd.DataFrame:
    """Every published notice (public columns), newest first."""
    return con.execute(
        "SELECT commitment_id, year, rehearsal, mode, seed_commitment, beacon_source, "
        "beacon_format, beacon_date, published_at, published_by, supersedes, notice_sha256 "
        "FROM draw_commitments WHERE $year IS NULL OR year = $year "
        "ORDER BY year DESC, CAST(split_part(commitment_id, '-c', 2) AS INTEGER) DESC",
        {"year": year},
    ).df()


# ------------------------------------------------------------------------------------------
# Legacy reading of the campaign row (sampling_report, publication's notices)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Campaign:
    year: int
    seed_commitment: str
    beacon_source: str
    created_at: str
    secret: str = field(repr=False)


def get_campaign(con: Connection, year: int) -> Campaign | None:
    rows = con.execute(
        "SELECT year, seed_commitment, beacon_source, created_at, secret FROM campaigns "
        "WHERE year = ?",
        [year],
    ).fetchall()
    return Campaign(*rows[0]) if rows else None
