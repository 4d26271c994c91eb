"""A hidden ground truth and a past year of inspections for the synthetic directory.

Each target gets a true violation propensity driven by its factors (effects that differ from
the policy's default weights), its industry, and noise that no register records. Last year's
inspections (2025) are drawn the way a risk-targeted office would have drawn them, and each
found a problem with the target's true propensity. Calibration (core/risk_calibration.py) sees
only the outcomes; the propensity stays in `synth_truth`, which scoring never reads.

Deterministic for a seed: its own random streams, per chunk of the targets' insertion order.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from scipy.optimize import brentq
from scipy.special import expit

from core import risk, risk_calibration
from core.db import Connection

CHUNK = 500_000
YEAR = 2025
# Shenzhen inspected about 106,000 of 6.43 M targets a year and found problems in 19.55 %.
INSPECTIONS_PER_TARGET = 106_000 / 6_430_000
DISCOVERY_RATE = 0.1955
NOISE_SD = 0.9  # unrecorded causes: the part no factor model can see

# True effects on the log-odds of a problem (the world, not the policy's guess).
TRUE_EFFECTS = {
    "young_firm": 0.45,
    "micro_capital": 0.15,
    "legal_rep_changes": 0.4,
    "address_changes": 0.35,
    "low_paid_in": 0.3,
    "tax_arrears": 0.4,
    "social_security_arrears": 0.5,
    "firms_at_address": 0.3,
    "abnormal_list": 1.1,
    "serious_violation": 1.2,
    "judgment_defaulter": 0.5,
    "penalties_3y": 0.9,
    "past_findings": 1.2,
    "annual_report_overdue": 0.8,
    "licence_revoked": 0.3,
    "related_abnormal_rate": 1.5,
    "related_penalty_rate": 1.0,
    "complaints_12m": 0.9,
    "negative_media": 0.5,
    "red_list": -0.9,
    "yellow_list": 0.7,
    "black_list": 1.3,
}
# Food, catering and retail carry more problems than the factors show (an unrecorded effect).
RISKY_DIVISIONS = ("51", "52", "62")
RISKY_DIVISION_EFFECT = 0.4
# Last year's office targeted on a few visible flags (selection on recorded factors only).
SELECTION_FLAGS = "abnormal_list::INT + annual_report_overdue::INT + (past_findings > 0)::INT + (complaints_12m > 0)::INT"  # noqa: E501
SELECTION_STRENGTH = 0.8


def _truth_sql() -> str:
    eta = " + ".join(f"{v!r} * ({risk._BY_KEY[k].sql})" for k, v in TRUE_EFFECTS.items())
    divisions = ", ".join(f"'{d}'" for d in RISKY_DIVISIONS)
    return f"""
        SELECT rowid AS rid, uscc,
               {eta} + CASE WHEN substr(industry, 1, 2) IN ({divisions})
                            THEN {RISKY_DIVISION_EFFECT} ELSE 0 END AS eta,
               {SELECTION_FLAGS} AS flags
        FROM targets
    """  # noqa: S608 (every piece is a constant of this module or core/risk.py)


def build(con: Connection, seed: int) -> int:
    """Write `synth_truth` and `past_inspections`, then set up risk scoring (weights, cut-offs,
    every target's tier) and calibrate it, so a freshly built dataset opens fully scored.
    Returns the number of past inspections."""
    table = con.sql(_truth_sql()).to_arrow_table()
    # Random streams follow the insertion order: DuckDB keeps it for a plain scan (its default
    # preserve_insertion_order), which is cheaper than ORDER BY; sort only if it did not.
    rid = table.column("rid").to_numpy()
    if rid.size > 1 and not bool(np.all(rid[1:] > rid[:-1])):
        table = table.sort_by("rid")
    n = table.num_rows
    eta = table.column("eta").to_numpy()
    flags = table.column("flags").to_numpy()
    noise = np.empty(n)
    keys = np.empty(n)
    for c, start in enumerate(range(0, n, CHUNK)):
        rng = np.random.default_rng([seed, 11, c])
        m = min(CHUNK, n - start)
        noise[start : start + m] = rng.normal(0.0, NOISE_SD, m)
        keys[start : start + m] = rng.exponential(1.0, m)
    # Weighted sampling without replacement (Efraimidis-Spirakis): the k smallest E_i / w_i.
    n_inspect = max(1, round(n * INSPECTIONS_PER_TARGET))
    weight = np.exp(SELECTION_STRENGTH * flags)
    inspected = np.argpartition(keys / weight, n_inspect - 1)[:n_inspect]
    inspected.sort()
    latent = eta + noise
    # The intercept that makes last year's sample find problems at Shenzhen's rate.
    sample = latent[inspected]
    intercept = brentq(lambda a: expit(a + sample).mean() - DISCOVERY_RATE, -20.0, 20.0)
    propensity = expit(intercept + latent).astype(np.float32)

    rng = np.random.default_rng([seed, 12])
    found = rng.random(n_inspect) < propensity[inspected]
    day = rng.integers(0, 365, n_inspect).astype("timedelta64[D]")
    uscc = table.column("uscc")
    truth = pa.table({"uscc": uscc, "propensity": propensity})
    past = pa.table(
        {
            "uscc": uscc.take(pa.array(inspected)),
            "inspected_on": pa.array(np.datetime64(f"{YEAR}-01-01") + day, type=pa.date32()),
            "problem_found": pa.array(found),
        }
    )
    con.register("_truth", truth)
    con.register("_past", past)
    try:
        con.execute("INSERT INTO synth_truth SELECT * FROM _truth")
        con.execute("INSERT INTO past_inspections SELECT * FROM _past ORDER BY inspected_on, uscc")
    finally:
        con.unregister("_truth")
        con.unregister("_past")
    del table, truth
    risk.setup(con)
    risk_calibration.calibrate_if_possible(con)  # a tiny directory has too little history
    return n_inspect
