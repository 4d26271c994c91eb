"""Credit-risk classification: factors -> score -> tier A|B|C|D, with explanations.

A target's score is a weighted sum of factors read from its directory record (FACTORS below:
the SQL that reads each one is code, its weight is data that policy staff edit in the
`risk_weights` table). The tier follows from score cut-offs in `risk_thresholds`. Everything
runs as one set-based query over the targets table, so the full 6.43 M directory is rescored in
seconds. Calibration against past inspections lives in core/risk_calibration.py.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core import codes, target_lookup
from core.db import Connection
from core.refusal import Refused
from core.vocab import TIERS, TZ
from core.writes import unit_of_work

# A tier mix seen in one city (DOMAIN.md): the default cut-offs put these shares of the
# directory in each tier (ties at a cut-off may move a little).
DEFAULT_TIER_SHARES = {"A": 0.654, "B": 0.253, "C": 0.077, "D": 0.015}
TOP_FACTORS = 3
AS_OF = "2026-01-01"  # the directory's date (core/synth.py DIRECTORY_DATE): ages count from it


@dataclass(frozen=True)
class Factor:
    key: str
    sql: str  # an expression over the targets table; 0 when the factor is absent
    group: str  # basic | dynamics | record | related | public
    default_weight: float


def _log1p(column: str) -> str:
    return f"ln(1 + {column})"


# Weights are in log-odds points: a weight of 0.7 roughly doubles the odds of a problem.
# The defaults are a policy starting point; calibration fits weights from past outcomes.
FACTORS: tuple[Factor, ...] = (
    Factor(
        "young_firm",
        f"CAST(registered_on > DATE '{AS_OF}' - INTERVAL 2 YEAR AS DOUBLE)",
        "basic",
        0.3,
    ),
    Factor(
        "micro_capital",
        "CAST(kind = 'enterprise' AND registered_capital < 10 AS DOUBLE)",
        "basic",
        0.2,
    ),
    Factor("branches", _log1p("branches"), "basic", 0.0),
    Factor("legal_rep_changes", _log1p("legal_rep_changes"), "dynamics", 0.3),
    Factor("name_changes", _log1p("name_changes"), "dynamics", 0.2),
    Factor("address_changes", _log1p("address_changes"), "dynamics", 0.3),
    Factor("scope_changes", _log1p("scope_changes"), "dynamics", 0.1),
    Factor(
        "low_paid_in",
        "CASE WHEN paid_in_ratio > 0 THEN 1 - paid_in_ratio ELSE 0 END",
        "dynamics",
        0.2,
    ),
    Factor("tax_arrears", "CAST(tax_arrears AS DOUBLE)", "dynamics", 0.5),
    Factor("social_security_arrears", "CAST(social_security_arrears AS DOUBLE)", "dynamics", 0.4),
    Factor("equity_pledges", _log1p("equity_pledges"), "dynamics", 0.2),
    Factor("firms_at_address", "ln(firms_at_address)", "dynamics", 0.15),
    Factor("abnormal_list", "CAST(abnormal_list AS DOUBLE)", "record", 1.0),
    Factor("serious_violation", "CAST(serious_violation AS DOUBLE)", "record", 1.5),
    Factor("judgment_defaulter", "CAST(judgment_defaulter AS DOUBLE)", "record", 0.8),
    Factor("penalties_3y", _log1p("penalties_3y"), "record", 0.8),
    Factor("past_findings", _log1p("past_findings"), "record", 1.0),
    Factor("annual_report_overdue", "CAST(annual_report_overdue AS DOUBLE)", "record", 0.6),
    Factor("licence_revoked", "CAST(licence_revoked AS DOUBLE)", "record", 1.0),
    Factor("related_revoked_rate", "related_revoked_rate", "related", 1.0),
    Factor("related_abnormal_rate", "related_abnormal_rate", "related", 1.0),
    Factor("related_penalty_rate", "related_penalty_rate", "related", 1.0),
    Factor("complaints_12m", _log1p("complaints_12m"), "public", 0.6),
    Factor("negative_media", "CAST(negative_media AS DOUBLE)", "public", 0.6),
    Factor("red_list", "CAST(red_list AS DOUBLE)", "record", -0.8),
    Factor("yellow_list", "CAST(yellow_list AS DOUBLE)", "record", 0.8),
    Factor("black_list", "CAST(black_list AS DOUBLE)", "record", 1.5),
)
FACTOR_KEYS = tuple(f.key for f in FACTORS)
_BY_KEY = {f.key: f for f in FACTORS}


def factor_columns_sql() -> str:
    """`expr AS key, …` for every factor: the feature matrix, for calibration and lookups."""
    return ", ".join(f"{f.sql} AS {f.key}" for f in FACTORS)


# --------------------------------------------------------------------------------------------
# Settings: weights and thresholds
# --------------------------------------------------------------------------------------------


def weights(con: Connection) -> dict[str, float]:
    """The weights in force, in FACTORS order (a factor missing from the table weighs 0)."""
    stored = dict(con.execute("SELECT factor, weight FROM risk_weights").fetchall())
    return {k: float(stored.get(k, 0.0)) for k in FACTOR_KEYS}


def thresholds(con: Connection) -> dict[str, float]:
    """Score cut-offs {'B': …, 'C': …, 'D': …}."""
    rows = dict(con.execute("SELECT tier, min_score FROM risk_thresholds").fetchall())
    if set(rows) != {"B", "C", "D"}:
        raise ValueError("risk thresholds are not set; run setup() first")
    return {t: float(rows[t]) for t in ("B", "C", "D")}


def weights_table(con: Connection) -> pd.DataFrame:
    """factor, group, weight, default_weight, fitted_weight: the editor's rows, FACTORS order."""
    stored = con.execute(
        "SELECT factor, weight, default_weight, fitted_weight FROM risk_weights"
    ).df()
    order = pd.DataFrame(
        {"factor": FACTOR_KEYS, "group": [f.group for f in FACTORS], "pos": range(len(FACTORS))}
    )
    df = order.merge(stored, on="factor", how="left").sort_values("pos").drop(columns="pos")
    return df.reset_index(drop=True)


