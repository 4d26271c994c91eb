"""Ratio tables and the quotas they give, without drawing or saving.

A ratio table is a DataFrame indexed by item class (A, B, C) with one integer column per risk
tier (basis points), as sampling.default_ratios returns it. Per-plan overrides are rows
(plan_id, item_class, A, B, C, D) as sampling.plan_overrides returns them. The quota rule is the
draw's: n = min(N, ceil(N * bp / 10000)), in integers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.simulate.frames import FrameStructure
from core.vocab import BP, ITEM_CLASSES, TIERS


def quota(frame_size: Any, ratio_bp: Any) -> Any:
    """n = min(N, ceil(N * bp / 10000)), elementwise on integers or integer arrays."""
    n = np.asarray(frame_size, dtype=np.int64)
    bp = np.asarray(ratio_bp, dtype=np.int64)
    out = np.minimum(n, -(-n * bp // BP))
    return int(out) if out.ndim == 0 else out


def table_from_dict(table: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """{item_class: {tier: bp}} -> the table's DataFrame (missing cells stay NaN)."""
    df = pd.DataFrame.from_dict(table, orient="index")
    return df.reindex(index=list(ITEM_CLASSES), columns=list(TIERS))


def table_to_dict(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    return {c: {t: int(table.loc[c, t]) for t in TIERS} for c in ITEM_CLASSES}


def plan_ratios(
    frames: FrameStructure, table: pd.DataFrame, overrides: pd.DataFrame | None = None
) -> np.ndarray:
    """(P, 4) ratio in bp of every plan x tier stratum: the plan's override, else its class's."""
    grid = table.reindex(index=list(ITEM_CLASSES), columns=list(TIERS)).to_numpy(np.int64)
    class_idx = frames.plans["item_class"].map({c: i for i, c in enumerate(ITEM_CLASSES)})
    ratios = grid[class_idx.to_numpy()].copy()
    if overrides is not None and not overrides.empty:
        pos = pd.Series(np.arange(frames.n_plans), index=frames.plans["plan_id"])
        known = overrides[overrides["plan_id"].isin(pos.index)]
        rows = pos.loc[known["plan_id"]].to_numpy()
        ratios[rows] = known[list(TIERS)].to_numpy(np.int64)
    return ratios


def overridden(frames: FrameStructure, overrides: pd.DataFrame | None) -> np.ndarray:
    """(P,) True for plans whose ratios an override fixes."""
    if overrides is None or overrides.empty:
        return np.zeros(frames.n_plans, dtype=bool)
    return frames.plans["plan_id"].isin(set(overrides["plan_id"])).to_numpy()


def quotas(
    frames: FrameStructure, table: pd.DataFrame, overrides: pd.DataFrame | None = None
) -> np.ndarray:
    """(P, 4) quota of every stratum under `table` (and overrides)."""
    return quota(frames.sizes, plan_ratios(frames, table, overrides))


def quota_frame(
    frames: FrameStructure, table: pd.DataFrame, overrides: pd.DataFrame | None = None
) -> pd.DataFrame:
    """plan_id, item_class, tier, ratio_bp, frame_size, quota: the draw's strata, computed."""
    ratios = plan_ratios(frames, table, overrides)
    n_tiers = len(TIERS)
    return pd.DataFrame(
        {
            "plan_id": np.repeat(frames.plans["plan_id"].to_numpy(), n_tiers),
            "item_class": np.repeat(frames.plans["item_class"].to_numpy(), n_tiers),
            "tier": np.tile(np.array(TIERS), frames.n_plans),
            "ratio_bp": ratios.ravel(),
            "frame_size": frames.sizes.ravel(),
            "quota": quota(frames.sizes, ratios).ravel(),
        }
    )
