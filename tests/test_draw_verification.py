"""An outsider's check: re-compute a committed draw from its public JSON record and its frame
files with hashlib alone. This module deliberately does NOT import core.sampling: the draw is
committed through the CLI in a subprocess, and read back with plain DuckDB SQL."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import duckdb

from core import db  # the schema only
from tests.test_cli import cli


def recompute(record: dict, frames: dict[str, bytes]) -> dict[str, list[str]]:
    """The published algorithm, from the record only: no Suicha code involved."""
    assert record["algorithm"] == "suicha-prn-sha256-v1"
    seed = hashlib.sha256(f"{record['secret']}|{record['beacon']}".encode()).hexdigest()
    assert seed == record["seed"]
    assert hashlib.sha256(record["secret"].encode()).hexdigest() == record["seed_commitment"]
    prn_seed = seed if record["mode"] == "coordinated" else f"{seed}|{record['plan_id']}"
    out = {}
    for s in record["strata"]:
        data = frames[s["frame_file"]]
        assert hashlib.sha256(data).hexdigest() == s["frame_sha256"]
        codes = data.decode("utf-8").split("\n") if data else []
        assert codes == sorted(codes) and len(codes) == s["frame_size"]
        n = min(len(codes), math.ceil(len(codes) * s["ratio_bp"] / 10000))
        assert n == s["quota"]

        def u(c: str) -> float:
            digest = hashlib.sha256(f"{prn_seed}|{c}".encode()).digest()
            return int.from_bytes(digest[:8], "big") / 2**64

        out[s["tier"]] = sorted(codes, key=lambda c: (u(c), c))[:n]
    return out


def write_frames(con: duckdb.DuckDBPyConnection, draw_id: str, record: dict, folder: Path):
    """What publication does: the frame files at the paths the record names."""
    frames = {}
    for s in record["strata"]:
        path = folder / s["frame_file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        codes = [
            r[0]
            for r in con.execute(  # the frames anchored by the draw's commitment notice
                "SELECT m.uscc FROM draw_commits c JOIN draws d USING (draw_id) "
                "JOIN draw_frame_plan_cells pc ON pc.commitment_id = c.commitment_id "
                "AND pc.plan_id = d.plan_id JOIN draw_frame_members m "
                "ON m.commitment_id = c.commitment_id AND m.cell = pc.cell "
                "WHERE c.draw_id = ? AND m.tier = ? ORDER BY m.uscc",
                [draw_id, s["tier"]],
            ).fetchall()
        ]
        path.write_bytes("\n".join(codes).encode("utf-8"))
        frames[s["frame_file"]] = path.read_bytes()
    return frames


def test_committed_draws_recomputed_with_hashlib_alone(demo_path, tmp_path):
    con = duckdb.connect(str(demo_path))
    db.ensure_schema(con)
    con.close()
    for plan, mode, beacon in [("2026-S-0004", "coordinated", "3051.27"),
                               ("2026-J-0002", "independent", "3051.28")]:  # fmt: skip
        r = cli("draw", "--db", str(demo_path), "--year", "2026", "--plan", plan,
                "--secret", "published-secret", "--beacon", beacon, "--mode", mode,
                "--commit", "--json")  # fmt: skip
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        assert out["committed"] and len(out["draw_ids"]) == 1
    con = duckdb.connect(str(demo_path), read_only=True)
    rows = con.execute("SELECT draw_id, record_json FROM draws ORDER BY draw_id").fetchall()
    assert len(rows) == 2
    for draw_id, record_json in rows:
        record = json.loads(record_json)
        frames = write_frames(con, draw_id, record, tmp_path / draw_id)
        again = recompute(record, frames)
        stored = {}
        for tier, code in con.execute(
            "SELECT tier, uscc FROM draw_selections WHERE draw_id = ? ORDER BY tier, rank",
            [draw_id],
        ).fetchall():
            stored.setdefault(tier, []).append(code)
        assert sum(len(v) for v in again.values()) > 0
        assert {t: v for t, v in again.items() if v} == stored
        assert again == {s["tier"]: s["selected"] for s in record["strata"]}
        # the frame is the plan's frame by its list filters, tier by tier
        frame_sql = """
            SELECT r.tier, count(*) FROM plans p JOIN targets t
              ON list_contains(p.frame_kinds, t.kind)
             AND (p.frame_industries IS NULL OR list_contains(p.frame_industries, t.industry))
             AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
             AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street))
            JOIN risk r USING (uscc) WHERE p.plan_id = ? GROUP BY r.tier
        """
        sizes = dict(con.execute(frame_sql, [record["plan_id"]]).fetchall())
        assert {s["tier"]: s["frame_size"] for s in record["strata"]} == {
            t: sizes.get(t, 0) for t in "ABCD"
        }
    con.close()


def test_draw_cli_refuses_and_reports(small_path):
    con = duckdb.connect(str(small_path))
    con.execute("DELETE FROM risk")  # as if the targets had never been scored
    con.close()
    r = cli("draw", "--db", str(small_path), "--year", "2026", "--secret", "s")
    assert r.returncode == 1 and "python -m core risk" in r.stderr
    r = cli("draw", "--db", str(small_path), "--year", "1999")
    assert r.returncode == 1 and "Campaign 1999 has no plans" in r.stderr
    r = cli("draw", "--db", str(small_path), "--year", "2026", "--mode", "sideways")
    assert r.returncode == 2
    con = duckdb.connect(str(small_path), read_only=True)
    assert con.execute("SELECT count(*) FROM campaigns").fetchone()[0] == 0
    con.close()
