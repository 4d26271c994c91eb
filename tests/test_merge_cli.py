"""python -m core merge: real subprocesses on a real database file."""

import json

from core import db
from tests.merge_fixtures import commit_campaign
from tests.test_cli import cli

KEYS = {"baseline_pairs", "visits", "removed", "savings_pct", "rounds"}


def test_merge_without_a_draw_is_refused(small_path):
    before = small_path.read_bytes()
    r = cli("merge", "--year", "2026", "--db", str(small_path))
    assert r.returncode == 1
    assert "no committed draw for 2026" in r.stderr and "draw --year 2026 --commit" in r.stderr
    assert small_path.read_bytes() == before


def test_merge_saves_and_prints_rounds(small_path):
    con = db.connect(small_path)
    commit_campaign(con, 2026, "cli-seed")
    con.close()
    r = cli("merge", "--year", "2026", "--db", str(small_path), "--json", "--compare")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert KEYS <= set(out) and KEYS <= set(out["independent"])
    assert [x["name"] for x in out["rounds"]] == ["计划联合", "集中抽取", "系统对碰", "任务整合"]
    for s in (out, out["independent"]):
        assert s["baseline_pairs"] - sum(x["removed"] for x in s["rounds"]) == s["visits"]
        assert s["removed"] == s["baseline_pairs"] - s["visits"]
        assert s["savings_pct"] == round(100 * s["removed"] / s["baseline_pairs"], 2)
    assert out["removed"] >= out["independent"]["removed"]
    con = db.connect(small_path)
    saved = con.execute(
        "SELECT baseline_visits, final_visits FROM merge_runs WHERE year = 2026"
    ).fetchall()
    n_free = con.execute(
        "SELECT count(*) FROM visits WHERE year = 2026 AND scheduled_id IS NULL"
    ).fetchall()[0][0]
    con.close()
    assert saved == [(out["baseline_pairs"], out["visits"])] and n_free == out["visits"]

    r = cli("merge", "--year", "2026", "--db", str(small_path))
    assert r.returncode == 0, r.stderr
    assert "计划联合" in r.stdout and "任务整合" in r.stdout and f"{out['visits']:,}" in r.stdout
    assert "independent-mode draw of the same campaign" not in r.stdout


def test_merge_usage_error():
    assert cli("merge").returncode == 2
