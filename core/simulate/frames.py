"""The campaign's frames reduced to what a what-if needs: the size of every plan x tier stratum
and the overlap structure between plans, computed once per data version.

Why the overlap structure: two plans can only meet at a target both frames admit. Every target is
in exactly one cell (kind, industry, street); the plans admitting a cell are its *plan set*.
Grouping the directory by (plan set, tier, district) gives a few thousand groups of
interchangeable targets (a few hundred plan sets at full scale, at most a handful of plans each):
everything a scenario needs (quotas, expected visits after merging, workload, coverage) is
arithmetic over these groups, with no pass over the 6.43 M targets.

The frame definition is the draw's (core/sampling/frames.py, _CELLS_SQL and _PLAN_CELLS_SQL): a
NULL frame list admits every value; streets filter within the plan's districts. It is written out
again here because reusing the draw's statements as they stand re-reads the 6.43 M targets for
their cells (+15 % CPU on this step); its stratum sizes equal sampling.stratum_sizes (the draw's
own count; tests/test_simulate.py checks they agree)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core import risk
from core.db import Connection
from core.vocab import TIERS

# One row per (plan set, tier, district): the targets every plan of the set admits, no other.
# {scored}: the targets with their risk row (_SCORED).
_GROUPS_SQL = """
WITH {cellcount},
sel AS (
    SELECT plan_id, frame_kinds, frame_industries, frame_districts, frame_streets
    FROM plans WHERE year = $year
),
c1 AS (
    SELECT plan_id, frame_industries, frame_districts, frame_streets,
           unnest(coalesce(frame_kinds, (SELECT list(DISTINCT kind) FROM cellcount))) AS kind
    FROM sel
),
c2 AS (
    SELECT plan_id, kind, frame_districts, frame_streets,
           unnest(coalesce(frame_industries, (SELECT list(DISTINCT industry) FROM cellcount)))
             AS industry
    FROM c1
),
cells AS (
    SELECT DISTINCT plan_id, kind, industry, frame_streets,
           unnest(coalesce(frame_districts, (SELECT list(DISTINCT district) FROM cellcount)))
             AS district
    FROM c2
),
member AS (
    SELECT c.plan_id, k.kind, k.industry, k.district, k.street, k.tier, k.n, k.p_sum
    FROM cells c JOIN cellcount k
      ON k.kind = c.kind AND k.industry = c.industry AND k.district = c.district
    WHERE c.frame_streets IS NULL OR list_contains(c.frame_streets, k.street)
),
per_cell AS (
    SELECT kind, industry, district, street, tier, any_value(n) AS n,
           any_value(p_sum) AS p_sum, list(plan_id ORDER BY plan_id) AS plan_set
    FROM member GROUP BY ALL
)
SELECT plan_set, tier, district, sum(n)::BIGINT AS n, sum(p_sum) AS p_sum
FROM per_cell GROUP BY ALL
ORDER BY plan_set, tier, district
"""


# Targets with their risk rows: by position when risk is in targets' order (core/risk.py
# aligned: one scan of each table), else joined on the code (a hash join of 6.43 M codes with
# 6.43 M: a second more at full scale).
_SCORED = {
    True: "targets t POSITIONAL JOIN (SELECT tier, score FROM risk) r",
    False: "targets t LEFT JOIN risk r USING (uscc)",
}


def _cellcount(scored: str, model: bool) -> str:
    """Targets and their propensities per cell (kind, industry, district, street) and tier
    (NULL: no risk row). Counted per cell with one column per tier, then one row per tier the
    cell holds: a hash table of 30,000 cells, not 100,000 (cell, tier) pairs, a third faster
    at full scale. Without a model every propensity is 1/2 (intercept and slope 0): the sum is
    half the count, exactly, without reading the scores (and NULL without a risk row)."""
    propensity = "1.0 / (1.0 + exp(-($a + $b * r.score)))"
    wide, rows = [], []
    for i, tier in enumerate([*(f"'{t}'" for t in TIERS), "NULL"]):
        where = "r.tier IS NULL" if tier == "NULL" else f"r.tier = {tier}"
        wide.append(f"count(*) FILTER (WHERE {where}) AS n{i}")
        if model:
            wide.append(f"sum({propensity}) FILTER (WHERE {where}) AS p{i}")
        p_sum = f"p{i}" if model else ("NULL" if tier == "NULL" else f"0.5::DOUBLE * n{i}")
        picked = f"{tier}::VARCHAR AS tier, n{i} AS n, {p_sum}::DOUBLE AS p_sum"
        rows.append(f"SELECT kind, industry, district, street, {picked} "  # noqa: S608
                    f"FROM cells_wide WHERE n{i} > 0")  # fmt: skip
    return f"""cells_wide AS MATERIALIZED (
    SELECT t.kind, t.industry, t.district, t.street, {", ".join(wide)}
    FROM {scored} GROUP BY ALL
),
cellcount AS ({" UNION ALL ".join(rows)})"""  # noqa: S608 (constants of this module)


def groups_sql(con: Connection, model: bool = False) -> str:
    """_GROUPS_SQL over the targets with their risk rows, read the cheapest way that holds;
    `model`: with each firm's propensity from the risk score."""
    scored = _SCORED[risk.aligned(con)]
    if not model:
        scored = scored.replace("SELECT tier, score FROM risk", "SELECT tier FROM risk")
    return _GROUPS_SQL.replace("{cellcount}", _cellcount(scored, model))


