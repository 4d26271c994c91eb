"""The append-only audit trail: who did what, when, chained by SHA-256 so tampering shows."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from core.db import Connection
from core.vocab import TZ

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


# ---- the anchor: the chain's head kept outside the table -------------------------------------
#
# A chain verifies by itself only against edits in the middle: deleting its last entries, or
# rewriting every entry with fresh hashes, leaves a chain that still holds. So after every write
# (core/writes.py, after COMMIT) the head -- last seq and its row_hash -- is written to a small
# side file next to the database (`<file>.audit-head`), and every publication manifest carries it
# too (head()). verify() then also checks that the anchored entry is still there, unchanged.

ANCHOR_SUFFIX = ".audit-head"


def head(con: Connection) -> dict[str, Any]:
    """The chain's head: {"seq", "row_hash", "entries"} (seq None and GENESIS when empty)."""
    row = con.execute(
        "SELECT seq, row_hash, (SELECT count(*) FROM audit_log) FROM audit_log "
        "ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return {"seq": None, "row_hash": GENESIS, "entries": 0}
    return {"seq": int(row[0]), "row_hash": row[1], "entries": int(row[2])}


def database_file(con: Connection) -> Path | None:
    """The file behind `con` (None for an in-memory database)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def anchor_path(db_file: str | os.PathLike) -> Path:
    return Path(str(db_file) + ANCHOR_SUFFIX)


def write_anchor(con: Connection) -> dict[str, Any] | None:
    """Write the current head to the side file (atomically: a temporary file renamed)."""
    path = database_file(con)
    if path is None:
        return None
    value = {**head(con), "anchored_at": datetime.now(TZ).isoformat(timespec="seconds")}
    target = anchor_path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)
    return value


def read_anchor(con: Connection) -> dict[str, Any] | None:
    path = database_file(con)
    if path is None or not anchor_path(path).is_file():
        return None
    try:
        value = json.loads(anchor_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"unreadable": True}
    return value if isinstance(value, dict) else {"unreadable": True}


def verify(con: Connection) -> dict[str, Any]:
    """Walk the chain and compare its head with the anchor. Returns {"ok", "problem", "seq",
    "entries", "head", "anchor", "unanchored"}: problem None when all holds, else one of
    'broken' (seq: the first entry whose hashes do not hold), 'anchor_missing' (the database has
    entries but no side file), 'anchor_unreadable', 'anchored_entry_gone' (seq: the anchored
    entry was deleted: the tail was cut), 'anchored_entry_changed' (seq: the chain was
    rewritten). `unanchored` counts entries written after the anchor (by a write that did not go
    through the write path): the chain holds for them, but nothing outside vouches for them."""
    ok, broken = verify_chain(con)
    top = head(con)
    anchor = read_anchor(con)
    out: dict[str, Any] = {"ok": False, "problem": None, "seq": None, "entries": top["entries"],
                           "head": top, "anchor": anchor, "unanchored": 0}  # fmt: skip
    if not ok:
        return out | {"problem": "broken", "seq": broken}
    if anchor is None:
        if top["entries"] == 0:
            return out | {"ok": True}
        return out | {"problem": "anchor_missing"}
    if anchor.get("unreadable") or "row_hash" not in anchor:
        return out | {"problem": "anchor_unreadable"}
    if anchor.get("seq") is None:  # anchored while empty
        return out | {"ok": True, "unanchored": top["entries"]}
    row = con.execute(
        "SELECT row_hash FROM audit_log WHERE seq = ?", [int(anchor["seq"])]
    ).fetchone()
    if row is None:
        return out | {"problem": "anchored_entry_gone", "seq": int(anchor["seq"])}
    if row[0] != anchor["row_hash"]:
        return out | {"problem": "anchored_entry_changed", "seq": int(anchor["seq"])}
    later = con.execute(
        "SELECT count(*) FROM audit_log WHERE seq > ?", [int(anchor["seq"])]
    ).fetchone()[0]
    return out | {"ok": True, "unanchored": int(later)}


def describe(result: dict[str, Any], lang: str, anchor_file: str = "") -> str:
    """verify()'s result in words, in `lang` (the CLI and the About page say the same)."""
    from core.i18n import t

    values = {"seq": result["seq"], "entries": result["entries"],
              "file": anchor_file or f"*{ANCHOR_SUFFIX}"}  # fmt: skip
    if result["ok"]:
        if result["entries"] == 0:
            return t("audit.ok_empty", lang)
        text = t("audit.ok", lang, **{**values, "seq": (result["anchor"] or {}).get("seq")})
        if result["unanchored"]:
            text += " " + t("audit.unanchored", lang, n=result["unanchored"])
        return text
    return t(f"audit.{result['problem']}", lang, **values)
