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
            "overview_queries", "registry_search", "plan_preview", "campaign_preview",
            "risk_distribution", "risk_preview", "registry_paging", "code_lookup",
            "merge_page", "assignment", "assignments_page"} <= measured  # fmt: skip
    by_name = {s["name"]: s for s in result["stages"]}
    assert by_name["risk_distribution"]["detail"]["slowest"] in {"district", "street", "industry"}
    assert by_name["code_lookup"]["detail"]["slowest"] in {
        "registry_search", "risk_find", "risk_explain"
    }  # fmt: skip
    assert 0 < by_name["merge_page"]["detail"]["slowest_s"] <= by_name["merge_page"]["median_s"]
    page = by_name["assignments_page"]
    assert 0 < page["detail"]["slowest_s"] <= page["median_s"]
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


def test_compare_runs_both_draws_alternately(tmp_path):
    work, result = tmp_path / "work", tmp_path / "compare.json"
    work.mkdir()
    r = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--compare", "--scale", "1500", "--repeat", "2",
         "--workdir", str(work), "--out", str(result)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(result.read_text(encoding="utf-8"))
    assert out["targets"] == 1500 and out["rounds"] == 2
    assert len(out["ours_s"]) == len(out["pandas_s"]) == 2
    assert out["selected_ours"] == out["selected_pandas"] > 0
    assert out["ratio"] == round(out["pandas_median_s"] / out["ours_median_s"], 1)
    assert out["cpu_ratio"] == round(out["pandas_cpu_median_s"] / out["ours_cpu_median_s"], 1)
    # alternately: each round's lines in order, ours first
    rounds = [line.split(":")[1].split()[0] for line in r.stderr.splitlines() if "round" in line]
    assert rounds == ["ours", "pandas", "ours", "pandas"]
    assert f"ratio   {out['ratio']:.1f}x" in r.stdout
    assert list(work.iterdir()) == []


def test_compare_on_an_existing_database(small_path):
    r = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--compare", "--db", str(small_path),
         "--repeat", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "5,000 targets, 1 rounds" in r.stdout and "x (pandas median / ours)" in r.stdout


def test_stages_on_a_copy_of_a_database(small_path, tmp_path):
    before = small_path.read_bytes()
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    r = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--db", str(small_path), "--stages",
         "risk_distribution,registry_paging,code_lookup", "--repeat", "2", "--json",
         "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["targets"] == 5_000
    assert [s["name"] for s in out["stages"]] == [
        "risk_distribution", "registry_paging", "code_lookup"
    ]  # fmt: skip
    assert all(s["runs"] == 2 and s["detail"]["slowest_s"] > 0 for s in out["stages"])
    assert small_path.read_bytes() == before  # timed on a copy
    assert list(tmp_path.iterdir()) == []
    bad = subprocess.run(
        [sys.executable, "-m", "core", "bench", "--db", str(small_path), "--stages", "nope"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "no such stage: nope" in bad.stderr


def test_every_stage_has_a_name_in_both_languages():
    """The About page charts the committed scaling run by stage: each stage the bench can write
    there has its zh and en name in the catalogue (a raw stage name is never shown)."""
    from core import i18n

    names = i18n.catalogue()
    missing = [s.name for s in bench.stages() if f"bench.stage.{s.name}" not in names]
    assert missing == []
    assert all(len(set(names[f"bench.stage.{s.name}"])) == 2 for s in bench.stages())
