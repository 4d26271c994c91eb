"""The Registries page shows what the database holds and finds a known target (AppTest)."""

from core import db
from tests.apptest_helpers import decode, figure_by_key, run_app

PAGE = "views/registries.py"


def targets_table(at):
    """The table in the second tab (检查对象名录库)."""
    return at.tabs[1].dataframe[0].value


def test_counts_match_the_database_and_search_finds_a_target(app_env, small_path):
    app_env(small_path)
    con = db.connect(small_path)
    uscc, name = con.execute(
        "SELECT uscc, name FROM targets ORDER BY uscc LIMIT 1 OFFSET 4321"
    ).fetchone()
    counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("items", "targets", "inspectors")]  # fmt: skip
    by_class = dict(con.execute("SELECT item_class, count(*) FROM items GROUP BY 1").fetchall())
    con.close()

    at = run_app(page=PAGE)
    assert not at.exception
    shown = [m.value for m in at.metric]
    assert shown == [f"{n:,}" for n in counts for _ in range(2)]  # total and matching per tab
    fig = figure_by_key(at, "reg_items_chart")["data"][0]
    assert sorted(decode(fig["y"])) == sorted(by_class.values())

    at.text_input(key="reg_targets_q").set_value(name).run()
    assert not at.exception
    table = targets_table(at)
    assert uscc in set(table["统一社会信用代码"])
    assert all(name in n for n in table["名称"])
    matching = int(at.metric[3].value.replace(",", ""))
    assert matching == len(table) or matching > len(table) == 50

    at.text_input(key="reg_targets_q").set_value(uscc[:-1].lower()).run()
    table = targets_table(at)
    assert list(table["统一社会信用代码"]) == [uscc]


def test_filter_and_next_page(app_env, small_path):
    app_env(small_path)
    con = db.connect(small_path)
    n = con.execute("SELECT count(*) FROM targets WHERE district = '宝安区'").fetchone()[0]
    first_codes = [r[0] for r in con.execute(
        "SELECT uscc FROM targets WHERE district = '宝安区' ORDER BY rowid LIMIT 100"
    ).fetchall()]  # fmt: skip
    con.close()
    at = run_app(page=PAGE)
    at.multiselect(key="reg_targets_f_district").set_value(["宝安区"]).run()
    assert at.metric[3].value == f"{n:,}"
    table = targets_table(at)
    assert list(table["统一社会信用代码"]) == first_codes[:50]
    at.button(key="reg_targets_next").click().run()
    table = targets_table(at)
    assert list(table["统一社会信用代码"]) == first_codes[50:100]


def test_import_is_for_administrators_only(app_env, small_path):
    app_env(small_path)
    at = run_app(page=PAGE, role="leadership")
    assert len(at.expander) == 3  # export only
    at = run_app(page=PAGE, role="admin", lang="en")
    assert not at.exception
    assert len(at.expander) == 6
    assert at.title[0].value == "一单两库: search, import and export"
    assert at.metric[0].label == "In the registry"


def test_admin_uploads_a_bad_then_a_good_file(app_env, small_path):
    """Through the page's uploader: a GBK file with one bad row is rejected with its report and
    changes nothing; fixed, it imports, and the counts on the page follow."""
    import json

    from core.registry_export import export_frame

    app_env(small_path)
    con = db.connect(small_path)
    frame = export_frame(con, "inspectors").iloc[:3].copy()
    before = db.content_hash(con, "inspectors")
    con.close()
    frame["inspector_id"] = [f"440300M0199{i:02d}" for i in range(3)]
    frame["dept_code"] = "440300M01"
    frame["name"] = ["王小明", "李　华", "张三丰"]  # an ideographic space to be normalised
    frame.loc[1, "dept_code"] = "440300M99"
    gbk = frame.to_csv(index=False).encode("gbk")

    at = run_app(page=PAGE, role="admin")
    tab = at.tabs[2]
    tab.file_uploader[0].set_value(("新人员.csv", gbk, "text/csv")).run()
    at.tabs[2].button(key="reg_inspectors_run").click().run()
    assert not at.exception
    assert "新人员.csv 未导入:发现 1 处问题" in at.error[0].value
    report = at.tabs[2].dataframe[1].value.to_dict("records")
    assert report == [
        {"文件": "新人员.csv", "行号": 3, "列": "dept_code", "值": "440300M99",
         "原因": "部门代码不存在于部门表"}
    ]  # fmt: skip
    con = db.connect(small_path)
    assert db.content_hash(con, "inspectors") == before
    con.close()

    frame.loc[1, "dept_code"] = "440300M01"
    at.tabs[2].file_uploader[0].set_value(
        ("新人员.csv", frame.to_csv(index=False).encode("gbk"), "text/csv")
    ).run()
    at.tabs[2].button(key="reg_inspectors_run").click().run()
    assert not at.exception
    assert "已导入 新人员.csv:3 行,新增 3 行" in at.success[0].value
    at.run()
    assert at.metric[4].value == "8,455"
    con = db.connect(small_path)
    assert con.execute(
        "SELECT name FROM inspectors WHERE inspector_id = '440300M019901'"
    ).fetchone() == ("李 华",)
    actor, detail = con.execute(
        "SELECT actor, detail FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    con.close()
    assert actor == "admin"
    assert json.loads(detail)["outcome"] == "accepted"
