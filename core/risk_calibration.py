"""Do the tiers predict problems? Fit factor weights to past inspection outcomes and report.

Logistic regression by maximum likelihood (scipy.optimize on the vectorised log-likelihood and
its gradient), fitted on a fixed 70 % of last year's inspections and judged on the other 30 %:
AUC (Mann-Whitney), a calibration curve by deciles, and the AUC the same coefficients give when
shuffled across factors (what "no knowledge" looks like). The tiers in force are judged on all
past inspections: discovery rate per tier with Wilson intervals, lift of D over A, AUC of the
score. The report is stored with the data_version it describes, so pages read it, not refit it.
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit
from scipy.stats import rankdata

from core import risk
from core.db import Connection, data_version
from core.refusal import Refused
from core.stats import Z95, wilson  # noqa: F401 (the one Wilson; Z95 kept for old callers)
from core.vocab import TZ
from core.writes import unit_of_work

HOLDOUT_SHARE = 0.3
SPLIT_SEED = 20250101  # fixed: the same inspections are held out every time
RIDGE = 1e-4  # a touch of L2 keeps rare factors' estimates finite
SHUFFLES = 50
MIN_INSPECTIONS = 200


class NotEnoughHistory(Refused, ValueError):
    """Too few past inspections (or only one outcome) for a fit worth reporting."""

    def __init__(self, n: int) -> None:
        super().__init__("risk.not_enough_history", n=n, minimum=MIN_INSPECTIONS)


def auc(score: np.ndarray, outcome: np.ndarray) -> float:
    """Probability that a random problem case outscores a random clean one (ties count half):
    the Mann-Whitney U statistic over n_pos * n_neg."""
    outcome = np.asarray(outcome, dtype=bool)
    n_pos = int(outcome.sum())
    n_neg = outcome.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[outcome].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> tuple[float, np.ndarray]:
    """(intercept, coefficients) maximising the mean log-likelihood minus ridge/2 * |beta|^2."""
    y = np.asarray(y, dtype=float)
    xb = np.hstack([np.ones((x.shape[0], 1)), x])
    n = xb.shape[0]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = xb @ theta
        nll = -(y * log_expit(eta) + (1 - y) * log_expit(-eta)).sum() / n
        grad = xb.T @ (expit(eta) - y) / n
        penalty = np.r_[0.0, theta[1:]]
        return nll + ridge / 2 * penalty @ penalty, grad + ridge * penalty

    res = minimize(loss, np.zeros(xb.shape[1]), jac=True, method="L-BFGS-B")
    return float(res.x[0]), res.x[1:]


def training_data(con: Connection) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(factor matrix, problem_found, score in force, tier in force) per past inspection, in a
    fixed order (date, USCC)."""
    sql = f"""
        SELECT {risk.factor_columns_sql()}, p.problem_found, r.score, r.tier
        FROM past_inspections p JOIN targets USING (uscc) JOIN risk r USING (uscc)
        ORDER BY p.inspected_on, p.uscc
    """  # noqa: S608 (factor SQL is code in core/risk.py FACTORS)
    cols = con.execute(sql).fetchnumpy()
    x = np.column_stack([np.asarray(cols[k], dtype=float) for k in risk.FACTOR_KEYS])
    return x, np.asarray(cols["problem_found"], bool), np.asarray(cols["score"]), cols["tier"]


def _split(n: int) -> np.ndarray:
    """True for the held-out inspections (a fixed permutation, independent of the data)."""
    hold = np.zeros(n, dtype=bool)
    order = np.random.default_rng(SPLIT_SEED).permutation(n)
    hold[order[: int(round(n * HOLDOUT_SHARE))]] = True
    return hold


def calibration_curve(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict]:
    """Mean predicted vs observed discovery rate in `bins` equal-count groups of prediction."""
    order = np.argsort(p, kind="stable")
    out = []
    for chunk in np.array_split(order, bins):
        if chunk.size == 0:
            continue
        k = int(y[chunk].sum())
        lo, hi = wilson(k, chunk.size)
        out.append(
            {
                "n": int(chunk.size),
                "predicted": float(p[chunk].mean()),
                "observed": k / chunk.size,
                "low": lo,
                "high": hi,
            }
        )
    return out


