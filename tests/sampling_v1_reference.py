"""TEST REFERENCE ONLY: the draw engine as it was before issue 12 (core/sampling.py at
2f8a695), kept unchanged so tests prove the new engine selects, counts and hashes the same.

Differential sampling: ratio tables by item class and risk tier, and the verifiable draw
`suicha-prn-sha256-v1` (DESIGN.md), for one plan or a whole campaign, as set-based DuckDB SQL.

Why PRNs: every target gets a permanent random number u(c) from SHA-256 of the campaign seed and
its code; a stratum's sample is its `quota` smallest u. Nobody can steer it (the seed mixes a
secret committed beforehand with a public beacon known only later) and anyone can re-run it from
the published record with `hashlib` alone."""

from __future__ import annotations

import hashlib
import json
import secrets as secrets_module
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from core import audit
from core.db import Connection, bump_data_version, data_version, get_meta, set_meta, transaction

ALGORITHM = "suicha-prn-sha256-v1"
TZ = ZoneInfo("Asia/Shanghai")
ITEM_CLASSES = ("A", "B", "C")
TIERS = ("A", "B", "C", "D")
MODES = ("coordinated", "independent")
BP = 10_000  # basis points in 100 %
TWO_64 = 2**64
DEFAULT_BEACON_SOURCE = (
    "深证成指 (SZSE Component Index, 399001) closing value on the campaign's draw date, "
    "as published by the Shenzhen Stock Exchange, written with two decimals"
)
# The cut-off keeps, per stratum, only members with u <= p + Z sd + SLACK/N before sorting.
CUTOFF_Z = 6.0
CUTOFF_SLACK = 8.0

PRN_DEFINITION = (
    "u(c) = int.from_bytes(hashlib.sha256(f'{prn_seed}|{c}'.encode()).digest()[:8], 'big') / 2**64 "
    "(a Python float); the quota = min(N, ceil(N * ratio_bp / 10000)) members with the smallest "
    "u are selected, ties by c ascending. prn_seed = seed in coordinated mode, "
    "f'{seed}|{plan_id}' in independent mode; seed = sha256(f'{secret}|{beacon}') hex."
)


class RatioRuleError(ValueError):
    """A ratio table breaks a rule; `rule` names it (RULES), nothing was saved."""

    def __init__(self, rule: str, message: str):
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message


class DrawRefused(ValueError):
    """A draw cannot run or be committed as asked; nothing was saved."""


def first_row(con: Connection, sql: str, params: Any = None) -> tuple | None:
    """The first row, with the result fetched to the end (DESIGN.md: a half-read result blocks
    the next call on the connection)."""
    rows = (
        con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    )
    return rows[0] if rows else None


# ------------------------------------------------------------------------------------------
# Ratio tables
# ------------------------------------------------------------------------------------------

# Rule id -> what it demands. The class average is the plain mean of the four tier ratios: a
# property of the table itself, checkable on save without any frame (see the closing note).
RULES: dict[str, str] = {
    "tier_above_zero": "every risk tier's ratio is above 0 bp and at most 10000 bp",
    "a_class_at_most_10pct": "A类事项 (general items): mean ratio over the tiers at most 1000 bp",
    "b_class_at_least_10pct": "B类事项 (key items): mean ratio over the tiers at least 1000 bp",
}


def check_ratios(item_class: str, ratios: dict[str, int]) -> None:
    """Raise RatioRuleError naming the first rule that `ratios` (tier -> bp) breaks."""
    if item_class not in ITEM_CLASSES:
        raise RatioRuleError("tier_above_zero", f"unknown item class {item_class!r}")
    missing = [t for t in TIERS if t not in ratios]
    if missing:
        raise RatioRuleError("tier_above_zero", f"class {item_class}: no ratio for tier(s) "
                             f"{', '.join(missing)}")  # fmt: skip
    for tier in TIERS:
        bp = ratios[tier]
        if not isinstance(bp, int) or isinstance(bp, bool) or not 0 < bp <= BP:
            raise RatioRuleError(
                "tier_above_zero",
                f"class {item_class}, tier {tier}: {bp!r} bp; {RULES['tier_above_zero']}",
            )
    total = sum(ratios[t] for t in TIERS)  # mean <= 1000  <=>  sum <= 4000, in integers
    if item_class == "A" and total > 4 * 1000:
        raise RatioRuleError(
            "a_class_at_most_10pct",
            f"class A mean is {total / 4:.2f} bp; {RULES['a_class_at_most_10pct']}",
        )
    if item_class == "B" and total < 4 * 1000:
        raise RatioRuleError(
            "b_class_at_least_10pct",
            f"class B mean is {total / 4:.2f} bp; {RULES['b_class_at_least_10pct']}",
        )


