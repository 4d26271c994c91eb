"""Results: entry by the visit's own inspectors, the review workflow, isolation between
inspectors, fifty concurrent writers, simulated results and the result notices' deadlines."""

from __future__ import annotations

import json
import shutil
import threading
from datetime import date

import pytest

from core import db, publish
from core.refusal import Refused
from core.results import access, entry, notices, simulate, workflow
from tests import results_fixtures as rf
from tests.analytics_fixtures import campaign_con  # noqa: F401 (the `con` fixture)

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def campaign_path(pristine_demo, tmp_path_factory):
    """The demo dataset with 2026 committed, merged and assigned (no results yet)."""
    path = tmp_path_factory.mktemp("results") / "campaign.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    rf.assigned_campaign(con)
    con.close()
    return path


# `con`: a copy of this module's campaign_path per test (tests/analytics_fixtures.py)


def own_visits(con, inspector_id):
    sql = "SELECT visit_id FROM assignments WHERE active AND inspector_id = ?"
    return [v for (v,) in con.execute(sql, [inspector_id]).fetchall()]


def two_inspectors(con):
    """Two inspectors with disjoint visit lists, and one visit of each."""
    rows = con.execute(
        """
        SELECT inspector_id, min(visit_id) FROM assignments WHERE active
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 40
        """
    ).fetchall()
    a = rows[0]
    mine = set(own_visits(con, a[0]))
    for b in rows[1:]:
        if b[1] not in mine:
            return a, b
    raise AssertionError("no second inspector")


def entries_for(con, visit_id, codes=("1",), day=None, note=""):
    window = con.execute(
        "SELECT window_start FROM visits WHERE visit_id = ?", [visit_id]
    ).fetchone()
    day = day or window[0]
    tasks = con.execute(
        "SELECT plan_id, item_code FROM visit_tasks WHERE visit_id = ? ORDER BY 1, 2", [visit_id]
    ).fetchall()
    return [entry.TaskEntry(p, i, tuple(codes), day, note) for p, i in tasks]


def test_the_query_takes_the_inspector_from_the_signed_in_user(con):
    (ins_a, visit_a), (ins_b, visit_b) = two_inspectors(con)
    user_a, user_b = rf.inspector_user(con, ins_a), rf.inspector_user(con, ins_b)
    mine = access.my_visits(con, user_a)
    expected = set(own_visits(con, ins_a))
    assert set(mine["visit_id"]) == expected and len(mine) == len(expected) > 0
    assert visit_b not in set(mine["visit_id"])
    # co-inspectors are named, never the user; every column is about the user's own visits
    names = con.execute("SELECT name FROM inspectors WHERE inspector_id = ?", [ins_a]).fetchone()
    assert all(names[0] not in c.split("、") for c in mine["co_inspectors"])
    # another inspector's visit is refused like a visit that does not exist
    for visit in (visit_b, "V2026-NOSUCHVISIT"):
        with pytest.raises(Refused) as e:
            access.my_visit_tasks(con, user_a, visit)
        assert e.value.key == "results.not_assigned"
        with pytest.raises(Refused):
            entry.save(con, user_a, visit, entries_for(con, visit_b), today=TODAY)
    assert con.execute("SELECT count(*) FROM results").fetchone()[0] == 0
    # no inspector link, no visits
    with pytest.raises(Refused) as e:
        access.my_visits(con, {"user_id": "x", "role": "inspector", "inspector_id": None})
    assert e.value.key == "results.no_inspector"
    assert len(access.my_visit_tasks(con, user_b, visit_b)) > 0


