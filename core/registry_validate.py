"""Validation of a registry file before anything is written: every problem found at once, each
named by row, column, value and reason, so a department can fix its spreadsheet in one go.

Checks are column-wise pandas operations (no Python loop over rows): normalisation (NFKC folds
full-width letters, digits and spaces; stray whitespace goes), required cells, types, ranges,
enumerations, code formats and check characters, duplicates within the file and against the
database, and references to departments, districts, streets and industries.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from core import codes, i18n, settings
from core.db import Connection
from core.registry_io import FORMULA_START, Table
from core.registry_schema import (
    BOOL_FALSE,
    BOOL_TRUE,
    LIST_SEPARATOR,
    LIST_SEPARATORS_READ,
    Column,
    Registry,
)
from core.vocab import TZ

ERROR_COLUMNS = ["row", "column", "value", "reason", "reason_en"]
FIRST_DATA_ROW = 2  # rows are numbered as a spreadsheet shows them: the header is row 1
MAX_REPORTED = int(settings.value("import_problems_listed"))  # the total is always given
EXCERPT = 60  # characters of a cell shown in a report

# Characters no registry value may hold: C0/C1 controls, zero-width and bidirectional controls
# (which make text display differently from what it is), BOMs inside text, private-use and
# non-characters (the mark of a file decoded in the wrong encoding).
FORBIDDEN_CHARS = (
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
    "\ue000-\uf8ff\ufff0-\uffff\U000f0000-\U0010ffff]"
)


@dataclass
class Validation:
    """A validated file: typed rows ready to load, the errors, and which keys already exist."""

    rows: pd.DataFrame  # typed, in the registry's column order
    errors: pd.DataFrame  # ERROR_COLUMNS, sorted by row; at most MAX_REPORTED of them
    existing: int  # rows whose key is already in the database
    errors_total: int = 0  # every problem found, listed or not

    @property
    def ok(self) -> bool:
        return self.errors.empty


def excerpt(values: pd.Series) -> pd.Series:
    """Cells as shown in a report: at most EXCERPT characters, with the full length named."""
    values = values.astype(str)
    long = values.str.len() > EXCERPT
    if not long.any():
        return values
    cut = values.str.slice(0, EXCERPT) + "…(" + values.str.len().astype(str) + ")"
    return values.where(~long, cut)


class _Errors:
    def __init__(self, rows: np.ndarray | None = None) -> None:
        self.parts: list[pd.DataFrame] = []
        self.rows = rows  # spreadsheet row number of each frame row, when the reader knows it

    def add(
        self, mask: pd.Series | np.ndarray, column: str, values: pd.Series,
        reason: str | pd.Series, reason_en: str | pd.Series,
    ) -> None:  # fmt: skip
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)

        def pick(x):
            return x.to_numpy()[idx] if isinstance(x, pd.Series) else x

        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.rows[idx] if self.rows is not None else idx + FIRST_DATA_ROW,
                    "column": column,
                    "value": values.to_numpy()[idx],
                    "reason": pick(reason),
                    "reason_en": pick(reason_en),
                }
            )
        )

    def header(self, column: str, reason: str, reason_en: str) -> None:
        self.parts.append(
            pd.DataFrame([[1, column, column, reason, reason_en]], columns=ERROR_COLUMNS)
        )

    def structural(self, problems: list[tuple[int, str, str, str, str]]) -> None:
        """Problems the file reader found in the file's shape (core/registry_io.Table)."""
        if problems:
            self.parts.append(pd.DataFrame(problems, columns=ERROR_COLUMNS))

    @property
    def total(self) -> int:
        return sum(len(p) for p in self.parts)

    def frame(self) -> pd.DataFrame:
        """The first MAX_REPORTED problems by row, each cell shown as a bounded excerpt."""
        if not self.parts:
            return pd.DataFrame(columns=ERROR_COLUMNS)
        out = pd.concat(self.parts, ignore_index=True)
        out["row"] = out["row"].astype(int)
        out = out.sort_values(["row", "column"], kind="stable").head(MAX_REPORTED)
        out["value"] = excerpt(out["value"])
        out["column"] = excerpt(out["column"])
        return out.reset_index(drop=True)


