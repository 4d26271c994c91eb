"""Discovery rates per risk tier from last year's inspections, with their uncertainty.

Why per tier: past_inspections carry no plan, only the firm and the outcome; joined to the tiers
in force they say how often an inspection of a tier-t firm found a problem. A tier with no past
inspection falls back to the overall rate (and says so), so a scenario never divides by zero."""

from __future__ import annotations

import math

import pandas as pd

from core.db import Connection
from core.stats import wilson
from core.vocab import TIERS


def tier_rates(con: Connection) -> pd.DataFrame:
    """tier, inspections, problems, rate, se, lo, hi (95 % Wilson), fallback: one row per tier."""
    df = con.execute(
        """
        SELECT r.tier, count(*)::BIGINT AS inspections,
               sum(CASE WHEN p.problem_found THEN 1 ELSE 0 END)::BIGINT AS problems
        FROM past_inspections p JOIN risk r USING (uscc)
        GROUP BY r.tier
        """
    ).df()
    df = df.set_index("tier").reindex(list(TIERS)).fillna(0).astype("int64")
    total_n, total_k = int(df["inspections"].sum()), int(df["problems"].sum())
    out = []
    for tier in TIERS:
        n, k = int(df.loc[tier, "inspections"]), int(df.loc[tier, "problems"])
        fallback = n == 0
        if fallback:
            n, k = total_n, total_k
        rate = k / n if n else 0.0
        lo, hi = wilson(k, n)
        se = math.sqrt(rate * (1 - rate) / n) if n else 0.0
        out.append({
            "tier": tier, "inspections": n, "problems": k, "rate": rate, "se": se,
            "lo": lo, "hi": hi, "fallback": fallback,
        })  # fmt: skip
    return pd.DataFrame(out)
