"""Import a registry file all-or-nothing, and log every attempt in the audit trail (a rejected
or failed one as its attempt, core/writes.py).

Modes: `append` adds new rows and refuses a key already in the registry (a re-imported file
reports duplicates instead of doubling rows); `replace` adds new rows and replaces the rows whose
key is already there (an update from a department's corrected spreadsheet). Neither mode deletes
rows absent from the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core import target_lookup
from core.db import Connection, data_version
from core.refusal import Refused
from core.registry_io import FileFormatError, first_problem, read_table
from core.registry_schema import LIST_SEPARATOR, REGISTRIES, Registry, registry
from core.registry_validate import ERROR_COLUMNS, validate
from core.writes import record_attempt, unit_of_work

MODES = ("append", "replace")
REPORT_COLUMNS = ["file", *ERROR_COLUMNS]


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    registry: str
    file: str
    sha256: str
    mode: str
    rows: int
    format: str = ""
    added: int = 0
    updated: int = 0
    data_version: int | None = None
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPORT_COLUMNS))
    errors_total: int = 0  # every problem found; `errors` lists at most MAX_REPORTED

    @property
    def ok(self) -> bool:
        return self.errors.empty

    def summary(self) -> dict:
        return {
            "registry": self.registry, "file": self.file, "sha256": self.sha256,
            "mode": self.mode, "format": self.format, "rows": self.rows,
            "outcome": "accepted" if self.ok else "rejected", "added": self.added,
            "updated": self.updated, "errors": max(self.errors_total, len(self.errors)),
            "data_version": self.data_version,
        }  # fmt: skip


def report_csv(result: ImportResult) -> bytes:
    """The error report as CSV (UTF-8 with BOM): file, row, column, value, reason."""
    return result.errors.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def _insert_sql(reg: Registry) -> str:
    exprs = []
    for c in reg.columns:
        if c.kind == "list":
            exprs.append(
                f"CASE WHEN coalesce({c.name}, '') = '' THEN []::VARCHAR[] "
                f"ELSE string_split({c.name}, '{LIST_SEPARATOR}') END"
            )
        else:
            exprs.append(c.name)
    cols = ", ".join(reg.column_names)
    return f"INSERT INTO {reg.table} ({cols}) SELECT {', '.join(exprs)} FROM _staged"  # noqa: S608 (declared identifiers)


def _delete_sql(reg: Registry) -> str:
    return f"DELETE FROM {reg.table} WHERE {reg.key} IN (SELECT {reg.key} FROM _staged)"  # noqa: S608 (declared identifiers)


def import_bytes(
    con: Connection, name: str, data: bytes, filename: str, mode: str = "append",
    actor: str = "system",
) -> ImportResult:  # fmt: skip
    """Validate and load one file as one unit of work. A rejected file writes nothing but its
    attempt's audit entry; a write that fails (a full disk, a conflict) is rolled back, its
    attempt logged by unit_of_work, and refused with `import.failed` (or the write path's own
    key)."""
    if name not in REGISTRIES:
        raise Refused("import.unknown_registry", name=str(name)[:40], names=", ".join(REGISTRIES))
    reg = registry(name)
    if mode not in MODES:
        raise Refused("import.bad_mode", mode=str(mode)[:40], modes=", ".join(MODES))
    file = Path(filename).name
    result = ImportResult(
        registry=name, file=file, sha256=hashlib.sha256(data).hexdigest(), mode=mode, rows=0
    )
    try:
        table = read_table(data, filename)
    except FileFormatError as e:
        result.errors = pd.DataFrame(
            [[file, 1, "(file)", "", e.message("zh"), e.message("en")]], columns=REPORT_COLUMNS
        )
        result.errors_total = 1
        return _rejected(con, actor, result, e)
    result.format = table.format
    result.rows = len(table.frame)
    checked = validate(con, reg, table, mode)
    if not checked.ok:
        errors = checked.errors.copy()
        errors.insert(0, "file", file)
        result.errors = errors
        result.errors_total = checked.errors_total
        return _rejected(con, actor, result, Refused("registries.rejected", file=file,
                                                     n=checked.errors_total))  # fmt: skip

    # what the attempt's audit entry says if the write fails (core/writes.py records it)
    detail: dict = {**result.summary(), "data_version": None}
    try:
        with unit_of_work(con, actor, "registry.import", detail) as work:
            con.register("_staged", checked.rows)
            try:
                if mode == "replace" and checked.existing:
                    con.execute(_delete_sql(reg))
                con.execute(_insert_sql(reg))
                if name == "targets":  # new rowids: the code lookup follows (target_lookup.py)
                    target_lookup.refresh(con)
            finally:
                con.unregister("_staged")
            result.updated = checked.existing if mode == "replace" else 0
            result.added = result.rows - result.updated
            result.data_version = data_version(con) + 1  # the unit's one bump, at its end
            detail.update(result.summary())
    except Exception as e:  # rolled back, and the attempt recorded by unit_of_work
        if isinstance(e, Refused):
            raise
        error = getattr(e, "strerror", None) or (str(e).splitlines() or [type(e).__name__])[0]
        raise Refused("import.failed", file=file, error=error[:200]) from e
    result.data_version = work.data_version
    return result


def _rejected(con: Connection, actor: str, result: ImportResult, refusal: Refused) -> ImportResult:
    """A rejected file changes nothing; its attempt is recorded (file, SHA-256, error count and
    where the first problem is, with the refusal's key) without a data_version bump."""
    detail = {**result.summary(), **first_problem(result.errors)}
    record_attempt(con, actor, "registry.import", detail, refusal)
    result.data_version = data_version(con)
    return result


def import_file(
    con: Connection, name: str, path: str | Path, mode: str = "append", actor: str = "system"
) -> ImportResult:
    path = Path(path)
    return import_bytes(con, name, path.read_bytes(), path.name, mode, actor)
