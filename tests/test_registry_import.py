"""Registry import: all-or-nothing, every encoding, duplicates, round trips, formula guard.

Real files on disk, real DuckDB files (copies of the 5,000-target dataset)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from core import codes, db
from core.registry_export import export_file, export_frame
from core.registry_import import import_file
from core.registry_io import neutralise, unneutralise

N_GOOD = 10_000


def new_targets(con, n: int, start: int = 0) -> pd.DataFrame:
    """`n` new, valid targets in file form: an existing row's values with fresh codes and
    Chinese names (codes use organisation codes 'TQ…', which the synthetic data never mints)."""
    template = export_frame(con, "targets").iloc[:50]
    rows = template.iloc[[i % len(template) for i in range(n)]].reset_index(drop=True).copy()
    rows["uscc"] = [codes.make_uscc("9", "1", "440305", f"TQ{start + i:07d}") for i in range(n)]
    rows["name"] = [f"深圳市测试{start + i}号贸易有限公司" for i in range(n)]
    return rows


def write_csv(frame: pd.DataFrame, path, encoding: str = "utf-8") -> None:
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode(encoding))


def table_state(con, table: str) -> tuple[int, str]:
    n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return n, db.content_hash(con, table)


def last_audit(con) -> dict:
    action, actor, detail = con.execute(
        "SELECT action, actor, detail FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return {"action": action, "actor": actor, **json.loads(detail)}


@pytest.mark.parametrize(
    "column, bad_value, reason",
    [
        ("uscc", None, "校验码错误"),  # None: the right code with a wrong check character
        ("name", "   ", "必填项为空"),
        ("registered_on", "2019-13-40", "日期格式"),
        ("street", "不存在街道", "街道不属于该区"),
        ("kind", "公司", "取值应为"),
        ("paid_in_ratio", "1.5", "超出范围"),
    ],
)
def test_one_bad_row_in_ten_thousand_rejects_the_whole_file(
    small_con, tmp_path, column, bad_value, reason
):
    frame = new_targets(small_con, N_GOOD)
    bad_index = 6_000
    if bad_value is None:
        code = frame.at[bad_index, "uscc"]
        wrong = codes.USCC_CHARS[(codes.USCC_VALUE[code[-1]] + 1) % 31]
        bad_value = code[:-1] + wrong
    frame.at[bad_index, column] = bad_value
    path = tmp_path / "targets.csv"
    write_csv(frame, path)
    before, version = table_state(small_con, "targets"), db.data_version(small_con)
    seq = small_con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]

    result = import_file(small_con, "targets", path, actor="tester")

    assert not result.ok
    assert table_state(small_con, "targets") == before
    assert db.data_version(small_con) == version  # only the attempt's audit entry: no bump
    assert result.data_version == version
    new_entries = small_con.execute("SELECT count(*) FROM audit_log WHERE seq > ?", [seq])
    assert new_entries.fetchone()[0] == 1
    errors = result.errors.to_dict("records")
    assert len(errors) == 1, errors
    (error,) = errors
    assert error["file"] == "targets.csv"
    assert error["row"] == bad_index + 2  # header is row 1
    assert error["column"] == column
    assert reason in error["reason"]
    logged = last_audit(small_con)
    assert logged["action"] == "registry.import" and logged["attempt"] is True
    assert logged["outcome"] == "refused" and logged["refusal"] == "registries.rejected"
    assert logged["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert logged["errors"] == 1 and logged["rows"] == N_GOOD and logged["actor"] == "tester"
    assert (logged["file"], logged["first_row"], logged["first_column"]) == (
        "targets.csv", bad_index + 2, column)  # fmt: skip
    assert str(bad_value) not in json.dumps(logged, ensure_ascii=False)  # the place, not the value


def test_the_same_ten_thousand_rows_without_the_bad_one_import(small_con, tmp_path):
    frame = new_targets(small_con, N_GOOD)
    path = tmp_path / "targets.csv"
    write_csv(frame, path)
    n_before, _ = table_state(small_con, "targets")
    version = db.data_version(small_con)

    result = import_file(small_con, "targets", path, actor="tester")

    assert result.ok, result.errors.head()
    assert (result.added, result.updated) == (N_GOOD, 0)
    assert table_state(small_con, "targets")[0] == n_before + N_GOOD
    assert db.data_version(small_con) == version + 1 == result.data_version
    stored = small_con.execute(
        "SELECT name, district FROM targets WHERE uscc = ?", [frame.at[1234, "uscc"]]
    ).fetchone()
    assert stored == (frame.at[1234, "name"], frame.at[1234, "district"])
    logged = last_audit(small_con)
    assert logged["outcome"] == "accepted" and logged["added"] == N_GOOD
    assert logged["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert logged["file"] == "targets.csv"


def test_gbk_and_bom_files_import_identically_to_utf8(small_path, tmp_path):
    con = db.connect(small_path)
    frame = new_targets(con, 300)
    con.close()
    hashes = {}
    sizes = {}
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030"):
        copy = tmp_path / f"{encoding}.duckdb"
        shutil.copy(small_path, copy)
        path = tmp_path / f"targets-{encoding}.csv"
        write_csv(frame, path, encoding)
        sizes[encoding] = path.read_bytes()
        con = db.connect(copy)
        result = import_file(con, "targets", path)
        assert result.ok, (encoding, result.errors.head())
        assert result.added == 300
        names = {
            r[0]
            for r in con.execute("SELECT name FROM targets WHERE name LIKE '%测试%'").fetchall()
        }
        assert names == set(frame["name"])
        hashes[encoding] = db.content_hash(con, "targets")
        con.close()
    assert sizes["gbk"] != sizes["utf-8"] and sizes["utf-8-sig"][:3] == b"\xef\xbb\xbf"
    assert len(set(hashes.values())) == 1


def test_full_width_and_stray_spaces_are_normalised(small_path, tmp_path):
    con = db.connect(small_path)
    clean = new_targets(con, 50)
    con.close()
    dirty = clean.copy()
    # Full-width letters and digits (NFKC folds them), padded cells, lower-case code letters.
    full_width = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
    dirty["uscc"] = ["\u3000" + c.lower().translate(full_width) + " " for c in clean["uscc"]]
    dirty["name"] = ["  " + n + " " for n in clean["name"]]
    dirty["kind"] = "企业"  # a Chinese label is accepted for the enumeration
    clean["kind"] = "enterprise"
    dirty["registered_capital"] = [v.translate(full_width) for v in clean["registered_capital"]]
    results = {}
    for label, frame in (("clean", clean), ("dirty", dirty)):
        copy = tmp_path / f"{label}.duckdb"
        shutil.copy(small_path, copy)
        path = tmp_path / f"{label}.csv"
        write_csv(frame, path)
        con = db.connect(copy)
        result = import_file(con, "targets", path)
        assert result.ok, (label, result.errors.head())
        results[label] = db.content_hash(con, "targets")
        con.close()
    assert results["clean"] == results["dirty"]


def test_reimporting_in_append_mode_reports_duplicates(small_con, tmp_path):
    frame = new_targets(small_con, 200)
    path = tmp_path / "targets.csv"
    write_csv(frame, path)
    assert import_file(small_con, "targets", path).ok
    after_first = table_state(small_con, "targets")

    again = import_file(small_con, "targets", path, mode="append")

    assert not again.ok
    assert table_state(small_con, "targets") == after_first
    assert len(again.errors) == 200
    assert set(again.errors["column"]) == {"uscc"}
    assert again.errors["reason"].str.contains("已存在").all()
    assert sorted(again.errors["row"]) == list(range(2, 202))

    # replace mode updates the same rows instead: no doubling either
    frame.loc[:, "name"] = frame["name"] + "(更名)"
    write_csv(frame, path)
    replaced = import_file(small_con, "targets", path, mode="replace")
    assert replaced.ok and (replaced.added, replaced.updated) == (0, 200)
    assert table_state(small_con, "targets")[0] == after_first[0]
    assert (
        small_con.execute("SELECT count(*) FROM targets WHERE name LIKE '%(更名)'").fetchone()[0]
        == 200
    )


def test_duplicates_within_the_file_name_both_rows(small_con, tmp_path):
    frame = new_targets(small_con, 20)
    frame = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    path = tmp_path / "dup.csv"
    write_csv(frame, path)
    result = import_file(small_con, "targets", path)
    assert not result.ok
    (error,) = result.errors.to_dict("records")
    assert error["row"] == 22 and error["column"] == "uscc" and "第 5 行" in error["reason"]


@pytest.mark.parametrize("registry", ["items", "targets", "inspectors"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_reimports_to_the_same_rows(small_con, tmp_path, registry, suffix):
    if suffix == ".xlsx" and registry == "targets":
        small_con.execute("DELETE FROM targets WHERE rowid >= 1000")  # keep the XLSX test fast
    original = table_state(small_con, registry)
    path = tmp_path / f"{registry}{suffix}"
    assert export_file(small_con, registry, path) == original[0]
    small_con.execute(f"DELETE FROM {registry}")

    result = import_file(small_con, registry, path)

    assert result.ok, result.errors.head().to_dict("records")
    assert result.added == original[0]
    assert table_state(small_con, registry) == original


def test_replace_with_an_unchanged_export_changes_nothing(small_con, tmp_path):
    path = tmp_path / "inspectors.csv"
    export_file(small_con, "inspectors", path)
    before = table_state(small_con, "inspectors")
    result = import_file(small_con, "inspectors", path, mode="replace")
    assert result.ok and (result.added, result.updated) == (0, before[0])
    assert table_state(small_con, "inspectors") == before


DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "'=already"]


def test_exports_neutralise_formulas_and_round_trip_them(small_con, tmp_path):
    ids = [
        r[0] for r in small_con.execute("SELECT inspector_id FROM inspectors LIMIT 5").fetchall()
    ]
    for inspector_id, name in zip(ids, DANGEROUS, strict=True):
        small_con.execute(
            "UPDATE inspectors SET name = ? WHERE inspector_id = ?", [name, inspector_id]
        )
    original = table_state(small_con, "inspectors")
    csv_path, xlsx_path = tmp_path / "i.csv", tmp_path / "i.xlsx"
    export_file(small_con, "inspectors", csv_path)
    export_file(small_con, "inspectors", xlsx_path)

    cells = [c for row in csv.reader(io.StringIO(csv_path.read_text("utf-8-sig"))) for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil","x")' in cells and "''=already" in cells
    book = load_workbook(xlsx_path)
    xcells = [c for row in book.active.iter_rows() for c in row]
    assert not [c for c in xcells if c.data_type == "f"]
    assert not [c for c in xcells if str(c.value or "")[:1] in ("=", "+", "-", "@")]
    assert "'@SUM(A1)" in {c.value for c in xcells}

    for path in (csv_path, xlsx_path):
        result = import_file(small_con, "inspectors", path, mode="replace")
        assert result.ok, result.errors.head()
        assert table_state(small_con, "inspectors") == original
    stored = small_con.execute(
        "SELECT name FROM inspectors WHERE inspector_id = ?", [ids[0]]
    ).fetchone()[0]
    assert stored == DANGEROUS[0]


@pytest.mark.parametrize("value", ["=1", "'=1", "''@x", "+", "-3", "plain", "'quoted", ""])
def test_neutralise_is_reversible(value):
    assert unneutralise(neutralise(value)) == value
    assert neutralise(value)[:1] not in ("=", "+", "-", "@")


def test_item_and_inspector_rules(small_con, tmp_path):
    items = export_frame(small_con, "items").iloc[:5].copy()
    items.loc[0, "dept_code"] = "440300M02"  # differs from the code's department
    items.loc[1, "item_code"] = items.loc[1, "item_code"][:-1] + "Z"  # not a check character
    items.loc[2, "item_class"] = "D"
    items.loc[3, "ratio_bp"] = "12.5"
    path = tmp_path / "items.csv"
    write_csv(items, path)
    result = import_file(small_con, "items", path, mode="replace")
    got = {(e["row"], e["column"]) for e in result.errors.to_dict("records")}
    assert got == {(2, "dept_code"), (3, "item_code"), (4, "item_class"), (5, "ratio_bp")}

    inspectors = export_frame(small_con, "inspectors").iloc[:4].copy()
    inspectors.loc[0, "dept_code"] = "440300M99"  # no such department
    inspectors.loc[1, "qualifications"] = "食品、炼金术"
    inspectors.loc[2, "active"] = "maybe"
    inspectors = inspectors.drop(columns=["certified"]).assign(extra="x")
    path = tmp_path / "inspectors.csv"
    write_csv(inspectors, path)
    result = import_file(small_con, "inspectors", path, mode="replace")
    got = {(e["row"], e["column"]) for e in result.errors.to_dict("records")}
    assert got == {(1, "certified"), (1, "extra")}  # header problems come first, alone
    inspectors = inspectors.drop(columns=["extra"]).assign(certified="是")
    write_csv(inspectors, path)
    result = import_file(small_con, "inspectors", path, mode="replace")
    got = {(e["row"], e["column"]): e["reason"] for e in result.errors.to_dict("records")}
    assert set(got) == {(2, "dept_code"), (3, "qualifications"), (4, "active")}
    assert "炼金术" in got[(3, "qualifications")]


def test_unreadable_files_are_rejected_with_a_reason(small_con, tmp_path):
    path = tmp_path / "targets.txt"
    path.write_text("uscc\n")
    result = import_file(small_con, "targets", path)
    assert not result.ok and "不支持的文件类型" in result.errors.iloc[0]["reason"]
    path = tmp_path / "empty.csv"
    path.write_text(",".join(export_frame(small_con, "targets").columns) + "\n")
    result = import_file(small_con, "targets", path)
    assert not result.ok and "没有数据行" in result.errors.iloc[0]["reason"]


def test_page_download_of_a_filtered_view_is_a_valid_import_file(small_con, tmp_path):
    from core.registry_export import export_bytes

    filters = {"district": ("南山区",), "kind": ("enterprise", "individual")}
    data = export_bytes(small_con, "targets", "csv", "深圳", filters)
    assert data[:3] == b"\xef\xbb\xbf"
    expected = small_con.execute(
        "SELECT count(*) FROM targets WHERE district = '南山区' "
        "AND kind IN ('enterprise', 'individual') AND contains(name, '深圳')"
    ).fetchone()[0]
    subset_hash = small_con.execute(
        "SELECT count(*), sum(hash(t)) FROM targets t WHERE district = '南山区' "
        "AND kind IN ('enterprise', 'individual') AND contains(name, '深圳')"
    ).fetchone()
    assert expected > 10
    small_con.execute(
        "DELETE FROM targets WHERE district = '南山区' AND kind IN ('enterprise', 'individual') "
        "AND contains(name, '深圳')"
    )
    path = tmp_path / "view.csv"
    path.write_bytes(data)
    result = import_file(small_con, "targets", path)
    assert result.ok and result.added == expected
    assert (
        small_con.execute(
            "SELECT count(*), sum(hash(t)) FROM targets t WHERE district = '南山区' "
            "AND kind IN ('enterprise', 'individual') AND contains(name, '深圳')"
        ).fetchone()
        == subset_hash
    )