@dataclass
class FrameStructure:
    """Sizes and overlaps of one campaign's frames (see the module docstring).

    Plans are indexed 0..P-1 in plan_id order; tiers 0..3 as core.vocab.TIERS."""

    year: int
    plans: pd.DataFrame  # plan_id, item_class, kind, period_start, period_end (days since epoch)
    sizes: np.ndarray  # (P, 4) frame size of every plan x tier stratum
    p_sums: np.ndarray  # (P, 4) sum of the frame's propensities (load_frames' model)
    set_slots: np.ndarray  # (S, K) plan index per plan set, ordered by period end; -1 pads
    groups: pd.DataFrame  # plan_set (index into set_slots), tier (0..3), n, p_sum
    group_districts: pd.DataFrame  # plan_set, tier, district, n, p_sum
    plan_depts: pd.DataFrame  # plan (index), dept_code
    district_targets: pd.DataFrame  # district, targets (the whole directory)
    unscored: int  # frame members with no risk tier (a draw would refuse them)

    @property
    def n_plans(self) -> int:
        return len(self.plans)


def load_frames(
    con: Connection, year: int, model: tuple[float, float] | None = None
) -> FrameStructure:
    """Read the registries once and reduce them to a FrameStructure (read only). With `model`
    (intercept, slope on the risk score) every group also sums its firms' propensities."""
    plans = con.execute(
        "SELECT plan_id, item_class, kind, "
        "CAST(date_diff('day', DATE '1970-01-01', period_start) AS BIGINT) AS period_start, "
        "CAST(date_diff('day', DATE '1970-01-01', period_end) AS BIGINT) AS period_end "
        "FROM plans WHERE year = ? ORDER BY plan_id",
        [year],
    ).df()
    index = pd.Series(np.arange(len(plans)), index=plans["plan_id"])
    a, b = model if model is not None else (0.0, 0.0)
    params = {"year": year, "a": a, "b": b} if model is not None else {"year": year}
    rows = con.execute(groups_sql(con, model is not None), params).df()
    unscored = int(rows.loc[rows["tier"].isna(), "n"].sum())
    rows = rows[rows["tier"].notna()].reset_index(drop=True)

    keys = rows["plan_set"].map(tuple)
    codes, uniques = pd.factorize(keys)
    ends = plans["period_end"].to_numpy()
    starts = plans["period_start"].to_numpy()
    width = max((len(u) for u in uniques), default=1)
    set_slots = np.full((len(uniques), width), -1, dtype=np.int64)
    position = dict(zip(plans["plan_id"], range(len(plans)), strict=True))
    for s, members in enumerate(uniques):  # a few hundred plan sets, not rows of targets
        # (a dict, not index.loc: pandas' indexing per set cost a quarter second at full scale)
        idx = np.fromiter((position[m] for m in members), dtype=np.int64, count=len(members))
        idx = idx[np.lexsort((starts[idx], ends[idx]))]
        set_slots[s, : len(idx)] = idx
    tier_of = {t: i for i, t in enumerate(TIERS)}
    group_districts = pd.DataFrame(
        {
            "plan_set": codes.astype(np.int64),
            "tier": rows["tier"].map(tier_of).to_numpy(np.int64),
            "district": rows["district"].to_numpy(),
            "n": rows["n"].to_numpy(np.int64),
            "p_sum": rows["p_sum"].to_numpy(np.float64),
        }
    )
    groups = group_districts.groupby(["plan_set", "tier"], as_index=False)[["n", "p_sum"]].sum()

    sizes = np.zeros((len(plans), len(TIERS)), dtype=np.int64)
    slots = set_slots[groups["plan_set"].to_numpy()]
    tiers = np.repeat(groups["tier"].to_numpy(), slots.shape[1])
    counts = np.repeat(groups["n"].to_numpy(), slots.shape[1])
    flat = slots.ravel()
    keep = flat >= 0
    np.add.at(sizes, (flat[keep], tiers[keep]), counts[keep])
    p_sums = np.zeros(sizes.shape, dtype=np.float64)
    weights = np.repeat(groups["p_sum"].to_numpy(), slots.shape[1])
    np.add.at(p_sums, (flat[keep], tiers[keep]), weights[keep])

    depts = con.execute(
        "SELECT d.plan_id, d.dept_code FROM plan_depts d JOIN plans p USING (plan_id) "
        "WHERE p.year = ? ORDER BY d.plan_id, d.dept_code",
        [year],
    ).df()
    plan_depts = pd.DataFrame(
        {"plan": index.loc[depts["plan_id"]].to_numpy(), "dept_code": depts["dept_code"]}
    )
    district_targets = con.execute(
        "SELECT district, count(*)::BIGINT AS targets FROM targets GROUP BY 1 ORDER BY 1"
    ).df()
    return FrameStructure(
        year=year,
        plans=plans,
        sizes=sizes,
        p_sums=p_sums,
        set_slots=set_slots,
        groups=groups,
        group_districts=group_districts,
        plan_depts=plan_depts,
        district_targets=district_targets,
        unscored=unscored,
    )


def stratum_sizes(con: Connection, year: int) -> pd.DataFrame:
    """DataFrame(plan_id, item_class, tier, frame_size): the draw's own stratum sizes."""
    from core import sampling

    return sampling.stratum_sizes(con, year)


def sizes_frame(frames: FrameStructure) -> pd.DataFrame:
    """The structure's strata in the sampling contract's shape."""
    n_tiers = len(TIERS)
    return pd.DataFrame(
        {
            "plan_id": np.repeat(frames.plans["plan_id"].to_numpy(), n_tiers),
            "item_class": np.repeat(frames.plans["item_class"].to_numpy(), n_tiers),
            "tier": np.tile(np.array(TIERS), frames.n_plans),
            "frame_size": frames.sizes.ravel(),
        }
    )
