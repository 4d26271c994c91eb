"""Ratio tables by item class and risk tier (integer basis points), and the rules they obey.

Every refusal is a RatioRuleError (a Refused) with a message key `ratio.<rule>` naming the rule;
nothing is saved unless every rule holds. Writes go through core.writes.unit_of_work."""

from __future__ import annotations

from typing import Any

import pandas as pd

from core.db import Connection
from core.refusal import Refused
from core.vocab import BP, ITEM_CLASSES, TIERS
from core.writes import unit_of_work

# Rule id -> what it demands. The class average is the plain mean of the four tier ratios: a
# property of the table itself, checkable on save without any frame.
RULES: dict[str, str] = {
    "tier_above_zero": "every risk tier's ratio is above 0 bp and at most 10000 bp",
    "a_class_at_most_10pct": "A类事项 (general items): mean ratio over the tiers at most 1000 bp",
    "b_class_at_least_10pct": "B类事项 (key items): mean ratio over the tiers at least 1000 bp",
}


class RatioRuleError(Refused):
    """A ratio table breaks a rule; `rule` names it (RULES), `detail` says where; nothing saved."""

    def __init__(self, rule: str, detail: str):
        super().__init__(f"ratio.{rule}", detail=detail)
        self.rule = rule
        self.detail = detail


def check_ratios(item_class: str, ratios: dict[str, int]) -> None:
    """Raise RatioRuleError naming the first rule that `ratios` (tier -> bp) breaks."""
    if item_class not in ITEM_CLASSES:
        raise RatioRuleError("tier_above_zero", f"{item_class!r}")
    missing = [t for t in TIERS if t not in ratios]
    if missing:
        raise RatioRuleError("tier_above_zero", f"{item_class}: {', '.join(missing)}")
    for tier in TIERS:
        bp = ratios[tier]
        if not isinstance(bp, int) or isinstance(bp, bool) or not 0 < bp <= BP:
            raise RatioRuleError("tier_above_zero", f"{item_class}/{tier}: {bp!r} bp")
    total = sum(ratios[t] for t in TIERS)  # mean <= 1000  <=>  sum <= 4000, in integers
    if item_class == "A" and total > 4 * 1000:
        raise RatioRuleError("a_class_at_most_10pct", f"A: {total / 4:.2f} bp")
    if item_class == "B" and total < 4 * 1000:
        raise RatioRuleError("b_class_at_least_10pct", f"B: {total / 4:.2f} bp")


def _to_bp(value: Any, where: str) -> int:
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise RatioRuleError("not_a_number", f"{where}: {value!r}") from None
    if as_float != as_float or as_float != int(as_float):  # NaN or a fraction
        raise RatioRuleError("not_whole_bp", f"{where}: {value!r}")
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


def ratio_table(con: Connection, year: int) -> dict[str, Any]:
    """The table in force for a campaign, as the commitment notice states it (§1):
    {"default": {class: {tier: bp}}, "overrides": {plan_id: {tier: bp}}} (this year's plans)."""
    default = {
        cls: {t: int(v) for t, v in row.items()} for cls, row in default_ratios(con).iterrows()
    }
    rows = con.execute(
        "SELECT r.scope, r.risk_tier, r.ratio_bp FROM ratio_rules r "
        "JOIN plans p ON p.plan_id = r.scope WHERE p.year = ? ORDER BY 1, 2",
        [year],
    ).fetchall()
    overrides: dict[str, dict[str, int]] = {}
    for plan_id, tier, bp in rows:
        overrides.setdefault(plan_id, {})[tier] = int(bp)
    return {"default": default, "overrides": overrides}


def save_default_ratios(con: Connection, table: dict[str, dict[str, Any]], actor: str) -> None:
    """Replace the default table ({item_class: {tier: bp}}) after every rule holds; else raise
    RatioRuleError and change nothing. Partial input is merged over the stored table."""
    detail: dict[str, Any] = {}
    # the stored table is read inside the unit of work, behind the writer lock: two people
    # saving different cells at once both keep their cells (the later save sees the earlier one)
    with unit_of_work(con, actor, "sampling.ratios.default", detail):
        current = default_ratios(con)
        merged: dict[str, dict[str, int]] = {}
        for cls in ITEM_CLASSES:
            row = {t: int(current.loc[cls, t]) for t in TIERS}
            for tier, value in (table.get(cls) or {}).items():
                if tier not in TIERS:
                    raise RatioRuleError("unknown_tier", f"{cls}: {tier!r}")
                row[tier] = _to_bp(value, f"{cls}/{tier}")
            check_ratios(cls, row)
            merged[cls] = row
        detail["ratios"] = merged
        for cls, row in merged.items():
            for tier, bp in row.items():
                con.execute(
                    "UPDATE ratio_rules SET ratio_bp = ? WHERE scope = 'default' "
                    "AND item_class = ? AND risk_tier = ?",
                    [bp, cls, tier],
                )


def save_plan_ratios(con: Connection, plan_id: str, ratios: dict[str, Any], actor: str) -> None:
    """Set a plan's override (tier -> bp), checked by the rules of the plan's item class."""
    rows = con.execute("SELECT item_class FROM plans WHERE plan_id = ?", [plan_id]).fetchall()
    if not rows:
        raise Refused("draw.no_plan", plan=plan_id)
    cls = rows[0][0]
    clean = {t: _to_bp(ratios.get(t), f"{plan_id}/{t}") for t in TIERS}
    check_ratios(cls, clean)
    detail = {"plan_id": plan_id, "ratios": clean}
    with unit_of_work(con, actor, "sampling.ratios.plan", detail):
        con.execute("DELETE FROM ratio_rules WHERE scope = ?", [plan_id])
        con.executemany(
            "INSERT INTO ratio_rules VALUES (?, ?, ?, ?)",
            [[plan_id, cls, tier, bp] for tier, bp in clean.items()],
        )


def clear_plan_ratios(con: Connection, plan_id: str, actor: str) -> None:
    """Drop a plan's override: the plan follows the default table again."""
    with unit_of_work(con, actor, "sampling.ratios.plan_cleared", {"plan_id": plan_id}):
        con.execute("DELETE FROM ratio_rules WHERE scope = ?", [plan_id])
