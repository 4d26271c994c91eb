"""Frames of a campaign's plans, built from cells, in temp tables of the reading connection.

A plan's frame filter (kinds, industries, districts, streets) admits whole cells: the ~3*10^4
distinct (kind, industry, district, street) combinations of the registry. So a campaign's frames
are `_dr_plan_cells(plan_id, cell)` (tens of thousands of rows) over `_dr_members(uscc, cell,
tier[, u])`, one row per target that is in any frame (44.5 % of targets at full scale), instead
of one row per (plan, target) pair (4.8 M). Temp tables live in memory and are never written
to the database file: a preview leaves the file byte-identical.

Frame files (docs/draw-record.md §0) and their hashes come from one sorted read of the members
and a vectorised expansion into pairs (numpy + Arrow), hashed with hashlib."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core import db
from core.db import Connection
from core.refusal import Refused
from core.vocab import TIERS

TEMP_TABLES = ("_dr_cells", "_dr_plan_cells", "_dr_member_cells", "_dr_members",
               "_dr_cell_tiers", "_dr_strata")  # fmt: skip

_CELLS_SQL = """
CREATE OR REPLACE TEMP TABLE _dr_cells AS
SELECT CAST(row_number() OVER (ORDER BY kind, industry, district, street) AS INTEGER) AS cell,
       kind, industry, district, street
FROM (SELECT DISTINCT kind, industry, district, street FROM targets)
"""

_PLAN_CELLS_SQL = """
CREATE OR REPLACE TEMP TABLE _dr_plan_cells AS
WITH sel AS (
    SELECT plan_id, frame_kinds, frame_industries, frame_districts, frame_streets
    FROM plans WHERE year = $year AND ($plan_id IS NULL OR plan_id = $plan_id)
),
c1 AS (
    SELECT plan_id, frame_industries, frame_districts, frame_streets,
           unnest(coalesce(frame_kinds, (SELECT list(DISTINCT kind) FROM _dr_cells))) AS kind
    FROM sel
),
c2 AS (
    SELECT plan_id, kind, frame_districts, frame_streets,
           unnest(coalesce(frame_industries, (SELECT list(DISTINCT industry) FROM _dr_cells)))
             AS industry
    FROM c1
),
c3 AS (
    SELECT plan_id, kind, industry, frame_streets,
           unnest(coalesce(frame_districts, (SELECT list(DISTINCT district) FROM _dr_cells)))
             AS district
    FROM c2
)
SELECT DISTINCT c3.plan_id, c.cell
FROM c3 JOIN _dr_cells c
  ON c.kind = c3.kind AND c.industry = c3.industry AND c.district = c3.district
WHERE c3.frame_streets IS NULL OR list_contains(c3.frame_streets, c.street)
"""

# Members in two steps: the cell join on the registry's text columns, then the tier read by
# row id when risk is kept in targets' row order (as scoring writes it). Every member's code is
# compared with the risk row's; any mismatch falls back to a join on the code
# (_MEMBERS_BY_CODE). Either way each member gets the tier of its own code.
_MEMBER_CELLS_SQL = """
CREATE OR REPLACE TEMP TABLE _dr_member_cells AS
WITH admitted AS (
    SELECT c.* FROM _dr_cells c WHERE c.cell IN (SELECT cell FROM _dr_plan_cells)
)
SELECT t.rowid AS rid, t.uscc, a.cell
FROM targets t
JOIN admitted a ON a.kind = t.kind AND a.industry = t.industry AND a.district = t.district
               AND a.street = t.street
"""

_MEMBERS_SQL = """
SELECT m.uscc, m.cell, r.tier, coalesce(r.uscc = m.uscc, false) AS aligned
FROM _dr_member_cells m LEFT JOIN (SELECT rowid AS rid, uscc, tier FROM risk) r USING (rid)
"""

_MEMBERS_BY_CODE = """
SELECT m.uscc, m.cell, r.tier, true AS aligned
FROM _dr_member_cells m LEFT JOIN risk r ON r.uscc = m.uscc
"""

_STRATA_SQL = """
CREATE OR REPLACE TEMP TABLE _dr_cell_tiers AS
SELECT cell, tier, count(*) AS n FROM _dr_members GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _dr_strata AS
WITH sizes AS (
    SELECT pc.plan_id, ct.tier, CAST(sum(ct.n) AS BIGINT) AS frame_size
    FROM _dr_plan_cells pc JOIN _dr_cell_tiers ct USING (cell) GROUP BY ALL
),
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


