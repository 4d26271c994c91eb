"""一公开: versioned notices, exports that leak nothing internal, and working-day deadlines."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from core import audit, db, deadlines, export, publish
from core.refusal import Refused
from tests import draw_reference as ref

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def drawn(small_con):
    """The small DB with tiers and two committed draws."""
    records = ref.commit_draws(small_con, ref.largest_plans(small_con, 2))
    return small_con, records


# --- versions ----------------------------------------------------------------------------------


def test_plan_notices_are_versioned_and_immutable(small_con):
    con = small_con
    plans = con.execute("SELECT count(*) FROM plans WHERE year = 2026").fetchone()[0]
    first = publish.publish_year(con, 2026, "admin-zhangwei")
    assert len(first.new) == plans and first.corrections == 0
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] == plans
    v1 = publish.published(con, publish.PLAN_NOTICE, 2026).set_index("subject")
    # before any draw the notice carries no quotas and no commitment
    some_plan = v1.index[0]
    notice = json.loads(v1.loc[some_plan, "content_json"])
    assert notice["draw"] is None and notice["campaign"] is None
    assert notice["items"] and notice["departments"]
    assert [d["code"] for d in notice["departments"] if d["role"] == "lead"] == [
        notice["lead_dept"]["code"]
    ]

    # publishing again with nothing changed stores nothing
    again = publish.publish_year(con, 2026, "admin-zhangwei")
    assert again.new == [] and again.unchanged == plans

    # the draw lands: the notices of the drawn plans get a v2 naming v1; nothing else changes
    records = ref.commit_draws(con, ref.largest_plans(con, 2))
    con.execute("DELETE FROM campaigns WHERE year = 2026")  # commitment alone would touch all
    second = publish.publish_year(con, 2026, "admin-zhangwei", reason="抽取完成,公布抽取数量")
    assert sorted(second.new) == sorted(f"plan_notice:{p}:v2" for p in records)
    assert second.corrections == 2
    for plan_id, record in records.items():
        v2 = con.execute(
            "SELECT supersedes, reason, content_json FROM publications WHERE publication_id = ?",
            [f"plan_notice:{plan_id}:v2"],
        ).fetchone()
        assert v2[0] == f"plan_notice:{plan_id}:v1" and v2[1] == "抽取完成,公布抽取数量"
        draw = json.loads(v2[2])["draw"]
        assert draw["total_quota"] == sum(s["quota"] for s in record["strata"])
        assert [s["quota"] for s in draw["strata"]] == [s["quota"] for s in record["strata"]]
        # v1 is still there, byte for byte
        old = con.execute(
            "SELECT content_json FROM publications WHERE publication_id = ?",
            [f"plan_notice:{plan_id}:v1"],
        ).fetchone()[0]
        assert old == v1.loc[plan_id, "content_json"]

    # every stored version is in the audit log, and the chain holds
    logged = [
        json.loads(d)["publication_id"]
        for (d,) in con.execute(
            "SELECT detail FROM audit_log WHERE action = 'publication.plan_notice' ORDER BY seq"
        ).fetchall()
    ]
    assert logged == sorted(first.new) + sorted(second.new)
    assert audit.verify_chain(con) == (True, None)


def test_campaign_commitment_appears_in_every_notice(drawn):
    con, _ = drawn
    publish.publish_year(con, 2026, "admin")
    secret, commitment, source = con.execute(
        "SELECT secret, seed_commitment, beacon_source FROM campaigns WHERE year = 2026"
    ).fetchone()
    for (content,) in con.execute("SELECT content_json FROM publications").fetchall():
        n = json.loads(content)
        assert n["campaign"] == {"seed_commitment": commitment, "beacon_source": source}
        assert secret not in content  # the secret is revealed by the draw record, not the notice


def test_notice_with_an_internal_field_is_refused(small_con):
    with pytest.raises(publish.NotPublic, match="score"):
        publish.assert_public_json({"plan_id": "x", "items": [{"item_code": "1", "score": 0.3}]})
    import pandas as pd

    with pytest.raises(publish.NotPublic, match="inspector_id"):
        publish.assert_public_table(
            pd.DataFrame({"uscc": ["x"], "inspector_id": ["y"]}), "result_notices"
        )


# --- exports -----------------------------------------------------------------------------------

FACTOR_COLUMNS = (
    "registered_capital", "branches", "legal_rep_changes", "paid_in_ratio", "tax_arrears",
    "social_security_arrears", "equity_pledges", "firms_at_address", "abnormal_list",
    "serious_violation", "judgment_defaulter", "penalties_3y", "past_findings",
    "annual_report_overdue", "related_revoked_rate", "complaints_12m", "negative_media",
    "red_list", "yellow_list", "black_list",
)  # fmt: skip
INTERNAL_WORDS = ("score", "top_factors", "inspector", "entered_by", "entered_at",
                  "problem_found", "published_by", "committed_by", "assignment")  # fmt: skip


def exported_texts(out: Path) -> dict[str, str]:
    """Every exported file as text (XLSX: every cell of every sheet)."""
    texts = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = str(path.relative_to(out))
        if path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path, read_only=True)
            texts[rel] = "\n".join(
                "\t".join("" if c is None else str(c) for c in row)
                for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)
            )
        else:
            texts[rel] = path.read_bytes().decode("utf-8-sig")
    return texts


def test_public_exports_contain_no_internal_fields(drawn, tmp_path):
    con, records = drawn
    dates = ["2026-09-18", "2026-09-28", "2026-10-09", "2026-11-02", "2026-11-20"]
    inspectors = ref.record_results(con, records, dates)
    sql = "SELECT name FROM inspectors WHERE inspector_id IN (?, ?)"
    names = [r[0] for r in con.execute(sql, inspectors).fetchall()]
    stored = publish.publish_year(con, 2026, "admin-zhangwei")
    assert sum(p.startswith("result_notice:") for p in stored.new) == len(dates)
    out = tmp_path / "out"
    summary = export.write_publication(con, 2026, out)
    assert summary.result_notices == len(dates) and summary.draws == 2

    texts = exported_texts(out)
    assert {
        "plan_notices.csv",
        "plan_notices.xlsx",
        "plan_notices.json",
        "result_notices.csv",
        "result_notices.xlsx",
        "result_notices.json",
        "verify_draw.py",
    } <= set(texts)
    assert sum(k.startswith("frames/") for k in texts) == summary.frame_files > 0
    # something real was exported, so the scan below is not vacuous
    first_uscc = records[next(iter(records))]["strata"][0]["selected"][0]
    assert first_uscc in texts["result_notices.csv"] and first_uscc in texts["result_notices.xlsx"]

    for rel, text in texts.items():
        if rel == "verify_draw.py":
            continue
        for secret in [*inspectors, *names, "admin-zhangwei"]:
            assert secret not in text, f"{secret} leaked into {rel}"
        lowered = text.lower()
        for word in (*INTERNAL_WORDS, *FACTOR_COLUMNS):
            assert word not in lowered, f"{word} leaked into {rel}"
        if not rel.startswith(("draws/", "frames/")):
            # risk tiers go nowhere but the draw records' strata (the published algorithm)
            assert "tier" not in lowered, f"tier leaked into {rel}"
    # the JSON notices hold only allow-listed keys
    for rel in ("plan_notices.json", "result_notices.json"):
        for doc in json.loads(texts[rel]):
            publish.assert_public_json(doc)
    # the draw records are exactly as committed
    for plan_id, record in records.items():
        assert json.loads(texts[f"draws/{plan_id}.json"]) == record


def test_csv_has_bom_and_result_columns(drawn, tmp_path):
    con, records = drawn
    ref.record_results(con, records, ["2026-09-18", "2026-09-28", "2026-10-09"])
    publish.publish_year(con, 2026, "admin")
    out = tmp_path / "out"
    export.write_publication(con, 2026, out)
    raw = (out / "result_notices.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").split("\n")[0].split(",")
    assert header == list(publish.PUBLIC_COLUMNS["result_notices"])
    rows = json.loads((out / "result_notices.json").read_text(encoding="utf-8"))
    by_code = {r["notice"]["uscc"]: r["notice"] for r in rows}
    selected = [c for st in records[next(iter(records))]["strata"] for c in st["selected"]][:3]
    # outcomes cycle 1, B, "6,E" in record_results: categories follow DOMAIN.md's table
    cats = [{i["category"] for i in by_code[c]["items"]} for c in selected]
    assert cats == [{"no_problem"}, {"problem"}, {"problem"}]
    assert by_code[selected[2]]["items"][0]["outcome_codes"] == ["6", "E"]
    assert by_code[selected[0]]["completed_on"] == "2026-09-18"
    name = con.execute("SELECT name FROM targets WHERE uscc = ?", [selected[0]]).fetchone()[0]
    assert by_code[selected[0]]["enterprise_name"] == name
    wb = openpyxl.load_workbook(out / "result_notices.xlsx")
    assert [c.value for c in wb.active[1]] == list(publish.PUBLIC_COLUMNS["result_notices"])


def test_publish_cli_without_results(small_path, tmp_path):
    out = tmp_path / "pub"
    r = subprocess.run(
        [sys.executable, "-m", "core", "publish", "--year", "2026", "--out", str(out), "--db",
         str(small_path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "none: no results recorded yet" in r.stdout
    assert not (out / "result_notices.csv").exists()
    assert (out / "plan_notices.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (out / "verify_draw.py").exists() and not (out / "draws").exists()
    con = db.connect(small_path)
    n_plans = con.execute("SELECT count(*) FROM plans WHERE year = 2026").fetchone()[0]
    con.close()
    lines = (out / "plan_notices.csv").read_text(encoding="utf-8-sig").strip().split("\n")
    assert len(json.loads((out / "plan_notices.json").read_text(encoding="utf-8"))) == n_plans
    assert len(lines) >= n_plans + 1
    bad = subprocess.run(
        [sys.executable, "-m", "core", "publish", "--year", "1999", "--out", str(out), "--db",
         str(small_path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 1 and "1999" in bad.stderr


def test_rescoring_after_the_draw_does_not_change_what_is_published(drawn, tmp_path):
    con, records = drawn
    plan_id, record = next(iter(records.items()))
    victim = record["strata"][0]["selected"][0]
    con.execute("UPDATE risk SET tier = CASE tier WHEN 'A' THEN 'D' ELSE 'A' END WHERE uscc = ?",
                [victim])  # fmt: skip
    summary = export.write_publication(con, 2026, tmp_path / "out")
    assert summary.draws == len(records)
    r = subprocess.run(
        [sys.executable, "-I", "verify_draw.py", f"draws/{plan_id}.json"],
        cwd=tmp_path / "out", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout


def test_tampered_stored_frame_is_not_exported(drawn, tmp_path):
    con, records = drawn
    plan_id, record = next(iter(records.items()))
    tier = record["strata"][0]["tier"]
    con.execute(
        "DELETE FROM draw_frames WHERE draw_id = ? AND tier = ? AND uscc = "
        "(SELECT max(uscc) FROM draw_frames WHERE draw_id = ? AND tier = ?)",
        [f"D-{plan_id}", tier, f"D-{plan_id}", tier],
    )
    with pytest.raises(Refused) as refused:
        export.write_publication(con, 2026, tmp_path / "out")
    assert refused.value.key == "publish.frame_mismatch"
    assert plan_id in str(refused.value) and tier in str(refused.value)
    assert not (tmp_path / "out").exists()  # a draw that cannot be exported: no folder at all
    assert not list(tmp_path.glob(".out*"))


# --- deadlines ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def holidays(pristine_small, tmp_path_factory):
    path = tmp_path_factory.mktemp("cal") / "cal.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    table = deadlines.holiday_table(con)
    con.close()
    return table


@pytest.mark.parametrize(
    ("completed", "due"),
    [
        (date(2026, 3, 2), date(2026, 3, 30)),  # plain month: 4 weeks of Mon-Fri
        (date(2026, 3, 7), date(2026, 4, 3)),  # a Saturday: counting starts Monday
        (date(2026, 9, 18), date(2026, 10, 22)),  # 中秋 + 国庆, make-up Sun 9-20 and Sat 10-10
        (date(2026, 2, 10), date(2026, 3, 16)),  # 春节 9 days off, make-up Sat 2-14 and 2-28
        (date(2026, 4, 30), date(2026, 6, 1)),  # 劳动节 5-1..5-5 off, make-up Sat 5-9
        (date(2026, 3, 23), date(2026, 4, 21)),  # 清明 Mon 4-6 off
        (date(2026, 12, 31), date(2027, 1, 28)),  # 2027 not listed yet: weekends only
    ],
)
def test_due_dates_on_hand_picked_days(holidays, completed, due):
    assert deadlines.due_date(completed, holidays) == due


def test_working_days_follow_the_holiday_table(holidays):
    assert deadlines.is_working_day(date(2026, 1, 4), holidays)  # Sunday, 元旦调休
    assert deadlines.is_working_day(date(2026, 10, 10), holidays)  # Saturday, 国庆调休
    assert not deadlines.is_working_day(date(2026, 10, 7), holidays)  # Wednesday, 国庆
    assert not deadlines.is_working_day(date(2026, 6, 19), holidays)  # Friday, 端午
    assert not deadlines.is_working_day(date(2026, 3, 7), holidays)  # an ordinary Saturday
    assert deadlines.is_working_day(date(2026, 3, 9), holidays)  # an ordinary Monday
    # without the table only weekends count: the 国庆 case moves
    assert deadlines.due_date(date(2026, 9, 18), {}) == date(2026, 10, 16)
    # vectorised and scalar agree
    days = [date(2026, 9, 18), date(2026, 2, 10), date(2026, 3, 2)]
    assert deadlines.due_dates(days, holidays) == [deadlines.due_date(d, holidays) for d in days]
    left = deadlines.working_days_left([date(2026, 10, 22), date(2026, 9, 30)], date(2026, 9, 30),
                                       holidays)  # fmt: skip
    assert left.tolist() == [12, 0]  # 10-08, 09, 10 (Sat), 12..16, 19..22


def test_deadlines_per_department(drawn):
    con, records = drawn
    assert publish.visit_deadlines(con, 2026, date(2026, 11, 1)).empty  # no results tables yet
    dates = ["2026-09-18", "2026-09-28", "2026-10-09", "2026-11-02", "2026-11-20"]
    ref.record_results(con, records, dates)
    on = date(2026, 10, 23)  # the 2026-09-18 visit was due 10-22: overdue by one working day
    df = publish.visit_deadlines(con, 2026, on)
    by_visit = df.drop_duplicates("visit_id").set_index("visit_id")
    assert by_visit.loc["V-0000", "due_on"] == date(2026, 10, 22)
    assert by_visit.loc["V-0000", "status"] == "overdue"
    assert by_visit.loc["V-0000", "working_days_left"] == -1
    # 09-28 + 20 working days: 29, 30, 10-08, 09, 10, 12-16, 19-23, 26-30 -> 2026-10-30
    assert by_visit.loc["V-0001", "due_on"] == date(2026, 10, 30)
    assert by_visit.loc["V-0001", "status"] == "due_soon"  # 5 working days left
    assert by_visit.loc["V-0002", "status"] == "open"
    summary = publish.deadlines_by_department(con, 2026, on)
    n_depts = df["dept_code"].nunique()
    assert len(summary) == n_depts
    assert summary["overdue"].sum() == n_depts * 1 and summary["due_soon"].sum() == n_depts
    # publishing the overdue visit's notice moves it to published
    publish.publish_year(con, 2026, "admin")
    df = publish.visit_deadlines(con, 2026, on)
    assert set(df["status"]) == {"published"}


def test_public_files_neutralise_spreadsheet_formulas(small_con, tmp_path):
    """A plan name starting with = reaches the public CSV and XLSX as inert text."""
    con = small_con
    con.execute("UPDATE plans SET name = '=HYPERLINK(\"http://x\")' WHERE plan_id = '2026-S-0001'")
    publish.publish_year(con, 2026, "admin")
    out = tmp_path / "out"
    export.write_publication(con, 2026, out)
    text = (out / "plan_notices.csv").read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    sheet = openpyxl.load_workbook(out / "plan_notices.xlsx").active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(v.startswith("=") for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