def _top_factors_sql() -> tuple[str, str]:
    """A layer that picks the TOP_FACTORS largest positive contributions (ties alphabetically).

    Each positive contribution is packed with its factor into one integer, micro-points * 32 +
    (31 - alphabetical rank), so a row-wise greatest() finds the largest and, being unique per
    factor, `< previous` steps to the next: column arithmetic instead of building and sorting a
    list per row, which took several times longer over 6.43 M targets."""
    keys = sorted(FACTOR_KEYS)
    assert len(keys) <= 32
    packed = ", ".join(
        f"CASE WHEN c_{k} > 0 THEN CAST(round(c_{k} * 1e6) AS BIGINT) * 32 + {31 - i} ELSE 0 END"
        f" AS p_{k}"
        for i, k in enumerate(keys)
    )
    steps = ["greatest(" + ", ".join(f"p_{k}" for k in keys) + ") AS t1"]
    for i in range(2, TOP_FACTORS + 1):
        prev = f"t{i - 1}"
        steps.append(
            "greatest("
            + ", ".join(f"CASE WHEN p_{k} < {prev} THEN p_{k} ELSE 0 END" for k in keys)
            + f") AS t{i}"
        )
    # Each step needs the one before: nest them as lateral aliases in one SELECT.
    names = "[" + ", ".join(f"'{k}'" for k in keys) + "]"
    picked = ", ".join(
        f"CASE WHEN t{i} > 0 THEN {names}[32 - (t{i} % 32)::INT] END"
        for i in range(1, TOP_FACTORS + 1)
    )
    layer = f"p AS (SELECT *, {packed} FROM c), t AS (SELECT *, {', '.join(steps)} FROM p)"  # noqa: S608 (factor keys are code)
    return layer, f"list_filter([{picked}], lambda x: x IS NOT NULL)"


