"""Plan notices: what the public learns of each plan, built from the registries in a few
set-based queries (plan, departments, items, frame, campaign commitment, the draw's quotas)."""

from __future__ import annotations

import json
from typing import Any

from core.db import Connection
from core.publication.draws import current_draws
from core.publication.public_fields import table_exists


def _commitment(con: Connection, year: int) -> tuple[str, str] | None:
    """(seed commitment, beacon source) of the campaign: from the commitment notice in force
    (docs/draw-record.md §1) when the engine keeps notices, else from the campaigns table."""
    from core import sampling

    read = getattr(sampling, "commitment_notice", None)
    notice = read(con, year) if read is not None else None
    if notice is not None:
        return notice["seed_commitment"], notice["beacon"]["source"]
    if not table_exists(con, "campaigns", ("seed_commitment", "beacon_source")):
        return None
    rows = con.execute(
        "SELECT seed_commitment, beacon_source FROM campaigns WHERE year = ?", [year]
    ).fetchall()
    return rows[0] if rows else None


def plan_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every plan of `year`, keyed by plan_id; a few set-based queries."""
    plans = con.execute(
        """
        SELECT p.plan_id, p.year, p.name, p.kind, p.item_class, p.level, p.lead_dept,
               d.name AS lead_name, p.frame_kinds, p.frame_industries, p.frame_districts,
               p.frame_streets, CAST(p.period_start AS VARCHAR), CAST(p.period_end AS VARCHAR)
        FROM plans p LEFT JOIN departments d ON d.dept_code = p.lead_dept
        WHERE p.year = ? ORDER BY p.plan_id
        """,
        [year],
    ).fetchall()
    depts: dict[str, list] = {}
    for plan_id, code, name, role in con.execute(
        """
        SELECT pd.plan_id, pd.dept_code, d.name, pd.role FROM plan_depts pd
        JOIN plans p USING (plan_id) LEFT JOIN departments d USING (dept_code)
        WHERE p.year = ? ORDER BY pd.plan_id, pd.role, pd.dept_code
        """,
        [year],
    ).fetchall():
        depts.setdefault(plan_id, []).append({"code": code, "name": name, "role": role})
    items: dict[str, list] = {}
    for plan_id, code, name, cls, method, basis, subject in con.execute(
        """
        SELECT pi.plan_id, i.item_code, i.name, i.item_class, i.method, i.legal_basis, i.subject
        FROM plan_items pi JOIN plans p USING (plan_id) JOIN items i USING (item_code)
        WHERE p.year = ? ORDER BY pi.plan_id, i.item_code
        """,
        [year],
    ).fetchall():
        items.setdefault(plan_id, []).append(
            {"item_code": code, "name": name, "item_class": cls, "method": method,
             "legal_basis": basis, "subject": subject}
        )  # fmt: skip
    industry_names = dict(con.execute("SELECT code, name FROM industries").fetchall())
    campaign = _commitment(con, year)
    draws: dict[str, dict] = {}
    for row in current_draws(con, year).itertuples(index=False):
        record = json.loads(row.record_json)
        strata = [
            {"stratum": s["tier"], "frame_size": s["frame_size"], "ratio_bp": s["ratio_bp"],
             "quota": s["quota"]}
            for s in record["strata"]
        ]  # fmt: skip
        draws[row.plan_id] = {
            "algorithm": record["algorithm"], "mode": record["mode"],
            "committed_at": str(row.committed_at), "strata": strata,
            "total_quota": sum(s["quota"] for s in strata),
            "draw_record": f"draws/{row.plan_id}.json",
        }  # fmt: skip
    notices = {}
    for (plan_id, yr, name, kind, cls, level, lead, lead_name, kinds, inds, dists, streets,
         start, end) in plans:  # fmt: skip
        notices[plan_id] = {
            "plan_id": plan_id, "year": yr, "name": name, "kind": kind, "item_class": cls,
            "level": level, "period_start": start, "period_end": end,
            "lead_dept": {"code": lead, "name": lead_name},
            "departments": depts.get(plan_id, []),
            "items": items.get(plan_id, []),
            "frame": {
                "kinds": kinds,
                "industries": None if inds is None
                else [{"code": c, "name": industry_names.get(c)} for c in inds],
                "districts": dists, "streets": streets,
            },
            "campaign": None if campaign is None
            else {"seed_commitment": campaign[0], "beacon_source": campaign[1]},
            "draw": draws.get(plan_id),
        }  # fmt: skip
    return notices
