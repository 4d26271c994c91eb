"""The Overview page renders what the database holds (AppTest, real DuckDB file)."""

from core import db
from tests.apptest_helpers import decode, figure_by_key, metrics, run_app


def test_overview_headline_matches_database(app_env, demo_path):
    app_env(demo_path)
    at = run_app()
    assert not at.exception
    con = db.connect(demo_path)
    expected = {
        "适用部门": con.execute(
            "SELECT count(*) FROM departments WHERE level IN ('city', 'district')"
        ).fetchone()[0],
        "检查事项": con.execute("SELECT count(*) FROM items").fetchone()[0],
        "检查对象": con.execute("SELECT count(*) FROM targets").fetchone()[0],
        "检查人员": con.execute("SELECT count(*) FROM inspectors").fetchone()[0],
        "年度抽查计划": con.execute("SELECT count(*) FROM plans").fetchone()[0],
    }
    shown = metrics(at)
    assert shown == {k: f"{v:,}" for k, v in expected.items()}
    assert shown["检查对象"] == "200,000" and shown["适用部门"] == "178"

    fig = figure_by_key(at, "targets_by_district")
    trace = fig["data"][0]
    by_district = dict(con.execute("SELECT district, count(*) FROM targets GROUP BY 1").fetchall())
    assert dict(zip(decode(trace["x"]), decode(trace["y"]), strict=True)) == by_district
    con.close()


def test_overview_reflects_a_change_in_the_data(app_env, small_path):
    app_env(small_path)
    at = run_app()
    assert metrics(at)["检查对象"] == "5,000"
    con = db.connect(small_path)
    con.execute("DELETE FROM targets WHERE uscc IN (SELECT uscc FROM targets LIMIT 10)")
    db.bump_data_version(con)
    at.run()
    assert metrics(at)["检查对象"] == "4,990"
    con.close()


def test_language_switch(app_env, small_path):
    app_env(small_path)
    at = run_app(lang="en")
    assert not at.exception
    assert at.title[0].value == "Overview: the 一单两库"
    assert "Inspection targets" in metrics(at)
    at = run_app(lang="zh")
    assert at.title[0].value == "总览:一单两库"
    assert "检查对象" in metrics(at)


def test_first_run_builds_demo_data(app_env, tmp_path):
    path = tmp_path / "fresh" / "suicha.duckdb"
    app_env(path)
    at = run_app()
    assert not at.exception
    assert path.exists()
    assert metrics(at)["检查对象"] == "200,000"


def test_locked_database_gets_a_clear_message(app_env, pristine_small, tmp_path):
    import shutil
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "locked.duckdb"
    shutil.copy(pristine_small, path)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        app_env(path)
        at = run_app()
        assert not at.exception
        shown = at.error[0].value
        assert "另一个程序" in shown and "正在使用数据库" in shown
        # no file path, no process id (issue 16.7)
        assert str(path) not in shown and "locked.duckdb" not in shown
        assert "PID" not in shown and str(holder.pid) not in shown
        assert metrics(at) == {}
    finally:
        holder.kill()
        holder.wait()


def test_plans_chart_has_one_segment_per_kind_and_class(app_env, demo_path):
    app_env(demo_path)
    at = run_app()
    con = db.connect(demo_path)
    expected = {
        (kind, item_class): n
        for kind, item_class, n in con.execute(
            "SELECT kind, item_class, count(*) FROM plans GROUP BY ALL"
        ).fetchall()
    }
    con.close()
    fig = figure_by_key(at, "plans_by_kind")
    bars = [n for trace in fig["data"] for n in decode(trace["y"])]
    assert sorted(bars) == sorted(expected.values())