def _score_sql(cutoffs: bool = True, top: bool = True) -> str:
    """SELECT uscc, score, tier, top_factors FROM targets, weights and cut-offs as parameters
    (the weights in FACTORS order, then the B, C, D cut-offs). Without `top`, top_factors is
    NULL (previews and quantiles need only the score)."""
    contribs = ",\n".join(f"? * ({f.sql}) AS c_{f.key}" for f in FACTORS)
    total = " + ".join(f"c_{f.key}" for f in FACTORS)
    tier = (
        "CASE WHEN score >= ? THEN 'D' WHEN score >= ? THEN 'C' "
        "WHEN score >= ? THEN 'B' ELSE 'A' END"
    )
    if top:
        layers, top_expr = _top_factors_sql()
        source = "t"
        layers = ",\n" + layers
    else:
        layers, top_expr, source = "", "NULL::VARCHAR[]", "c"
    return f"""
        WITH c AS (SELECT uscc, {contribs} FROM targets){layers},
             s AS (SELECT uscc, round({total}, 6) AS score, {top_expr} AS top_factors
                   FROM {source})
        SELECT uscc, score, {tier if cutoffs else "NULL"} AS tier, top_factors FROM s
    """  # noqa: S608 (factor SQL is code in FACTORS; weights and cut-offs are parameters)


def _params(w: dict[str, float], cut: dict[str, float] | None) -> list[float]:
    params = [float(w[k]) for k in FACTOR_KEYS]
    if cut is not None:
        params += [cut["D"], cut["C"], cut["B"]]
    return params


def quantile_cutoffs(
    con: Connection, w: dict[str, float], shares: dict[str, float] | None = None
) -> dict[str, float]:
    """Cut-offs that put `shares` of the directory in each tier under weights `w`."""
    shares = shares or DEFAULT_TIER_SHARES
    qb = shares["A"]
    qc = qb + shares["B"]
    qd = qc + shares["C"]
    sql = f"SELECT quantile_disc(score, [?, ?, ?]) FROM ({_score_sql(False, top=False)})"  # noqa: S608 (see _score_sql)
    b, c, d = con.execute(sql, [qb, qc, qd, *_params(w, None)]).fetchone()[0]
    # A cut-off lands on a score some targets hold; nudge up so that the tier starts above it.
    return {"B": float(b) + 1e-9, "C": float(c) + 1e-9, "D": float(d) + 1e-9}


def setup(con: Connection) -> None:
    """Default weights and quantile cut-offs where none are stored yet, then score everyone.

    Called when a dataset is built, so the app opens with every target in a tier."""
    con.execute(
        "INSERT INTO risk_weights (factor, weight, default_weight) "
        "SELECT * FROM (SELECT unnest(?::VARCHAR[]), unnest(?::DOUBLE[]), unnest(?::DOUBLE[])) "
        "ON CONFLICT (factor) DO NOTHING",
        [
            list(FACTOR_KEYS),
            [f.default_weight for f in FACTORS],
            [f.default_weight for f in FACTORS],
        ],
    )
    if con.execute("SELECT count(*) FROM risk_thresholds").fetchone()[0] == 0:
        cut = quantile_cutoffs(con, weights(con))
        con.executemany("INSERT INTO risk_thresholds VALUES (?, ?)", list(cut.items()))
    score_all(con)


