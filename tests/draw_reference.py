"""A tiny reference draw for the publication tests, written from DESIGN.md with hashlib alone.

It does what a committed draw of the sampling issue leaves behind: a campaign, risk tiers, and
for each plan a record in the published format stored in draws / draw_strata / draw_selections.
It shares no code with core/verify_draw_standalone.py, so a verifier bug cannot hide here."""

from __future__ import annotations

import hashlib
import json

from core import db
from core.vocab import outcome_counts

SECRET = "7f3c9a1e5b2d4c6e8a0f1b3d5e7f9a2c"
BEACON = "中国福利彩票双色球 2026001期: 03 09 14 21 27 30 + 11"
BEACON_SOURCE = "中国福利彩票双色球 2026001期开奖号码"
RATIOS = {"A": 300, "B": 1000, "C": 2500, "D": 6000}  # basis points, by tier


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_frame(con: db.Connection, plan_id: str) -> dict[str, list[str]]:
    rows = con.execute(
        """
        SELECT r.tier, t.uscc FROM targets t JOIN risk r ON r.uscc = t.uscc
        JOIN plans p ON p.plan_id = ?
        WHERE (p.frame_kinds IS NULL OR list_contains(p.frame_kinds, t.kind))
          AND (p.frame_industries IS NULL OR list_contains(p.frame_industries, t.industry))
          AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
          AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street))
        """,
        [plan_id],
    ).fetchall()
    out: dict[str, list[str]] = {}
    for tier, uscc in rows:
        out.setdefault(tier, []).append(uscc)
    return {t: sorted(v) for t, v in sorted(out.items())}


def largest_plans(con: db.Connection, n: int) -> list[str]:
    """The n plans of 2026 with the largest frames (so strata are not trivially small)."""
    return [
        r[0]
        for r in con.execute(
            """
            SELECT p.plan_id FROM plans p, targets t
            WHERE p.year = 2026
              AND (p.frame_kinds IS NULL OR list_contains(p.frame_kinds, t.kind))
              AND (p.frame_industries IS NULL OR list_contains(p.frame_industries, t.industry))
              AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
              AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street))
            GROUP BY p.plan_id ORDER BY count(*) DESC, p.plan_id LIMIT ?
            """,
            [n],
        ).fetchall()
    ]


