"""Writes the hostile-import corpus (tests/corpus/imports/): one file per case of issue 16, built
here from scratch so that every byte is known. Run `python -m tests.corpus.make_corpus` to
rebuild it; tests/test_import_corpus.py holds what each file must do.

The valid rows use codes minted by the USCC rule with an organisation part ("QT…") that the
synthetic registries never produce, and districts, streets and industries from the reference
tables every database has."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

from core.codes import make_uscc

HERE = Path(__file__).resolve().parent / "imports"

TARGET_COLUMNS = (
    "uscc,name,kind,industry,district,street,registered_on,status,registered_capital,branches,"
    "legal_rep_changes,name_changes,address_changes,scope_changes,paid_in_ratio,tax_arrears,"
    "social_security_arrears,equity_pledges,firms_at_address,abnormal_list,serious_violation,"
    "judgment_defaulter,penalties_3y,past_findings,annual_report_overdue,licence_revoked,"
    "related_revoked_rate,related_abnormal_rate,related_penalty_rate,complaints_12m,"
    "negative_media,red_list,yellow_list,black_list"
).split(",")


def code(n: int) -> str:
    return make_uscc("9", "1", "440305", f"QT{n:07d}")


def target(n: int, name: str | None = None, **changes: str) -> list[str]:
    row = {
        "uscc": code(n), "name": name or f"深圳市南山区测试科技有限公司{n}", "kind": "enterprise",
        "industry": "5221", "district": "南山区", "street": "蛇口街道",
        "registered_on": "2019-05-20", "status": "active", "registered_capital": "100.5",
        "branches": "0", "legal_rep_changes": "1", "name_changes": "0", "address_changes": "0",
        "scope_changes": "0", "paid_in_ratio": "0.5", "tax_arrears": "false",
        "social_security_arrears": "false", "equity_pledges": "0", "firms_at_address": "3",
        "abnormal_list": "false", "serious_violation": "false", "judgment_defaulter": "false",
        "penalties_3y": "0", "past_findings": "0", "annual_report_overdue": "false",
        "licence_revoked": "false", "related_revoked_rate": "0.0",
        "related_abnormal_rate": "0.0", "related_penalty_rate": "0.0", "complaints_12m": "0",
        "negative_media": "false", "red_list": "false", "yellow_list": "false",
        "black_list": "false",
    }  # fmt: skip
    row.update(changes)
    return [row[c] for c in TARGET_COLUMNS]


def csv_text(rows: list[list[str]], header: list[str] | None = None, end: str = "") -> str:
    """Plain CSV: no quoting needed for these cells; `end` is appended to every line."""
    lines = [",".join(header or TARGET_COLUMNS) + end]
    lines += [",".join(r) + end for r in rows]
    return "\n".join(lines) + "\n"


def xlsx(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header or TARGET_COLUMNS))
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def valid_rows() -> list[list[str]]:
    return [target(1), target(2, kind="individual", name="深圳市南山区测试便利店"), target(3)]


def files() -> dict[str, bytes]:
    good = valid_rows()
    out: dict[str, bytes] = {}
    out["ok_utf8.csv"] = csv_text(good).encode("utf-8")
    out["ok_utf8_bom.csv"] = csv_text(good).encode("utf-8-sig")
    out["ok_gbk.csv"] = csv_text(good).encode("gbk")
    out["ok_gb18030.csv"] = csv_text([target(4, name="深圳市㐀䶵测试有限公司")]).encode("gb18030")
    out["ok.xlsx"] = xlsx(good)
    out["ok_trailing_comma.csv"] = csv_text(good, end=",").encode("utf-8")
    out["ok_trailing_comma_rows_only.csv"] = (
        ",".join(TARGET_COLUMNS) + "\n" + "".join(",".join(r) + ",\n" for r in good)
    ).encode("utf-8")
    # encodings that are not declared: refused with the detector's guess, never mojibake
    big5 = [
        target(11, name="臺灣貿易股份有限公司", district="南山區"),
        target(12, name="香港國際貿易商行", district="南山區"),
    ]
    out["big5.csv"] = csv_text(big5).encode("big5")
    sjis = [target(13, name="東京商事株式会社"), target(14, name="大阪貿易有限会社")]
    out["shift_jis.csv"] = csv_text(sjis).encode("shift_jis")
    korean = [target(15, name="삼성전자 주식회사", district="남산구", street="서구커우")]
    out["euc_kr.csv"] = csv_text(korean).encode("euc_kr")
    out["utf16.csv"] = csv_text(good).encode("utf-16")
    # shape
    out["ragged.csv"] = (csv_text(good[:1]) + ",".join(target(5)[:20]) + "\n").encode("utf-8")
    beyond = target(6) + ["", "stray value"]
    out["beyond_header.csv"] = csv_text([good[0], beyond]).encode("utf-8")
    out["beyond_header.xlsx"] = xlsx([good[0], beyond])
    out["duplicate_header.csv"] = csv_text(
        [r + [r[0]] for r in good], header=[*TARGET_COLUMNS, "uscc"]
    ).encode("utf-8")
    out["huge_header.csv"] = csv_text(good, header=[*TARGET_COLUMNS[:-1], "x" * 100_000]).encode()
    out["empty.csv"] = b""
    out["header_only.csv"] = csv_text([]).encode("utf-8")
    # cells
    out["nul.csv"] = csv_text([target(7, name="深圳市\x00测试有限公司")]).encode("utf-8")
    out["bidi.csv"] = csv_text([target(8, name="深圳市\u202e司公限有试测")]).encode("utf-8")
    out["zero_width.csv"] = csv_text([target(9, name="深圳\u200b测试有限公司")]).encode("utf-8")
    out["private_use.csv"] = csv_text([target(10, name="深圳\ue000测试有限公司")]).encode("utf-8")
    out["long_name.csv"] = csv_text([target(16, name="长" * 20_000)]).encode("utf-8")
    for label, day in (("0001", "0001-01-01"), ("2099", "2099-01-01"), ("9999", "9999-12-31")):
        out[f"date_{label}.csv"] = csv_text([target(17, registered_on=day)]).encode("utf-8")
    out["many_bad.csv"] = csv_text(
        [target(100 + i, registered_on="not a date") for i in range(1_500)]
    ).encode("utf-8")
    # workbooks
    formula = [target(18)]
    book = Workbook()
    sheet = book.active
    sheet.append(TARGET_COLUMNS)
    sheet.append(formula[0])
    sheet["J2"] = "=1+1"  # branches: a formula openpyxl saves without a calculated value
    buffer = io.BytesIO()
    book.save(buffer)
    out["formula_without_value.xlsx"] = buffer.getvalue()
    whole = xlsx(good)
    out["truncated.xlsx"] = whole[: len(whole) // 2]
    parts = io.BytesIO()
    with zipfile.ZipFile(parts, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    out["partless.xlsx"] = parts.getvalue()
    out["not_a_workbook.xlsx"] = b"uscc,name\n1,2\n"
    out["unknown_suffix.txt"] = csv_text(good).encode("utf-8")
    return out


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for old in HERE.iterdir():
        old.unlink()
    for name, data in files().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files())} files to {HERE}")


if __name__ == "__main__":
    main()