def _header_name(name: object) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().lower().lstrip("\ufeff")


def normalise(values: pd.Series, column: Column) -> pd.Series:
    """NFKC (full-width -> half-width), trimmed, inner whitespace collapsed; codes lose all
    whitespace and go upper case; the export's formula guard (a leading ') is removed."""
    s = values.fillna("").astype(str)
    wide = ~s.str.isascii()
    if wide.any():
        s = s.copy()
        s[wide] = s[wide].map(lambda v: unicodedata.normalize("NFKC", v))
    if column.kind == "code":
        s = s.str.replace(r"\s+", "", regex=True).str.upper()
    else:
        s = s.str.replace(r"\s+", " ", regex=True).str.strip()
    guarded = s.str.startswith("'") & s.str.match(FORMULA_START.pattern)
    if guarded.any():
        s = s.where(~guarded, s.str[1:])
    return s


def _enum_aliases(column: Column) -> dict[str, str]:
    aliases = {}
    for value in column.enum or ():
        aliases[value.lower()] = value
        if column.enum_domain:
            for lang in ("zh", "en"):
                aliases[i18n.label(column.enum_domain, value, lang).lower()] = value
    return aliases


def _check_uscc(s: pd.Series, present: pd.Series, name: str, errors: _Errors) -> pd.Series:
    """Vectorised GB 32100 check: numpy over the codes' bytes; reasons only for failures."""
    ok = present & (s.str.len() == 18) & s.str.isascii()
    good = np.zeros(len(s), dtype=bool)
    if ok.any():
        raw = np.frombuffer("".join(s[ok]).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        lut = np.full(256, -1, dtype=np.int64)
        for ch, v in codes.USCC_VALUE.items():
            lut[ord(ch)] = v
        vals = lut[raw]
        weights = np.asarray(codes.USCC_WEIGHTS, dtype=np.int64)
        check = (31 - (vals[:, :17] @ weights) % 31) % 31
        valid = (vals >= 0).all(axis=1) & (check == vals[:, 17])
        good[np.flatnonzero(ok.to_numpy())] = valid
    bad = present.to_numpy() & ~good
    if bad.any():
        checks = s[bad].map(codes.validate_uscc)
        reasons = pd.Series("", index=s.index)
        reasons_en = pd.Series("", index=s.index)
        reasons[bad] = [c.reason for c in checks]
        reasons_en[bad] = [c.reason_en for c in checks]
        errors.add(bad, name, s, "统一社会信用代码无效:" + reasons, "invalid USCC: " + reasons_en)
    return pd.Series(good, index=s.index)


def _check_column(s: pd.Series, column: Column, errors: _Errors) -> tuple[pd.Series, pd.Series]:
    """(typed values, valid mask) of one column; errors recorded as found."""
    name = column.name
    blank = s == ""
    present = ~blank
    if column.required:
        errors.add(blank, name, s, "必填项为空", "required value is missing")
    valid = present.copy()
    typed: pd.Series = s.where(present, None)

    bad = present & s.str.contains(FORBIDDEN_CHARS, regex=True)
    errors.add(
        bad, name, s.str.replace(FORBIDDEN_CHARS, "�", regex=True),
        "含有控制字符、双向文本控制符或私用区字符(多为编码错误)",
        "holds control, bidirectional-override or private-use characters (often a wrong "
        "encoding)",
    )  # fmt: skip
    valid &= ~bad
    limit = column.length_limit
    lengths = s.str.len()
    bad = present & (lengths > limit)
    errors.add(
        bad, name, s, "超过最大长度 " + str(limit) + " 个字符(实为 " + lengths.astype(str) + ")",
        "longer than " + str(limit) + " characters (" + lengths.astype(str) + ")",
    )  # fmt: skip
    valid &= ~bad

    if column.enum:
        mapped = s.str.lower().map(_enum_aliases(column))
        bad = present & mapped.isna()
        errors.add(
            bad, name, s, f"取值应为 {' / '.join(column.enum)} 之一",
            f"must be one of {', '.join(column.enum)}",
        )  # fmt: skip
        valid &= ~bad
        typed = mapped.where(valid, None)
    if column.pattern:
        bad = present & ~s.str.match(column.pattern)
        errors.add(bad, name, s, f"格式不符:{column.pattern_hint}", f"format: {column.pattern}")
        valid &= ~bad
    if column.rule == "uscc":
        valid &= _check_uscc(s, present, name, errors)
    elif column.rule == "item":
        checks = s[present].map(codes.validate_item_code)
        bad = pd.Series(False, index=s.index)
        bad[present] = [not c.ok for c in checks]
        reason = pd.Series("", index=s.index)
        reason_en = pd.Series("", index=s.index)
        reason[present] = [c.reason for c in checks]
        reason_en[present] = [c.reason_en for c in checks]
        errors.add(bad, name, s, "事项编码无效:" + reason, "invalid item code: " + reason_en)
        valid &= ~bad
    elif column.rule == "dept":
        bad = present & ~s.str.match(codes.DEPT_CODE_RE.pattern)
        errors.add(
            bad, name, s, "部门代码格式应为 6位区划+M/Q/J+2位序号,如 440300M01",
            "department code format: 6-digit division + M/Q/J + 2 digits",
        )  # fmt: skip
        valid &= ~bad

    if column.kind in ("int", "float"):
        number = pd.to_numeric(s.where(present), errors="coerce")
        if column.kind == "int":
            bad = present & (number.isna() | (number % 1 != 0))
            errors.add(bad, name, s, "应为整数", "must be a whole number")
        else:
            bad = present & (number.isna() | ~np.isfinite(number.fillna(0)))
            errors.add(bad, name, s, "应为数字", "must be a number")
        valid &= ~bad
        out = pd.Series(False, index=s.index)
        if column.minimum is not None:
            out |= valid & (number < column.minimum)
        if column.maximum is not None:
            out |= valid & (number > column.maximum)
        low = "-∞" if column.minimum is None else f"{column.minimum:g}"
        high = "∞" if column.maximum is None else f"{column.maximum:g}"
        errors.add(out, name, s, f"超出范围 [{low}, {high}]", f"out of range [{low}, {high}]")
        valid &= ~out
        typed = number.where(valid).astype("Int64" if column.kind == "int" else "Float64")
    elif column.kind == "bool":
        lower = s.str.lower()
        yes, no = lower.isin(BOOL_TRUE), lower.isin(BOOL_FALSE)
        bad = present & ~(yes | no)
        errors.add(bad, name, s, "应为 true/false(是/否)", "must be true or false")
        valid &= ~bad
        typed = pd.Series(pd.array(np.where(yes, True, False), dtype="boolean"), index=s.index)
        typed[~valid] = pd.NA
    elif column.kind == "date":
        parsed = pd.to_datetime(s.str.replace("/", "-"), format="%Y-%m-%d", errors="coerce")
        bad = present & parsed.isna()
        errors.add(bad, name, s, "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
        valid &= ~bad
        low, high = _date_bound(column.earliest), _date_bound(column.latest)
        out = valid & (
            (parsed < low if low is not None else False)
            | (parsed > high if high is not None else False)
        )
        span = f"[{column.earliest or '…'}, {column.latest or '…'}]".replace(
            "today", str(high.date()) if high is not None else "today"
        )
        errors.add(out, name, s, f"日期不在合理范围 {span} 内", f"date outside {span}")
        valid &= ~out
        typed = parsed.dt.date.where(valid, None)
    elif column.kind == "list":
        parts = s.str.split(f"[{LIST_SEPARATORS_READ}]", regex=True)
        typed = parts.map(lambda xs: LIST_SEPARATOR.join(x.strip() for x in xs if x.strip()))
        typed = typed.where(present, None)
    return typed, valid


def _date_bound(value: str | None) -> pd.Timestamp | None:
    """A declared date bound; "today" is today's date in Asia/Shanghai."""
    if value is None:
        return None
    if value == "today":
        return pd.Timestamp(datetime.now(TZ).date())
    return pd.Timestamp(value)


def _reference(
    errors: _Errors, typed: dict[str, pd.Series], valid: dict[str, pd.Series], column: str,
    allowed: set[str], reason: str, reason_en: str, shown: pd.Series,
) -> None:  # fmt: skip
    v = typed[column]
    bad = valid[column] & ~v.isin(allowed)
    errors.add(bad, column, shown, reason, reason_en)
    valid[column] = valid[column] & ~bad


def _street_pairs(con: Connection) -> set[tuple[str, str]]:
    return set(
        con.execute(
            "SELECT d.name, s.name FROM streets s JOIN districts d USING (district_code)"
        ).fetchall()
    )


def _check_references(
    con: Connection, reg: Registry, typed: dict[str, pd.Series], valid: dict[str, pd.Series],
    shown: dict[str, pd.Series], errors: _Errors,
) -> None:  # fmt: skip
    """Cross-column and cross-table rules of each registry."""
    if "dept_code" in typed:
        depts = dict(con.execute("SELECT dept_code, level FROM departments").fetchall())
        _reference(
            errors, typed, valid, "dept_code", set(depts), "部门代码不存在于部门表",
            "department does not exist", shown["dept_code"],
        )  # fmt: skip
    if "district" in typed:
        names = {r[0] for r in con.execute("SELECT name FROM districts").fetchall()}
        _reference(
            errors, typed, valid, "district", names, "区不存在(应为如 南山区)",
            "unknown district (e.g. 南山区)", shown["district"],
        )  # fmt: skip
        pairs = _street_pairs(con)
        both = valid["district"] & valid["street"]
        known = pd.MultiIndex.from_tuples(sorted(pairs))
        pair_ok = pd.Series(
            pd.MultiIndex.from_arrays([typed["district"], typed["street"]]).isin(known),
            index=typed["street"].index,
        )
        bad = both & ~pair_ok
        errors.add(
            bad, "street", shown["street"], "街道不属于该区或不存在",
            "street does not exist in that district", )  # fmt: skip
        orphan = valid["street"] & ~valid["district"] & (shown["district"] == "")
        errors.add(
            orphan, "street", shown["street"], "填写街道时须填写区",
            "a street needs its district",
        )  # fmt: skip
        valid["street"] &= ~(bad | orphan)

    if reg.name == "items":
        code, ok = typed["item_code"], valid["item_code"]
        parts = code.where(ok, "").str.split("-")
        code_dept, code_class = parts.str[0], parts.str[1]
        bad = ok & valid["dept_code"] & (code_dept != typed["dept_code"])
        errors.add(
            bad, "dept_code", shown["dept_code"], "与事项编码中的部门代码不一致",
            "differs from the department in the item code",
        )  # fmt: skip
        bad = ok & valid["item_class"] & (code_class != typed["item_class"])
        errors.add(
            bad, "item_class", shown["item_class"], "与事项编码中的类别不一致",
            "differs from the class in the item code",
        )  # fmt: skip
        level_of = (
            typed["dept_code"].where(valid["dept_code"], "").str[6:7].map(codes.LEVEL_OF_LETTER)
        )
        bad = valid["dept_code"] & valid["level"] & (level_of != typed["level"])
        errors.add(
            bad, "level", shown["level"], "与部门层级不一致", "differs from the department's level"
        )
    elif reg.name == "targets":
        industries = {r[0] for r in con.execute("SELECT code FROM industries").fetchall()}
        _reference(
            errors, typed, valid, "industry", industries, "行业代码不存在于行业表",
            "unknown industry class", shown["industry"],
        )  # fmt: skip
    elif reg.name == "inspectors":
        ok = valid["inspector_id"] & valid["dept_code"]
        bad = ok & (typed["inspector_id"].str[:9] != typed["dept_code"])
        errors.add(
            bad, "inspector_id", shown["inspector_id"], "人员编号前9位应为所属部门代码",
            "the first 9 characters must be the department code",
        )  # fmt: skip
        fields = {
            r[0]
            for r in con.execute(
                "SELECT field FROM items UNION SELECT field FROM departments"
            ).fetchall()
        }
        quals = typed["qualifications"].where(valid["qualifications"], None)
        exploded = quals.str.split(LIST_SEPARATOR).explode()
        unknown = exploded[exploded.notna() & (exploded != "") & ~exploded.isin(fields)]
        if not unknown.empty:
            names = unknown.groupby(level=0).agg(LIST_SEPARATOR.join)
            reason = pd.Series("", index=quals.index)
            reason[names.index] = "未知的执法领域:" + names
            reason_en = pd.Series("", index=quals.index)
            reason_en[names.index] = "unknown field: " + names
            bad = quals.index.isin(names.index)
            errors.add(bad, "qualifications", shown["qualifications"], reason, reason_en)


def _check_keys(
    con: Connection, reg: Registry, key: pd.Series, ok: pd.Series, append: bool, errors: _Errors
) -> int:
    """Duplicates within the file, then against the database; returns the count of existing."""
    positions = pd.Series(np.arange(len(key)), index=key.index)
    first = positions[ok].groupby(key[ok]).transform("min")
    dup = pd.Series(False, index=key.index)
    dup[first.index] = first != positions[first.index]
    first_row = (first.reindex(key.index).fillna(0).astype(int) + FIRST_DATA_ROW).astype(str)
    errors.add(
        dup, reg.key, key, "与文件第 " + first_row + " 行重复",
        "duplicates row " + first_row + " of the file",
    )  # fmt: skip
    candidates = pd.DataFrame({"k": key[ok & ~dup].unique()})
    if candidates.empty:
        return 0
    con.register("_file_keys", candidates)
    try:
        sql = f"SELECT f.k FROM _file_keys f JOIN {reg.table} t ON t.{reg.key} = f.k"  # noqa: S608 (table and key from the registry declaration)
        existing = {r[0] for r in con.execute(sql).fetchall()}
    finally:
        con.unregister("_file_keys")
    in_db = ok & ~dup & key.isin(existing)
    if append:
        errors.add(
            in_db, reg.key, key, "名录库中已存在(追加模式不允许重复;如需更新请用 replace 模式)",
            "already in the registry (append mode refuses duplicates; use replace to update)",
        )  # fmt: skip
    return int(in_db.sum())


def validate(con: Connection, reg: Registry, table: Table | pd.DataFrame, mode: str) -> Validation:
    """Check a file's text cells against `reg`; nothing is written. A DataFrame stands for a
    file without shape problems whose rows follow the header directly."""
    if isinstance(table, pd.DataFrame):
        frame, rows, problems = table, None, []
    else:
        frame, rows, problems = table.frame, table.rows, table.problems
    errors = _Errors(rows)
    expected = reg.column_names
    by_header: dict[str, str] = {}
    positions: dict[str, list[int]] = {}
    for i, original in enumerate(frame.columns):
        norm = _header_name(original)
        by_header.setdefault(norm, original)
        positions.setdefault(norm, []).append(i + 1)
    for name in expected:
        if name not in by_header:
            errors.header(name, "缺少必需列", "required column is missing")
    for norm, original in by_header.items():
        if norm not in expected:
            errors.header(
                str(original), f"未知列;应为: {', '.join(expected)}",
                f"unknown column; expected: {', '.join(expected)}",
            )  # fmt: skip
        if len(positions[norm]) > 1:
            where = ", ".join(str(p) for p in positions[norm])
            errors.header(
                str(original), f"列名重复(第 {where} 列)", f"column appears twice (columns {where})"
            )
    if errors.parts:
        return Validation(pd.DataFrame(columns=expected), errors.frame(), 0, errors.total)
    errors.structural(problems)
    if frame.empty:
        errors.header("(file)", "文件没有数据行", "the file has no data rows")
        return Validation(pd.DataFrame(columns=expected), errors.frame(), 0, errors.total)

    frame = frame.reset_index(drop=True)
    shown: dict[str, pd.Series] = {}
    typed: dict[str, pd.Series] = {}
    valid: dict[str, pd.Series] = {}
    for column in reg.columns:
        s = normalise(frame[by_header[column.name]], column)
        shown[column.name] = s
        typed[column.name], valid[column.name] = _check_column(s, column, errors)
    _check_references(con, reg, typed, valid, shown, errors)
    existing = _check_keys(con, reg, typed[reg.key], valid[reg.key], mode == "append", errors)
    rows_typed = pd.DataFrame(typed)
    return Validation(rows_typed, errors.frame(), existing, errors.total)
