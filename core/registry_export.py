"""Export a registry (or a filtered view of it) in exactly the columns import reads, so an export
is always a valid import file; text cells are guarded against spreadsheet formula injection."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv

from core.db import Connection
from core.registry_io import XLSX_MAX_ROWS, FileFormatError, csv_bytes, xlsx_bytes
from core.registry_schema import LIST_SEPARATOR, Column, registry
from core.registry_search import Filters, where_clause

# The export's formula guard in SQL; the same rule as registry_io.neutralise.
_GUARD = "CASE WHEN regexp_matches({v}, '^''*[=+\\-@]') THEN '''' || {v} ELSE {v} END"


def _text_expr(column: Column) -> str:
    """SQL turning a column into its file text (identifiers from the declarations)."""
    c = column.name
    if column.kind in ("text", "code"):
        return _GUARD.format(v=c)
    if column.kind == "list":
        return _GUARD.format(v=f"array_to_string({c}, '{LIST_SEPARATOR}')")
    if column.kind == "bool":
        return f"CASE WHEN {c} IS NULL THEN NULL WHEN {c} THEN 'true' ELSE 'false' END"
    if column.kind == "date":
        return f"strftime({c}, '%Y-%m-%d')"
    return f"CAST({c} AS VARCHAR)"


def export_sql(name: str, text: str | None = None, filters: Filters | None = None):
    """(SQL, params) selecting the filtered view as file text, in the registry's order."""
    reg = registry(name)
    where, params = where_clause(reg, text, filters)
    cols = ", ".join(f"{_text_expr(c)} AS {c.name}" for c in reg.columns)
    sql = f"SELECT {cols} FROM {reg.table} WHERE {where} ORDER BY rowid"  # noqa: S608 (declared identifiers)
    return sql, params


def export_frame(
    con: Connection, name: str, text: str | None = None, filters: Filters | None = None
) -> pd.DataFrame:
    """The filtered view as a text frame (for downloads of moderate size)."""
    sql, params = export_sql(name, text, filters)
    return con.execute(sql, params).df().fillna("")


def export_bytes(
    con: Connection, name: str, fmt: str, text: str | None = None,
    filters: Filters | None = None,
) -> bytes:  # fmt: skip
    """The filtered view as CSV (UTF-8 with BOM) or XLSX bytes."""
    frame = export_frame(con, name, text, filters)
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "xlsx":
        numeric = {c.name for c in registry(name).columns if c.kind in ("int", "float")}
        return xlsx_bytes(frame, numeric)
    raise FileFormatError("export.suffix", suffix=str(fmt))


def export_file(
    con: Connection, name: str, path: str | os.PathLike, text: str | None = None,
    filters: Filters | None = None,
) -> int:  # fmt: skip
    """Write the filtered view to `path` (format from its suffix); returns the rows written.

    CSV streams Arrow batches (the full 6.43 M targets never sit in pandas); XLSX is limited to
    Excel's row count."""
    path = Path(path)
    suffix = path.suffix.lower()
    sql, params = export_sql(name, text, filters)
    if suffix == ".xlsx":
        reg = registry(name)
        where, wparams = where_clause(reg, text, filters)
        n = con.execute(
            f"SELECT count(*) FROM {reg.table} WHERE {where}",  # noqa: S608 (declared identifiers)
            wparams,
        ).fetchone()[0]
        if n > XLSX_MAX_ROWS:
            raise FileFormatError("export.xlsx_too_many", rows=f"{n:,}", limit=f"{XLSX_MAX_ROWS:,}")
        path.write_bytes(export_bytes(con, name, "xlsx", text, filters))
        return int(n)
    if suffix != ".csv":
        raise FileFormatError("export.suffix", suffix=suffix or "—")
    cur = con.cursor()  # its own cursor: the stream must not meet an unfinished result
    rows = 0
    tmp = path.with_name(path.name + ".part")
    try:
        reader = cur.sql(sql, params=params).to_arrow_reader(100_000)
        with open(tmp, "wb") as out:
            out.write("\ufeff".encode())
            with pacsv.CSVWriter(out, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    rows += batch.num_rows
    finally:
        cur.close()
    os.replace(tmp, path)
    return rows
