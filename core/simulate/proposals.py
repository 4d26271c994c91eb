"""Saved ratio proposals: a simulated table kept with its name, author, time and figures, that
the Sampling page can adopt as the default table. Every write is one unit of work, audited."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pandas as pd

from core import sampling
from core.db import Connection, data_version
from core.refusal import Refused
from core.simulate.quotas import BP, table_from_dict, table_to_dict
from core.vocab import ITEM_CLASSES, TIERS, TZ
from core.writes import unit_of_work

MAX_NAME = 100
SOURCES = ("manual", "optimiser")


def _clean_table(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """The table as whole basis points in 1..BP, or Refused naming the cell."""
    out: dict[str, dict[str, int]] = {}
    for c in ITEM_CLASSES:
        out[c] = {}
        for t in TIERS:
            try:
                value = table.loc[c, t]
                bp = int(value)
            except (KeyError, TypeError, ValueError):
                problem = Refused("simulate.problem.missing_cell", item_class=c, tier=t)
                raise Refused("simulate.bad_proposal", problem=problem) from None
            if bp != value or not 0 < bp <= BP:
                problem = Refused("simulate.problem.bad_cell", item_class=c, tier=t,
                                  value=repr(value), most=BP)  # fmt: skip
                raise Refused("simulate.bad_proposal", problem=problem)
            out[c][t] = bp
    return out


def _check_rules(ratios: dict[str, dict[str, int]]) -> None:
    for c in ITEM_CLASSES:
        try:
            sampling.check_ratios(c, ratios[c])
        except Exception as e:  # noqa: BLE001 - sampling's refusal, whatever its class
            rule = e if isinstance(e, Refused) else str(e)
            raise Refused("simulate.rules_broken", item_class=c, rule=rule) from e


def save_proposal(
    con: Connection, actor: str, year: int, name: str, table: pd.DataFrame,
    summary: dict[str, Any] | None = None, source: str = "manual",
) -> str:  # fmt: skip
    """Save `table` as a proposal; returns its id. Refused (nothing written) for an empty or too
    long name, a bad cell, or a table breaking the class rules (it could never be adopted)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        problem = Refused("simulate.problem.name", most=MAX_NAME)
        raise Refused("simulate.bad_proposal", problem=problem)
    if source not in SOURCES:
        problem = Refused("simulate.problem.source", source=repr(source))
        raise Refused("simulate.bad_proposal", problem=problem)
    ratios = _clean_table(table)
    _check_rules(ratios)
    figures = json.dumps(summary or {}, ensure_ascii=False, default=float, sort_keys=True)
    detail: dict[str, Any] = {"year": year, "name": name, "ratios": ratios, "source": source}
    with unit_of_work(con, actor, "simulate.proposal.save", detail):
        n = con.execute("SELECT count(*) FROM ratio_proposals WHERE year = ?", [year]).fetchone()
        proposal_id = f"RP{year}-{n[0] + 1}"
        now = datetime.now(TZ).isoformat(timespec="seconds")
        con.execute(
            "INSERT INTO ratio_proposals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [proposal_id, year, name, actor, now, source,
             json.dumps(ratios, sort_keys=True), figures, data_version(con)],
        )  # fmt: skip
        detail["proposal_id"] = proposal_id
    return proposal_id


def list_proposals(con: Connection, year: int | None = None) -> pd.DataFrame:
    """Every proposal, newest first, with when and by whom it was last adopted (if ever)."""
    return con.execute(
        """
        SELECT p.proposal_id, p.year, p.name, p.author, p.created_at, p.source, p.ratios_json,
               p.summary_json, a.adopted_at, a.adopted_by
        FROM ratio_proposals p
        LEFT JOIN (SELECT proposal_id, max(adopted_at) AS adopted_at,
                          arg_max(adopted_by, adopted_at) AS adopted_by
                   FROM ratio_proposal_adoptions GROUP BY 1) a USING (proposal_id)
        WHERE $year IS NULL OR p.year = $year
        ORDER BY p.created_at DESC, p.proposal_id DESC
        """,
        {"year": year},
    ).df()


def proposal_table(con: Connection, proposal_id: str) -> pd.DataFrame:
    """The proposal's class x tier table."""
    row = con.execute(
        "SELECT ratios_json FROM ratio_proposals WHERE proposal_id = ?", [proposal_id]
    ).fetchall()
    if not row:
        raise Refused("simulate.no_proposal", id=proposal_id)
    return table_from_dict(json.loads(row[0][0])).astype("int64")


def adopt(con: Connection, actor: str, proposal_id: str) -> dict[str, dict[str, int]]:
    """Make the proposal the default ratio table, checked by the class rules, in one unit of work
    that records the adoption (the audit names both the proposal and the new table). Per-plan
    overrides stay as they are."""
    ratios = table_to_dict(proposal_table(con, proposal_id))
    _check_rules(ratios)
    before = table_to_dict(sampling.default_ratios(con))
    detail = {"proposal_id": proposal_id, "ratios": ratios, "previous": before}
    with unit_of_work(con, actor, "simulate.proposal.adopt", detail) as work:
        for c, row in ratios.items():
            for t, bp in row.items():
                con.execute(
                    "UPDATE ratio_rules SET ratio_bp = ? WHERE scope = 'default' "
                    "AND item_class = ? AND risk_tier = ?",
                    [bp, c, t],
                )
        now = datetime.now(TZ).isoformat(timespec="seconds")
        con.execute("INSERT INTO ratio_proposal_adoptions VALUES (?, ?, ?)",
                    [proposal_id, now, actor])  # fmt: skip
        work.log("sampling.ratios.default", {"ratios": ratios, "proposal_id": proposal_id})
    return ratios