def drop_temp(con: Connection) -> None:
    for table in TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def build(con: Connection, year: int, plan_id: str | None, seed: str | None) -> None:
    """Fill the temp tables: cells, plan cells, members (u under `seed` when given: the
    coordinated draw hashes each member once) and strata. Refuses unscored members."""
    params = {"year": year, "plan_id": plan_id}
    con.execute(_CELLS_SQL)
    con.execute(_PLAN_CELLS_SQL, params)
    con.execute(_MEMBER_CELLS_SQL)
    members = db.arrow(con, _MEMBERS_SQL)
    if not pc.all(members["aligned"]).as_py() and members.num_rows:
        members = db.arrow(con, _MEMBERS_BY_CODE)
    con.execute("DROP TABLE _dr_member_cells")
    unscored = members["tier"].null_count
    if unscored:
        raise Refused("draw.unscored", n=f"{unscored:,}")
    if seed is not None:
        from core.sampling import prn_batch  # numba, loaded by the first draw only

        members = members.append_column("u", pa.array(prn_batch.codes_u(seed, members["uscc"])))
    con.register("_dr_members_in", members)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _dr_members AS SELECT * FROM _dr_members_in")
    finally:
        con.unregister("_dr_members_in")
    con.execute(_STRATA_SQL, params)


def strata(con: Connection) -> pd.DataFrame:
    return con.execute(
        "SELECT plan_id, item_class, tier, ratio_bp, frame_size, quota FROM _dr_strata "
        "ORDER BY plan_id, tier"
    ).df()


# ------------------------------------------------------------------------------------------
# Frame files and their hashes
# ------------------------------------------------------------------------------------------


@dataclass
class FrameHashes:
    """Whole-frame and tier-frame sizes and sha256 of every plan built in the temp tables."""

    whole: dict[str, tuple[int, str]]  # plan_id -> (frame_size, sha256 of frames/<plan>.txt)
    tiers: dict[tuple[str, str], tuple[int, str]]  # (plan_id, tier) -> (size, sha256)


def _join_hashes(codes: pa.Array, offsets: np.ndarray, keys: list, keep: dict | None) -> list[str]:
    """sha256 of each slice codes[offsets[i]:offsets[i+1]] joined by "\\n" (a frame file);
    the bytes themselves go into `keep` under keys[i] when asked."""
    lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), codes)
    joined = pc.binary_join(lists, "\n").cast(pa.binary())
    out = []
    for i, value in enumerate(joined):
        data = value.as_py() or b""
        out.append(hashlib.sha256(data).hexdigest())
        if keep is not None:
            keep[keys[i]] = data
    return out


def frame_hashes(con: Connection, plan_ids: list[str]) -> FrameHashes:
    """Hash every frame file of `plan_ids` from the temp tables."""
    members = db.arrow(con, "SELECT uscc, cell, tier FROM _dr_members ORDER BY uscc")
    pcs = con.execute("SELECT plan_id, cell FROM _dr_plan_cells").df()
    return expand(members, pcs, plan_ids)[0]


def _fixed_width_rows(codes: pa.Array) -> np.ndarray | None:
    """The codes as an (n, width + 1) byte matrix, each row a code and "\n", when every code
    has the same length in bytes (a USCC always has 18), else None."""
    codes = codes.cast(pa.binary())  # zero-copy from string
    if len(codes) == 0 or codes.null_count:
        return None
    lengths = pc.binary_length(codes)
    bounds = pc.min_max(lengths)
    width = bounds["min"].as_py()
    if width == 0 or width != bounds["max"].as_py():
        return None
    offsets = np.frombuffer(codes.buffers()[1], np.int32)[codes.offset : codes.offset + 1]
    data = np.frombuffer(codes.buffers()[2], np.uint8)
    start = int(offsets[0])
    rows = np.empty((len(codes), width + 1), np.uint8)
    rows[:, :width] = data[start : start + len(codes) * width].reshape(len(codes), width)
    rows[:, width] = ord("\n")
    return rows


def _hash_fixed(rows: np.ndarray, offsets: np.ndarray, keys: list, keep: dict | None) -> list[str]:
    """sha256 of each file rows[offsets[i]:offsets[i+1]] (codes and newlines, the last newline
    dropped), hashed in place; the bytes go into `keep` under keys[i] when asked."""
    flat = memoryview(np.ascontiguousarray(rows).reshape(-1))
    width = rows.shape[1]
    out = []
    for i, key in enumerate(keys):
        lo, hi = int(offsets[i]) * width, int(offsets[i + 1]) * width
        view = flat[lo : hi - 1] if hi > lo else flat[0:0]
        out.append(hashlib.sha256(view).hexdigest())
        if keep is not None:
            keep[key] = bytes(view)
    return out


def _small_int(values: np.ndarray, bound: int) -> np.ndarray:
    """Values known to lie in [0, bound) in the narrowest integer type, so that numpy's stable
    sort is a radix sort where it can be (16 bits or less)."""
    return values.astype(np.int16 if bound < 2**15 else np.int32 if bound < 2**31 else np.int64)


