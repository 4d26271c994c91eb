"""My visits and Review pages (AppTest): an inspector sees and edits only their own visits; a
reviewer approves their department's."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from core import db, users
from core.results import access, workflow
from tests import results_fixtures as rf
from tests.apptest_helpers import run_app


@pytest.fixture(scope="module")
def campaign(pristine_demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("app_results") / "campaign.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    rf.assigned_campaign(con)
    con.close()
    return path


def open_page(page: str, user_id: str, lang: str = "zh") -> AppTest:
    """The app as the account `user_id` opens it, signed in (tests/apptest_helpers.run_app)."""
    at = run_app(page, lang=lang, user=user_id)
    assert not at.exception, at.exception
    return at


def account(con, user: dict, password: str = "password-2026") -> str:
    """A real account for the session dict `user` (core/users.py); returns its id."""
    users.add_user(con, "test", user["user_id"], user["display_name"], user["role"], password,
                   dept_code=user["dept_code"], inspector_id=user["inspector_id"])  # fmt: skip
    return user["user_id"]


def page_text(at: AppTest) -> str:
    parts = [str(getattr(e, "value", "")) for e in (*at.text, *at.markdown, *at.caption,
                                                    *at.info, *at.warning, *at.error)]  # fmt: skip
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    for box in at.selectbox:
        parts.extend(map(str, box.options))
    return "\n".join(parts)


def test_inspector_sees_only_their_visits_and_enters_results(campaign, app_env, tmp_path):
    path = tmp_path / "app.duckdb"
    shutil.copy(campaign, path)
    app_env(path)
    con = db.connect(path)
    ins = con.execute(
        "SELECT inspector_id FROM assignments WHERE active GROUP BY 1 ORDER BY count(*) DESC, 1 "
        "LIMIT 1"
    ).fetchone()[0]
    user = rf.inspector_user(con, ins)
    user_id = account(con, user)
    mine = access.my_visits(con, user)
    sql = ("SELECT DISTINCT visit_id FROM assignments WHERE active AND visit_id NOT IN "
           "(SELECT visit_id FROM assignments WHERE active AND inspector_id = ?)")  # fmt: skip
    others = [v for (v,) in con.execute(sql, [ins]).fetchall()]
    con.close()

    at = open_page("views/my_assignments.py", user_id)
    table = at.dataframe[0].value
    assert sorted(table.iloc[:, 0]) == sorted(mine["visit_id"])
    assert list(at.selectbox(key="mine_visit").options) == list(mine["visit_id"])
    text = page_text(at)
    assert not any(v in text for v in others[:2000])
    # enter results for the first visit's tasks through the form, then submit for review
    visit = mine["visit_id"].iloc[0]
    n_tasks = int(mine["n_tasks"].iloc[0])
    for i in range(n_tasks):
        at.multiselect(key=f"mine_out_{visit}_{i}").set_value(["B"])
    submit = [b for b in at.button if b.label == "保存结果"][0]
    submit.click().run()
    assert not at.exception, at.exception
    assert any("已保存" in s.value for s in at.success)
    con = db.connect(path)
    rows = con.execute(
        "SELECT outcomes, problem_found, entered_by FROM results WHERE visit_id = ?", [visit]
    ).fetchall()
    assert len(rows) == n_tasks and all(r == (["B"], True, user["user_id"]) for r in rows)
    assert workflow.status_of(con, visit) == "in_progress"
    con.close()
    [b for b in at.button if b.label == "提交审核"][0].click().run()
    con = db.connect(path)
    assert workflow.status_of(con, visit) == "review"
    con.close()


def test_a_user_without_an_inspector_link_sees_no_visits(campaign, app_env, tmp_path):
    path = tmp_path / "app.duckdb"
    shutil.copy(campaign, path)
    con = db.connect(path)
    account(con, {"user_id": "nolink", "display_name": "x", "role": "inspector",
                  "dept_code": None, "inspector_id": None})  # fmt: skip
    con.close()
    app_env(path)
    at = open_page("views/my_assignments.py", "nolink", lang="en")
    assert "not linked to an inspector" in at.info[0].value
    assert not at.dataframe


def test_reviewer_approves_a_visit_of_their_department(campaign, app_env, tmp_path):
    path = tmp_path / "app.duckdb"
    shutil.copy(campaign, path)
    con = db.connect(path)
    visit, ins = con.execute(
        "SELECT visit_id, inspector_id FROM assignments WHERE active ORDER BY 1, 2 LIMIT 1"
    ).fetchone()
    user = rf.inspector_user(con, ins)
    from core.results import entry

    start = con.execute("SELECT window_start FROM visits WHERE visit_id = ?", [visit]).fetchone()
    tasks = con.execute(
        "SELECT plan_id, item_code FROM visit_tasks WHERE visit_id = ?", [visit]
    ).fetchall()
    entry.save(con, user, visit, [entry.TaskEntry(p, i, ("1",), start[0]) for p, i in tasks],
               today=date(2026, 11, 30))  # fmt: skip
    workflow.submit(con, user, visit)
    dept = con.execute("SELECT departments[1] FROM visits WHERE visit_id = ?", [visit]).fetchone()
    reviewer_id = account(con, rf.reviewer_user(dept[0]))
    con.close()
    app_env(path)
    at = open_page("views/review.py", reviewer_id)
    assert list(at.selectbox(key="review_visit").options) == [visit]
    at.button(key="review_approve").click().run()
    assert not at.exception, at.exception
    con = db.connect(path)
    assert workflow.status_of(con, visit) == "done"
    con.close()


def test_simulated_results_are_marked_on_the_public_and_publish_pages(pristine_demo, app_env,
                                                                      tmp_path):  # fmt: skip
    from core import publish
    from core.results import demo

    path = tmp_path / "sim.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    demo.prepare_campaign(con, 2026, "system", as_of=date(2026, 11, 30))
    publish.publish_year(con, 2026, "admin")
    con.close()
    app_env(path)
    at = run_app("views/public.py", lang="en", role="public")
    assert not at.exception, at.exception
    assert any("simulated" in w.value for w in at.warning)
    table = next(df.value for df in at.dataframe if "Simulated" in df.value.columns)
    assert table["Simulated"].all() and len(table) > 0