def is_scored(con: Connection) -> bool:
    """True when cut-offs are set and every target has its one risk row."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM risk_thresholds), (SELECT count(*) FROM risk),"
        " (SELECT count(*) FROM targets)"
    ).fetchone()
    return row[0] == 3 and row[1] == row[2]


def ensure_scored(con: Connection, actor: str = "system") -> bool:
    """Score a directory that was built or imported without tiers (e.g. before risk scoring
    existed); True when it wrote. One unit of work."""
    if is_scored(con):
        return False
    with unit_of_work(con, actor, "risk.setup", {}):
        setup(con)  # idempotent: a session that waited for its turn scores the same again
    return True


def score_all(con: Connection) -> dict[str, int]:
    """Recompute the score, tier and top factors of every target; returns counts per tier."""
    params = _params(weights(con), thresholds(con))
    con.execute("DELETE FROM risk")  # one statement each: callers wrap them in a transaction
    con.execute(f"INSERT INTO risk {_score_sql()}", params)  # noqa: S608 (see _score_sql)
    return tier_counts(con)


def tier_counts(con: Connection) -> dict[str, int]:
    rows = dict(con.execute("SELECT tier, count(*) FROM risk GROUP BY tier").fetchall())
    return {t: int(rows.get(t, 0)) for t in TIERS}


# --------------------------------------------------------------------------------------------
# Editing: validate, preview, save
# --------------------------------------------------------------------------------------------


class InvalidSettings(Refused, ValueError):
    """Proposed weights or cut-offs that cannot be saved: each problem is itself a keyed
    refusal naming the field, shown joined in the reader's language."""

    def __init__(self, problems: list[Refused]) -> None:
        super().__init__("risk.invalid")
        self.problems = problems

    def message(self, lang: str = "en") -> str:
        from core import i18n

        sep = "；" if lang == "zh" else "; "
        joined = sep.join(p.message(lang) for p in self.problems)
        return i18n.t("risk.invalid", lang, problems=joined)


def validate(w: dict[str, float], cut: dict[str, float]) -> list[Refused]:
    """Problems with proposed settings, as keyed refusals naming the field; empty when fine
    (`problem.message(lang)` reads one; InvalidSettings(problems) is what save raises)."""
    problems: list[Refused] = []
    for k in w:
        if k not in _BY_KEY:
            problems.append(Refused("risk.unknown_factor", factor=str(k)[:60]))
    for k, v in w.items():
        try:
            ok = -10.0 <= float(v) <= 10.0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(Refused("risk.bad_weight", factor=str(k)[:60], value=str(v)[:40]))
    try:
        b, c, d = (float(cut[t]) for t in ("B", "C", "D"))
    except (KeyError, TypeError, ValueError):
        return [*problems, Refused("risk.thresholds_missing")]
    if not b < c < d:
        problems.append(Refused("risk.thresholds_order", b=b, c=c, d=d))
    return problems


FEW_CHANGED = 4  # up to this many changed weights, a preview rescores only targets they touch


def _sparse_sql(sql: str) -> str:
    """A factor's SQL that skips the logarithm where the count is 0 (most targets): ln(1 + 0)
    and ln(1) are exactly 0.0, so every value is the same, for a fifth less work."""
    m = re.fullmatch(r"ln\(1 \+ (\w+)\)", sql)
    if m:
        return f"CASE WHEN {m[1]} = 0 THEN 0.0 ELSE {sql} END"
    m = re.fullmatch(r"ln\((\w+)\)", sql)
    if m:
        return f"CASE WHEN {m[1]} = 1 THEN 0.0 ELSE {sql} END"
    return sql


def preview(
    con: Connection, new_weights: dict[str, float], new_cutoffs: dict[str, float] | None = None
) -> pd.DataFrame:
    """How many targets would move from each tier to each other under the proposed settings:
    rows (tier_now, tier_new, n), one scan of the directory, nothing written.

    With risk in targets' row order (aligned()) the current tier is read by position, and a
    target none of whose changed factors is present keeps its stored score exactly (the sum adds
    the same terms; a weight times 0 adds 0), so only targets with a changed factor are rescored.
    """
    w_now = weights(con)
    w_new = {**w_now, **new_weights}
    cut_new = {**thresholds(con), **(new_cutoffs or {})}
    if not aligned(con):
        sql = f"""
            SELECT r.tier AS tier_now, n.tier AS tier_new, count(*) AS n
            FROM ({_score_sql(top=False)}) n JOIN risk r USING (uscc)
            GROUP BY ALL ORDER BY ALL
        """  # noqa: S608 (see _score_sql)
        return con.execute(sql, _params(w_new, cut_new)).df()
    changed = [f for f in FACTORS if float(w_new[f.key]) != w_now[f.key]]
    total = " + ".join(f"? * ({_sparse_sql(f.sql)})" for f in FACTORS)
    if len(changed) <= FEW_CHANGED:  # rescore only targets with a changed factor
        present = " OR ".join(f"({_sparse_sql(f.sql)}) <> 0" for f in changed) or "FALSE"
        score = f"CASE WHEN {present} THEN round({total}, 6) ELSE r.score END"
    else:  # most targets have some changed factor: rescore everyone
        score = f"round({total}, 6)"
    sql = f"""
        WITH s AS (
            SELECT r.tier AS tier_now, {score} AS score
            FROM targets POSITIONAL JOIN (SELECT score, tier FROM risk) r
        )
        SELECT tier_now,
               CASE WHEN score >= ? THEN 'D' WHEN score >= ? THEN 'C'
                    WHEN score >= ? THEN 'B' ELSE 'A' END AS tier_new,
               count(*) AS n
        FROM s GROUP BY ALL ORDER BY ALL
    """  # noqa: S608 (factor SQL is code in FACTORS; weights and cut-offs are parameters)
    return con.execute(sql, _params(w_new, cut_new)).df()


