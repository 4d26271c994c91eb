"""MEASUREMENT STAND-IN for the draw: PRN selections computed in DuckDB SQL, never saved.

The real draw is core/sampling.py (the sampling issue). Until it is merged, the merge engine needs
selections to be measured on, and a coordinated draw needs its independent counterpart (same
plans, same quotas) to tell round 2 (集中抽取) from round 3 (系统对碰). This module gives both,
following `suicha-prn-sha256-v1` as far as the merge needs it:

- a target's number is the first 8 bytes of sha256(f"{S}|{uscc}") (coordinated) or
  sha256(f"{S}|{plan_id}|{uscc}") (independent), read as an unsigned integer;
- a stratum's `quota` members with the smallest number are drawn, ties by code.

What it simplifies: `simulate_selections` draws one stratum per plan at the plan's nominal ratio
(the mean `ratio_bp` of its items), not the class x tier ratio table of the sampling issue.
`independent_counterpart` copies the quotas of the committed draws stratum by stratum, so its
task-target pairs equal theirs exactly. At integration the lead replaces the callers' use of this
module (core.merge.independent_counterpart is the single seam) with core.sampling's preview.
"""

from __future__ import annotations

import pandas as pd

from core.db import Connection

FRAME_SQL = """
    SELECT p.plan_id, t.uscc, t.district
    FROM (SELECT plan_id, frame_kinds, frame_districts, frame_streets,
                 unnest(frame_industries) AS industry
          FROM plans WHERE year = $year
            AND (CAST($plans AS VARCHAR[]) IS NULL
                 OR list_contains(CAST($plans AS VARCHAR[]), plan_id))) p
    JOIN targets t ON t.industry = p.industry
    WHERE list_contains(p.frame_kinds, t.kind)
      AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
      AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street))
"""

# First 8 bytes of the SHA-256 digest as an unsigned integer: the same order as DESIGN.md's u.
PRN_COORDINATED = "CAST('0x' || substr(sha256($seed || '|' || f.uscc), 1, 16) AS UBIGINT)"
PRN_INDEPENDENT = (
    "CAST('0x' || substr(sha256($seed || '|' || f.plan_id || '|' || f.uscc), 1, 16) AS UBIGINT)"
)


def _prn(mode: str) -> str:
    if mode not in ("coordinated", "independent"):
        raise ValueError(f"mode must be coordinated or independent, not {mode!r}")
    return PRN_COORDINATED if mode == "coordinated" else PRN_INDEPENDENT


def simulate_selections(
    con: Connection, year: int, mode: str, seed: str, plan_ids: list[str] | None = None
) -> pd.DataFrame:
    """(plan_id, uscc) of a whole-campaign draw (or of `plan_ids` only) at each plan's nominal
    ratio, one stratum per plan: quota = min(N, ceil(N * bp / 10000)) with bp the mean ratio of
    the plan's items."""
    prn = _prn(mode)
    sql = f"""
        WITH ratio AS (
            SELECT pi.plan_id, CAST(round(avg(i.ratio_bp)) AS BIGINT) AS bp
            FROM plan_items pi JOIN items i USING (item_code) GROUP BY pi.plan_id
        ),
        frame AS ({FRAME_SQL}),
        sized AS (
            SELECT f.plan_id, f.uscc, {prn} AS u,
                   count(*) OVER (PARTITION BY f.plan_id) AS n_frame
            FROM frame f
        )
        SELECT s.plan_id, s.uscc
        FROM sized s JOIN ratio r USING (plan_id)
        QUALIFY row_number() OVER (PARTITION BY s.plan_id ORDER BY s.u, s.uscc)
                <= least(s.n_frame, (s.n_frame * r.bp + 9999) // 10000)
        ORDER BY s.plan_id, s.uscc
    """  # noqa: S608 (the PRN expression is one of two constants chosen by _prn)
    return con.execute(sql, {"year": year, "seed": seed, "plans": plan_ids}).df()


def independent_counterpart(con: Connection, year: int) -> pd.DataFrame:
    """(plan_id, uscc) of the independent-mode draw with the committed draws' seed and quotas:
    per (plan, risk tier) stratum as many targets as the committed draw selected, ranked by
    sha256(f"{S}|{plan_id}|{uscc}"). The tier comes from `risk` when it has rows (the sampling
    issue's strata), else the plan is one stratum."""
    has_risk = con.execute("SELECT count(*) > 0 FROM risk").fetchall()[0][0]
    quota_tier = "s.tier" if has_risk else "'*'"  # without risk tiers a plan is one stratum
    quota_sql = f"""
        SELECT s.plan_id, {quota_tier} AS tier, count(*) AS quota, any_value(d.seed) AS seed
        FROM draw_selections s JOIN draws d USING (draw_id, plan_id)
        WHERE d.year = $year AND d.draw_id NOT IN
              (SELECT supersedes FROM draws WHERE supersedes IS NOT NULL)
        GROUP BY ALL
    """  # noqa: S608 (quota_tier is one of two constants)
    tier = "r.tier" if has_risk else "q.tier"
    risk_join = "JOIN risk r ON r.uscc = f.uscc" if has_risk else ""
    tier_match = "AND r.tier = q.tier" if has_risk else ""
    sql = f"""
        WITH quota AS ({quota_sql}),
        frame AS ({FRAME_SQL}),
        ranked AS (
            SELECT f.plan_id, f.uscc, {tier} AS tier, q.quota,
                   CAST('0x' || substr(sha256(q.seed || '|' || f.plan_id || '|' || f.uscc), 1, 16)
                        AS UBIGINT) AS u
            FROM frame f {risk_join} JOIN quota q ON q.plan_id = f.plan_id {tier_match}
        )
        SELECT plan_id, uscc FROM ranked
        QUALIFY row_number() OVER (PARTITION BY plan_id, tier ORDER BY u, uscc) <= quota
        ORDER BY plan_id, uscc
    """  # noqa: S608 (fragments are constants chosen above, values are parameters)
    return con.execute(sql, {"year": year, "plans": None}).df()
