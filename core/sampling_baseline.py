"""The straightforward way, kept as a yardstick: a whole campaign's draw done in pandas with a
groupby-sample over the same strata (plan x risk tier) and the same quotas as core/sampling.py.

Not verifiable (numpy's generator, not SHA-256 PRNs) and not used by the product: the benchmark
compares core/sampling.py against it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.db import Connection


def load_inputs(con: Connection, year: int) -> dict[str, pd.DataFrame]:
    """Everything the pandas draw needs, read into memory as plain DataFrames."""
    return {
        "targets": con.execute(
            "SELECT t.uscc, t.kind, t.industry, t.district, t.street, r.tier "
            "FROM targets t JOIN risk r USING (uscc)"
        ).df(),
        "plans": con.execute(
            "SELECT plan_id, item_class, frame_kinds, frame_industries, frame_districts, "
            "frame_streets FROM plans WHERE year = ? ORDER BY plan_id",
            [year],
        ).df(),
        "ratios": con.execute(
            "SELECT scope, item_class, risk_tier AS tier, ratio_bp FROM ratio_rules"
        ).df(),
    }


def _is_list(v: object) -> bool:
    """A list filter is set (DuckDB lists arrive as lists or arrays; NULL as None/NA)."""
    return isinstance(v, (list, tuple, np.ndarray))


def frames(inputs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(plan_id, item_class, uscc, tier) for every plan's frame: explode the list filters and
    merge on kind, industry and district, then filter streets."""
    targets, plans = inputs["targets"], inputs["plans"]
    cells = plans.copy()
    for col, every in [("frame_kinds", targets["kind"].unique()),
                       ("frame_industries", targets["industry"].unique()),
                       ("frame_districts", targets["district"].unique())]:  # fmt: skip
        cells[col] = [list(v) if _is_list(v) else list(every) for v in cells[col]]
        cells = cells.explode(col)
    cells = cells.rename(
        columns={"frame_kinds": "kind", "frame_industries": "industry",
                 "frame_districts": "district"}
    ).drop_duplicates(["plan_id", "kind", "industry", "district"])  # fmt: skip
    pairs = cells.merge(targets, on=["kind", "industry", "district"])
    streets = pairs["frame_streets"]
    keep = [not _is_list(s) or st in s for s, st in zip(streets, pairs["street"], strict=True)]
    return pairs.loc[keep, ["plan_id", "item_class", "uscc", "tier"]]


def quotas(frame: pd.DataFrame, ratios: pd.DataFrame) -> pd.DataFrame:
    """Per stratum: N, ratio (plan override over the default) and ceil(N * bp / 10000)."""
    sizes = frame.groupby(["plan_id", "item_class", "tier"]).size().rename("frame_size")
    sizes = sizes.reset_index()
    default = ratios[ratios.scope == "default"].drop(columns="scope")
    override = ratios[ratios.scope != "default"].rename(columns={"scope": "plan_id"})
    out = sizes.merge(default, on=["item_class", "tier"])
    out = out.merge(override[["plan_id", "tier", "ratio_bp"]], on=["plan_id", "tier"],
                    how="left", suffixes=("", "_plan"))  # fmt: skip
    out["ratio_bp"] = out["ratio_bp_plan"].fillna(out["ratio_bp"]).astype("int64")
    out["quota"] = np.minimum(out.frame_size, -(-out.frame_size * out.ratio_bp // 10_000))
    return out.drop(columns="ratio_bp_plan")


def baseline_draw(con: Connection, year: int, seed: int) -> pd.DataFrame:
    """The whole campaign with pandas: groupby (plan, tier) and sample each stratum's quota."""
    inputs = load_inputs(con, year)
    frame = frames(inputs)
    q = quotas(frame, inputs["ratios"]).set_index(["plan_id", "tier"])["quota"]
    rng = np.random.default_rng(seed)
    parts = [
        group.sample(n=int(q[key]), random_state=rng)
        for key, group in frame.groupby(["plan_id", "tier"], sort=True)
    ]
    return pd.concat(parts, ignore_index=True)[["plan_id", "tier", "uscc"]]
