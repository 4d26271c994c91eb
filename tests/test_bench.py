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
    names = [s["name"] for s in result["stages"]]
    assert names == [s.name for s in bench.stages()]
    for s in result["stages"]:
        if "absent" in s:
            assert s["absent"]  # says why
            assert "median_s" not in s  # never a made-up figure
        else:
            assert s["median_s"] > 0 and s["runs"] == 2
    assert {"init", "overview_queries"} <= {s["name"] for s in result["stages"] if "median_s" in s}
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
