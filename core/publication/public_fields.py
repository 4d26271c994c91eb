"""The allow-lists: a field that is not on them cannot leave, whatever a query returns."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from core.db import Connection

# Every key a public JSON notice may carry, at any depth. Nothing else may leave.
PUBLIC_KEYS = frozenset(
    {
        # plan notices
        "plan_id", "year", "name", "kind", "item_class", "level", "period_start", "period_end",
        "lead_dept", "departments", "code", "role", "items", "item_code", "method",
        "legal_basis", "subject", "frame", "kinds", "industries", "districts",
        "streets", "campaign", "seed_commitment", "beacon_source", "draw", "draw_record",
        "algorithm", "mode", "committed_at", "strata", "stratum", "frame_size", "ratio_bp",
        "quota", "total_quota",
        # result notices
        "enterprise_name", "uscc", "plans", "completed_on", "outcome_codes", "outcome",
        "category", "simulated",
        # publication metadata
        "publication_id", "version", "supersedes", "reason", "published_at", "notice",
    }
)  # fmt: skip

# Columns of the tabular exports (CSV, XLSX), per table.
PUBLIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "plan_notices": (
        "publication_id", "version", "supersedes", "reason", "published_at", "plan_id", "name",
        "year", "kind", "item_class", "level", "lead_dept", "departments", "items", "frame",
        "period_start", "period_end", "seed_commitment", "beacon_source", "total_quota",
    ),
    "result_notices": (
        "publication_id", "version", "supersedes", "reason", "published_at", "enterprise_name",
        "uscc", "plans", "departments", "completed_on", "item_code", "item_name",
        "outcome_codes", "outcome", "category", "simulated",
    ),
}  # fmt: skip


class NotPublic(ValueError):
    """A field outside the public allow-list was about to be exported."""


def assert_public_json(obj: Any, path: str = "$") -> None:
    """Raise NotPublic if any key at any depth of `obj` is not in PUBLIC_KEYS."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key not in PUBLIC_KEYS:
                raise NotPublic(f"{path}.{key} is not a public field")
            assert_public_json(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            assert_public_json(value, f"{path}[{i}]")


def assert_public_table(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return `df` restricted to, and ordered as, the table's public columns; refuse others."""
    allowed = PUBLIC_COLUMNS[table]
    extra = [c for c in df.columns if c not in allowed]
    if extra:
        raise NotPublic(f"{table}: columns {extra} are not public")
    return df[[c for c in allowed if c in df.columns]]


def canonical(obj: Any) -> str:
    """JSON with sorted keys and no spaces: the text a notice's SHA-256 is taken of."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def table_exists(con: Connection, table: str, columns: tuple[str, ...] = ()) -> bool:
    """True when `table` exists with at least `columns` (optional tables of other issues)."""
    cols = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    return bool(cols) and set(columns) <= cols
