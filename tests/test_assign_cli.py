"""python -m core assign: JSON summary, capacity view, and a clear refusal without a draw."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core import db, merge
from tests.merge_fixtures import commit_campaign

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, cwd=ROOT,
        timeout=600,
    )  # fmt: skip


def test_cli_assign_json_capacity_and_refusal(demo_path, small_path, tmp_path):
    con = db.connect(demo_path)
    try:
        if not con.execute("SELECT count(*) FROM current_draws WHERE year = ?", [YEAR]).fetchone()[
            0
        ]:
            commit_campaign(con, YEAR, "assign-cli")
        merge.merge_campaign(con, YEAR, actor="test")
    finally:
        con.close()
    record = tmp_path / "rec.json"
    out = cli("assign", "--db", str(demo_path), "--year", str(YEAR), "--json", "--record",
              str(record))  # fmt: skip
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["algorithm"] == "suicha-assign-sha256-v1" and summary["staffed"] > 0
    assert summary["visits"] == summary["staffed"] + summary["unstaffed"]
    assert json.loads(record.read_text(encoding="utf-8"))["year"] == YEAR
    out = cli("assign", "--db", str(demo_path), "--year", str(YEAR), "--capacity", "--json")
    assert out.returncode == 0, out.stderr
    cap = json.loads(out.stdout)
    assert sum(d["demand"] for d in cap["departments"]) > 0
    out = cli("assign", "--db", str(small_path), "--year", "2031")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "2031 has no committed draw" in out.stderr
