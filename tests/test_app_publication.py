"""The public pages (AppTest, real DuckDB file): Verify, the public view, and Publish."""

from __future__ import annotations

import json

import pytest

from core import db, publish
from tests import draw_reference as ref
from tests.apptest_helpers import metrics, run_app
from ui.safe_text import md


@pytest.fixture
def drawn_path(small_path):
    con = db.connect(small_path)
    records = ref.commit_draws(con, ref.largest_plans(con, 2))
    publish.publish_year(con, 2026, "admin-zhangwei")
    con.close()
    return small_path, records


def table_with(at, column: str):
    """The first table shown with that column (AppTest's dataframes carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def check_rows(at) -> list[tuple[str, str, str]]:
    """(result, check, stratum) of each row of the checks table, by column name."""
    df = at.dataframe[0].value
    cols = [c for c in df.columns if c in ("Result", "Check", "Stratum", "结果", "检查项", "层")]
    return list(zip(*(df[c] for c in cols), strict=True))


def test_verify_page_public_match_and_mismatch(app_env, drawn_path):
    path, records = drawn_path
    app_env(path)
    at = run_app(page="views/verify.py", role="public", lang="en")
    assert not at.exception
    assert at.title[0].value == "Verify a draw"
    plan_id, record = next(iter(records.items()))
    at.selectbox(key="verify_draw").set_value(f"D-{plan_id}").run()
    at.button(key="verify_published").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Match: the draw re-runs exactly as published."]
    rows = check_rows(at)
    assert {r[0] for r in rows} == {"pass"}
    # checks by their names in the reader's language (the verifier's code is "selection")
    assert [r[2] for r in rows if r[1] == "Selection"] == [s["tier"] for s in record["strata"]]

    # someone swaps one drawn enterprise in the stored record: the page says where
    st = max(record["strata"], key=lambda s: s["quota"])
    tampered = json.loads(json.dumps(record))
    stratum = next(s for s in tampered["strata"] if s["tier"] == st["tier"])
    stratum["selected"][0] = "91440300000000000X"
    con = db.connect(path)
    con.execute("UPDATE draws SET record_json = ? WHERE draw_id = ?",
                [json.dumps(tampered), f"D-{plan_id}"])  # fmt: skip
    db.bump_data_version(con)
    con.close()
    at.button(key="verify_published").click().run()
    assert [e.value for e in at.error] == ["Mismatch: 1 checks failed, see below."]
    assert [r[1:] for r in check_rows(at) if r[0] == "FAIL"] == [("Selection", st["tier"])]


def test_verify_page_checks_a_commitment(app_env, drawn_path):
    path, _ = drawn_path
    app_env(path)
    at = run_app(page="views/verify.py", role="public")
    at.radio(key="verify_source").set_value("commitment").run()
    at.text_input(key="verify_secret").input(ref.SECRET)
    at.text_input(key="verify_commitment").input(ref.sha(ref.SECRET))
    at.text_input(key="verify_beacon").input(ref.BEACON)
    at.text_input(key="verify_seed").input(ref.sha(f"{ref.SECRET}|{ref.BEACON}")).run()
    assert [s.value for s in at.success] == ["sha256(密钥) 与承诺一致。",
                                             "种子 = sha256(密钥|公开随机数),一致。"]  # fmt: skip
    at.text_input(key="verify_beacon").input("another beacon").run()
    assert len(at.success) == 1 and "与种子不一致" in at.error[0].value


def test_public_view_search_by_uscc_and_name(app_env, drawn_path):
    path, records = drawn_path
    app_env(path)
    at = run_app(page="views/public.py", role="public", lang="en")
    assert not at.exception
    con = db.connect(path)
    n_plans = con.execute("SELECT count(*) FROM plans WHERE year = 2026").fetchone()[0]
    code = records[next(iter(records))]["strata"][0]["selected"][0]
    name = con.execute("SELECT name FROM targets WHERE uscc = ?", [code]).fetchone()[0]
    expected = {p for p, r in records.items()
                if any(code in s["selected"] for s in r["strata"])}  # fmt: skip
    con.close()
    assert at.subheader[-1].value == f"Published plans ({n_plans:,})"
    assert at.info[0].value.startswith("No results published yet")
    for query in (code, code.lower(), name):
        at.text_input(key="public_search").input(query).run()
        drawn = table_with(at, "Plan name")
        assert set(drawn["Plan"]) >= expected and code in set(drawn["USCC"])
    at.text_input(key="public_search").input("没有这家企业").run()
    assert at.info[0].value == "This enterprise is not in any published draw."


def test_publish_page_publishes_and_is_honest_about_deadlines(app_env, small_path):
    app_env(small_path)
    con = db.connect(small_path)
    n_plans = con.execute("SELECT count(*) FROM plans WHERE year = 2026").fetchone()[0]
    con.close()
    at = run_app(page="views/publish.py", role="admin", lang="en")
    assert not at.exception
    assert metrics(at)["Plans this year"] == f"{n_plans:,}"
    assert metrics(at)["Plans published"] == "0"
    assert at.info[0].value == "Nothing published for this year yet."
    assert len(at.get("download_button")) == 0
    at.button[0].click().run()
    assert not at.exception
    assert metrics(at)["Plans published"] == f"{n_plans:,}"
    assert len(at.get("download_button")) == 3
    # a correction: one plan renamed, re-published with a reason, shows as v2 replacing v1
    con = db.connect(small_path)
    plan_id = con.execute("SELECT min(plan_id) FROM plans").fetchone()[0]
    con.execute("UPDATE plans SET name = name || '(更正)' WHERE plan_id = ?", [plan_id])
    db.bump_data_version(con)
    con.close()
    at.text_input(key="pub_reason").input("计划名称更正")
    at.button[0].click().run()
    history = next(d.value for d in at.dataframe if "Supersedes" in d.value.columns)
    assert history.to_dict("records")[0] | {"Published": None} == {
        "Publication": f"plan_notice:{plan_id}:v2",
        "Plan": plan_id,
        "Version": 2,
        "Supersedes": f"plan_notice:{plan_id}:v1",
        "Reason": "计划名称更正",
        "Published": None,
    }
    assert metrics(at)["Notice versions"] == f"{n_plans + 1:,}"
    assert at.info[-1].value.startswith("No inspection results are recorded yet")
    con = db.connect(small_path)
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] == n_plans + 1
    assert (
        con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'publication.plan_notice'"
        ).fetchone()[0]
        == n_plans + 1
    )
    con.close()


def test_public_sees_public_pages_only(app_env, small_path):
    app_env(small_path)
    at = run_app(role="public")
    assert not at.exception
    assert "检查对象" not in metrics(at)  # not the Overview
    assert at.title[0].value == "双随机抽查公示"
    with pytest.raises(Exception):  # noqa: B017 (the page is not in the public navigation)
        at.switch_page("views/publish.py").run()


def test_publish_page_lists_deadlines_once_results_exist(app_env, drawn_path):
    from core import deadlines

    path, records = drawn_path
    con = db.connect(path)
    ref.record_results(con, records, ["2026-09-18", "2026-09-28", "2026-10-09"])
    today = deadlines.today()
    expected = publish.deadlines_by_department(con, 2026, today)
    con.close()
    app_env(path)
    at = run_app(page="views/publish.py", role="leadership", lang="en")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Department code" in d.value.columns)
    assert list(table["Department code"]) == list(expected["dept_code"])
    assert list(table["overdue"]) == list(expected["overdue"])
    assert table[["overdue", "due soon", "open", "published"]].to_numpy().sum() == 3 * len(expected)


def test_public_plan_notice_reads_as_a_notice(app_env, drawn_path):
    path, records = drawn_path
    app_env(path)
    plan_id = next(iter(records))
    con = db.connect(path)
    lead = con.execute(
        "SELECT d.name FROM plans p JOIN departments d ON d.dept_code = p.lead_dept "
        "WHERE plan_id = ?",
        [plan_id],
    ).fetchone()[0]
    n_items = con.execute(
        "SELECT count(*) FROM plan_items WHERE plan_id = ?", [plan_id]
    ).fetchone()[0]
    con.close()
    quota = sum(s["quota"] for s in records[plan_id]["strata"])
    for lang, lead_label, quota_label in (
        ("en", "Lead department", "Drawn"),
        ("zh", "牵头部门", "抽取数量"),
    ):
        at = run_app(page="views/public.py", role="public", lang=lang)
        at.selectbox(key="public_plan").set_value(plan_id).run()
        assert not at.exception
        text = "\n".join(m.value for m in at.markdown)
        assert f"**{lead_label}**: {md(lead)}\\(" in text
        assert f"**{quota_label}**: {quota:,}" in text
        assert '"lead_dept"' not in text and "{" not in text
        items = table_with(at, "Item code" if lang == "en" else "事项编码")
        assert len(items) == n_items
        strata = table_with(at, "Stratum" if lang == "en" else "层")
        assert list(strata.iloc[:, -1]) == [s["quota"] for s in records[plan_id]["strata"]]
        # the raw JSON only inside the expander, and as a download
        assert len(at.json) == 1 and len(at.expander) == 1 and len(at.expander[0].json) == 1
        assert len(at.get("download_button")) == 1
