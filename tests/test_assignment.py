"""The second random (issue 13): inspectors drawn for every visit. The acceptance properties are
checked on the demo campaign (committed, merged and assigned once per module), each against the
database, not against the engine's own outcome tables."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from core import db, merge
from core.assignment import capacity, conflicts, replace, rule, run
from core.refusal import Refused
from tests.merge_fixtures import commit_campaign

YEAR = 2026
ROOT = Path(__file__).resolve().parent.parent
VERIFIER = ROOT / "core" / "verify_assignment_standalone.py"


def q(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def campaign(demo_path):
    """The demo campaign committed, merged and assigned; the connection stays open."""
    con = db.connect(demo_path)
    if not q(con, "SELECT count(*) FROM current_draws WHERE year = ?", [YEAR])[0][0]:
        commit_campaign(con, YEAR, "assign-test")
    merge.merge_campaign(con, YEAR, actor="test")
    result = run.assign_campaign(con, YEAR, "test")
    yield con, result
    con.close()


# every check below reads the saved rows -------------------------------------------------------

STAFFED = """
    SELECT v.visit_id, v.departments, count(*) AS n, list(DISTINCT a.dept_code) AS depts
    FROM visits v JOIN assignments a USING (visit_id)
    WHERE v.year = ? AND a.active GROUP BY v.visit_id, v.departments
