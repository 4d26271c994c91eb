"""The append-only audit trail: who did what, when, chained by SHA-256 so tampering shows."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.db import Connection

TZ = ZoneInfo("Asia/Shanghai")
GENESIS = "0" * 64


def _row_hash(prev_hash: str, at: str, actor: str, action: str, detail: str) -> str:
    payload = json.dumps([prev_hash, at, actor, action, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(con: Connection, actor: str, action: str, detail: dict[str, Any]) -> int:
    """Append one entry; runs inside the caller's transaction when there is one."""
    prev = con.execute("SELECT row_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    prev_hash = prev[0] if prev else GENESIS
    at = datetime.now(TZ).isoformat(timespec="seconds")
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    row_hash = _row_hash(prev_hash, at, actor, action, detail_json)
    seq = con.execute(
        "INSERT INTO audit_log (logged_at, actor, action, detail, prev_hash, row_hash) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
        [at, actor, action, detail_json, prev_hash, row_hash],
    ).fetchone()[0]
    return int(seq)


def verify_chain(con: Connection) -> tuple[bool, int | None]:
    """(True, None) when every row's hashes hold; else (False, first broken seq)."""
    rows = con.execute(
        "SELECT seq, logged_at, actor, action, detail, prev_hash, row_hash "
        "FROM audit_log ORDER BY seq"
    ).fetchall()
    prev_hash = GENESIS
    for seq, at, actor, action, detail, stored_prev, stored_hash in rows:
        if stored_prev != prev_hash or _row_hash(prev_hash, at, actor, action, detail) != (
            stored_hash
        ):
            return False, seq
        prev_hash = stored_hash
    return True, None
