"""The draw (suicha-prn-sha256-v1): quotas per stratum and the `quota` smallest (u, code).

Coordinated mode hashes each frame member once (u under S); only members whose u is below the
largest cut-off of the strata that contain them are expanded into (plan, member) pairs and
sorted. The cut-off is a little above the stratum's ratio (ratio + Z sd + slack/N); a stratum
left below its quota is re-sorted in full: identical result, a fraction of the work.
Independent mode hashes each (plan, member) pair under f"{S}|{plan_id}"."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core import db
from core.db import Connection
from core.refusal import Refused
from core.sampling import frames
from core.sampling.prn import campaign_seed, check_mode, seed_commitment
from core.vocab import TIERS

# The cut-off keeps, per stratum, only members with u <= p + Z sd + SLACK/N before sorting.
CUTOFF_Z = 6.0
CUTOFF_SLACK = 8.0


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
    rehearsal: bool = False

    @property
    def total_selected(self) -> int:
        return len(self.selections)


def cutoff_sql(s: str = "s") -> str:
    """u <= p + Z sd + slack / N (read at call time, so a test can force the fallback)."""
    p = f"({s}.ratio_bp / 10000.0)"
    return (
        f"{p} + {float(CUTOFF_Z)} * sqrt({p} * (1 - {p}) / {s}.frame_size) "
        f"+ {float(CUTOFF_SLACK)} / {s}.frame_size"
    )


_COORDINATED_SQL = """
WITH cut AS (
    SELECT plan_id, tier, quota, {cutoff} AS c FROM _dr_strata s WHERE quota > 0
),
cell_cut AS (   -- the largest cut-off of any stratum a (cell, tier) belongs to
    SELECT pc.cell, cut.tier, max(cut.c) AS c
    FROM _dr_plan_cells pc JOIN cut USING (plan_id) GROUP BY ALL
),
cand AS (
    SELECT m.uscc, m.cell, m.tier, m.u
    FROM _dr_members m JOIN cell_cut k ON k.cell = m.cell AND k.tier = m.tier
    WHERE m.u <= k.c
)
SELECT pc.plan_id, c.tier, c.uscc, c.u,
       CAST(row_number() OVER (PARTITION BY pc.plan_id, c.tier ORDER BY c.u, c.uscc)
            AS INTEGER) AS rank
FROM cand c
JOIN _dr_plan_cells pc USING (cell)
JOIN cut ON cut.plan_id = pc.plan_id AND cut.tier = c.tier
WHERE c.u <= cut.c
QUALIFY rank <= cut.quota
"""

_COORDINATED_FULL_SQL = """
SELECT pc.plan_id, m.tier, m.uscc, m.u,
       CAST(row_number() OVER (PARTITION BY pc.plan_id, m.tier ORDER BY m.u, m.uscc)
            AS INTEGER) AS rank
FROM _dr_members m
JOIN _dr_plan_cells pc USING (cell)
JOIN _dr_short k ON k.plan_id = pc.plan_id AND k.tier = m.tier
QUALIFY rank <= k.quota
"""

# Independent mode ranks the pairs kept under their stratum's cut-off (from prn_batch.pairs_u).
_RANK_SQL = """
SELECT c.plan_id, c.tier, c.uscc, c.u,
       CAST(row_number() OVER (PARTITION BY c.plan_id, c.tier ORDER BY c.u, c.uscc)
            AS INTEGER) AS rank
