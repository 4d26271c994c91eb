"""Issue 16's hostile import files (tests/corpus/imports, written by tests/corpus/make_corpus.py):
each is rejected with the right reason, naming row and column, or imported exactly; a rejection
changes nothing in the registries; every attempt leaves an audit entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import db
from core.registry_import import import_file
from core.registry_validate import EXCERPT, MAX_REPORTED
from tests.corpus.make_corpus import HERE, code, files

# file -> (outcome, rows imported, or (row, column, words of the English reason))
ACCEPTED = {
    "ok_utf8.csv": 3,
    "ok_utf8_bom.csv": 3,
    "ok_gbk.csv": 3,
    "ok_gb18030.csv": 1,
    "ok.xlsx": 3,
    "ok_trailing_comma.csv": 3,
    "ok_trailing_comma_rows_only.csv": 3,
}
REJECTED = {
    "big5.csv": (1, "(file)", "looks like big5"),
    "shift_jis.csv": (1, "(file)", "looks like"),
    "euc_kr.csv": (1, "(file)", "looks like"),
    "utf16.csv": (1, "(file)", "UTF-16"),
    "ragged.csv": (3, "(row)", "ragged row: 20 fields where the header has 34, line 3"),
    "beyond_header.csv": (3, "AJ", "beyond the header's 34 columns (column 36"),
    "beyond_header.xlsx": (3, "AJ", "beyond the header's 34 columns (column 36"),
    "duplicate_header.csv": (1, "uscc", "column appears twice (columns 1, 35)"),
    "huge_header.csv": (1, "black_list", "required column is missing"),
    "empty.csv": (1, "(file)", "no header row"),
    "header_only.csv": (1, "(file)", "no data rows"),
    "nul.csv": (2, "name", "control"),
    "bidi.csv": (2, "name", "bidirectional"),
    "zero_width.csv": (2, "name", "control"),
    "private_use.csv": (2, "name", "private-use"),
    "long_name.csv": (2, "name", "longer than 200 characters (20000)"),
    "date_0001.csv": (2, "registered_on", "date outside [1949-10-01"),
    "date_2099.csv": (2, "registered_on", "date outside [1949-10-01"),
    "date_9999.csv": (2, "registered_on", "date outside [1949-10-01"),
    "many_bad.csv": (2, "registered_on", "date must be YYYY-MM-DD"),
    "formula_without_value.xlsx": (2, "J", "formula without a saved value"),
    "truncated.xlsx": (1, "(file)", "damaged or incomplete"),
    "partless.xlsx": (1, "(file)", "damaged or incomplete"),
    "not_a_workbook.xlsx": (1, "(file)", "damaged or incomplete"),
    "unknown_suffix.txt": (1, "(file)", "Unsupported file type .txt"),
}


def test_the_corpus_on_disk_is_what_the_script_writes():
    """The committed files are exactly the generator's output, and every file has a verdict."""
    expected = files()
    on_disk = {p.name: p.read_bytes() for p in HERE.iterdir()}
    assert set(on_disk) == set(expected) == set(ACCEPTED) | set(REJECTED)
    for name, data in expected.items():
        if name.endswith(".xlsx"):  # workbooks carry their save time: compare the cells
            assert _cells(on_disk[name]) == _cells(data), name
        else:
            assert on_disk[name] == data, name


def _cells(data: bytes) -> object:
    from core.registry_io import FileFormatError, read_table

    try:
        table = read_table(data, "x.xlsx")
    except FileFormatError as e:
        return e.key
    return table.frame.values.tolist(), table.problems