def changed_count(moves: pd.DataFrame) -> int:
    """Targets whose tier differs in a preview()."""
    return int(moves.loc[moves.tier_now != moves.tier_new, "n"].sum())


def save(
    con: Connection,
    new_weights: dict[str, float],
    new_cutoffs: dict[str, float] | None = None,
    actor: str = "policy",
) -> dict[str, int]:
    """Store edited weights/cut-offs and rescore every target, as one unit of work; to do more
    in the same write (recalibrate, say), call it inside the caller's own unit_of_work, which it
    joins. InvalidSettings (keyed) when the settings cannot be saved; nothing is written then.

    Later draws read the new tiers; page caches refresh through data_version."""
    now = datetime.now(TZ).isoformat(timespec="seconds")
    detail: dict = {}
    with unit_of_work(con, actor, "risk.reweight", detail):
        # read under the writer's turn: the edits apply to what is stored now, so a concurrent
        # save of other factors is kept (the saves run in some serial order)
        old_w = weights(con)
        w_new = {**old_w, **new_weights}
        cut_new = {**thresholds(con), **(new_cutoffs or {})}
        problems = validate(w_new, cut_new)
        if problems:
            raise InvalidSettings(problems)
        w_new = {k: float(v) for k, v in w_new.items()}
        cut_new = {k: float(v) for k, v in cut_new.items()}
        for k in FACTOR_KEYS:
            if w_new[k] != old_w[k]:
                con.execute(
                    "UPDATE risk_weights SET weight = ?, updated_at = ?, updated_by = ? "
                    "WHERE factor = ?",
                    [w_new[k], now, actor, k],
                )
        con.executemany(
            "UPDATE risk_thresholds SET min_score = ? WHERE tier = ?",
            [[v, t] for t, v in cut_new.items()],
        )
        counts = score_all(con)
        changes = {k: [old_w[k], w_new[k]] for k in FACTOR_KEYS if w_new[k] != old_w[k]}
        detail.update({"weights": changes, "thresholds": cut_new, **counts})
    return counts


# --------------------------------------------------------------------------------------------
# Reading: distributions and one enterprise's explanation
# --------------------------------------------------------------------------------------------

# Risk rows are written by one plain scan of targets (score_all), which DuckDB keeps in insertion
# order: row k of risk scores row k of targets. Readers use that instead of a 6.43 M x 6.43 M
# join on the text code, after checking it (aligned), and fall back to the join when it fails.
_ALIGNED: dict[tuple, bool] = {}


def _key(con: Connection) -> tuple:
    """(database file, data_version, first risk rowid, first targets rowid): every write bumps
    data_version, and a rescore moves risk's rowids."""
    return con.execute(
        "SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()),"
        " (SELECT value FROM meta WHERE key = 'data_version'),"
        " coalesce((SELECT rowid FROM risk LIMIT 1), 0),"
        " coalesce((SELECT rowid FROM targets LIMIT 1), 0)"
    ).fetchall()[0]


