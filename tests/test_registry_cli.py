"""python -m core import / export: real subprocesses, real files, the exit codes of the brief."""

from __future__ import annotations

import json

import pandas as pd

from core import db
from core.registry_validate import MAX_REPORTED
from core.writes import cli_actor
from tests.test_cli import cli


def test_export_then_import_exit_codes(small_path, tmp_path):
    out = tmp_path / "inspectors.csv"
    r = cli("export", "inspectors", str(out), "--db", str(small_path), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["rows"] == 8452

    # the same rows again in append mode: rejected (1), with a report naming rows
    report = tmp_path / "report.csv"
    r = cli("import", "inspectors", str(out), "--db", str(small_path), "--report", str(report))
    assert r.returncode == 1
    assert "rejected inspectors.csv: 8,452 problem(s)" in r.stdout
    rows = pd.read_csv(report, encoding="utf-8-sig", dtype=str)
    assert list(rows.columns) == ["file", "row", "column", "value", "reason", "reason_en"]
    # every problem counted, a bounded number listed (no 500,001-line report for 500,000 rows)
    assert len(rows) == MAX_REPORTED and rows.iloc[0]["row"] == "2"
    assert rows.iloc[0]["column"] == "inspector_id"

    # replace mode accepts it (0) and bumps the data version
    con = db.connect(small_path)
    version = db.data_version(con)
    con.close()
    r = cli("import", "inspectors", str(out), "--db", str(small_path), "--mode", "replace",
            "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["outcome"] == "accepted" and summary["updated"] == 8452
    assert summary["data_version"] == version + 1
    con = db.connect(small_path)
    actors = con.execute(
        "SELECT actor, json_extract_string(detail, '$.outcome') FROM audit_log "
        "WHERE action = 'registry.import' ORDER BY seq"
    ).fetchall()
    con.close()
    assert actors[-1] == (cli_actor(), "accepted") and actors[-2][1] == "refused"


def test_usage_errors_exit_2(small_path, tmp_path):
    assert cli("import", "plans", "x.csv", "--db", str(small_path)).returncode == 2
    r = cli("import", "items", str(tmp_path / "missing.csv"), "--db", str(small_path))
    assert r.returncode == 2 and "no such file" in r.stderr
    assert cli("import", "items", "x.csv", "--mode", "merge").returncode == 2
    r = cli("export", "items", str(tmp_path / "items.txt"), "--db", str(small_path))
    assert r.returncode == 2 and ".csv or .xlsx" in r.stderr


def test_bad_row_text_report(small_path, tmp_path):
    out = tmp_path / "items.csv"
    assert cli("export", "items", str(out), "--db", str(small_path)).returncode == 0
    frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.loc[99, "method"] = "telepathy"
    frame.to_csv(out, index=False)
    r = cli("import", "items", str(out), "--db", str(small_path), "--mode", "replace")
    assert r.returncode == 1
    assert "items.csv,101,method,telepathy" in r.stdout