def _to_bp(value: Any, where: str) -> int:
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise RatioRuleError("tier_above_zero", f"{where}: {value!r} is not a number") from None
    if as_float != int(as_float):
        raise RatioRuleError("tier_above_zero", f"{where}: {value!r} is not whole basis points")
    return int(as_float)


def default_ratios(con: Connection) -> pd.DataFrame:
    """The default table: one row per item class, one column per risk tier, in bp."""
    df = con.execute(
        "SELECT item_class, risk_tier, ratio_bp FROM ratio_rules WHERE scope = 'default'"
    ).df()
    wide = df.pivot(index="item_class", columns="risk_tier", values="ratio_bp")
    return wide.reindex(index=list(ITEM_CLASSES), columns=list(TIERS)).astype("int64")


def plan_overrides(con: Connection) -> pd.DataFrame:
    """Per-plan overrides: plan_id, item_class, tier columns A..D in bp."""
    df = con.execute(
        "SELECT scope AS plan_id, item_class, risk_tier, ratio_bp FROM ratio_rules "
        "WHERE scope <> 'default' ORDER BY scope"
    ).df()
    if df.empty:
        return pd.DataFrame(columns=["plan_id", "item_class", *TIERS])
    wide = df.pivot(index=["plan_id", "item_class"], columns="risk_tier", values="ratio_bp")
    return wide.reindex(columns=list(TIERS)).reset_index()


def save_default_ratios(con: Connection, table: dict[str, dict[str, Any]], actor: str) -> None:
    """Replace the default table ({item_class: {tier: bp}}) after every rule holds; else raise
    RatioRuleError and change nothing. Partial input is merged over the stored table."""
    current = default_ratios(con)
    merged: dict[str, dict[str, int]] = {}
    for cls in ITEM_CLASSES:
        row = {t: int(current.loc[cls, t]) for t in TIERS}
        for tier, value in (table.get(cls) or {}).items():
            if tier not in TIERS:
                raise RatioRuleError("tier_above_zero", f"class {cls}: unknown tier {tier!r}")
            row[tier] = _to_bp(value, f"class {cls}, tier {tier}")
        check_ratios(cls, row)
        merged[cls] = row
    with transaction(con):
        for cls, row in merged.items():
            for tier, bp in row.items():
                con.execute(
                    "UPDATE ratio_rules SET ratio_bp = ? WHERE scope = 'default' "
                    "AND item_class = ? AND risk_tier = ?",
                    [bp, cls, tier],
                )
        audit.record(con, actor, "sampling.ratios.default", {"ratios": merged})
        bump_data_version(con)


def save_plan_ratios(con: Connection, plan_id: str, ratios: dict[str, Any], actor: str) -> None:
    """Set a plan's override (tier -> bp), checked by the rules of the plan's item class."""
    row = first_row(con, "SELECT item_class FROM plans WHERE plan_id = ?", [plan_id])
    if row is None:
        raise DrawRefused(f"no plan {plan_id!r}")
    cls = row[0]
    clean = {t: _to_bp(ratios.get(t), f"plan {plan_id}, tier {t}") for t in TIERS}
    check_ratios(cls, clean)
    with transaction(con):
        con.execute("DELETE FROM ratio_rules WHERE scope = ?", [plan_id])
        for tier, bp in clean.items():
            con.execute("INSERT INTO ratio_rules VALUES (?, ?, ?, ?)", [plan_id, cls, tier, bp])
        audit.record(con, actor, "sampling.ratios.plan", {"plan_id": plan_id, "ratios": clean})
        bump_data_version(con)


def clear_plan_ratios(con: Connection, plan_id: str, actor: str) -> None:
    """Drop a plan's override: the plan follows the default table again."""
    with transaction(con):
        con.execute("DELETE FROM ratio_rules WHERE scope = ?", [plan_id])
        audit.record(con, actor, "sampling.ratios.plan_cleared", {"plan_id": plan_id})
        bump_data_version(con)


# ------------------------------------------------------------------------------------------
# Seeds
# ------------------------------------------------------------------------------------------