def aligned(con: Connection) -> bool:
    """True when every target has its risk row at the same position (readers may POSITIONAL
    JOIN targets with risk). Checked by one scan of both code columns, memoised per _key."""
    key = _key(con)
    hit = _ALIGNED.get(key) if key[0] else None
    if hit is None:
        hit = bool(
            con.execute(
                "SELECT count(*) = 0 FROM targets t POSITIONAL JOIN (SELECT uscc FROM risk) r"
                " WHERE t.uscc IS DISTINCT FROM r.uscc"
            ).fetchall()[0][0]
        )
        if key[0]:
            _ALIGNED[key] = hit
            if len(_ALIGNED) > 64:  # one entry per database and version: keep the newest few
                with contextlib.suppress(KeyError, RuntimeError, StopIteration):
                    del _ALIGNED[next(iter(_ALIGNED))]
    return hit


def risk_columns(
    con: Connection, rows: pd.DataFrame, columns: tuple[str, ...] = ("tier",)
) -> pd.DataFrame:
    """`rows` (targets with their rowid `_row` and `uscc`) with risk `columns` added (NaN where a
    target has no risk row). Each risk row is fetched by position (rowid plus the tables'
    offset) and kept only when it carries the same code; the rest are joined by code."""
    out = rows.copy()
    if out.empty:
        for c in columns:
            out[c] = pd.Series(dtype=object)
        return out
    cols = ", ".join(columns)
    _path, _version, first_risk, first_target = _key(con)
    offset = first_risk - first_target  # where both are dense; every row is checked below
    by_pos = con.execute(
        f"SELECT rowid - ? AS _row, uscc AS _code, {cols} FROM risk "  # noqa: S608 (columns are code)
        "WHERE rowid IN (SELECT unnest(?::BIGINT[]) + ?)",
        [offset, [int(r) for r in out["_row"]], offset],
    ).df()
    merged = out.merge(by_pos, on="_row", how="left")
    good = merged["_code"] == merged["uscc"]
    if not good.all():
        missing = merged.loc[~good, "uscc"].tolist()
        by_code = con.execute(
            f"SELECT uscc, {cols} FROM risk WHERE uscc IN (SELECT unnest(?::VARCHAR[]))",  # noqa: S608
            [missing],
        ).df()
        fixed = merged.loc[~good, ["uscc"]].merge(by_code, on="uscc", how="left")
        for c in columns:
            merged.loc[~good, c] = fixed[c].to_numpy()
    return merged.drop(columns="_code")


_DIMENSIONS = {
    "district": ("t.district", ""),
    "street": ("t.district || ' ' || t.street", ""),
    "industry": (
        "i.division || ' ' || i.division_name",
        "JOIN industries i ON i.code = t.industry",
    ),
}
# The same groups counted by position: group the raw columns first, then label the few groups.
_POSITIONAL = {
    "district": ("t.district", "district", ""),
    "street": ("t.district, t.street", "district || ' ' || street", ""),
    "industry": (
        "t.industry",
        "i.division || ' ' || i.division_name",
        "JOIN industries i ON i.code = g.industry",
    ),
}


def tier_distribution(con: Connection, by: str) -> pd.DataFrame:
    """Targets per (group, tier) for `by` in district | street | industry (GB/T 4754 division)."""
    if by not in _DIMENSIONS:
        raise ValueError(f"by must be one of {sorted(_DIMENSIONS)}, not {by!r}")
    if aligned(con):
        cols, label, join = _POSITIONAL[by]
        sql = f"""
            WITH g AS (
                SELECT {cols}, r.tier, count(*) AS n
                FROM targets t POSITIONAL JOIN (SELECT tier FROM risk) r GROUP BY ALL
            )
            SELECT {label} AS grp, g.tier, CAST(sum(n) AS BIGINT) AS n
            FROM g {join} GROUP BY ALL ORDER BY grp, g.tier
        """  # noqa: S608 (columns and joins come from the fixed _POSITIONAL table)
        return con.execute(sql).df()
    expr, join = _DIMENSIONS[by]
    sql = f"""
        SELECT {expr} AS grp, r.tier, count(*) AS n
        FROM risk r JOIN targets t USING (uscc) {join}
        GROUP BY ALL ORDER BY grp, r.tier
    """  # noqa: S608 (expr and join come from the fixed _DIMENSIONS table)
    return con.execute(sql).df()