def expand(
    members: pa.Table, plan_cells: pd.DataFrame, plan_ids: list[str], want_bytes: bool = False
) -> tuple[FrameHashes, dict[tuple[str, str | None], bytes]]:
    """Frame files of `plan_ids` from members (uscc, cell, tier; sorted by uscc) and the cells
    each plan admits: (plan, member) pairs by integer arithmetic, joined and hashed. With
    `want_bytes`, also every file's bytes, keyed (plan_id, None) for the whole frame and
    (plan_id, tier) for a tier frame. Codes of one width (every USCC) are gathered as a byte
    matrix and hashed in place; codes of mixed widths go through Arrow's list join."""
    codes = members.column("uscc").combine_chunks()
    if not pa.types.is_string(codes.type):  # large_string from some readers: one offset width
        codes = codes.cast(pa.string())
    cell = members.column("cell").to_numpy().astype(np.int64)
    tier_idx = pc.index_in(members.column("tier"), value_set=pa.array(TIERS))
    if tier_idx.null_count:  # build() refuses unscored members first
        raise ValueError("a frame member without a risk tier")
    tier_no = tier_idx.to_numpy(zero_copy_only=False) if len(tier_idx) else np.zeros(0, int)
    plan_no = {p: i for i, p in enumerate(plan_ids)}
    pcs = plan_cells[plan_cells["plan_id"].isin(plan_no)]
    pc_plan = pcs["plan_id"].map(plan_no).to_numpy(np.int64)
    pc_cell = pcs["cell"].to_numpy(np.int64)
    n = max(len(codes), 1)
    # members grouped by cell (stable: ascending code within a cell)
    n_cells = int(max(cell.max(initial=0), pc_cell.max(initial=0))) + 1
    by_cell = np.argsort(_small_int(cell, n_cells), kind="stable")
    cell_count = np.bincount(cell, minlength=n_cells)
    cell_start = np.concatenate([[0], np.cumsum(cell_count)[:-1]])
    counts = cell_count[pc_cell]
    total = int(counts.sum())
    pair_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    pos = np.repeat(cell_start[pc_cell] - pair_start, counts) + np.arange(total)
    key = np.repeat(pc_plan, counts) * n + by_cell[pos]
    key.sort()  # by plan, then code
    plan = key // n
    member = key - plan * n
    pair_tier = tier_no[member]
    sizes = np.bincount(plan, minlength=len(plan_ids))
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    group = plan * len(TIERS) + pair_tier  # (plan, tier), then code: a stable sort keeps it
    t_sizes = np.bincount(group, minlength=len(plan_ids) * len(TIERS))
    t_offsets = np.concatenate([[0], np.cumsum(t_sizes)])
    t_keys = [(p, tier) for p in plan_ids for tier in TIERS]
    keep: dict[tuple[str, str | None], bytes] | None = {} if want_bytes else None
    whole_keys = [(p, None) for p in plan_ids]
    rows = _fixed_width_rows(codes)
    if rows is not None:
        pairs = rows[member]
        hashes = _hash_fixed(pairs, offsets, whole_keys, keep)
        by_tier = np.argsort(_small_int(group, len(t_keys)), kind="stable")
        t_hashes = _hash_fixed(pairs[by_tier], t_offsets, t_keys, keep)
    else:
        taken = codes.take(pa.array(member))
        hashes = _join_hashes(taken, offsets, whole_keys, keep)
        by_tier = np.argsort(group, kind="stable")
        t_hashes = _join_hashes(taken.take(pa.array(by_tier)), t_offsets, t_keys, keep)
    whole = dict(zip(plan_ids, zip(sizes.tolist(), hashes, strict=True), strict=True))
    tiers = {k: (int(size), h) for k, size, h in zip(t_keys, t_sizes.tolist(), t_hashes,
                                                     strict=True)}  # fmt: skip
    return FrameHashes(whole=whole, tiers=tiers), keep or {}


def tier_frames_digest(salt: str, plan_id: str, tier_sha: dict[str, str]) -> str:
    """The salted digest binding a plan's four tier frames (docs/draw-record.md §1)."""
    text = f"suicha-tier-frames-v1\n{salt}\n{plan_id}\n" + "\n".join(
        f"{t}:{tier_sha[t]}" for t in TIERS
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def join_codes(codes: list[str] | pa.Array) -> bytes:
    """A frame file's bytes from codes already sorted ascending."""
    if isinstance(codes, list):
        return "\n".join(codes).encode("utf-8")
    if len(codes) == 0:
        return b""
    lists = pa.ListArray.from_arrays(pa.array([0, len(codes)], pa.int32()), codes)
    return pc.binary_join(lists, "\n")[0].as_py().encode("utf-8")
