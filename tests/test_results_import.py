"""Bulk results import (all-or-nothing, the registries' report) and the demo campaign with
simulated results, marked simulated in notices, the public view and exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import date

import pytest

from core import db, publish
from core.publication import package
from core.results import bulk, demo, workflow
from tests import results_fixtures as rf
from tests.apptest_helpers import ROOT

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def campaign_path(pristine_demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("results_import") / "campaign.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    rf.assigned_campaign(con)
    con.close()
    return path


@pytest.fixture
def path(campaign_path, tmp_path):
    p = tmp_path / "c.duckdb"
    shutil.copy(campaign_path, p)
    return p


def csv_file(rows: list[list[str]], header=("visit_id", "plan_id", "item_code", "outcomes",
                                            "completed_on", "note")) -> bytes:  # fmt: skip
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("gb18030")  # a Chinese Excel's CSV


def tasks_of(con, n_visits: int):
    return con.execute(
        """
        SELECT t.visit_id, t.plan_id, t.item_code, CAST(v.window_start AS VARCHAR)
        FROM visit_tasks t JOIN visits v USING (visit_id)
        WHERE t.visit_id IN (SELECT DISTINCT visit_id FROM visit_tasks ORDER BY 1 LIMIT ?)
        ORDER BY 1, 2, 3
        """,
        [n_visits],
    ).fetchall()


def test_a_good_file_is_imported_whole(path):
    con = db.connect(path)
    tasks = tasks_of(con, 3)
    rows = [[v, p, i, "6、e" if k % 2 else "1", day, "整改中"] for k, (v, p, i, day)
            in enumerate(tasks)]  # fmt: skip
    rows[0][0] = " " + rows[0][0].lower() + " "  # spaces and case are normalised
    out = bulk.import_bytes(con, csv_file(rows), "from-dept.csv", "os:test", today=TODAY)
    assert out.ok, out.errors
    assert (out.rows, out.visits, out.to_review) == (len(tasks), 3, 3)
    got = con.execute(
        "SELECT outcomes, problem_found, counted FROM results ORDER BY visit_id, plan_id, item_code"
    ).fetchall()
    assert [g[0] for g in got] == [["6", "E"] if k % 2 else ["1"] for k in range(len(tasks))]
    assert {workflow.status_of(con, v) for v, *_ in tasks} == {"review"}
    logged = json.loads(con.execute(
        "SELECT detail FROM audit_log WHERE action = 'results.import' ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0])  # fmt: skip
    assert logged["outcome"] == "accepted" and logged["rows"] == len(tasks)
    con.close()


def test_a_bad_file_changes_nothing_and_names_every_problem(path):
    con = db.connect(path)
    tasks = tasks_of(con, 2)
    (v0, p0, i0, d0), (v1, p1, i1, d1) = tasks[0], tasks[1]
    rows = [
        [v0, p0, i0, "1", d0, ""],  # fine
        [v1, p1, i1, "1,B", d1, ""],  # row 3: 1 mixed with a problem code
        [v0, p0, i0, "B", d0, ""],  # row 4: the same task again
        [v0, p0, "NO-SUCH-ITEM", "B", d0, ""],  # row 5: not a task of the visit
        [v1, p1, i1, "Q", "2026-13-01", ""],  # row 6: unknown code, bad date
        [v1, p1, i1, "", "2099-01-01", ""],  # row 7: no code, a future date
        [v1, p1, i1, "B", "2026-01-02", ""],  # row 8: before the window opens
    ]
    before = db.content_hash(con, "results"), db.content_hash(con, "visit_status")
    version, seq = db.data_version(con), con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    out = bulk.import_bytes(con, csv_file(rows), "bad.csv", "os:test", today=TODAY)
    assert not out.ok
    found = {(r.row, r.column) for r in out.errors.itertuples()}
    assert {(3, "outcomes"), (4, "item_code"), (5, "item_code"), (6, "outcomes"),
            (6, "completed_on"), (7, "outcomes"), (7, "completed_on"),
            (8, "completed_on")} <= found  # fmt: skip
    assert list(out.errors.columns) == bulk.REPORT_COLUMNS
    assert set(out.errors["file"]) == {"bad.csv"} and (2, "outcomes") not in found
    assert (db.content_hash(con, "results"), db.content_hash(con, "visit_status")) == before
    logged = json.loads(con.execute(
        "SELECT detail FROM audit_log WHERE action = 'results.import' ORDER BY seq DESC LIMIT 1"
    ).fetchone()[0])  # fmt: skip
    assert logged["attempt"] is True and logged["outcome"] == "refused"
    assert db.data_version(con) == version  # the attempt's entry only: no bump, one entry
    assert con.execute("SELECT count(*) FROM audit_log WHERE seq > ?", [seq]).fetchone()[0] == 1
    assert logged["refusal"] == "results.import.rejected" and logged["errors"] == len(out.errors)
    assert (logged["file"], logged["first_row"]) == ("bad.csv", out.errors.iloc[0]["row"])
    # a missing column is named on row 1
    out = bulk.import_bytes(con, csv_file([[v0, p0, i0]], ("visit_id", "plan_id", "item_code")),
                            "short.csv", "os:test", today=TODAY)  # fmt: skip
    assert out.errors.iloc[0]["row"] == 1 and "outcomes" in out.errors.iloc[0]["column"]
    con.close()


def test_cli_import_exit_codes_and_report(path, tmp_path):
    con = db.connect(path)
    (v, p, i, d) = tasks_of(con, 1)[0]
    con.close()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([[v, p, i, "Q", d, ""]]))
    report = tmp_path / "report.csv"
    r = subprocess.run([sys.executable, "-m", "core", "results", "import", str(bad), "--db",
                        str(path), "--report", str(report)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 1 and "rejected bad.csv" in r.stdout, r.stderr
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "file,row,column,value,reason,reason_en" and lines[1].startswith(
        "bad.csv,2,"
    )
    r = subprocess.run([sys.executable, "-m", "core", "results", "simulate", "--year", "2031",
                        "--db", str(path)], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)  # fmt: skip
    assert r.returncode == 1 and "2031" in r.stderr and "Traceback" not in r.stderr


def test_demo_campaign_results_are_marked_simulated_everywhere(pristine_small, tmp_path):
    path = tmp_path / "s.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    figures = demo.prepare_campaign(con, 2026, "system", as_of=TODAY)
    assert figures["results"]["visits"] > 0 and figures["results"]["simulated"] is True
    done = con.execute("SELECT count(*) FROM visit_status WHERE status = 'done'").fetchone()[0]
    assert done == figures["results"]["done"] > 0
    notices = publish.result_notices(con, 2026)
    assert len(notices) == done and all(n["simulated"] is True for n in notices.values())
    publish.publish_year(con, 2026, "admin")
    public = publish.public_results(con, 2026)
    assert len(public) > 0 and public["simulated"].all()
    table, docs = package.result_notice_rows(con, 2026)
    assert set(table["simulated"]) == {"true"} and all(d["notice"]["simulated"] for d in docs)
    assert (
        con.execute("SELECT count(*) FROM visit_status WHERE status = 'published'").fetchone()[0]
        == done
    )
    con.close()