FROM _dr_kept c JOIN _dr_strata s USING (plan_id, tier)
QUALIFY rank <= s.quota
"""


def _short_strata(con: Connection, got: pd.DataFrame) -> pd.DataFrame:
    """Strata whose kept count is below their quota."""
    kept = got.groupby(["plan_id", "tier"]).size().rename("kept").reset_index()
    want = con.execute("SELECT plan_id, tier, quota FROM _dr_strata WHERE quota > 0").df()
    merged = want.merge(kept, on=["plan_id", "tier"], how="left").fillna({"kept": 0})
    return merged.loc[merged["kept"] < merged["quota"], ["plan_id", "tier", "quota"]]


def _select_coordinated(con: Connection) -> tuple[pd.DataFrame, int]:
    fast = con.execute(_COORDINATED_SQL.format(cutoff=cutoff_sql())).df()
    short = _short_strata(con, fast)
    if short.empty:
        return fast, 0
    con.register("_dr_short_df", short)
    con.execute("CREATE OR REPLACE TEMP TABLE _dr_short AS SELECT * FROM _dr_short_df")
    con.unregister("_dr_short_df")
    try:
        full = con.execute(_COORDINATED_FULL_SQL).df()
    finally:
        con.execute("DROP TABLE IF EXISTS _dr_short")
    keys = pd.MultiIndex.from_frame(short[["plan_id", "tier"]])
    keep = ~pd.MultiIndex.from_frame(fast[["plan_id", "tier"]]).isin(keys)
    return pd.concat([fast[keep], full], ignore_index=True), len(short)


def _select_independent(con: Connection, seed: str) -> tuple[pd.DataFrame, int]:
    """Each (plan, member) pair hashed under f"{S}|{plan_id}" (prn_batch, both cores); pairs
    under their stratum's cut-off are ranked in SQL; a stratum left short is ranked in full
    from the u already computed."""
    from core.sampling import prn_batch  # numba, loaded by the first draw

    members = db.arrow(con, "SELECT uscc, cell, tier FROM _dr_members")
    plans = db.arrow(con, "SELECT DISTINCT plan_id FROM _dr_plan_cells ORDER BY plan_id")
    plan_ids = plans["plan_id"]
    index = {p: i for i, p in enumerate(plan_ids.to_pylist())}
    cells = con.execute("SELECT cell, plan_id FROM _dr_plan_cells ORDER BY cell, plan_id").df()
    n_cells = int(max(cells["cell"].max() if len(cells) else 0,
                      pc.max(members["cell"]).as_py() or 0))  # fmt: skip
    cell_start = np.searchsorted(cells["cell"].to_numpy(), np.arange(n_cells + 2))
    cell_plans = cells["plan_id"].map(index).to_numpy(np.int64)
    member_cell = members["cell"].to_numpy()
    u, plan, member = prn_batch.pairs_u(
        seed, plan_ids, members["uscc"], member_cell, cell_start, cell_plans
    )
    tier_of = pc.index_in(members["tier"], pa.array(TIERS)).to_numpy()[member]
    cutoffs = f"SELECT plan_id, tier, quota, {cutoff_sql()} AS c FROM _dr_strata s WHERE quota > 0"  # noqa: S608 (our own expression)
    strata = con.execute(cutoffs).df()
    cut = np.full((len(index), len(TIERS)), -1.0)  # no stratum, or a quota of 0: nothing kept
    rows = strata["plan_id"].map(index).to_numpy(), strata["tier"].map(TIERS.index).to_numpy()
    cut[rows] = strata["c"].to_numpy()

    def ranked() -> pd.DataFrame:
        keep = np.flatnonzero(u <= cut[plan, tier_of])
        kept = pa.table({
            "plan_id": plan_ids.take(pa.array(plan[keep])),
            "tier": members["tier"].take(pa.array(member[keep])),
            "uscc": members["uscc"].take(pa.array(member[keep])),
            "u": pa.array(u[keep]),
        })  # fmt: skip
        con.register("_dr_kept", kept)
        try:
            return con.execute(_RANK_SQL).df()
        finally:
            con.unregister("_dr_kept")

    fast = ranked()
    short = _short_strata(con, fast)
    if short.empty:
        return fast, 0
    cut[short["plan_id"].map(index).to_numpy(), short["tier"].map(TIERS.index).to_numpy()] = 2.0
    return ranked(), len(short)


def check_ready(con: Connection, year: int, plan_id: str | None) -> None:
    """Refuse an unknown plan or year, or registries without risk tiers."""
    if plan_id is not None:
        row = con.execute("SELECT year FROM plans WHERE plan_id = ?", [plan_id]).fetchall()
        if not row:
            raise Refused("draw.no_plan", plan=plan_id)
        if row[0][0] != year:
            raise Refused("draw.plan_other_year", plan=plan_id, other=row[0][0], year=year)
    elif not con.execute("SELECT count(*) FROM plans WHERE year = ?", [year]).fetchone()[0]:
        raise Refused("draw.no_plans", year=year)
    if con.execute("SELECT count(*) FROM risk").fetchone()[0] == 0:
        raise Refused("draw.no_risk")


def compute_in_temp(
    con: Connection, year: int, plan_id: str | None, secret: str, beacon: str, mode: str
) -> Draw:
    """Compute the draw, leaving the frames in the connection's temp tables (for commit)."""
    check_mode(mode)
    check_ready(con, year, plan_id)
    seed = campaign_seed(secret, beacon)
    frames.build(con, year, plan_id, seed if mode == "coordinated" else None)
    if mode == "coordinated":
        selections, fallbacks = _select_coordinated(con)
    else:
        selections, fallbacks = _select_independent(con, seed)
    selections = selections.sort_values(["plan_id", "tier", "rank"], ignore_index=True)
    strata = frames.strata(con)
    counts = selections.groupby(["plan_id", "tier"]).size().rename("selected")
    strata = strata.join(counts, on=["plan_id", "tier"]).fillna({"selected": 0})
    strata["selected"] = strata["selected"].astype("int64")
    return Draw(
        year=year, mode=mode, plan_id=plan_id, secret=secret, beacon=beacon, seed=seed,
        seed_commitment=seed_commitment(secret), strata=strata, selections=selections,
        cutoff_fallbacks=fallbacks,
    )  # fmt: skip


def compute(
    con: Connection, year: int, plan_id: str | None, secret: str, beacon: str, mode: str
) -> Draw:
    """Compute the draw in memory; nothing stays behind and nothing is written."""
    try:
        return compute_in_temp(con, year, plan_id, secret, beacon, mode)
    finally:
        frames.drop_temp(con)
