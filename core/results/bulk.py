"""Bulk entry of results from a department's own system: `python -m core results import FILE`.

The registries' conventions (core/registry_io.py, core/registry_import.py): CSV in UTF-8, UTF-8
with BOM or GBK/GB18030, or XLSX (first sheet); cells NFKC-normalised and trimmed, codes without
spaces and upper-cased, the export's formula guard (a leading ') removed; every problem found at
once and reported as file, row (header = row 1), column, value, reason; any problem rejects the
whole file and nothing is written but the audit entry of the attempt (core/writes.py).

Columns: visit_id, plan_id, item_code, outcomes (codes separated by , ; 、 | or spaces),
completed_on (YYYY-MM-DD), note (optional). A visit whose every task then has a result goes to
review (待审核); an approved visit is changed only with a reason."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from core import i18n
from core.db import Connection
from core.refusal import Refused
from core.registry_io import FORMULA_START, FileFormatError, first_problem, read_table
from core.results import entry, workflow
from core.vocab import OUTCOMES, outcome_counts
from core.writes import record_attempt, unit_of_work

REQUIRED = ("visit_id", "plan_id", "item_code", "outcomes", "completed_on")
OPTIONAL = ("note",)
CODE_COLUMNS = ("visit_id", "plan_id", "item_code", "outcomes")
REPORT_COLUMNS = ["file", "row", "column", "value", "reason", "reason_en"]
FIRST_DATA_ROW = 2


@dataclass
class ImportedResults:
    file: str
    sha256: str
    rows: int = 0
    visits: int = 0
    to_review: int = 0
    corrected: int = 0
    format: str = ""
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPORT_COLUMNS))

    @property
    def ok(self) -> bool:
        return self.errors.empty

    def summary(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "format": self.format,
                "rows": self.rows, "visits": self.visits, "to_review": self.to_review,
                "corrected": self.corrected, "outcome": "accepted" if self.ok else "rejected",
                "errors": len(self.errors)}  # fmt: skip


class _Report:
    def __init__(self, file: str, row_numbers: Any = None) -> None:
        self.file = file
        self.numbers = row_numbers
        self.rows: list[dict[str, Any]] = []

    def add(self, mask: pd.Series, column: str, values: pd.Series, key: str, **kw: Any) -> None:
        """One report line per row where `mask` holds; `kw` values may be Series (per row)."""
        for i in mask[mask].index:
            vals = {k: (v.loc[i] if isinstance(v, pd.Series) else v) for k, v in kw.items()}
            row = int(self.numbers[i]) if self.numbers is not None else int(i) + FIRST_DATA_ROW
            self.rows.append({"file": self.file, "row": row,
                              "column": column, "value": str(values.loc[i]),
                              "reason": i18n.t(key, "zh", **vals),
                              "reason_en": i18n.t(key, "en", **vals)})  # fmt: skip

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return pd.DataFrame(columns=REPORT_COLUMNS)
        df = pd.DataFrame(self.rows, columns=REPORT_COLUMNS)
        return df.sort_values(["row", "column"], kind="stable").reset_index(drop=True)


def _normalise(s: pd.Series, code: bool) -> pd.Series:
    s = s.fillna("").astype(str).map(lambda v: unicodedata.normalize("NFKC", v))
    s = s.str.replace(r"\s+", "" if code else " ", regex=True).str.strip()
    if code:
        s = s.str.upper()
    guarded = s.str.startswith("'") & s.str.match(FORMULA_START.pattern)
    return s.where(~guarded, s.str[1:])


def validate(
    con: Connection, frame: pd.DataFrame, file: str, reason: str | None, today: date,
    row_numbers: Any = None,
):  # fmt: skip
    """(typed rows, report frame): every problem of the file at once. `row_numbers` are the rows
    as the spreadsheet shows them (registry_io.Table.rows); by default header = 1, then 2, 3 …"""
    report = _Report(file, row_numbers)
    frame = frame.rename(
        columns=lambda c: unicodedata.normalize("NFKC", str(c)).strip().lower().lstrip("\ufeff")
    )
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        report.rows.append({"file": file, "row": 1, "column": ", ".join(missing), "value": "",
                            "reason": i18n.t("results.import.columns", "zh", missing=missing,
                                             required=", ".join(REQUIRED)),
                            "reason_en": i18n.t("results.import.columns", "en", missing=missing,
                                                required=", ".join(REQUIRED))})  # fmt: skip
        return None, report.frame()
    if frame.empty:
        report.rows.append({"file": file, "row": 1, "column": "(file)", "value": "",
                            "reason": i18n.t("results.import.empty", "zh"),
                            "reason_en": i18n.t("results.import.empty", "en")})  # fmt: skip
        return None, report.frame()
    df = pd.DataFrame(index=frame.index)
    for c in (*REQUIRED, *OPTIONAL):
        raw = frame[c] if c in frame.columns else pd.Series("", index=frame.index)
        df[c] = _normalise(raw, code=c in CODE_COLUMNS and c != "outcomes")
    df["outcomes"] = df["outcomes"].str.upper()
    raw_outcomes = df["outcomes"]

    # the task must be one of the visit's tasks
    known = con.execute(
        """
        WITH f AS (
            SELECT unnest($idx) AS index, unnest($v) AS visit_id, unnest($p) AS plan_id,
                   unnest($i) AS item_code)
        SELECT f.index, v.window_start, coalesce(s.status, 'pending') AS status
        FROM f
        JOIN visit_tasks t USING (visit_id, plan_id, item_code)
        JOIN visits v ON v.visit_id = f.visit_id
        LEFT JOIN visit_status s ON s.visit_id = f.visit_id
        """,
        {
            "idx": [int(i) for i in df.index],
            "v": df["visit_id"].tolist(),
            "p": df["plan_id"].tolist(),
            "i": df["item_code"].tolist(),
        },
    ).df()
    known = known.set_index("index").reindex(df.index)
    unknown = known["status"].isna()
    report.add(unknown, "item_code", df["item_code"], "results.unknown_task",
               visit_id=df["visit_id"], plan_id=df["plan_id"],
               item_code=df["item_code"])  # fmt: skip
    dup = df.duplicated(["visit_id", "plan_id", "item_code"], keep="first")
    report.add(dup, "item_code", df["item_code"], "results.import.duplicate")
    report.add(known["status"].eq("review"), "visit_id", df["visit_id"], "results.in_review",
               visit_id=df["visit_id"])  # fmt: skip
    if not (reason or "").strip():
        report.add(known["status"].isin(workflow.APPROVED), "visit_id", df["visit_id"],
                   "results.reason_needed", visit_id=df["visit_id"])  # fmt: skip

    codes = df["outcomes"].map(entry.parse_codes)
    report.add(codes.map(len).eq(0), "outcomes", raw_outcomes, "results.no_outcome",
               item_code=df["item_code"])  # fmt: skip
    exploded = codes.explode().dropna()
    bad = exploded[~exploded.isin(list(OUTCOMES))]
    first_bad = bad.groupby(level=0).first()
    report.add(df.index.isin(first_bad.index) & pd.Series(True, index=df.index), "outcomes",
               raw_outcomes, "results.bad_outcome", item_code=df["item_code"],
               code=first_bad.reindex(df.index))  # fmt: skip
    mixed = codes.map(lambda c: "1" in c and len(c) > 1)
    report.add(mixed, "outcomes", raw_outcomes, "results.clear_mixed", item_code=df["item_code"])

    day = pd.to_datetime(df["completed_on"], format="%Y-%m-%d", errors="coerce")
    report.add(day.isna(), "completed_on", df["completed_on"], "results.import.bad_date")
    days = day.dt.date
    future = day.notna() & (days > today)
    report.add(future, "completed_on", df["completed_on"], "results.future_date",
               item_code=df["item_code"], day=df["completed_on"])  # fmt: skip
    start = pd.to_datetime(known["window_start"]).dt.date
    early = day.notna() & ~unknown & ~future & (days < start)
    report.add(early, "completed_on", df["completed_on"], "results.early_date",
               item_code=df["item_code"], day=df["completed_on"], start=start)  # fmt: skip
    long_note = df["note"].str.len() > entry.NOTE_LIMIT
    report.add(long_note, "note", df["note"].str[:40], "results.note_long",
               item_code=df["item_code"], limit=entry.NOTE_LIMIT)  # fmt: skip
    errors = report.frame()
    if not errors.empty:
        return None, errors
    df["codes"] = codes
    df["day"] = days
    df["status"] = known["status"]
    return df, errors


def import_bytes(
    con: Connection, data: bytes, filename: str, actor: str, reason: str | None = None,
    today: date | None = None,
) -> ImportedResults:  # fmt: skip
    """Validate and load one file of results, all or nothing; every attempt is audited."""
    file = Path(filename).name
    out = ImportedResults(file=file, sha256=hashlib.sha256(data).hexdigest())
    today = today or workflow.today()
    try:
        table = read_table(data, filename)
    except FileFormatError as e:
        out.errors = pd.DataFrame(
            [[file, 1, "(file)", "", e.message("zh"), e.message("en")]], columns=REPORT_COLUMNS
        )
        return _rejected(con, actor, out, e)
    out.format = table.format
    out.rows = len(table.frame)
    frame = table.frame.reset_index(drop=True)
    rows, errors = validate(con, frame, file, reason, today, table.rows)
    if table.problems:  # the file's shape (ragged rows, formulas without values …)
        shape = pd.DataFrame([(file, *p) for p in table.problems], columns=REPORT_COLUMNS)
        errors = pd.concat([shape, errors], ignore_index=True).sort_values(["row", "column"])
        rows = None
    if rows is None:
        out.errors = errors
        return _rejected(con, actor, out, Refused("results.import.rejected", file=file,
                                                  n=len(errors)))  # fmt: skip
    # the file's summary: what the attempt's entry says if the write fails (core/writes.py)
    detail: dict[str, Any] = {**out.summary(), "reason": (reason or "").strip() or None}
    with unit_of_work(con, actor, "results.import", detail):
        at = workflow.now_text()
        table = []
        for r in rows.itertuples(index=False):  # the file's rows, once, to build the insert
            problem, counted = outcome_counts(list(r.codes))
            table.append((r.visit_id, r.plan_id, r.item_code, list(r.codes), problem, counted,
                          r.note or None, r.day, actor, at, False))  # fmt: skip
        entry.write_rows(con, table)
        visits = rows.drop_duplicates("visit_id")[["visit_id", "status"]]
        for visit_id, status in visits.itertuples(index=False):
            if status in workflow.APPROVED:
                done = con.execute(
                    "SELECT max(completed_on) FROM results WHERE visit_id = ?", [visit_id]
                ).fetchone()[0]
                workflow.set_status(con, visit_id, "done", actor, completed_on=done)
                out.corrected += 1
            elif workflow.missing_tasks(con, visit_id) == 0:
                workflow.set_status(con, visit_id, "review", actor)
                out.to_review += 1
            else:
                workflow.set_status(con, visit_id, "in_progress", actor)
        out.visits = len(visits)
        detail.update(out.summary())
    return out


def _rejected(con: Connection, actor: str, out: ImportedResults,
              refusal: Refused) -> ImportedResults:  # fmt: skip
    """A rejected file changes nothing; its attempt is recorded (file, SHA-256, error count and
    where the first problem is, with the refusal's key) without a data_version bump."""
    detail = {**out.summary(), **first_problem(out.errors)}
    record_attempt(con, actor, "results.import", detail, refusal)
    return out


def import_file(con: Connection, path: str | Path, actor: str, reason: str | None = None,
                today: date | None = None) -> ImportedResults:  # fmt: skip
    path = Path(path)
    return import_bytes(con, path.read_bytes(), path.name, actor, reason, today)


def report_csv(result: ImportedResults) -> bytes:
    """The rejection report as CSV (UTF-8 with BOM): file, row, column, value, reason."""
    return result.errors.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
