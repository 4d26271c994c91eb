"""Discovery rates from last year's inspections, with their uncertainty: per risk tier, or per
firm from the risk model's score.

Why per tier: past_inspections carry no plan, only the firm and the outcome; joined to the tiers
in force they say how often an inspection of a tier-t firm found a problem. A tier with no past
inspection falls back to the overall rate (and says so), so a scenario never divides by zero.

The risk model's propensities: the score in force mapped to a probability by a logistic fit of
last year's outcomes on the score (Platt scaling; the intercept is free, so the fitted
probabilities of the inspected firms add up to the problems found). Averaged over a stratum's
frame it gives each stratum its own rate: two strata of one tier differ when their firms' scores
do."""

from __future__ import annotations

import math

import pandas as pd

from core.db import Connection
from core.risk_calibration import fit_logistic
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


def score_model(con: Connection) -> tuple[float, float] | None:
    """(intercept, slope) of P(problem) = 1 / (1 + exp(-(intercept + slope * score))), fitted on
    last year's inspections; None without both outcomes in the history."""
    df = con.execute(
        "SELECT r.score, p.problem_found FROM past_inspections p JOIN risk r USING (uscc)"
    ).df()
    y = df["problem_found"].to_numpy(dtype=float)
    if len(df) < 2 or y.min() == y.max():
        return None
    score = df["score"].to_numpy(dtype=float)
    mean, sd = float(score.mean()), float(score.std()) or 1.0
    a, b = fit_logistic(((score - mean) / sd)[:, None], y)
    slope = float(b[0]) / sd
    return float(a) - slope * mean, slope
