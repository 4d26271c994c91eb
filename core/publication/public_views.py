"""What the public pages read: the latest published plans, the enterprises drawn in them and the
published results, searchable by enterprise name or USCC. Reads only published rows."""

from __future__ import annotations

import json

import pandas as pd

from core.db import Connection


def public_plans(con: Connection, year: int, text: str = "") -> pd.DataFrame:
    """Latest published plan notices, optionally filtered by plan name or id."""
    like = f"%{text.strip()}%"
    return con.execute(
        """
        SELECT subject AS plan_id, content_json->>'name' AS name,
               content_json->>'item_class' AS item_class, content_json->>'level' AS level,
               content_json->'lead_dept'->>'name' AS lead_dept,
               content_json->>'period_start' AS period_start,
               content_json->>'period_end' AS period_end,
               TRY_CAST(content_json->'draw'->>'total_quota' AS INTEGER) AS total_quota,
               version, published_at, publication_id
        FROM publications WHERE kind = 'plan_notice' AND year = ?
          AND (subject ILIKE ? OR content_json->>'name' ILIKE ?)
        QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1
        ORDER BY subject
        """,
        [year, like, like],
    ).df()


def search_enterprise(con: Connection, year: int, text: str, limit: int = 200) -> pd.DataFrame:
    """Enterprises drawn in a published plan whose name contains `text` or whose USCC is `text`:
    one row per (enterprise, plan). Only drawn targets are searched, so this is quick at scale."""
    text = text.strip()
    if not text:
        return pd.DataFrame(columns=["uscc", "enterprise_name", "plan_id", "plan_name"])
    return con.execute(
        """
        WITH cur AS (SELECT draw_id, plan_id FROM current_draws WHERE year = ?),
        notice AS (
            SELECT subject AS plan_id, content_json->>'name' AS plan_name FROM publications
            WHERE kind = 'plan_notice' AND year = ?
            QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1),
        drawn AS (
            SELECT DISTINCT s.uscc, s.plan_id FROM draw_selections s JOIN cur USING (draw_id))
        SELECT d.uscc, t.name AS enterprise_name, d.plan_id, n.plan_name
        FROM drawn d JOIN notice n USING (plan_id)
        JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets
              WHERE uscc IN (SELECT uscc FROM drawn)) t USING (uscc)
        WHERE upper(d.uscc) = upper(?) OR t.name ILIKE ?
        ORDER BY d.uscc, d.plan_id LIMIT ?
        """,
        [year, year, text, f"%{text}%", limit],
    ).df()


def public_results(con: Connection, year: int, text: str = "") -> pd.DataFrame:
    """Latest published result notices (one row per item), filtered by enterprise or USCC."""
    like = f"%{text.strip()}%"
    rows = con.execute(
        """
        SELECT publication_id, version, published_at, content_json FROM publications
        WHERE kind = 'result_notice' AND year = ?
          AND (content_json->>'uscc' ILIKE ? OR content_json->>'enterprise_name' ILIKE ?)
        QUALIFY row_number() OVER (PARTITION BY subject ORDER BY version DESC) = 1
        ORDER BY content_json->>'completed_on' DESC, subject
        """,
        [year, like, like],
    ).fetchall()
    table = []
    for pid, version, _published_at, content in rows:
        n = json.loads(content)
        for item in n["items"]:
            table.append(
                {"enterprise_name": n["enterprise_name"], "uscc": n["uscc"],
                 "plans": "; ".join(p["name"] for p in n["plans"]),
                 "departments": "; ".join(d["name"] or d["code"] for d in n["departments"]),
                 "completed_on": n["completed_on"], "item_name": item["name"],
                 "outcome_codes": ",".join(item["outcome_codes"]),
                 "category": item["category"], "simulated": bool(n.get("simulated")),
                 "version": version, "publication_id": pid}
            )  # fmt: skip
    return pd.DataFrame(
        table,
        columns=["enterprise_name", "uscc", "plans", "departments", "completed_on", "item_name",
                 "outcome_codes", "category", "simulated", "version", "publication_id"],
    )  # fmt: skip