def seed_commitment(secret: str) -> str:
    """sha256(secret) hex: published before the draw, so the secret cannot be changed later."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def campaign_seed(secret: str, beacon: str) -> str:
    """S = sha256(f"{secret}|{beacon}") hex."""
    return hashlib.sha256(f"{secret}|{beacon}".encode()).hexdigest()


def prn_seed(seed: str, plan_id: str, mode: str) -> str:
    """The string hashed in front of each code: S (coordinated) or f"{S}|{plan_id}"."""
    if mode not in MODES:
        raise DrawRefused(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return seed if mode == "coordinated" else f"{seed}|{plan_id}"


def prn(seed: str, uscc: str) -> float:
    """u(c) for one code, in Python: the reference the SQL is tested against."""
    digest = hashlib.sha256(f"{seed}|{uscc}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / TWO_64


def quota(frame_size: int, ratio_bp: int) -> int:
    """n = min(N, ceil(N * bp / 10000)) in integer arithmetic."""
    return min(frame_size, -(-frame_size * ratio_bp // BP))


_CELLS_SQL = """
WITH sel AS (
    SELECT plan_id, item_class, frame_kinds, frame_industries, frame_districts, frame_streets
    FROM plans WHERE year = $year AND ($plan_id IS NULL OR plan_id = $plan_id)
),
c1 AS (
    SELECT plan_id, item_class, frame_industries, frame_districts, frame_streets,
           unnest(coalesce(frame_kinds, (SELECT list(DISTINCT kind) FROM targets))) AS kind
    FROM sel
),
c2 AS (
    SELECT plan_id, item_class, kind, frame_districts, frame_streets,
           unnest(coalesce(frame_industries, (SELECT list(DISTINCT industry) FROM targets)))
             AS industry
    FROM c1
),
plan_cells AS (   -- one row per (plan, kind, industry, district) the plan's frame admits
    SELECT DISTINCT plan_id, item_class, kind, industry, frame_streets,
           unnest(coalesce(frame_districts, (SELECT list(DISTINCT district) FROM targets)))
             AS district
    FROM c2
)
"""

_STRATUM_SIZES_SQL = (
    _CELLS_SQL  # noqa: S608 (constant SQL text, parameters bound)
    + """,
