"""The benchmark keeps working at a tiny scale (no timing assertions: figures go in notes)."""

import json
import subprocess
import sys
from pathlib import Path

from core import bench

ROOT = Path(__file__).resolve().parent.parent


def test_bench_reports_every_stage(tmp_path):
    result = bench.run_bench(2_000, repeat=2, workdir=tmp_path)
    assert result["scale"] == result["targets"] == 2_000
    stages = {s.name: s for s in bench.stages()}
    assert [s["name"] for s in result["stages"]] == list(stages)
    for s in result["stages"]:
        if "absent" in s:
            assert s["absent"]  # says why
            assert "median_s" not in s  # never a made-up figure
            assert stages[s["name"]].run is None
        else:
            assert s["median_s"] > 0 and s["runs"] == (2 if stages[s["name"]].repeatable else 1)
    measured = {s["name"] for s in result["stages"] if "median_s" in s}
    assert {"init", "risk_scoring", "campaign_draw", "draw_vs_pandas", "draw_commit", "merge",
            "overview_queries", "registry_search"} <= measured  # fmt: skip
    # the pandas baseline drew the same strata with the same quotas
    dvp = result["draw_vs_pandas"]
    assert dvp["selected_ours"] == dvp["selected_pandas"] > 0
    assert dvp["ratio"] == round(dvp["pandas_s"] / dvp["ours_s"], 1)
    assert result["peak_rss_mb"] > 50
    assert list(tmp_path.iterdir()) == []  # the temporary database is removed


def test_bench_cli_json(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--scale", "1500", "--repeat", "1", "--json",
         "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"scale", "targets", "peak_rss_mb", "stages", "draw_vs_pandas"}
    assert out["targets"] == 1500
    assert all({"name", "median_s", "runs"} <= set(s) or "absent" in s for s in out["stages"])


def test_bench_rejects_bad_arguments():
    r = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--repeat", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2


def test_scaling_run_tabulates_each_stage(tmp_path):
    out = tmp_path / "scaling.json"
    r = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--scaling", "--scales", "1200,2400",
         "--repeat", "1", "--workdir", str(tmp_path), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["scales"] == [1200, 2400]
    assert [run["targets"] for run in result["runs"]] == [1200, 2400]
    assert set(result["seconds_by_stage"]["init"]) == {"1200", "2400"}
    assert "campaign_draw" in r.stdout and "2,400" in r.stdout
