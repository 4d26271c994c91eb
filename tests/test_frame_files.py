"""Frame files from members and plan cells (core/sampling/frames.expand) against the plain rule
of docs/draw-record.md §0: a plan's frame file is its members' codes, ascending, joined by
"\\n"; a tier frame the same over the members of one tier. Codes of one width take the byte-
matrix path, mixed widths the Arrow path: both must give the same files."""

from __future__ import annotations

import hashlib
import random

import pandas as pd
import pyarrow as pa
import pytest

from core.sampling import frames
from core.vocab import TIERS


def _fixture(widths: list[int], n: int = 3000, seed: int = 7):
    rnd = random.Random(seed)  # test data only; no draw uses this
    codes = sorted({"".join(rnd.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")
                            for _ in range(rnd.choice(widths))) for _ in range(n)})  # fmt: skip
    cells = [rnd.randrange(1, 40) for _ in codes]
    tiers = [rnd.choice(TIERS) for _ in codes]
    members = pa.table({"uscc": codes, "cell": pa.array(cells, pa.int32()), "tier": tiers})
    plan_cells = pd.DataFrame(
        [(f"P{p}", c) for p in range(6) for c in range(1, 40) if rnd.random() < 0.3]
        + [("P-empty", 99)],  # a plan whose only cell has no member
        columns=["plan_id", "cell"],
    )
    return members, plan_cells


def _reference(members: pa.Table, plan_cells: pd.DataFrame, plan: str, tier: str | None) -> bytes:
    cells = set(plan_cells.loc[plan_cells["plan_id"] == plan, "cell"])
    rows = zip(*(members.column(c).to_pylist() for c in ("uscc", "cell", "tier")), strict=True)
    codes = sorted(u for u, c, t in rows if c in cells and (tier is None or t == tier))
    return "\n".join(codes).encode()


@pytest.mark.parametrize("widths", [[18], [9, 18, 20]], ids=["one width", "mixed widths"])
def test_frame_files_follow_the_rule(widths):
    members, plan_cells = _fixture(widths)
    plans = sorted(plan_cells["plan_id"].unique())
    hashes, files = frames.expand(members, plan_cells, plans, want_bytes=True)
    assert len(files) == len(plans) * (1 + len(TIERS))
    for plan in plans:
        whole = _reference(members, plan_cells, plan, None)
        assert files[(plan, None)] == whole
        assert hashes.whole[plan] == (len(whole.split(b"\n")) if whole else 0,
                                      hashlib.sha256(whole).hexdigest())  # fmt: skip
        for tier in TIERS:
            body = _reference(members, plan_cells, plan, tier)
            assert files[(plan, tier)] == body
            assert hashes.tiers[(plan, tier)][1] == hashlib.sha256(body).hexdigest()
    assert hashes.whole["P-empty"] == (0, hashlib.sha256(b"").hexdigest())
    assert sum(hashes.tiers[("P0", t)][0] for t in TIERS) == hashes.whole["P0"][0] > 0


def test_both_paths_give_the_same_hashes():
    members, plan_cells = _fixture([18])
    plans = sorted(plan_cells["plan_id"].unique())
    fixed, _ = frames.expand(members, plan_cells, plans)
    mixed = members.set_column(0, "uscc", members.column("uscc").cast(pa.large_string()))
    # the same codes with one shorter code added in a cell no plan admits: the Arrow path
    extra = pa.table({"uscc": pa.array(["0"], pa.large_string()),
                      "cell": pa.array([1000], pa.int32()), "tier": ["A"]})  # fmt: skip
    arrow_path, _ = frames.expand(pa.concat_tables([extra, mixed]), plan_cells, plans)
    assert arrow_path == fixed
