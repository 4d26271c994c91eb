"""Registry files in and out: CSV in any encoding Excel users produce, XLSX, and exports that no
spreadsheet will execute.

Files are read as text cells (a DataFrame of str, '' for blank) and left to the validator, so a
leading zero in a code or a stray character is seen, never silently converted.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

# Encodings tried in order: UTF-8 (with or without BOM), then GB18030, a superset of GBK/GB2312
# that decodes every byte sequence Chinese Excel writes. DuckDB's reader takes UTF-8/16/Latin-1
# only, so decoding happens here.
ENCODINGS = ("utf-8-sig", "gb18030")

# OWASP CSV injection: a cell starting with one of these may run as a formula. Export prefixes a
# single quote; import removes exactly one, so that the text round-trips unchanged. Values that
# already start with quotes before such a character get one more, keeping the mapping reversible.
FORMULA_START = re.compile(r"^'*[=+\-@]")
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the header


class FileFormatError(ValueError):
    """The file cannot be read as a table at all (unknown suffix, undecodable bytes, no sheet)."""


def neutralise(value: str) -> str:
    """Make a text cell inert in spreadsheets: '=1+1' -> \"'=1+1\"."""
    return "'" + value if FORMULA_START.match(value) else value


def unneutralise(value: str) -> str:
    """Undo `neutralise` on import."""
    return value[1:] if value.startswith("'") and FORMULA_START.match(value) else value


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) for CSV bytes; FileFormatError when no known encoding fits."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileFormatError("无法识别文件编码(支持 UTF-8、UTF-8 BOM、GBK/GB18030)")


def read_table(data: bytes, filename: str) -> tuple[pd.DataFrame, str]:
    """A registry file's cells as text: (DataFrame of str, description of the format read)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        text, encoding = decode_bytes(data)
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=True,
        )  # fmt: skip
        return frame, f"CSV {encoding}"
    if suffix == ".xlsx":
        return _read_xlsx(data), "XLSX"
    raise FileFormatError(f"不支持的文件类型 {suffix or '(无后缀)'}:请使用 .csv 或 .xlsx")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several kinds for a damaged file
        raise FileFormatError(f"无法读取 XLSX 文件: {e}") from e
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise FileFormatError("XLSX 工作表为空")
        names = [_cell_text(v) for v in header]
        while names and names[-1] == "":
            names.pop()
        body = []
        for row in rows:
            cells = [_cell_text(v) for v in row[: len(names)]]
            cells += [""] * (len(names) - len(cells))
            if any(cells):
                body.append(cells)
    finally:
        book.close()
    return pd.DataFrame(body, columns=names, dtype=str)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A text frame as CSV, UTF-8 with BOM so that Excel shows Chinese correctly."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, numeric: set[str] | frozenset[str] = frozenset()) -> bytes:
    """A text frame as XLSX (write-only mode); `numeric` columns are written as numbers."""
    from openpyxl import Workbook

    if len(frame) > XLSX_MAX_ROWS:
        raise FileFormatError(f"{len(frame):,} 行超过 XLSX 上限 {XLSX_MAX_ROWS:,} 行,请导出 CSV")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("registry")
    sheet.append(list(frame.columns))
    as_number = [c in numeric for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        sheet.append(
            [
                (float(v) if "." in v or "e" in v.lower() else int(v)) if num and v else v
                for v, num in zip(row, as_number, strict=True)
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