"""


def test_every_staffed_visit_has_two_and_one_per_department(campaign):
    con, result = campaign
    rows = q(con, STAFFED, [YEAR])
    assert len(rows) == result.staffed > 100
    for visit_id, departments, n, depts in rows:
        assert n >= 2, visit_id
        assert sorted(depts) == sorted(departments), visit_id
    joint = [r for r in rows if len(r[1]) > 1]
    assert joint, "the demo campaign has joint visits"


def test_no_visit_is_dropped(campaign):
    con, result = campaign
    visits = q(con, "SELECT count(*) FROM visits WHERE year = ?", [YEAR])[0][0]
    unstaffed = q(
        con,
        "SELECT count(DISTINCT visit_id) FROM assignment_unstaffed WHERE year = ?",
        [YEAR],
    )[0][0]
    assert visits == result.visits == result.staffed + unstaffed
    both = q(
        con,
        "SELECT count(*) FROM assignment_unstaffed u JOIN assignments a USING (visit_id) "
        "WHERE a.active",
    )[0][0]
    assert both == 0
    assert {r[0] for r in q(con, "SELECT DISTINCT reason FROM assignment_unstaffed")} <= {
        "no_qualified", "recused", "cap", "outside_area",
    }  # fmt: skip


def test_every_assigned_inspector_is_eligible(campaign):
    con, _ = campaign
    bad = q(
        con,
        """
        WITH need AS (
            SELECT t.visit_id, t.dept_code, list(DISTINCT i.field) AS fields
            FROM visit_tasks t JOIN items i USING (item_code) GROUP BY ALL
        )
        SELECT a.visit_id, a.inspector_id
        FROM assignments a JOIN visits v USING (visit_id) JOIN inspectors i USING (inspector_id)
             JOIN departments d ON d.dept_code = a.dept_code
             JOIN (SELECT uscc, district, street FROM targets) t ON t.uscc = v.uscc
             LEFT JOIN need n ON n.visit_id = a.visit_id AND n.dept_code = a.dept_code
        WHERE a.active AND v.year = $1 AND NOT (
            i.active AND i.certified AND i.dept_code = a.dept_code
            AND list_contains(v.departments, a.dept_code)
            AND list_has_all(i.qualifications, coalesce(n.fields, []))
            AND (d.level = 'city' OR (d.level = 'district' AND d.district = t.district)
                 OR (d.level = 'street' AND d.street = t.street)))
        LIMIT 5
        """,
        [YEAR],
    )
    assert bad == []


def test_no_inspector_over_the_cap(campaign):
    con, _ = campaign
    over = q(
        con,
        f"""
        SELECT a.inspector_id, count(*) AS n, any_value(c.cap) AS cap
        FROM assignments a JOIN visits v USING (visit_id) JOIN inspectors i USING (inspector_id)
             JOIN ({capacity.caps_sql()}) c ON c.dept_code = i.dept_code
        WHERE a.active AND v.year = ? GROUP BY 1 HAVING count(*) > any_value(c.cap)
        """,  # noqa: S608 (constant SQL)
        [YEAR],
    )
    assert over == []


def test_tight_cap_binds_and_is_respected(demo_path, campaign):
    con, result = campaign
    busiest = q(
        con,
        "SELECT a.inspector_id, count(*) FROM assignments a WHERE a.active "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
    )[0]
    assert busiest[1] > 1
    capacity.set_cap(con, "*", 1, "test")
    try:
        tight = run.assign_campaign(con, YEAR, "test")
        loads = q(con, "SELECT max(n) FROM (SELECT count(*) AS n FROM assignments WHERE active "
                       "GROUP BY inspector_id)")[0][0]  # fmt: skip
        assert loads == 1
        assert tight.staffed < result.staffed
        assert tight.summary()["unstaffed_by_reason"].get("cap", 0) > 0
        assert tight.visits == tight.staffed + tight.unstaffed_visits
    finally:
        capacity.set_cap(con, "*", rule.DEFAULT_CAP, "test")
        run.assign_campaign(con, YEAR, "test")


def test_same_seed_same_assignment(campaign):
    con, result = campaign
    again = run.compute_assignment(con, YEAR)
    assert again.record_sha256 == result.record_sha256
    assert again.run_id == result.run_id
    saved = q(
        con,
        "SELECT visit_id, dept_code, inspector_id, rank, role FROM assignments WHERE active "
        "ORDER BY ALL",
    )
    mine = sorted(
        tuple(r) for r in again.assignments[
            ["visit_id", "dept_code", "inspector_id", "rank", "role"]
        ].itertuples(index=False)
    )  # fmt: skip
    assert [tuple(r) for r in saved] == mine


def test_order_is_the_published_sha256_rule(campaign):
    """Every pick is the rank-th eligible inspector in k order, k recomputed with hashlib."""
    con, result = campaign
    rec = result.record
    visit_id, dept, inspector, rank, _ = rec["outcome"]["assignments"][0]
    quals = {i: (d, set(qs)) for i, d, qs in rec["inspectors"]}
    slots = next(v for v in rec["visits"] if v[0] == visit_id)[6]
    fields = set(dict((d, f) for d, f in slots)[dept])
    eligible = [i for i, (d, qs) in quals.items() if d == dept and fields <= qs]
    ordered = sorted(eligible, key=lambda i: (rule.key(result.seed, visit_id, i), i))
    assert ordered[rank - 1] == inspector
    assert result.seed == q(con, "SELECT seed FROM current_draws WHERE year = ? LIMIT 1",
                            [YEAR])[0][0]  # fmt: skip


def test_standalone_verifier_reproduces_the_record(campaign, tmp_path):
    con, result = campaign
    text = q(con, "SELECT record_json FROM assignment_runs WHERE year = ?", [YEAR])[0][0]
    path = tmp_path / "record.json"
    path.write_text(text, encoding="utf-8")
    sha = q(con, "SELECT record_sha256 FROM assignment_runs WHERE year = ?", [YEAR])[0][0]
    out = subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(path), "--sha256", sha],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("OK suicha-assign-sha256-v1") and f"{result.staffed} staffed" in (
        out.stdout
    )
    # a record whose outcome was altered (one inspector swapped) is caught
    rec = json.loads(text)
    first = rec["outcome"]["assignments"][0]
    other = next(i for i, d, _ in rec["inspectors"] if d == first[1] and i != first[2])
    first[2] = other
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, "-I", str(VERIFIER), str(path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=600)  # fmt: skip
    assert out.returncode == 1 and "assignments row 1" in out.stdout
    path.write_text("{not json", encoding="utf-8")
    out = subprocess.run([sys.executable, "-I", str(VERIFIER), str(path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=600)  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stdout + out.stderr
    for bad in (b"[1, 2]", b"\xff\xfe\x00", b'{"algorithm": "suicha-assign-sha256-v1"}'):
        path.write_bytes(bad)
        out = subprocess.run([sys.executable, "-I", str(VERIFIER), str(path)],
                             capture_output=True, text=True, cwd=tmp_path, timeout=60)  # fmt: skip
        assert out.returncode == 2 and "Traceback" not in out.stdout + out.stderr, bad


def test_recusal_rules_are_never_broken(campaign):
    con, result = campaign
    (visit_id, uscc, inspector_id), (visit2, uscc2, inspector2) = q(
        con,
        """
        SELECT a.visit_id, v.uscc, a.inspector_id FROM assignments a JOIN visits v
        USING (visit_id) WHERE a.active AND a.role = 'lead' ORDER BY a.visit_id LIMIT 2
        """,
    )
    conflicts.add_conflict(con, inspector_id, uscc, "亲属关系", "test")
    # the previous campaign: inspector2 visited uscc2 in YEAR - 1
    con.execute(
        "INSERT INTO visits (visit_id, year, uscc, window_start, window_end, n_plans, n_tasks, "
        "departments) VALUES ('V-prev', ?, ?, '2025-03-01', '2025-03-31', 1, 1, [])",
        [YEAR - 1, uscc2],
    )
    con.execute(
        "INSERT INTO assignments (visit_id, inspector_id, dept_code, role, active) "
        "VALUES ('V-prev', ?, NULL, 'lead', true)",
        [inspector2],
    )
    try:
        redo = run.assign_campaign(con, YEAR, "test")
        assert redo.run_id != result.run_id
        broken = q(
            con,
            """
            SELECT count(*) FROM assignments a JOIN visits v USING (visit_id)
            WHERE a.active AND v.year = $1 AND (
                (a.inspector_id, v.uscc) IN (SELECT (inspector_id, uscc) FROM inspector_conflicts)
                OR (a.inspector_id, v.uscc) IN (
                    SELECT (p.inspector_id, pv.uscc) FROM assignments p
                    JOIN visits pv USING (visit_id) WHERE p.active AND pv.year = $1 - 1))
            """,
            [YEAR],
        )[0][0]
        assert broken == 0
        hits = q(con, "SELECT visit_id, inspector_id, rule FROM assignment_recusals ORDER BY 3")
        assert (visit_id, inspector_id, "conflict") in hits
        assert (visit2, inspector2, "previous_campaign") in hits
        assert (
            q(con, "SELECT count(*) FROM audit_log WHERE action = 'assignment.conflict_add'")[0][0]
            == 1
        )
        with pytest.raises(Refused) as e:
            conflicts.add_conflict(con, inspector_id, uscc, "again", "test")
        assert e.value.key == "assign.conflict_exists"
        with pytest.raises(Refused) as e:
            conflicts.add_conflict(con, "NOPE", uscc, "x", "test")
        assert e.value.key == "assign.unknown_inspector"
    finally:
        conflicts.remove_conflict(con, inspector_id, uscc, "test over", "test")
        con.execute("DELETE FROM assignments WHERE visit_id = 'V-prev'")
        con.execute("DELETE FROM visits WHERE visit_id = 'V-prev'")
        back = run.assign_campaign(con, YEAR, "test")
    assert back.record_sha256 == result.record_sha256


def test_manual_replacement_takes_the_next_in_order(campaign):
    con, result = campaign
    visit_id, inspector_id, dept, rank = q(
        con,
        "SELECT visit_id, inspector_id, dept_code, rank FROM assignments WHERE active "
        "ORDER BY visit_id, rank LIMIT 1",
    )[0]
    with pytest.raises(Refused) as e:
        replace.replace_inspector(con, visit_id, inspector_id, "  ", "test")
    assert e.value.key == "assign.reason_required"
    on_visit = {r[0] for r in q(con, "SELECT inspector_id FROM assignments WHERE visit_id = ?",
                                [visit_id])}  # fmt: skip
    # the expected successor, from the record: the first eligible in k order not on the visit
    # and below the cap
    rec = result.record
    slots = dict((d, f) for d, f in next(v for v in rec["visits"] if v[0] == visit_id)[6])
    eligible = [i for i, d, qs in rec["inspectors"] if d == dept and set(slots[dept]) <= set(qs)]
    ordered = sorted(eligible, key=lambda i: (rule.key(result.seed, visit_id, i), i))
    loads = dict(q(con, "SELECT inspector_id, count(*) FROM assignments WHERE active GROUP BY 1"))
    expected = next(
        (n, i) for n, i in enumerate(ordered, 1)
        if i not in on_visit and loads.get(i, 0) < rec["caps"][dept]
    )  # fmt: skip
    new = replace.replace_inspector(con, visit_id, inspector_id, "病假", "admin-1")
    assert new == expected[1]
    old_row = q(
        con,
        "SELECT active, replaced_by, reason, changed_by FROM assignments "
        "WHERE visit_id = ? AND inspector_id = ?",
        [visit_id, inspector_id],
    )[0]
    assert old_row == (False, new, "病假", "admin-1")
    new_row = q(
        con,
        "SELECT active, rank, dept_code, changed_at IS NOT NULL FROM assignments "
        "WHERE visit_id = ? AND inspector_id = ?",
        [visit_id, new],
    )[0]
    assert new_row == (True, expected[0], dept, True)
    audit = q(con, "SELECT actor, detail FROM audit_log WHERE action = 'assignment.replace'")
    assert audit[-1][0] == "admin-1" and new in audit[-1][1]
    with pytest.raises(Refused) as e:
        replace.replace_inspector(con, visit_id, inspector_id, "again", "test")
    assert e.value.key == "assign.not_assigned"
    assert rank >= 1


def test_capacity_figures_and_options(campaign):
    con, _ = campaign
    cap = capacity.department_capacity(con, YEAR)
    demand = q(
        con,
        "SELECT sum(CASE WHEN len(departments) = 1 THEN 2 ELSE len(departments) END) "
        "FROM visits WHERE year = ?",
        [YEAR],
    )[0][0]
    assert cap["demand"].sum() == demand
    assert (cap["capacity"] == cap["inspectors"] * cap["cap_per_inspector"]).all()
    assert (cap["shortfall"] == (cap["demand"] - cap["capacity"]).clip(lower=0)).all()
    capacity.set_cap(con, "*", 2, "test")
    try:
        opts = capacity.shortfall_options(con, YEAR)
        assert len(opts) > 0
        for r in opts.itertuples():
            if r.inspectors:
                assert r.cap_needed == math.ceil(r.demand / r.inspectors)
                assert r.inspectors * r.cap_needed >= r.demand
                assert r.inspectors * (r.cap_needed - 1) < r.demand
            assert 0 <= r.borrow_closes <= r.shortfall
        # defer: the latest visits of the department whose inspector-visits reach the shortfall
        r = opts.iloc[0]
        needs = [n for (n,) in q(
            con,
            "SELECT CASE WHEN len(departments) = 1 THEN 2 ELSE 1 END FROM visits "
            "WHERE year = ? AND list_contains(departments, ?) "
            "ORDER BY window_start DESC, visit_id DESC",
            [YEAR, r.dept_code],
        )]  # fmt: skip
        k = int(r.defer_visits)
        assert sum(needs[:k]) >= r.shortfall > sum(needs[: k - 1])
        with pytest.raises(Refused) as e:
            capacity.set_cap(con, "*", "0", "test")
        assert e.value.key == "assign.bad_cap"
    finally:
        capacity.set_cap(con, "*", rule.DEFAULT_CAP, "test")


def test_merge_keeps_assigned_visits(campaign):
    con, result = campaign
    before = db.content_hash(con, "visits")
    merge.merge_campaign(con, YEAR, actor="test")  # same draws: allowed, nothing changes
    assert db.content_hash(con, "visits") == before
    assert q(con, "SELECT count(*) FROM assignments WHERE active")[0][0] >= len(result.assignments)


def test_results_started_refuses_a_new_run(campaign):
    con, _ = campaign
    visit = q(con, "SELECT visit_id FROM assignments WHERE active LIMIT 1")[0][0]
    con.execute(
        "INSERT INTO visit_status (visit_id, status, updated_by, updated_at) "
        "VALUES (?, 'in_progress', 'test', '2026-05-01T09:00:00+08:00')",
        [visit],
    )
    try:
        with pytest.raises(Refused) as e:
            run.assign_campaign(con, YEAR, "test")
        assert e.value.key == "assign.results_started" and e.value.values["n"] == 1
        assert "1" in e.value.message("zh")
    finally:
        con.execute("DELETE FROM visit_status WHERE visit_id = ?", [visit])


def test_borrowing_counts_partners_spare_in_the_same_field(campaign):
    """One more inspector of a joint-plan partner qualified in the short department's field adds
    exactly that inspector's cap to what can be borrowed (while the partner has spare)."""
    con, _ = campaign
    short, partner, field = q(
        con,
        """
        SELECT a.dept_code, b.dept_code, (SELECT min(field) FROM items i
                                          WHERE i.dept_code = a.dept_code)
        FROM plan_depts a JOIN plan_depts b ON a.plan_id = b.plan_id AND a.dept_code < b.dept_code
        JOIN plans p ON p.plan_id = a.plan_id AND p.kind = 'joint' AND p.year = ?
        JOIN departments da ON da.dept_code = a.dept_code AND da.level = 'city'
        ORDER BY a.dept_code, b.dept_code LIMIT 1
        """,
        [YEAR],
    )[0]
    insp = q(
        con,
        "SELECT inspector_id FROM inspectors WHERE dept_code = ? AND active AND certified "
        "AND NOT list_contains(qualifications, ?) ORDER BY 1 LIMIT 1",
        [partner, field],
    )[0][0]
    capacity.set_cap(con, short, 1, "test")
    capacity.set_cap(con, partner, 1000, "test")
    try:

        def borrowable():
            opts = capacity.shortfall_options(con, YEAR).set_index("dept_code")
            return int(opts.loc[short, "borrowable"]), int(opts.loc[short, "shortfall"])

        before, shortfall = borrowable()
        assert shortfall > 0
        con.execute(
            "UPDATE inspectors SET qualifications = list_append(qualifications, ?) "
            "WHERE inspector_id = ?",
            [field, insp],
        )
        after, _ = borrowable()
        assert after - before == 1000
    finally:
        con.execute(
            "UPDATE inspectors SET qualifications = list_filter(qualifications, lambda x: x <> ?) "
            "WHERE inspector_id = ?",
            [field, insp],
        )
        con.execute("DELETE FROM assignment_caps WHERE dept_code IN (?, ?)", [short, partner])


