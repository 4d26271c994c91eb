"""Verification for the Verify page: the standalone verifier's checks, fed from the database
(a published draw, its frames rebuilt from the registries) or from uploaded files."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from core import verify_draw_standalone as standalone
from core.db import Connection
from core.publication import draws


def verify_published(con: Connection, draw_id: str) -> dict[str, Any]:
    """Re-run a committed draw: its record as published, its frames as kept at draw time.

    A frame that does not match the record fails its SHA-256 check, which is the honest answer."""
    text = draws.draw_record(con, draw_id)
    if text is None:
        raise ValueError(f"no draw {draw_id!r}")
    record = json.loads(text)
    frames = draws.stratum_frames(con, draw_id)
    by_path = {
        str(s.get("frame_file")): draws.frame_bytes(frames.get(s.get("tier"), []))
        for s in record.get("strata", [])
        if isinstance(s, dict)
    }
    result = standalone.verify_record(record, by_path.get)
    result["record"] = f"draws/{record.get('plan_id')}.json"
    return result


def verify_uploaded(record_bytes: bytes, frames: dict[str, bytes]) -> dict[str, Any]:
    """Verify an uploaded record against uploaded frame files, matched by the path the record
    names or, since browsers upload bare file names, by its last part (e.g. D.txt)."""
    try:
        record = json.loads(record_bytes.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"the record is not JSON: {e}") from e

    def read(path: str) -> bytes | None:
        if path in frames:
            return frames[path]
        return frames.get(PurePosixPath(path).name)

    return standalone.verify_record(record, read)


def check_commitment(secret: str, commitment: str, beacon: str = "", seed: str = "") -> dict:
    """The two checks anyone can do by hand: sha256(secret) == commitment, and (when a seed is
    given) seed == sha256(secret|beacon)."""
    out = {"commitment_ok": standalone.sha256_hex(secret) == commitment.strip().lower(),
           "commitment": standalone.sha256_hex(secret)}  # fmt: skip
    if seed:
        derived = standalone.sha256_hex(f"{secret}|{beacon}")
        out |= {"seed_ok": derived == seed.strip().lower(), "seed": derived}
    return out
