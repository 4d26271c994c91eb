"""Result notices: one per approved (已完成) visit. The results issue owns these function bodies;
the names and call sites stay (publish_year, export, the Publish page, the public view). They read
the results tables through core/results/notices.py (schema 090_results.sql)."""

from __future__ import annotations

import re
from typing import Any

from core.db import Connection

# Outcome categories of the national publicity system (DOMAIN.md): code -> (zh, en, category),
# category: "no_problem", "problem" or "excluded" (leaves the discovery-rate denominator).
OUTCOMES: dict[str, tuple[str, str, str]] = {
    "1": ("未发现问题", "no problem found", "no_problem"),
    "3": ("违反食品药品监管规定", "violates food-and-drug rules", "problem"),
    "4": ("违反质量监管规定", "violates quality rules", "problem"),
    "G": ("违反公安管理规定", "violates public-security rules", "problem"),
    "5": ("违反其他部门监管规定", "violates other departments' rules", "problem"),
    "6": ("通过登记的住所(经营场所)无法联系", "cannot be reached at registered address", "problem"),
    "7": ("已关闭停业或正在组织清算", "closed or in liquidation", "excluded"),
    "8": ("不配合检查情节严重", "serious non-cooperation", "problem"),
    "9": ("已注销", "deregistered", "excluded"),
    "10": ("已吊销", "licence revoked", "excluded"),
    "11": ("已撤销登记", "registration cancelled", "excluded"),
    "12": ("已迁出", "moved out", "excluded"),
    "A": ("发现问题待后续处理", "problem found, follow-up pending", "problem"),
    "B": ("未按规定公示应当公示的信息", "failed to publish required information", "problem"),
    "C": ("公示信息隐瞒真实情况弄虚作假", "published false information", "problem"),
    "D": ("违反其他市场监管规定", "other market-supervision violations", "problem"),
    "E": ("发现问题经责令已改正", "problem found and corrected on order", "problem"),
    "F": ("未发现开展本次抽查涉及的经营活动", "activity not carried on", "excluded"),
}


def results_available(con: Connection) -> bool:
    """True once any result has been recorded (core/results/notices.py)."""
    from core.results import notices

    return notices.results_available(con)


def outcome_codes(value: Any) -> list[str]:
    """An outcome cell as its list of codes: a list, or codes separated by , ; | or spaces."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip().upper() for v in value if str(v).strip()]
    return [c.upper() for c in re.split(r"[,;|\s]+", str(value).strip()) if c]


def outcome_category(codes: list[str]) -> str:
    """'problem' if any code is a problem, else 'excluded' if any is excluded, else no_problem."""
    cats = {OUTCOMES[c][2] for c in codes if c in OUTCOMES}
    for category in ("problem", "excluded", "no_problem"):
        if category in cats:
            return category
    return "unknown"


def result_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every approved visit of `year`, keyed by visit_id; empty until
    results exist (core/results/notices.py)."""
    from core.results import notices

    return notices.result_notices(con, year)