def test_downloads_are_formula_safe():
    import io

    import pandas as pd
    from openpyxl import load_workbook

    from core import registry_io
    from core.assignment import report

    df = pd.DataFrame(
        {"target_name": ['=HYPERLINK("http://x")', "深圳市某公司", "+1"], "needed": [2, 1, 1]}
    )
    frame, numeric = report.export_frame(df)
    assert numeric == {"needed"}
    assert frame["target_name"].tolist() == ['\'=HYPERLINK("http://x")', "深圳市某公司", "'+1"]
    book = load_workbook(io.BytesIO(registry_io.xlsx_bytes(frame, numeric)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1] == ('\'=HYPERLINK("http://x")', 2) and rows[3] == ("'+1", 1)
    assert registry_io.csv_bytes(frame).decode("utf-8-sig").splitlines()[2] == "深圳市某公司,1"


def test_visit_without_departments_is_listed_not_dropped(campaign, tmp_path):
    con, result = campaign
    con.execute(
        "INSERT INTO visits (visit_id, year, uscc, window_start, window_end, n_plans, n_tasks, "
        "departments) SELECT 'V-nodept', ?, uscc, '2026-01-05', '2026-01-09', 0, 0, [] "
        "FROM targets LIMIT 1",
        [YEAR],
    )
    try:
        redo = run.assign_campaign(con, YEAR, "test")
        assert redo.visits == result.visits + 1 == redo.staffed + redo.unstaffed_visits
        row = q(con, "SELECT dept_code, reason, needed FROM assignment_unstaffed "
                     "WHERE visit_id = 'V-nodept'")  # fmt: skip
        assert row == [("", "no_department", 2)]
        path = tmp_path / "rec.json"
        path.write_text(redo.record_json, encoding="utf-8")
        out = subprocess.run([sys.executable, "-I", str(VERIFIER), str(path)],
                             capture_output=True, text=True, timeout=600)  # fmt: skip
        assert out.returncode == 0, out.stdout
    finally:
        con.execute("DELETE FROM visits WHERE visit_id = 'V-nodept'")
        run.assign_campaign(con, YEAR, "test")