def make_record(plan_id: str, frames: dict[str, list[str]], mode: str = "coordinated") -> dict:
    seed = sha(f"{SECRET}|{BEACON}")
    s = seed if mode == "coordinated" else f"{seed}|{plan_id}"
    strata = []
    for tier, codes in frames.items():
        size, bp = len(codes), RATIOS[tier]
        quota = min(size, -(-size * bp // 10000))
        u = {c: int.from_bytes(hashlib.sha256(f"{s}|{c}".encode()).digest()[:8], "big") / 2**64
             for c in codes}  # fmt: skip
        selected = sorted(codes, key=lambda c: (u[c], c))[:quota]
        data = "\n".join(codes).encode("utf-8")
        strata.append(
            {"tier": tier, "ratio_bp": bp, "frame_size": size,
             "frame_sha256": hashlib.sha256(data).hexdigest(),
             "frame_file": f"frames/{plan_id}/{tier}.txt", "quota": quota, "selected": selected}
        )  # fmt: skip
    return {"algorithm": "suicha-prn-sha256-v1", "campaign": "2026", "plan_id": plan_id,
            "mode": mode, "seed_commitment": sha(SECRET), "secret": SECRET, "beacon": BEACON,
            "seed": seed, "strata": strata}  # fmt: skip


def commit_draws(con: db.Connection, plan_ids: list[str], year: int = 2026) -> dict[str, dict]:
    """Store a campaign and one committed coordinated draw per plan, as the sampling issue would."""
    con.execute(
        "INSERT INTO campaigns VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [
            year,
            SECRET,
            sha(SECRET),
            "中国福利彩票双色球 2026001期开奖号码",
            "2026-01-02T09:00:00+08:00",
        ],
    )
    records = {}
    for plan_id in plan_ids:
        frames = plan_frame(con, plan_id)
        record = make_record(plan_id, frames)
        draw_id = f"D-{plan_id}"
        con.execute(
            "INSERT INTO draws (draw_id, year, plan_id, mode, algorithm, seed_commitment, secret, "
            "beacon, seed, committed_at, committed_by, supersedes, reason, record_json) "
            "VALUES (?, ?, ?, 'coordinated', ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
            [draw_id, year, plan_id, record["algorithm"], record["seed_commitment"], SECRET,
             BEACON, record["seed"], "2026-01-05T10:00:00+08:00", "admin-zhangwei",
             json.dumps(record, ensure_ascii=False)],
        )  # fmt: skip
        for st in record["strata"]:
            con.execute(
                "INSERT INTO draw_strata VALUES (?, ?, ?, ?, ?, ?)",
                [draw_id, st["tier"], st["ratio_bp"], st["frame_size"], st["frame_sha256"],
                 st["quota"]],
            )  # fmt: skip
            con.executemany(
                "INSERT INTO draw_selections (draw_id, plan_id, uscc, tier) VALUES (?, ?, ?, ?)",
                [(draw_id, plan_id, c, st["tier"]) for c in st["selected"]],
            )
            con.executemany(  # the frame as kept at draw time (core.sampling does the same)
                "INSERT INTO draw_frames VALUES (?, ?, ?)",
                [(draw_id, st["tier"], c) for c in frames.get(st["tier"], [])],
            )
        records[plan_id] = record
    db.bump_data_version(con)
    return records


def record_results(con: db.Connection, records: dict[str, dict], dates: list[str]) -> list[str]:
    """Stand in for result entry (on the merge issue's visits table and the results tables of
    core/schema/090_results.sql): one approved visit per drawn target of the first plan,
    completed on the given dates in turn, with internal fields (inspectors, who entered, a note
    naming an inspector) that must never be published. Returns the inspector ids used."""
    from tests.results_fixtures import ASSIGNMENTS_DDL

    con.execute(ASSIGNMENTS_DDL)
    plan_id, record = next(iter(records.items()))
    items = [r[0] for r in con.execute(
        "SELECT item_code FROM plan_items WHERE plan_id = ? ORDER BY item_code", [plan_id]
    ).fetchall()]  # fmt: skip
    sql = "SELECT inspector_id FROM inspectors ORDER BY 1 LIMIT 4"
    inspectors = [r[0] for r in con.execute(sql).fetchall()]
    codes = [c for st in record["strata"] for c in st["selected"]][: len(dates)]
    outcomes = [["1"], ["B"], ["6", "E"], ["7"], ["A"]]
    for k, (uscc, day) in enumerate(zip(codes, dates, strict=False)):
        visit = f"V-{k:04d}"
        con.execute(
            "INSERT INTO visits (visit_id, year, uscc, window_start, window_end, n_plans, "
            "n_tasks, departments) VALUES (?, 2026, ?, ?, ?, 1, ?, [])",
            [visit, uscc, day, day, len(items)],
        )
        con.executemany(
            "INSERT INTO visit_tasks SELECT ?, ?, item_code, dept_code FROM items "
            "WHERE item_code = ?",
            [(visit, plan_id, item) for item in items],
        )
        for n, ins in enumerate(inspectors[:2]):
            con.execute(
                "INSERT INTO assignments (visit_id, inspector_id, dept_code, role, rank, run_id, "
                "assigned_at, active) VALUES (?, ?, '', ?, ?, 'stand-in', ?, TRUE)",
                [visit, ins, "lead" if n == 0 else "member", n + 1, "2026-09-01T09:00:00+08:00"],
            )
        codes_k = outcomes[k % len(outcomes)]
        problem, counted = outcome_counts(codes_k)
        for item in items:
            con.execute(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                [visit, plan_id, item, codes_k, problem, counted, f"检查人 {inspectors[0]}", day,
                 inspectors[1], "2026-09-01T10:00:00+08:00"],
            )  # fmt: skip
        con.execute(
            "INSERT INTO visit_status VALUES (?, 'done', ?, ?, ?, NULL, ?, ?, FALSE)",
            [visit, day, inspectors[2], f"{day}T17:00:00+08:00", inspectors[2],
             f"{day}T17:00:00+08:00"],
        )  # fmt: skip
    db.bump_data_version(con)
    return inspectors[:2]
