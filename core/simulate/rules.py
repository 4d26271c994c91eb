"""The class rules (A类事项 mean ratio <= 10 %, B类事项 >= 10 %, every tier above 0) checked on a
scenario's table and overrides exactly as sampling.check_ratios checks them before a save."""

from __future__ import annotations

import pandas as pd

from core import sampling
from core.vocab import ITEM_CLASSES, TIERS


def _violation(item_class: str, ratios: dict[str, int]) -> tuple[str, str] | None:
    try:
        sampling.check_ratios(item_class, ratios)
    except Exception as e:  # noqa: BLE001 - the sampling module's refusal, whatever its class
        rule = getattr(e, "rule", None) or getattr(e, "key", None) or type(e).__name__
        text = getattr(e, "message", None)
        return str(rule), text if isinstance(text, str) else str(e)
    return None


def check(table: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """scope ('default' or a plan_id), item_class, mean_bp, ok, rule, message: one row per class
    of the table and per override."""
    rows = []
    scopes = [("default", c, table.loc[c]) for c in ITEM_CLASSES]
    if overrides is not None:
        scopes += [(r.plan_id, r.item_class, r) for r in overrides.itertuples(index=False)]
    for scope, cls, values in scopes:
        ratios = {t: int(getattr(values, t) if not isinstance(values, pd.Series) else values[t])
                  for t in TIERS}  # fmt: skip
        broken = _violation(cls, ratios)
        rows.append({
            "scope": scope, "item_class": cls, "mean_bp": sum(ratios.values()) / len(TIERS),
            "ok": broken is None, "rule": broken[0] if broken else None,
            "message": broken[1] if broken else None,
        })  # fmt: skip
    return pd.DataFrame(rows)
