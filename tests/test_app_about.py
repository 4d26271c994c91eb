"""The About page charts a committed scaling run, and says so when there is none."""

import json

from core import bench
from tests.apptest_helpers import decode, figure_by_key, run_app


def test_about_charts_the_scaling_run(app_env, small_path, tmp_path, monkeypatch):
    result = {
        "scales": [1000, 2000],
        "runs": [{"targets": 1000, "peak_rss_mb": 300.0}, {"targets": 2000, "peak_rss_mb": 320.5}],
        "seconds_by_stage": {
            "init": {"1000": 0.5, "2000": 0.9},
            "merge": {"1000": 0.1, "2000": None},
        },
        "meta": {"machine": "2 cores", "date": "2026-11-28"},
    }
    path = tmp_path / "scaling.json"
    path.write_text(json.dumps(result), encoding="utf-8")
    monkeypatch.setattr(bench, "SCALING_RESULT", path)
    app_env(small_path)
    at = run_app(page="views/about.py", role="public", lang="en")
    assert not at.exception
    fig = figure_by_key(at, "scaling")
    lines = {t["name"]: (decode(t["x"]), decode(t["y"])) for t in fig["data"]}
    # stages by their names in the reader's language, not the bench's identifiers
    assert lines == {"Build the data": ([1000, 2000], [0.5, 0.9]),
                     "Merge inspections": ([1000], [0.1])}  # fmt: skip
    zh = run_app(page="views/about.py", role="public", lang="zh")
    assert {t["name"] for t in figure_by_key(zh, "scaling")["data"]} == {"构建数据", "合并检查"}
    mem = figure_by_key(at, "memory")
    assert decode(mem["data"][0]["y"]) == [300.0, 320.5]
    assert decode(mem["data"][0]["x"]) == ["1,000", "2,000"]
    assert mem["layout"]["xaxis"]["type"] == "category"


def test_about_without_a_run(app_env, small_path, tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "SCALING_RESULT", tmp_path / "none.json")
    app_env(small_path)
    at = run_app(page="views/about.py", role="public")
    assert not at.exception
    assert "尚无已提交的规模测试结果" in at.info[0].value