def test_entry_review_and_edits_after_approval(con):
    (ins, visit), _ = two_inspectors(con)
    user = rf.inspector_user(con, ins)
    tasks = entries_for(con, visit)
    window_start = tasks[0].completed_on
    # validation: each refusal names the problem, nothing is written
    bad = [
        (entry.TaskEntry(tasks[0].plan_id, tasks[0].item_code, (), window_start), "no_outcome"),
        (entry.TaskEntry(tasks[0].plan_id, tasks[0].item_code, ("Z",), window_start),
         "bad_outcome"),
        (entry.TaskEntry(tasks[0].plan_id, tasks[0].item_code, ("1", "B"), window_start),
         "clear_mixed"),
        (entry.TaskEntry(tasks[0].plan_id, tasks[0].item_code, ("B",), date(2026, 12, 5)),
         "future_date"),
        (entry.TaskEntry(tasks[0].plan_id, tasks[0].item_code, ("B",), date(2026, 1, 5)),
         "early_date"),
        (entry.TaskEntry(tasks[0].plan_id, "NO-ITEM", ("B",), window_start), "unknown_task"),
    ]  # fmt: skip
    for e_, key in bad:
        with pytest.raises(Refused) as e:
            entry.save(con, user, visit, [e_], today=TODAY)
        assert e.value.key == f"results.{key}"
    assert con.execute("SELECT count(*) FROM results").fetchone()[0] == 0
    assert workflow.status_of(con, visit) == "pending"

    # a partial save starts the visit; a submission needs every task
    saved = entry.save(con, user, visit, tasks[:1], today=TODAY)
    assert saved.status == "in_progress" == workflow.status_of(con, visit)
    if len(tasks) > 1:
        with pytest.raises(Refused) as e:
            workflow.submit(con, user, visit)
        assert e.value.key == "results.incomplete"
    six_e = [entry.TaskEntry(t.plan_id, t.item_code, ("6", "E"), t.completed_on, "门店已搬迁")
             for t in tasks]  # fmt: skip
    entry.save(con, user, visit, six_e, today=TODAY)
    rows = con.execute(
        "SELECT outcomes, problem_found, counted, entered_by, simulated FROM results "
        "WHERE visit_id = ?",
        [visit],
    ).fetchall()
    assert len(rows) == len(tasks)  # one row per task, the first save replaced
    assert all(r == (["6", "E"], True, True, user["user_id"], False) for r in rows)
    workflow.submit(con, user, visit)
    assert workflow.status_of(con, visit) == "review"
    with pytest.raises(Refused) as e:  # locked while under review
        entry.save(con, user, visit, tasks, today=TODAY)
    assert e.value.key == "results.in_review"

    # only a reviewer of one of the visit's departments
    depts = con.execute("SELECT departments FROM visits WHERE visit_id = ?", [visit]).fetchone()[0]
    other = con.execute(
        "SELECT dept_code FROM departments WHERE NOT list_contains(?, dept_code) LIMIT 1", [depts]
    ).fetchone()[0]
    with pytest.raises(Refused) as e:
        workflow.approve(con, rf.reviewer_user(other), visit)
    assert e.value.key == "results.not_reviewer"
    reviewer = rf.reviewer_user(depts[0])
    with pytest.raises(Refused):
        workflow.send_back(con, reviewer, visit, " ")
    workflow.send_back(con, reviewer, visit, "请补充照片")
    assert workflow.status_of(con, visit) == "in_progress"
    workflow.submit(con, user, visit)
    done = workflow.approve(con, reviewer, visit)
    assert done == window_start
    status = con.execute(
        "SELECT status, completed_on, reviewed_by FROM visit_status WHERE visit_id = ?", [visit]
    ).fetchone()
    assert status == ("done", window_start, reviewer["user_id"])

    # after approval a change needs a reason, and the audit entry keeps before and after
    with pytest.raises(Refused) as e:
        entry.save(con, user, visit, tasks, today=TODAY)
    assert e.value.key == "results.reason_needed"
    entry.save(con, user, visit, tasks, reason="复核后更正为未发现问题", today=TODAY)
    assert workflow.status_of(con, visit) == "done"
    logged = con.execute(
        "SELECT actor, detail FROM audit_log WHERE action = 'results.enter' ORDER BY seq DESC "
        "LIMIT 1"
    ).fetchone()
    detail = json.loads(logged[1])
    assert logged[0] == user["user_id"] and detail["reason"] == "复核后更正为未发现问题"
    assert detail["before"][0][2] == ["6", "E"] and detail["after"][0][2] == ["1"]
    sql = ("SELECT action, json_extract_string(detail, '$.refusal') FROM audit_log "
           "WHERE action LIKE 'results.%' AND json_extract(detail, '$.attempt') IS {} NULL "
           "ORDER BY seq")  # fmt: skip
    actions = [a for (a, _) in con.execute(sql.format("")).fetchall()]
    assert actions == ["results.enter", "results.enter", "results.submit", "results.return",
                       "results.submit", "results.approve", "results.enter"]  # fmt: skip
    # every refusal above left one entry, its attempt (core/writes.py)
    assert con.execute(sql.format("NOT")).fetchall() == [
        ("results.enter", "results.no_outcome"), ("results.enter", "results.bad_outcome"),
        ("results.enter", "results.clear_mixed"), ("results.enter", "results.future_date"),
        ("results.enter", "results.early_date"), ("results.enter", "results.unknown_task"),
        ("results.submit", "results.incomplete"), ("results.enter", "results.in_review"),
        ("results.approve", "results.not_reviewer"), ("results.enter", "results.reason_needed"),
    ]  # fmt: skip


