"""The domain's vocabulary in one place: time zone, item classes, risk tiers, outcome codes.

Item class A/B/C (一般/重点/联合事项) and credit-risk tier A/B/C/D (信用风险低 … 高) share
letters but are different things: always label them (core/messages/common.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")

ITEM_CLASSES: tuple[str, ...] = ("A", "B", "C")
TIERS: tuple[str, ...] = ("A", "B", "C", "D")
LEVELS: tuple[str, ...] = ("city", "district", "street")
BP = 10_000  # basis points in 100 %: ratios are integers of 0.01 %

# Inspection outcome codes of the national publicity system (DOMAIN.md). Each code counts as a
# problem found ("problem"), as no problem ("clear"), or leaves the discovery-rate denominator
# ("excluded": the target closed, moved, was deregistered or does not carry on the activity).
OUTCOMES: dict[str, str] = {
    "1": "clear",
    "3": "problem",
    "4": "problem",
    "G": "problem",
    "5": "problem",
    "6": "problem",
    "7": "excluded",
    "8": "problem",
    "9": "excluded",
    "10": "excluded",
    "11": "excluded",
    "12": "excluded",
    "A": "problem",
    "B": "problem",
    "C": "problem",
    "D": "problem",
    "E": "problem",
    "F": "excluded",
}


def outcome_counts(codes: list[str]) -> tuple[bool, bool]:
    """(problem_found, counted) for one task's outcome codes.

    A task with any problem code found a problem; a task whose codes are all "excluded" leaves
    the discovery-rate denominator; otherwise it counts as a check with no problem."""
    kinds = {OUTCOMES[c] for c in codes}
    if "problem" in kinds:
        return True, True
    if kinds and kinds <= {"excluded"}:
        return False, False
    return False, True