def _audit(con) -> list[dict]:
    rows = con.execute(
        "SELECT detail FROM audit_log WHERE action = 'registry.import' ORDER BY seq"
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_hostile_file_is_rejected_and_changes_nothing(small_con, name):
    row, column, words = REJECTED[name]
    before = {t: db.content_hash(small_con, t) for t in ("targets", "items", "inspectors")}
    attempts = len(_audit(small_con))
    result = import_file(small_con, "targets", HERE / name, "append", actor="tester")
    assert not result.ok
    first = result.errors.iloc[0]
    assert (int(first["row"]), first["column"]) == (row, column), result.errors.head()
    assert words in first["reason_en"], first["reason_en"]
    assert first["reason"] and first["reason"] != first["reason_en"]  # Chinese for zh readers
    for shown in ("value", "column"):  # never the whole cell or header: a bounded excerpt
        assert result.errors[shown].astype(str).str.len().max() <= EXCERPT + 12
    assert {t: db.content_hash(small_con, t) for t in before} == before
    log = _audit(small_con)
    assert len(log) == attempts + 1
    assert log[-1]["attempt"] is True and log[-1]["outcome"] == "refused"
    assert log[-1]["file"] == name and log[-1]["errors"] == result.errors_total
    assert (log[-1]["first_row"], log[-1]["first_column"]) == (row, column[:64])


def test_many_bad_rows_are_counted_but_listed_up_to_the_bound(small_con):
    result = import_file(small_con, "targets", HERE / "many_bad.csv", "append", actor="tester")
    assert result.errors_total == 1_500
    assert len(result.errors) == MAX_REPORTED
    assert result.errors["row"].tolist()[:3] == [2, 3, 4]


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_good_file_is_imported_exactly(small_con, name):
    count = small_con.execute("SELECT count(*) FROM targets").fetchone()[0]
    result = import_file(small_con, "targets", HERE / name, "append", actor="tester")
    assert result.ok, result.errors.head().to_dict("records")
    assert result.added == ACCEPTED[name]
    assert small_con.execute("SELECT count(*) FROM targets").fetchone()[0] == count + result.added
    stored = dict(
        small_con.execute("SELECT uscc, name FROM targets WHERE uscc LIKE '________QT%'").fetchall()
    )
    if name == "ok_gb18030.csv":
        assert stored == {code(4): "深圳市㐀䶵测试有限公司"}
    else:
        assert stored[code(1)] == "深圳市南山区测试科技有限公司1"
        assert stored[code(2)] == "深圳市南山区测试便利店"
        kinds = small_con.execute(
            "SELECT kind, registered_on, registered_capital FROM targets WHERE uscc = ?",
            [code(2)],
        ).fetchone()
        assert kinds == ("individual", __import__("datetime").date(2019, 5, 20), 100.5)
    assert _audit(small_con)[-1]["outcome"] == "accepted"


def test_five_million_character_cell_and_a_huge_bad_file(small_con, tmp_path):
    """Sizes too large to keep in the repository, written here: bounded report, no crash."""
    from tests.corpus.make_corpus import csv_text, target

    big = tmp_path / "five_million.csv"
    big.write_text(csv_text([target(20, name="A" * 5_000_000)]), encoding="utf-8")
    result = import_file(small_con, "targets", big, "append", actor="tester")
    assert not result.ok and "longer than 200" in result.errors.iloc[0]["reason_en"]
    assert len(result.errors.iloc[0]["value"]) <= EXCERPT + 12

    rows = [target(1000 + i, registered_on="1900-01-01") for i in range(50_000)]
    many = tmp_path / "fifty_thousand.csv"
    many.write_text(csv_text(rows), encoding="utf-8")
    result = import_file(small_con, "targets", many, "append", actor="tester")
    assert result.errors_total == 50_000 and len(result.errors) == MAX_REPORTED


def test_report_file_is_bounded(tmp_path, small_path):
    from tests.test_cli import cli

    report = tmp_path / "report.csv"
    r = cli("import", "targets", str(HERE / "many_bad.csv"), "--db", str(small_path),
            "--report", str(report))  # fmt: skip
    assert r.returncode == 1 and "1,500 problem(s)" in r.stdout
    assert len(report.read_text(encoding="utf-8-sig").splitlines()) == MAX_REPORTED + 1
    r = cli("import", "targets", str(HERE / "ok_utf8.csv"), "--db", str(small_path),
            "--report", str(tmp_path / "missing" / "report.csv"))  # fmt: skip
    assert r.returncode == 2 and "no folder" in r.stderr
    assert not Path(tmp_path / "missing").exists()
