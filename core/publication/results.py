"""Result notices: one per completed visit. The results issue owns these function bodies; the
names and call sites stay (publish_year, export, the Publish page, the public view).

The contract read here (DESIGN.md's data model):
    visits(visit_id, uscc, completed_on DATE)      -- one row per visit, completed_on NULL if open
    visit_tasks(visit_id, plan_id)                 -- the plans a visit serves
    results(visit_id, item_code, outcome)          -- outcome: code(s) of DOMAIN.md's table
The inspecting departments are the departments of the items checked. Until those tables exist
the result notices are simply absent."""

from __future__ import annotations

import re
from typing import Any

from core.db import Connection
from core.publication.public_fields import table_exists

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
    """True once the assignment issue's visits, visit_tasks and results tables exist."""
    return (
        table_exists(con, "visits", ("visit_id", "uscc", "completed_on"))
        and table_exists(con, "visit_tasks", ("visit_id", "plan_id"))
        and table_exists(con, "results", ("visit_id", "item_code", "outcome"))
    )


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
    """The public notice of every completed visit serving a plan of `year`, keyed by visit_id;
    empty until the assignment issue's results tables exist."""
    if not results_available(con):
        return {}
    rows = con.execute(
        """
        WITH v AS (
            SELECT DISTINCT v.visit_id, v.uscc, CAST(v.completed_on AS VARCHAR) AS completed_on
            FROM visits v JOIN visit_tasks vt USING (visit_id) JOIN plans p USING (plan_id)
            WHERE v.completed_on IS NOT NULL AND p.year = ?)
        SELECT v.visit_id, v.uscc, t.name, v.completed_on,
               (SELECT list(DISTINCT {'plan_id': p.plan_id, 'name': p.name}
                            ORDER BY {'plan_id': p.plan_id, 'name': p.name})
                FROM visit_tasks vt JOIN plans p USING (plan_id)
                WHERE vt.visit_id = v.visit_id) AS plans,
               r.item_code, i.name AS item_name, i.dept_code, d.name AS dept_name,
               CAST(r.outcome AS VARCHAR) AS outcome
        FROM v JOIN results r USING (visit_id)
        LEFT JOIN (SELECT DISTINCT ON (uscc) uscc, name FROM targets) t USING (uscc)
        LEFT JOIN items i ON i.item_code = r.item_code
        LEFT JOIN departments d ON d.dept_code = i.dept_code
        ORDER BY v.visit_id, r.item_code
        """,
        [year],
    ).fetchall()
    notices: dict[str, dict[str, Any]] = {}
    for visit_id, uscc, name, done, plans, item, item_name, dept, dept_name, outcome in rows:
        n = notices.setdefault(
            visit_id,
            {"enterprise_name": name, "uscc": uscc, "completed_on": done,
             "plans": [dict(p) for p in plans or []], "departments": [], "items": []},
        )  # fmt: skip
        if dept is not None and {"code": dept, "name": dept_name} not in n["departments"]:
            n["departments"].append({"code": dept, "name": dept_name})
        codes = outcome_codes(outcome.strip("[]").replace("'", "") if outcome else None)
        n["items"].append(
            {"item_code": item, "name": item_name, "outcome_codes": codes,
             "outcome": [OUTCOMES[c][0] if c in OUTCOMES else c for c in codes],
             "category": outcome_category(codes)}
        )  # fmt: skip
    return notices
