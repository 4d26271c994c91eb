"""Campaigns for the merge tests: a small hand-built one whose rounds are computed by hand, and
whole-campaign draws committed by core.sampling."""

from __future__ import annotations

from datetime import date

import pandas as pd

from core import sampling

HAND_YEAR = 2030


def _insert_draw(con, draw_id: str, year: int, plan_id: str, mode: str, seed: str,
                 supersedes: str | None, committed_at: str, usccs: list[str]) -> None:  # fmt: skip
    con.execute(
        "INSERT INTO draws (draw_id, year, plan_id, mode, algorithm, seed_commitment, secret, "
        "beacon, seed, committed_at, committed_by, supersedes, reason, record_json) "
        "VALUES (?, ?, ?, ?, 'suicha-prn-sha256-v1', 'c', 's', 'b', ?, ?, 'test', ?, ?, '{}')",
        [draw_id, year, plan_id, mode, seed, committed_at, supersedes,
         "re-draw" if supersedes else None],
    )  # fmt: skip
    for u in usccs:
        con.execute(
            "INSERT INTO draw_selections (draw_id, plan_id, uscc, tier) VALUES (?, ?, ?, 'B')",
            [draw_id, plan_id, u],
        )


def hand_built_campaign(con) -> dict:
    """Four plans of year 2030 over five real targets of the database, three departments.

    P1 single D1 [I1]            03-01..04-30   drew T1 T2 T3
    P2 single D2 [I2]            04-01..05-31   drew T1 T2 T4
    P3 joint  D1+D2+D3 [I1 I2 I3] 06-01..07-31   drew T1 T3 T5
    P4 single D3 [I3]            07-01..08-31   drew T3 T5
    Scheduled: T1 04-15 and 04-20, T5 07-15 (fold), T4 03-15, T3 05-15 (outside any window),
    T2 04-10 of 2029 (another year).
    """
    depts = con.execute(
        "SELECT dept_code, min(item_code) FROM items GROUP BY 1 ORDER BY 1 LIMIT 3"
    ).fetchall()
    (d1, i1), (d2, i2), (d3, i3) = depts
    t = [r[0] for r in con.execute("SELECT uscc FROM targets ORDER BY uscc LIMIT 5").fetchall()]
    y = HAND_YEAR
    plans = [
        ("P1", "single", d1, [i1], [d1], date(y, 3, 1), date(y, 4, 30)),
        ("P2", "single", d2, [i2], [d2], date(y, 4, 1), date(y, 5, 31)),
        ("P3", "joint", d1, [i1, i2, i3], [d1, d2, d3], date(y, 6, 1), date(y, 7, 31)),
        ("P4", "single", d3, [i3], [d3], date(y, 7, 1), date(y, 8, 31)),
    ]
    for pid, kind, lead, items, members, start, end in plans:
        con.execute(
            "INSERT INTO plans VALUES (?, ?, ?, ?, 'A', ?, 'city', ['enterprise'], ['0000'], "
            "NULL, NULL, ?, ?)",
            [f"{y}-{pid}", y, f"hand-built {pid}", kind, lead, start, end],
        )
        for it in items:
            con.execute("INSERT INTO plan_items VALUES (?, ?)", [f"{y}-{pid}", it])
        for m in members:
            con.execute(
                "INSERT INTO plan_depts VALUES (?, ?, ?)",
                [f"{y}-{pid}", m, "lead" if m == lead else "member"],
            )
    drawn = {"P1": [0, 1, 2], "P2": [0, 1, 3], "P3": [0, 2, 4], "P4": [2, 4]}
    # an older draw of P1 (other targets) superseded by the current one: must be ignored
    _insert_draw(con, "D-P1-old", y, f"{y}-P1", "coordinated", "S", None,
                 "2030-01-01T09:00:00+08:00", [t[3], t[4], t[0]])  # fmt: skip
    for pid, idx in drawn.items():
        _insert_draw(con, f"D-{pid}", y, f"{y}-{pid}", "coordinated", "S",
                     "D-P1-old" if pid == "P1" else None, "2030-01-02T09:00:00+08:00",
                     [t[i] for i in idx])  # fmt: skip
    sched = [
        ("h1", y, t[0], d1, "complaint", date(y, 4, 15)),
        ("h2", y, t[0], d1, "licence", date(y, 4, 20)),
        ("h3", y, t[4], d2, "reinspection", date(y, 7, 15)),
        ("h4", y, t[3], d2, "complaint", date(y, 3, 15)),
        ("h5", y, t[2], d3, "licence", date(y, 5, 15)),
        ("h6", y - 1, t[1], d1, "complaint", date(y - 1, 4, 10)),
    ]
    for row in sched:
        con.execute("INSERT INTO scheduled_inspections VALUES (?, ?, ?, ?, ?, ?)", list(row))
    # the independent counterpart: same quotas (3, 3, 3, 2), other targets
    counterpart = {"P1": [0, 1, 2], "P2": [3, 4, 1], "P3": [0, 3, 4], "P4": [1, 2]}
    cp = pd.DataFrame(
        [(f"{y}-{p}", t[i]) for p, idx in counterpart.items() for i in idx],
        columns=["plan_id", "uscc"],
    )
    return {"targets": t, "depts": (d1, d2, d3), "items": (i1, i2, i3), "counterpart": cp}


def commit_campaign(con, year: int, seed: str, mode: str = "coordinated") -> pd.DataFrame:
    """Commit the whole campaign's draw with core.sampling (a rehearsal notice with secret
    `seed`, beacon "b"): one draw per plan with its selections. Returns the selections."""
    from core.sampling.campaign import earliest_beacon_date

    sampling.publish_commitment(con, year, "test", earliest_beacon_date(),
                                beacon_format="text-v1", mode=mode, secret=seed)  # fmt: skip
    draw = sampling.commit(con, year, "test", secret=seed, beacon="b", mode=mode)
    return draw.selections[["plan_id", "uscc"]]
