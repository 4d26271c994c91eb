"""A hand-built campaign small enough to compute by hand (tests/test_simulate.py).

Three plans: P1 (A类事项, department D1, Feb-Mar, industry 1111), P2 (B类事项, joint D1 + D2,
Mar-Apr, industries 1111 and 2222), P3 (B类事项, D2, Jun-Jul, industry 2222). Industry 1111 has
60 tier-A, 30 tier-B and 10 tier-D firms; industry 2222 has 40 tier-A and 10 tier-C firms. Past
inspections give discovery rates A 10 %, B 20 %, C 50 %, D 80 %. D1 has two active certified
inspectors (and one inactive) at the default cap, D2 one with a cap of 30 (assignment_caps)."""

from __future__ import annotations

from pathlib import Path

from core import db

TABLE = {"A": {"A": 50, "B": 500, "C": 1000, "D": 2000},
         "B": {"A": 1000, "B": 2000, "C": 3000, "D": 6000},
         "C": {"A": 70, "B": 200, "C": 1100, "D": 3000}}  # fmt: skip

FIRMS = [("1111", "A", 60), ("1111", "B", 30), ("1111", "D", 10), ("2222", "A", 40),
         ("2222", "C", 10)]  # fmt: skip
PAST = {"A": (10, 1), "B": (10, 2), "C": (10, 5), "D": (10, 8)}  # inspections, problems


def build(path: Path) -> Path:
    con = db.connect(path)
    try:
        con.execute("INSERT INTO departments VALUES ('D1', '甲局', 'city', NULL, NULL, '市场监管'),"
                    " ('D2', '乙局', 'city', NULL, NULL, '卫生')")  # fmt: skip
        n = 0
        for industry, tier, count in FIRMS:
            for _ in range(count):
                n += 1
                code = f"T{n:05d}"
                con.execute(
                    "INSERT INTO targets SELECT ?, '某公司', 'enterprise', ?, '罗湖区', "
                    "'东门街道', "
                    "DATE '2020-01-01', 'active', 100, 0, 0, 0, 0, 0, 1.0, false, false, 0, 1, "
                    "false, false, false, 0, 0, false, false, 0, 0, 0, 0, false, false, false, "
                    "false",
                    [code, industry],
                )
                con.execute("INSERT INTO risk VALUES (?, 0.5, ?, [])", [code, tier])
        for tier, (k, problems) in PAST.items():
            codes = [
                r[0]
                for r in con.execute(
                    "SELECT uscc FROM risk WHERE tier = ? ORDER BY uscc LIMIT 1", [tier]
                ).fetchall()
            ]
            for i in range(k):
                con.execute("INSERT INTO past_inspections VALUES (?, DATE '2025-05-01', ?)",
                            [codes[0], i < problems])  # fmt: skip
        plans = [
            ("P1", "single", "A", "D1", ["1111"], "2026-02-01", "2026-03-31"),
            ("P2", "joint", "B", "D1", ["1111", "2222"], "2026-03-01", "2026-04-30"),
            ("P3", "single", "B", "D2", ["2222"], "2026-06-01", "2026-07-31"),
        ]
        for pid, kind, cls, lead, industries, start, end in plans:
            con.execute(
                "INSERT INTO plans VALUES (?, 2026, ?, ?, ?, ?, 'city', ['enterprise'], ?, NULL, "
                "NULL, CAST(? AS DATE), CAST(? AS DATE))",
                [pid, f"计划{pid}", kind, cls, lead, industries, start, end],
            )
        con.execute("INSERT INTO plan_depts VALUES ('P1', 'D1', 'lead'), ('P2', 'D1', 'lead'), "
                    "('P2', 'D2', 'member'), ('P3', 'D2', 'lead')")  # fmt: skip
        con.execute(
            "INSERT INTO inspectors VALUES "
            "('I1', '张', 'D1', NULL, NULL, ['市场监管'], true, true),"
            " ('I2', '李', 'D1', NULL, NULL, ['市场监管'], true, true),"
            " ('I3', '王', 'D1', NULL, NULL, ['市场监管'], true, false),"
            " ('I4', '赵', 'D2', NULL, NULL, ['卫生'], true, true)"
        )
        con.execute("INSERT INTO assignment_caps VALUES ('D2', 30, 'test', '2026-01-01')")
        for cls, row in TABLE.items():
            for tier, bp in row.items():
                con.execute("UPDATE ratio_rules SET ratio_bp = ? WHERE scope = 'default' AND "
                            "item_class = ? AND risk_tier = ?", [bp, cls, tier])  # fmt: skip
    finally:
        con.close()
    return path
