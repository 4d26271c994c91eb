"""The assignment rule suicha-assign-sha256-v1, in the words docs/assignment-rule.md uses.

For each visit of the campaign (in order of window start, then visit id) and each of its
participating departments (sorted by code), the department's eligible inspectors are ordered by
k = int.from_bytes(sha256(f"{S}|{visit_id}|{inspector_id}").digest()[:8], "big") (ties by
inspector id), S the campaign seed of the committed draws; the department takes the first
`need` of them who are below their cap. need = 2 when the visit has one department, else 1 per
department (so every visit has at least two inspectors and one per participating department).
A visit is staffed only when every department fills its need; otherwise nobody is taken for it
(no load is consumed) and each failing department is listed with the reason."""

from __future__ import annotations

import hashlib

from core import settings

ALGORITHM = "suicha-assign-sha256-v1"
# visits (onsite and desk) per inspector per campaign, unless a department sets its own
DEFAULT_CAP = int(settings.value("inspector_cap_per_campaign"))

# Reasons a department cannot staff a visit, in the order they are tested.
REASONS = ("no_qualified", "recused", "cap")
RULES = ("conflict", "previous_campaign")  # recusal rules; 'conflict' wins when both apply


def key(seed: str, visit_id: str, inspector_id: str) -> int:
    """The inspector's draw number for the visit (smaller comes first)."""
    digest = hashlib.sha256(f"{seed}|{visit_id}|{inspector_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def key_sql(seed_expr: str, visit_expr: str, inspector_expr: str) -> str:
    """The same number in DuckDB SQL: the first 16 hex digits of the SHA-256 hex, as UBIGINT."""
    return (
        f"CAST('0x' || substr(sha256({seed_expr} || '|' || {visit_expr} || '|' || "
        f"{inspector_expr}), 1, 16) AS UBIGINT)"
    )


def key_sql_text(text_expr: str) -> str:
    """key_sql of an expression that already is the text f"{S}|{visit_id}|{inspector_id}"."""
    return f"CAST('0x' || left(sha256({text_expr}), 16) AS UBIGINT)"


def need(n_departments: int) -> int:
    """Inspectors one department sends to a visit with `n_departments` departments."""
    return 2 if n_departments <= 1 else 1