def test_fifty_inspectors_entering_at_once_lose_nothing(con):
    rows = con.execute(
        """
        SELECT inspector_id, min(visit_id) AS visit_id FROM assignments WHERE active
        GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    picked, seen = [], set()
    for ins, visit in rows:  # fifty inspectors, each on a visit of their own
        if visit not in seen:
            picked.append((ins, visit))
            seen.add(visit)
        if len(picked) == 50:
            break
    assert len(picked) == 50
    work = [(rf.inspector_user(con, i), v, entries_for(con, v, ("B",))) for i, v in picked]
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    def enter(user, visit, tasks):
        cur = con.cursor()
        try:
            start.wait()
            entry.save(cur, user, visit, tasks, today=TODAY)
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)
        finally:
            cur.close()

    threads = [threading.Thread(target=enter, args=w) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = sum(len(t) for _, _, t in work)
    got = con.execute(
        "SELECT count(*), count(DISTINCT (visit_id, plan_id, item_code)) FROM results "
        "WHERE visit_id IN (SELECT unnest(?::VARCHAR[]))",
        [[v for _, v in picked]],
    ).fetchone()
    assert got == (expected, expected)
    assert (
        con.execute("SELECT count(*) FROM visit_status WHERE status = 'in_progress'").fetchone()[0]
        == 50
    )
    assert (
        con.execute("SELECT count(*) FROM audit_log WHERE action = 'results.enter'").fetchone()[0]
        == 50
    )


def simulated_digest(con) -> str:
    """What a simulation decides (not when it ran): tasks, codes, dates, statuses."""
    return con.execute(
        """
        SELECT sha256(string_agg(r.visit_id || r.plan_id || r.item_code
                                 || array_to_string(r.outcomes, ',') || r.completed_on
                                 || s.status, '|' ORDER BY r.visit_id, r.plan_id, r.item_code))
        FROM results r JOIN visit_status s USING (visit_id) WHERE r.simulated
        """
    ).fetchone()[0]


def test_simulation_is_seeded_marked_and_leaves_real_results_alone(con):
    (ins, visit), _ = two_inspectors(con)
    user = rf.inspector_user(con, ins)
    entry.save(con, user, visit, entries_for(con, visit, ("A",)), today=TODAY)
    first = simulate.simulate(con, 2026, "test", as_of=TODAY)
    h1 = simulated_digest(con)
    assert first.skipped_real == 1 and first.visits > 1000
    assert first.done + first.review == first.visits
    # every simulated row is marked; the person's row is not, and unchanged
    marks = dict(con.execute(
        "SELECT simulated, count(*) FROM results GROUP BY 1").fetchall())  # fmt: skip
    assert marks[True] == first.tasks and marks[False] == len(entries_for(con, visit))
    assert con.execute(
        "SELECT bool_and(simulated) FROM visit_status WHERE visit_id <> ?", [visit]
    ).fetchone()[0]
    assert con.execute(
        "SELECT list_distinct(flatten(list(outcomes))) FROM results WHERE visit_id = ?", [visit]
    ).fetchone()[0] == ["A"]
    # the same seed, the same results; outcomes follow core.vocab
    again = simulate.simulate(con, 2026, "test", as_of=TODAY)
    assert simulated_digest(con) == h1 and again.summary() == first.summary()
    mismatched = con.execute(
        """
        SELECT count(*) FROM results WHERE simulated AND (
            problem_found <> list_has_any(outcomes, ['3','4','G','5','6','8','A','B','C','D','E'])
            OR counted <> NOT list_has_all(['7','9','10','11','12','F'], outcomes))
        """
    ).fetchone()[0]
    assert mismatched == 0
    # problems follow the hidden truth: targets found with a problem have a higher propensity
    lo, hi = con.execute(
        """
        SELECT avg(st.propensity) FILTER (WHERE NOT r.problem_found AND r.counted),
               avg(st.propensity) FILTER (WHERE r.problem_found)
        FROM results r JOIN visits v USING (visit_id) JOIN synth_truth st USING (uscc)
        WHERE r.simulated
        """
    ).fetchone()
    assert hi > lo * 1.3
    # nothing completes after the day it stands on; approvals only a week before it
    assert con.execute("SELECT max(completed_on) FROM results").fetchone()[0] <= TODAY
    assert con.execute(
        "SELECT max(completed_on) FROM visit_status WHERE status = 'done'"
    ).fetchone()[0] <= date(2026, 11, 23)


def approve_on(con, visit, day):
    """Enter every task of `visit` as completed on `day`, submit and approve it."""
    ins = con.execute(
        "SELECT inspector_id FROM assignments WHERE active AND visit_id = ? ORDER BY rank LIMIT 1",
        [visit],
    ).fetchone()[0]
    user = rf.inspector_user(con, ins)
    entry.save(con, user, visit, entries_for(con, visit, ("B",), day, "备注 " + ins),
               today=TODAY)  # fmt: skip
    workflow.submit(con, user, visit)
    dept = con.execute("SELECT departments[1] FROM visits WHERE visit_id = ?", [visit]).fetchone()
    workflow.approve(con, rf.reviewer_user(dept[0]), visit)
    return ins


# completion dates over holidays and 调休 days, due dates counted by hand (20 working days)
HAND_PICKED = [
    (date(2026, 2, 11), date(2026, 3, 17)),  # 春节 02-15..23 off; Saturdays 02-14, 02-28 worked
    (date(2026, 4, 30), date(2026, 6, 1)),  # 劳动节 05-01..05 off; Saturday 05-09 worked
    (date(2026, 9, 28), date(2026, 10, 30)),  # 国庆 10-01..07 off; Saturday 10-10 worked
]


def test_result_notices_carry_exactly_the_published_fields_and_due_dates(con):
    visits = []
    for day, _due in HAND_PICKED:
        visit = con.execute(
            "SELECT min(visit_id) FROM visits WHERE window_start <= ? AND window_end >= ? "
            "AND visit_id NOT IN (SELECT unnest(?::VARCHAR[]))",
            [day, day, visits],
        ).fetchone()[0]
        visits.append(visit)
    inspectors = [approve_on(con, v, d) for v, (d, _) in zip(visits, HAND_PICKED, strict=True)]
    notes = notices.result_notices(con, 2026)
    assert set(notes) == set(visits)
    for visit, (day, _due) in zip(visits, HAND_PICKED, strict=True):
        n = notes[visit]
        assert set(n) == {"enterprise_name", "uscc", "plans", "departments", "completed_on",
                          "items", "simulated"}  # fmt: skip
        uscc, name = con.execute(
            "SELECT v.uscc, t.name FROM visits v JOIN targets t USING (uscc) WHERE visit_id = ?",
            [visit],
        ).fetchone()
        assert (n["uscc"], n["enterprise_name"], n["completed_on"]) == (uscc, name, str(day))
        assert n["simulated"] is False
        depts = con.execute(
            "SELECT list(DISTINCT dept_code ORDER BY dept_code) FROM visit_tasks "
            "WHERE visit_id = ?",
            [visit],
        ).fetchone()[0]
        assert [d["code"] for d in n["departments"]] == depts
        assert all(set(d) == {"code", "name"} for d in n["departments"])
        assert all(set(p) == {"plan_id", "name"} for p in n["plans"])
        for item in n["items"]:
            assert set(item) == {"item_code", "name", "outcome_codes", "outcome", "category"}
            assert item["outcome_codes"] == ["B"] and item["category"] == "problem"
            assert item["outcome"] == ["未按规定公示应当公示的信息"]
        publish.assert_public_json(n)
        text = json.dumps(n, ensure_ascii=False)
        for ins in inspectors:
            assert ins not in text
        for word in ("tier", "risk", "score", "propensity", "inspector", "备注", "note"):
            assert word not in text
    # due dates follow the working-day calendar
    df = notices.visit_deadlines(con, 2026, date(2026, 10, 23)).drop_duplicates("visit_id")
    due = dict(zip(df["visit_id"], df["due_on"], strict=True))
    assert [due[v] for v in visits] == [d for _, d in HAND_PICKED]
    status = dict(zip(df["visit_id"], df["status"], strict=True))
    assert [status[v] for v in visits] == ["overdue", "overdue", "due_soon"]  # 5 working days left
    # publishing stores the notices and marks the visits 已公示
    stored = publish.publish_year(con, 2026, "admin")
    assert sum(p.startswith("result_notice:") for p in stored.new) == 3
    assert {workflow.status_of(con, v) for v in visits} == {"published"}
    df = notices.visit_deadlines(con, 2026, date(2026, 10, 23))
    assert set(df["status"]) == {"published"}
    by_dept = notices.deadlines_by_department(con, 2026, date(2026, 10, 23))
    assert by_dept["published"].sum() == len(df) and by_dept["overdue"].sum() == 0


def test_a_note_changed_after_publication_is_published_again_unchanged(con):
    """A correction that leaves the public notice as it was (only the internal note changed)
    returns the visit to 已公示 at the next publication, with no new version."""
    visit = con.execute("SELECT min(visit_id) FROM visits WHERE window_start <= ?",
                        [date(2026, 9, 1)]).fetchone()[0]  # fmt: skip
    ins = approve_on(con, visit, date(2026, 9, 1))
    publish.publish_year(con, 2026, "admin")
    assert workflow.status_of(con, visit) == "published"
    user = rf.inspector_user(con, ins)
    entry.save(con, user, visit, entries_for(con, visit, ("B",), date(2026, 9, 1), "补充说明"),
               reason="补充备注", today=TODAY)  # fmt: skip
    assert workflow.status_of(con, visit) == "done"
    again = publish.publish_year(con, 2026, "admin")
    assert not [p for p in again.new if p.startswith("result_notice:")]
    assert workflow.status_of(con, visit) == "published"


def test_outcome_vocabulary_has_one_home():
    """vocab.OUTCOMES decides each code's kind, the messages catalogue names it; publication's
    category and the notices' category and names are read from them, not from a copy."""
    from core import i18n, vocab
    from core.publication import results as publication_results

    assert not hasattr(publication_results, "OUTCOMES") and not hasattr(publish, "OUTCOMES")
    published = {"clear": "no_problem", "problem": "problem", "excluded": "excluded"}
    for code, kind in vocab.OUTCOMES.items():
        assert publish.outcome_category([code]) == notices.category([code]) == published[kind]
        assert notices.outcome_names()[code] == i18n.t(f"results.outcome.{code}", "zh")
    assert notices.outcome_names()["7"] == "已关闭停业或正在组织清算"
    assert publish.outcome_category(["1", "7"]) == "excluded"
    assert publish.outcome_category(["7", "B"]) == "problem"
    assert publish.outcome_category(["1"]) == "no_problem"
    assert publish.outcome_category(["Z"]) == "unknown"