def _target_rows(con: Connection, text: str, limit: int) -> pd.DataFrame:
    """Targets whose USCC is `text` (a whole valid code: one lookup) or else whose name contains
    it (codes are validated on import, so other text is never a code), with their rowid `_row`."""
    code = text.upper()
    cols = "rowid AS _row, uscc, name, district"
    if codes.is_valid_uscc(code):
        hit = target_lookup.rowids(con, [code])
        if not hit:
            return pd.DataFrame(columns=["_row", "uscc", "name", "district"])
        return con.execute(
            f"SELECT {cols} FROM targets WHERE rowid = ? AND uscc = ?",  # noqa: S608 (constant)
            [hit[code], code],
        ).df()
    return con.execute(
        f"SELECT {cols} FROM targets WHERE contains(name, ?) ORDER BY uscc LIMIT ?",  # noqa: S608
        [text, limit],
    ).df()


def find_targets(con: Connection, text: str, limit: int = 20) -> pd.DataFrame:
    """Targets whose USCC is `text` or whose name contains it: uscc, name, district, score, tier
    (scored targets only). A whole valid USCC is a code lookup, as in the registries' search."""
    text = (text or "").strip()
    if not text:
        return pd.DataFrame(columns=["uscc", "name", "district", "score", "tier"])
    found = risk_columns(con, _target_rows(con, text, limit), ("score", "tier"))
    found = found[found["tier"].notna()].drop(columns="_row")
    return found.reset_index(drop=True)


def explain(con: Connection, uscc: str) -> dict | None:
    """Score, tier, top factors and every factor's value, weight and contribution for one
    target; None when the USCC is not in the directory."""
    hit = target_lookup.rowids(con, [uscc])
    if uscc not in hit:
        return None
    row = con.execute(
        "SELECT rowid AS _row, uscc, name, kind, district, street, "  # noqa: S608 (FACTORS)
        f"{factor_columns_sql()} FROM targets WHERE rowid = ? AND uscc = ?",
        [hit[uscc], uscc],
    ).df()
    row = risk_columns(con, row, ("score", "tier", "top_factors"))
    if row.empty or pd.isna(row.at[0, "tier"]):
        return None
    head = row.iloc[0]
    values = [head[k] for k in FACTOR_KEYS]
    w = weights(con)
    rows = [
        {
            "factor": k,
            "group": _BY_KEY[k].group,
            "value": float(v),
            "weight": w[k],
            "contribution": float(v) * w[k],
        }
        for k, v in zip(FACTOR_KEYS, values, strict=True)
    ]
    factors = pd.DataFrame(rows)
    # The order top_factors uses: contributions to the micro-point, ties alphabetically.
    neg = -(factors["contribution"] * 1e6).round()
    factors = factors.assign(_neg=neg).sort_values(["_neg", "factor"])
    factors = factors.drop(columns="_neg")
    keys = ["uscc", "name", "kind", "district", "street", "score", "tier", "top_factors"]
    info = {k: head[k] for k in keys}
    info["score"] = float(info["score"])
    info["top_factors"] = list(info["top_factors"]) if info["top_factors"] is not None else None
    return {**info, "factors": factors.reset_index(drop=True)}


def summary(con: Connection) -> dict:
    """Tier counts and shares, cut-offs and weights in force: what the CLI prints."""
    counts = tier_counts(con)
    total = sum(counts.values())
    return {
        "targets": total,
        "tiers": counts,
        "shares": {t: (counts[t] / total if total else 0.0) for t in TIERS},
        "thresholds": thresholds(con),
        "weights": weights(con),
    }


def dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