def evaluate(con: Connection) -> dict:
    """The calibration report (a JSON-able dict); nothing is written."""
    x, y, score, tier = training_data(con)
    n = int(y.size)
    hold = _split(n)
    if n < MIN_INSPECTIONS or len(set(y[hold])) < 2 or len(set(y[~hold])) < 2:
        raise NotEnoughHistory(n)
    intercept, beta = fit_logistic(x[~hold], y[~hold])
    p_hold = expit(intercept + x[hold] @ beta)
    rng = np.random.default_rng(SPLIT_SEED + 1)
    shuffled = [auc(x[hold] @ rng.permutation(beta), y[hold]) for _ in range(SHUFFLES)]

    by_tier = []
    for t in risk.TIERS:
        m = tier == t
        k, m_n = int(y[m].sum()), int(m.sum())
        lo, hi = wilson(k, m_n)
        by_tier.append(
            {"tier": t, "inspected": m_n, "problems": k, "rate": k / m_n if m_n else None}
            | {"low": lo, "high": hi}
        )
    rate = {r["tier"]: r["rate"] for r in by_tier}
    lift = rate["D"] / rate["A"] if rate["A"] and rate["D"] is not None else None
    return {
        "inspections": n,
        "problems": int(y.sum()),
        "discovery_rate": float(y.mean()),
        "by_tier": by_tier,
        "lift_d_over_a": lift,
        "auc_current": auc(score, y),
        "fitted": {
            "intercept": intercept,
            "weights": dict(zip(risk.FACTOR_KEYS, map(float, beta), strict=True)),
            "train": int((~hold).sum()),
            "holdout": int(hold.sum()),
            "auc_holdout": auc(p_hold, y[hold]),
            "auc_current_holdout": auc(score[hold], y[hold]),
            "auc_shuffled_mean": float(np.mean(shuffled)),
            "auc_shuffled_max": float(np.max(shuffled)),
            "curve": calibration_curve(p_hold, y[hold]),
        },
    }


def calibrate(con: Connection) -> dict:
    """Evaluate, store the report and the fitted weights (offered, not applied). A step of a
    write: call it inside a unit of work (refresh() is one) or while building a database."""
    report = evaluate(con)
    report["data_version"] = data_version(con)
    report["computed_at"] = datetime.now(TZ).isoformat(timespec="seconds")
    fitted = report["fitted"]["weights"]
    con.executemany(
        "UPDATE risk_weights SET fitted_weight = ? WHERE factor = ?",
        [[round(v, 4), k] for k, v in fitted.items()],
    )
    con.execute("DELETE FROM risk_calibration")
    con.execute(
        "INSERT INTO risk_calibration VALUES (?, ?, ?)",
        [report["computed_at"], report["data_version"], json.dumps(report, ensure_ascii=False)],
    )
    return report


def calibrate_if_possible(con: Connection) -> dict | None:
    """calibrate(), or None where there is too little history (a tiny directory)."""
    try:
        return calibrate(con)
    except NotEnoughHistory:
        return None


def refresh(con: Connection, actor: str = "policy") -> dict | None:
    """Recalibrate on demand, as one unit of work (joining the caller's, if one is open):
    pages see the new report through data_version. None, with nothing written, where there is
    too little history."""
    detail: dict = {}
    try:
        with unit_of_work(con, actor, "risk.calibrate", detail):
            report = calibrate(con)
            detail.update(auc_current=report["auc_current"],
                          auc_holdout=report["fitted"]["auc_holdout"])  # fmt: skip
    except NotEnoughHistory:
        return None
    return report


def latest(con: Connection) -> dict | None:
    """The stored report, or None if calibration never ran."""
    row = con.execute("SELECT report FROM risk_calibration").fetchone()
    return json.loads(row[0]) if row else None