counts AS (   -- targets per (kind, industry, district, street, tier): ~10^5 rows
    SELECT t.kind, t.industry, t.district, t.street, r.tier, count(*) AS n
    FROM targets t JOIN risk r ON r.uscc = t.uscc GROUP BY ALL
),
sizes AS (
    SELECT c.plan_id, k.tier, sum(k.n) AS n
    FROM plan_cells c
    JOIN counts k ON k.kind = c.kind AND k.industry = c.industry AND k.district = c.district
    WHERE c.frame_streets IS NULL OR list_contains(c.frame_streets, k.street)
    GROUP BY ALL
)
SELECT p.plan_id, p.item_class, g.tier, CAST(coalesce(s.n, 0) AS BIGINT) AS frame_size
FROM plans p CROSS JOIN (SELECT unnest(['A', 'B', 'C', 'D']) AS tier) g
LEFT JOIN sizes s ON s.plan_id = p.plan_id AND s.tier = g.tier
WHERE p.year = $year AND ($plan_id IS NULL OR p.plan_id = $plan_id)
ORDER BY p.plan_id, g.tier
"""
)


def stratum_sizes(con: Connection, year: int, plan_id: str | None = None) -> pd.DataFrame:
    """Frame size of every stratum (plan x tier) of a campaign, without drawing or writing:
    DataFrame(plan_id, item_class, tier, frame_size), four rows per plan. Counted over the
    (kind, industry, district, street, tier) cells, not over (plan, target) pairs."""
    return con.execute(_STRATUM_SIZES_SQL, {"year": year, "plan_id": plan_id}).df()


@dataclass(frozen=True)
class Campaign:
    year: int
    seed_commitment: str
    beacon_source: str
    created_at: str
    secret: str = field(repr=False)


def get_campaign(con: Connection, year: int) -> Campaign | None:
    row = first_row(
        con,
        "SELECT year, seed_commitment, beacon_source, created_at, secret FROM campaigns "
        "WHERE year = ?",
        [year],
    )
    return Campaign(*row) if row else None


def ensure_campaign(
    con: Connection, year: int, actor: str, secret: str | None = None,
    beacon_source: str = DEFAULT_BEACON_SOURCE,
) -> Campaign:  # fmt: skip
    """The year's campaign; created on first use with a secret from `secrets.token_hex(32)`
    (or the given one, for reproducible runs), committed by sha256 and logged."""
    found = get_campaign(con, year)
    if found is not None:
        return found
    secret = secret if secret is not None else secrets_module.token_hex(32)
    now = datetime.now(TZ).isoformat(timespec="seconds")
    with transaction(con):
        con.execute(
            "INSERT INTO campaigns VALUES (?, ?, ?, ?, ?)",
            [year, secret, seed_commitment(secret), beacon_source, now],
        )
        audit.record(con, actor, "sampling.campaign.create", {
            "year": year, "seed_commitment": seed_commitment(secret),
            "beacon_source": beacon_source})  # fmt: skip
        bump_data_version(con)
    return get_campaign(con, year)  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------
# The draw
# ------------------------------------------------------------------------------------------


@dataclass
class Draw:
    """A computed draw, committed or not: the strata and the selection of every plan."""

    year: int
    mode: str
    plan_id: str | None  # None: the whole campaign
    secret: str
    beacon: str
    seed: str
    seed_commitment: str
    strata: pd.DataFrame  # plan_id, item_class, tier, ratio_bp, frame_size, quota, selected
    selections: pd.DataFrame  # plan_id, tier, uscc, u, rank
    cutoff_fallbacks: int = 0  # strata re-sorted in full because the cut-off kept too few
    draw_ids: list[str] = field(default_factory=list)  # filled by commit(), one per plan

    @property
    def total_selected(self) -> int:
        return len(self.selections)


def _u_sql(seed_expr: str, code_expr: str) -> str:
    """SQL for u: the first 16 hex digits of the SHA-256 hex, as UBIGINT, over 2^64 (DOUBLE:
    a correctly rounded cast, then an exact division by a power of two, as Python's int / int)."""
    return (
        f"(CAST(CAST('0x' || substr(sha256({seed_expr} || '|' || {code_expr}), 1, 16) "
        f"AS UBIGINT) AS DOUBLE) / 18446744073709551616.0)"
    )


_PRN_INSERT_SQL = """
INSERT INTO campaign_prn
SELECT $year, t.uscc, {u_expr} FROM targets t
{missing_only}
"""
_PRN_MISSING_ONLY = "ANTI JOIN (SELECT uscc FROM campaign_prn WHERE year = $year) p USING (uscc)"


def ensure_prn(con: Connection, year: int, seed: str) -> int:
    """Keep u(c) under `seed` for every target in campaign_prn (one seed per year, named in
    campaign_prn_seed); after a data change only codes not yet there are hashed. Returns the
    number of codes hashed now. A cache of a pure function, not a record: no data_version bump."""
    marker_key = f"campaign_prn.{year}"
    marker = f"{seed}|{data_version(con)}"
    stored = first_row(con, "SELECT seed FROM campaign_prn_seed WHERE year = ?", [year])
    same_seed = stored is not None and stored[0] == seed
    if (
        same_seed
        and get_meta(con, marker_key) == marker
        and first_row(con, "SELECT 1 FROM campaign_prn WHERE year = ? LIMIT 1", [year])
    ):
        return 0
    sql_u = _u_sql("$seed", "t.uscc")
    with transaction(con):
        if not same_seed:
            con.execute("DELETE FROM campaign_prn WHERE year = ?", [year])
            con.execute(
                "INSERT INTO campaign_prn_seed VALUES (?, ?) "
                "ON CONFLICT (year) DO UPDATE SET seed = excluded.seed",
                [year, seed],
            )
        sql = _PRN_INSERT_SQL.format(
            u_expr=sql_u, missing_only=_PRN_MISSING_ONLY if same_seed else ""
        )
        n = first_row(con, sql, {"year": year, "seed": seed})[0]
        set_meta(con, marker_key, marker)
    return int(n)


_FRAME_SQL = """
CREATE OR REPLACE TEMP TABLE _draw_frame AS
WITH sel AS (
    SELECT plan_id, item_class, frame_kinds, frame_industries, frame_districts, frame_streets
    FROM plans WHERE year = $year AND ($plan_id IS NULL OR plan_id = $plan_id)
),
c1 AS (
    SELECT plan_id, frame_industries, frame_districts, frame_streets,
           unnest(coalesce(frame_kinds, (SELECT list(DISTINCT kind) FROM targets))) AS kind
    FROM sel
),
c2 AS (
    SELECT plan_id, kind, frame_districts, frame_streets,
           unnest(coalesce(frame_industries, (SELECT list(DISTINCT industry) FROM targets)))
             AS industry
    FROM c1
),
cells AS (   -- one row per (plan, kind, industry, district) the plan's frame admits
    SELECT DISTINCT plan_id, kind, industry, frame_streets,
           unnest(coalesce(frame_districts, (SELECT list(DISTINCT district) FROM targets)))
             AS district
    FROM c2
)
SELECT c.plan_id, t.uscc, t.tier, {u_expr} AS u
FROM cells c
JOIN (  -- every target with its tier and (coordinated mode) its u, joined once
    SELECT t.uscc, t.kind, t.industry, t.district, t.street, r.tier{prn_col}
    FROM targets t LEFT JOIN risk r ON r.uscc = t.uscc {prn_join}
) t ON t.kind = c.kind AND t.industry = c.industry AND t.district = c.district
WHERE c.frame_streets IS NULL OR list_contains(c.frame_streets, t.street)
"""

_STRATA_SQL = """
CREATE OR REPLACE TEMP TABLE _draw_strata AS
WITH sizes AS (SELECT plan_id, tier, count(*) AS frame_size FROM _draw_frame GROUP BY ALL),
grid AS (
    SELECT p.plan_id, p.item_class, t.tier
    FROM plans p, (SELECT unnest(['A', 'B', 'C', 'D']) AS tier) t
    WHERE p.year = $year AND ($plan_id IS NULL OR p.plan_id = $plan_id)
)
SELECT g.plan_id, g.item_class, g.tier,
       coalesce(o.ratio_bp, d.ratio_bp) AS ratio_bp,
       coalesce(s.frame_size, 0) AS frame_size,
       least(coalesce(s.frame_size, 0),
             (coalesce(s.frame_size, 0) * coalesce(o.ratio_bp, d.ratio_bp) + 9999) // 10000)
         AS quota
FROM grid g
JOIN ratio_rules d ON d.scope = 'default' AND d.item_class = g.item_class
                  AND d.risk_tier = g.tier
LEFT JOIN ratio_rules o ON o.scope = g.plan_id AND o.risk_tier = g.tier
LEFT JOIN sizes s ON s.plan_id = g.plan_id AND s.tier = g.tier
"""

_SELECT_SQL = """
SELECT f.plan_id, f.tier, f.uscc, f.u,
       CAST(row_number() OVER (PARTITION BY f.plan_id, f.tier ORDER BY f.u, f.uscc) AS INTEGER)
         AS rank
FROM _draw_frame f
JOIN _draw_strata s ON s.plan_id = f.plan_id AND s.tier = f.tier
WHERE {where}
QUALIFY rank <= s.quota
"""


def _cutoff_sql() -> str:
    """u <= p + Z sd + slack / N: a little above the ratio; a stratum left below its quota is
    re-sorted in full (read at call time, so a test can force the fallback)."""
    p = "(s.ratio_bp / 10000.0)"
    return (
        f"f.u <= {p} + {float(CUTOFF_Z)} * sqrt({p} * (1 - {p}) / s.frame_size) "
        f"+ {float(CUTOFF_SLACK)} / s.frame_size"
    )


def check_ready(con: Connection, year: int, plan_id: str | None) -> None:
    """Refuse (DrawRefused) an unknown plan or year, or registries without risk tiers."""
    if plan_id is not None:
        row = first_row(con, "SELECT year FROM plans WHERE plan_id = ?", [plan_id])
        if row is None:
            raise DrawRefused(f"no plan {plan_id!r}")
        if row[0] != year:
            raise DrawRefused(f"plan {plan_id} belongs to campaign {row[0]}, not {year}")
    elif not first_row(con, "SELECT count(*) FROM plans WHERE year = ?", [year])[0]:
        raise DrawRefused(f"no plans for campaign {year}")
    if first_row(con, "SELECT count(*) FROM risk")[0] == 0:
        raise DrawRefused("no risk tiers yet: score the targets first: python -m core risk")


def _check_frame_scored(con: Connection) -> None:
    """Every frame member needs a tier (the engine never invents one) and a number u."""
    unscored = first_row(con, "SELECT count(DISTINCT uscc) FROM _draw_frame WHERE tier IS NULL")[0]
    if unscored:
        raise DrawRefused(
            f"{unscored:,} targets in the frames have no risk tier: "
            "score the targets first: python -m core risk"
        )
    missing_u = first_row(con, "SELECT count(*) FROM _draw_frame WHERE u IS NULL")[0]
    if missing_u:  # never silently drop a frame member
        raise DrawRefused(f"{missing_u:,} frame members have no random number u; draw again")


def _build(con: Connection, year: int, plan_id: str | None, seed: str, mode: str) -> None:
    """Fill the temp tables _draw_frame and _draw_strata."""
    params = {"year": year, "plan_id": plan_id}
    if mode == "coordinated":
        ensure_prn(con, year, seed)
        u_expr, prn_col = "t.u", ", p.u"
        prn_join = "LEFT JOIN campaign_prn p ON p.uscc = t.uscc AND p.year = $year"
    else:  # u under f"{S}|{plan_id}": computed per (plan, target) pair of the frames
        u_expr, prn_col, prn_join = _u_sql("($seed || '|' || c.plan_id)", "t.uscc"), "", ""
        params["seed"] = seed
    con.execute(_FRAME_SQL.format(u_expr=u_expr, prn_col=prn_col, prn_join=prn_join), params)
    _check_frame_scored(con)
    con.execute(_STRATA_SQL, {"year": year, "plan_id": plan_id})


def _select(con: Connection) -> tuple[pd.DataFrame, int]:
    """Top-quota by (u, uscc) per stratum: first below the cut-off, then in full for any
    stratum the cut-off left short (identical result: every member dropped has a larger u)."""
    fast = con.execute(_SELECT_SQL.format(where=_cutoff_sql())).df()
    got = fast.groupby(["plan_id", "tier"]).size()
    want = con.execute("SELECT plan_id, tier, quota FROM _draw_strata WHERE quota > 0").df()
    kept = [int(got.get((p, t), 0)) for p, t in zip(want["plan_id"], want["tier"], strict=True)]
    short_df = want.loc[[k < q for k, q in zip(kept, want["quota"], strict=True)],
                        ["plan_id", "tier"]]  # fmt: skip
    if short_df.empty:
        return fast, 0
    short = list(short_df.itertuples(index=False, name=None))
    con.register("_short_strata", short_df)
    try:
        full = con.execute(
            _SELECT_SQL.format(
                where="EXISTS (SELECT 1 FROM _short_strata k "
                "WHERE k.plan_id = f.plan_id AND k.tier = f.tier)"
            )
        ).df()
    finally:
        con.unregister("_short_strata")
    short_set = set(short)
    keep = [(p, t) not in short_set for p, t in zip(fast["plan_id"], fast["tier"], strict=True)]
    return pd.concat([fast[keep], full], ignore_index=True), len(short)


def _drop_temp(con: Connection) -> None:
    con.execute("DROP TABLE IF EXISTS _draw_frame")
    con.execute("DROP TABLE IF EXISTS _draw_strata")


def _resolve_secret(con: Connection, year: int, secret: str | None) -> str:
    if secret is not None:
        return secret
    camp = get_campaign(con, year)
    if camp is None:
        raise DrawRefused(
            f"campaign {year} has no committed secret yet: create it first "
            "(python -m core draw --year Y creates it) or pass --secret"
        )
    return camp.secret


def _compute(
    con: Connection, year: int, plan_id: str | None, secret: str | None, beacon: str, mode: str,
) -> Draw:  # fmt: skip
    if mode not in MODES:
        raise DrawRefused(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    check_ready(con, year, plan_id)
    secret = _resolve_secret(con, year, secret)
    seed = campaign_seed(secret, beacon)
    _build(con, year, plan_id, seed, mode)
    selections, fallbacks = _select(con)
    selections = selections.sort_values(["plan_id", "tier", "rank"], ignore_index=True)
    strata = con.execute(
        "SELECT plan_id, item_class, tier, ratio_bp, frame_size, quota FROM _draw_strata "
        "ORDER BY plan_id, tier"
    ).df()
    counts = selections.groupby(["plan_id", "tier"]).size().rename("selected")
    strata = strata.join(counts, on=["plan_id", "tier"]).fillna({"selected": 0})
    strata["selected"] = strata["selected"].astype("int64")
    return Draw(
        year=year, mode=mode, plan_id=plan_id, secret=secret, beacon=beacon, seed=seed,
        seed_commitment=seed_commitment(secret), strata=strata, selections=selections,
        cutoff_fallbacks=fallbacks,
    )  # fmt: skip


def preview(
    con: Connection, year: int, plan_id: str | None = None, secret: str | None = None,
    beacon: str = "", mode: str = "coordinated",
) -> Draw:  # fmt: skip
    """Compute quotas and the selection without saving a draw (only the u cache is kept).

    `plan_id` None draws every plan of the year; `secret` None uses the campaign's."""
    try:
        return _compute(con, year, plan_id, secret, beacon, mode)
    finally:
        _drop_temp(con)


def _frame_hashes(con: Connection) -> dict[tuple[str, str], str]:
    """sha256 of each stratum's frame file: codes ascending, joined by "\\n", no final newline."""
    rows = con.execute(
        "SELECT plan_id, tier, sha256(string_agg(uscc, chr(10) ORDER BY uscc)) "
        "FROM _draw_frame GROUP BY ALL"
    ).fetchall()
    return {(p, t): h for p, t, h in rows}


EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def frame_file(plan_id: str, tier: str) -> str:
    """The frame file's path relative to the publication folder, as the record names it."""
    return f"frames/{plan_id}/{tier}.txt"


def build_record(
    year: int, plan_id: str, mode: str, commitment: str, secret: str, beacon: str, seed: str,
    strata: list[dict[str, Any]], draw_id: str, supersedes: str | None, reason: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The public record (DESIGN.md format first; then the draw id, the PRN seed and definition
    so that independent mode can be re-run, and what it supersedes)."""
    return {
        "algorithm": ALGORITHM,
        "campaign": str(year),
        "plan_id": plan_id,
        "mode": mode,
        "seed_commitment": commitment,
        "secret": secret,
        "beacon": beacon,
        "seed": seed,
        "strata": strata,
        "draw_id": draw_id,
        "prn_seed": prn_seed(seed, plan_id, mode),
        "prn": PRN_DEFINITION,
        "supersedes": supersedes,
        "reason": reason,
    }


def commit(
    con: Connection, year: int, actor: str, plan_id: str | None = None, secret: str | None = None,
    beacon: str = "", mode: str = "coordinated", reason: str | None = None,
) -> Draw:  # fmt: skip
    """Draw and save, all or nothing: one draw per plan (draws, draw_strata, draw_selections,
    draw_frames, the JSON record) and an audit entry. A plan that already has a draw in force
    is re-drawn only with a `reason`; the new draw supersedes the old, both are kept.
    The secret must be the campaign's committed one. Returns the Draw with its new draw_ids
    (plans in plan_id order)."""
    camp = get_campaign(con, year)
    if camp is None:
        raise DrawRefused(
            f"campaign {year} has no committed secret: its commitment must be published before a "
            "draw is committed (python -m core draw --year Y creates it)"
        )
    if secret is not None and seed_commitment(secret) != camp.seed_commitment:
        raise DrawRefused(
            f"the secret does not match campaign {year}'s published commitment "
            f"{camp.seed_commitment[:16]}…"
        )
    try:
        draw = _compute(con, year, plan_id, camp.secret, beacon, mode)
        plan_ids = sorted(draw.strata["plan_id"].unique())
        in_force = dict(
            con.execute(
                "SELECT plan_id, draw_id FROM current_draws WHERE year = ? ",
                [year],
            ).fetchall()
        )
        redrawn = [p for p in plan_ids if p in in_force]
        if redrawn and not (reason and reason.strip()):
            raise DrawRefused(
                f"{len(redrawn)} plan(s) already have a committed draw (e.g. {redrawn[0]}: "
                f"{in_force[redrawn[0]]}); a re-draw needs a reason"
            )
        hashes = _frame_hashes(con)
        counts = dict(
            con.execute(
                "SELECT plan_id, count(*) FROM draws WHERE year = ? GROUP BY plan_id", [year]
            ).fetchall()
        )
        now = datetime.now(TZ).isoformat(timespec="seconds")
        batches = first_row(con, "SELECT count(DISTINCT batch_id) FROM draws")[0]
        batch_id = f"{year}-b{batches + 1}-{now}"
        sel_by_stratum = {
            k: g["uscc"].tolist() for k, g in draw.selections.groupby(["plan_id", "tier"])
        }
        draw_rows, strata_rows = [], []
        ids: dict[str, str] = {}
        for pid, group in draw.strata.groupby("plan_id", sort=True):
            draw_id = f"{pid}-d{counts.get(pid, 0) + 1}"
            ids[pid] = draw_id
            strata = []
            for s in group.itertuples(index=False):
                strata.append({
                    "tier": s.tier, "ratio_bp": int(s.ratio_bp), "frame_size": int(s.frame_size),
                    "frame_sha256": hashes.get((pid, s.tier), EMPTY_SHA256),
                    "frame_file": frame_file(pid, s.tier), "quota": int(s.quota),
                    "selected": sel_by_stratum.get((pid, s.tier), []),
                })  # fmt: skip
                strata_rows.append((draw_id, s.tier, int(s.ratio_bp), int(s.frame_size),
                                    strata[-1]["frame_sha256"], int(s.quota)))  # fmt: skip
            old = in_force.get(pid)
            record = build_record(
                year, pid, mode, camp.seed_commitment, camp.secret, beacon, draw.seed, strata,
                draw_id, old, reason if old else None,
            )  # fmt: skip
            draw_rows.append((
                draw_id, year, pid, mode, ALGORITHM, camp.seed_commitment, camp.secret, beacon,
                draw.seed, now, actor, old, reason if old else None,
                json.dumps(record, ensure_ascii=False), batch_id, prn_seed(draw.seed, pid, mode),
            ))  # fmt: skip
        ids_df = pd.DataFrame(list(ids.items()), columns=["plan_id", "draw_id"])
        sel = draw.selections.merge(ids_df, on="plan_id")
        con.register("_new_ids", ids_df)
        con.register("_new_sel", sel)
        try:
            with transaction(con):
                con.executemany(
                    "INSERT INTO draws (draw_id, year, plan_id, mode, algorithm, seed_commitment, "
                    "secret, beacon, seed, committed_at, committed_by, supersedes, reason, "
                    "record_json, batch_id, prn_seed) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    draw_rows,
                )
                con.executemany("INSERT INTO draw_strata VALUES (?, ?, ?, ?, ?, ?)", strata_rows)
                con.execute(
                    "INSERT INTO draw_selections (draw_id, plan_id, uscc, tier, u, rank) "
                    "SELECT draw_id, plan_id, uscc, tier, u, rank FROM _new_sel"
                )
                con.execute(
                    "INSERT INTO draw_frames SELECT i.draw_id, f.tier, f.uscc "
                    "FROM _draw_frame f JOIN _new_ids i USING (plan_id)"
                )
                audit.record(con, actor, "sampling.draw.commit", {
                    "year": year, "plan_id": plan_id, "mode": mode, "batch_id": batch_id,
                    "draws": len(draw_rows), "selected": draw.total_selected,
                    "seed": draw.seed, "beacon": beacon, "superseded": len(redrawn),
                    "reason": reason,
                })  # fmt: skip
                bump_data_version(con)
        finally:
            con.unregister("_new_ids")
            con.unregister("_new_sel")
        draw.draw_ids = [ids[p] for p in plan_ids]
        return draw
    finally:
        _drop_temp(con)


# ------------------------------------------------------------------------------------------
# Reading committed draws
# ------------------------------------------------------------------------------------------


def committed_draws(con: Connection, year: int | None = None) -> pd.DataFrame:
    """Every committed draw, newest first, with its size and whether it is still in force."""
    return con.execute(
        """
        SELECT d.draw_id, d.year, d.plan_id, p.name AS plan_name, d.mode, d.committed_at,
               d.committed_by, d.supersedes, d.reason, d.batch_id,
               (SELECT count(*) FROM draw_selections s WHERE s.draw_id = d.draw_id) AS selected,
               d.draw_id IN (SELECT draw_id FROM current_draws) AS in_force
        FROM draws d LEFT JOIN plans p USING (plan_id)
        WHERE $year IS NULL OR d.year = $year
        ORDER BY d.committed_at DESC, d.draw_id
        """,
        {"year": year},
    ).df()


def draw_record(con: Connection, draw_id: str) -> dict[str, Any]:
    """The public JSON record of a committed draw, exactly as stored."""
    row = first_row(con, "SELECT record_json FROM draws WHERE draw_id = ?", [draw_id])
    if row is None:
        raise DrawRefused(f"no draw {draw_id!r}")
    return json.loads(row[0])


def frame_file_bytes(con: Connection, draw_id: str, tier: str) -> bytes:
    """The frame file of one committed stratum, byte for byte as its frame_sha256 covers."""
    codes = [
        r[0]
        for r in con.execute(
            "SELECT uscc FROM draw_frames WHERE draw_id = ? AND tier = ? ORDER BY uscc",
            [draw_id, tier],
        ).fetchall()
    ]
    return "\n".join(codes).encode("utf-8")


def batch_records(con: Connection, batch_id: str) -> list[dict[str, Any]]:
    """Every record of one commit (a whole-campaign draw is one batch of per-plan records)."""
    rows = con.execute(
        "SELECT record_json FROM draws WHERE batch_id = ? ORDER BY plan_id", [batch_id]
    ).fetchall()
    return [json.loads(r[0]) for r in rows]
