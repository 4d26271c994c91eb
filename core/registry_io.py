"""Registry files in and out: CSV in any encoding Excel users produce, XLSX, and exports that no
spreadsheet will execute.

Files are read as text cells (a DataFrame of str, '' for blank) and left to the validator, so a
leading zero in a code or a stray character is seen, never silently converted.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import charset_normalizer
import numpy as np
import pandas as pd

from core.refusal import Refused

# OWASP CSV injection: a cell starting with one of these may run as a formula. Export prefixes a
# single quote; import removes exactly one, so that the text round-trips unchanged. Values that
# already start with quotes before such a character get one more, keeping the mapping reversible.
FORMULA_START = re.compile(r"^'*[=+\-@]")
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the header

# Cells of any length are read whole, so that validation can name the column and the length
# instead of the reader failing at the csv module's default limit of 131,072 characters.
csv.field_size_limit(2**31 - 1)


def first_problem(errors: pd.DataFrame) -> dict[str, int | str]:
    """Where a rejected file's first problem is (row as a spreadsheet shows it, column), for the
    attempt's audit entry: the place, never the cell's value or the reason's text."""
    if errors.empty:
        return {}
    first = errors.iloc[0]
    return {"first_row": int(first["row"]), "first_column": str(first["column"])[:64]}


class FileFormatError(Refused, ValueError):
    """The file cannot be read as a table at all (unknown suffix, undeclared encoding, a damaged
    workbook, no sheet): a refusal with a message key, shown in the reader's language."""


@dataclass
class Table:
    """A registry file's cells as text, and what is wrong with its shape.

    `rows` gives each frame row's number as a spreadsheet shows it (header = row 1, blank rows
    counted), so that every report names the row the user sees. `problems` holds what the reader
    found in the file's structure (ragged rows, values beyond the header, formulas without a
    saved value), as (row, column, value, reason_zh, reason_en)."""

    frame: pd.DataFrame
    format: str
    rows: np.ndarray
    problems: list[tuple[int, str, str, str, str]] = field(default_factory=list)


# The encodings a registry file may use (README): UTF-8 with or without BOM, and GBK/GB18030.
# Anything else (Big5, Shift-JIS, EUC-KR, UTF-16 …) is refused with the detector's guess rather
# than decoded as GB18030, which accepts almost any byte sequence and would store mojibake.
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "hz"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)  # fmt: skip


def neutralise(value: str) -> str:
    """Make a text cell inert in spreadsheets: '=1+1' -> \"'=1+1\"."""
    return "'" + value if FORMULA_START.match(value) else value


def unneutralise(value: str) -> str:
    """Undo `neutralise` on import."""
    return value[1:] if value.startswith("'") and FORMULA_START.match(value) else value


def _refuse_encoding(guess: str | None) -> FileFormatError:
    if guess:
        return FileFormatError("import.encoding_other", encoding=guess)
    return FileFormatError("import.encoding_unknown")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) for CSV bytes in a declared encoding; FileFormatError naming the file's
    likely encoding otherwise (charset-normalizer's guess)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise _refuse_encoding(name)
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8 BOM" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _refuse_encoding(best.encoding if best else None) from None
    if best is None or best.encoding in GB_FAMILY:
        return text, "GB18030"
    gb_chaos = min((m.chaos for m in matches if m.encoding in GB_FAMILY), default=None)
    if gb_chaos is not None and gb_chaos <= best.chaos:  # as plausible as the best guess
        return text, "GB18030"
    raise _refuse_encoding(best.encoding)


def _column_name(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _shape(records: list[list[str]], first_row: int, lines: list[int] | None) -> Table:
    """Header and body of already-split records, with ragged rows and values beyond the header
    reported rather than silently dropped or shifted into other columns."""
    if not records:
        raise FileFormatError("import.no_header")
    header = list(records[0])
    while header and header[-1].strip() == "":
        header.pop()  # trailing empty header cells (a trailing comma): not columns
    if not header:
        raise FileFormatError("import.no_header")
    width = len(header)
    body: list[list[str]] = []
    rows: list[int] = []
    problems: list[tuple[int, str, str, str, str]] = []
    for offset, record in enumerate(records[1:], start=1):
        row = first_row + offset
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        extra = record[width:]
        beyond = [i for i, cell in enumerate(extra) if cell.strip()]
        if beyond:
            i = beyond[0]
            problems.append((
                row, _column_name(width + i), extra[i],
                f"表头只有 {width} 列,第 {width + i + 1} 列有值(该行共 {len(record)} 个字段)",
                f"a value beyond the header's {width} columns (column {width + i + 1}; "
                f"the row has {len(record)} fields)",
            ))  # fmt: skip
        elif len(record) < width:
            line = f",文件第 {lines[offset]} 行" if lines else ""
            line_en = f", line {lines[offset]} of the file" if lines else ""
            problems.append((
                row, "(row)", "", f"行字段数不齐:{len(record)} 个字段,表头有 {width} 个{line}",
                f"ragged row: {len(record)} fields where the header has {width}{line_en}",
            ))  # fmt: skip
        cells = list(record[:width]) + [""] * (width - len(record))
        body.append(cells)
        rows.append(row)
    frame = (
        pd.DataFrame(body, columns=header, dtype=str)
        if body
        else pd.DataFrame(columns=header, dtype=str)
    )
    return Table(frame, "", np.asarray(rows, dtype=np.int64), problems)


def _read_csv(text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    lines: list[int] = [1]
    try:
        for record in reader:
            records.append(record)
            lines.append(reader.line_num)
    except csv.Error as e:
        raise FileFormatError("import.csv_broken", line=reader.line_num, error=str(e)) from None
    return _shape(records, 1, lines[1:] if records else None)


def read_table(data: bytes, filename: str) -> Table:
    """A registry file's cells as text, with the rows' numbers and the file's shape problems."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        text, encoding = decode_bytes(data)
        table = _read_csv(text)
        table.format = f"CSV {encoding}"
        return table
    if suffix == ".xlsx":
        table = _read_xlsx(data)
        table.format = "XLSX"
        return table
    raise FileFormatError("import.suffix", suffix=suffix or "—")


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


def _read_xlsx(data: bytes) -> Table:
    """The first sheet's cells. A formula cell is read as the value Excel saved with it; one
    that has no saved value (written by a program that does not calculate) is reported."""
    try:
        return _read_sheet(data)
    except FileFormatError:
        raise
    except Exception as e:  # noqa: BLE001 - zip, XML and openpyxl errors of a damaged file
        raise FileFormatError("import.xlsx_broken", error=type(e).__name__) from None


def _read_sheet(data: bytes) -> Table:
    from openpyxl import load_workbook

    values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        if not values_book.worksheets:
            raise FileFormatError("import.xlsx_no_sheet")
        values = values_book.worksheets[0].iter_rows(values_only=True)
        formulas = formulas_book.worksheets[0].iter_rows(values_only=True)
        records: list[list[str]] = []
        problems: list[tuple[int, str, str, str, str]] = []
        for row_number, (vrow, frow) in enumerate(zip(values, formulas, strict=False), start=1):
            for i, (v, f) in enumerate(zip(vrow, frow, strict=False)):
                if v is None and isinstance(f, str) and f.startswith("="):
                    problems.append((
                        row_number, _column_name(i), f[:60],
                        "公式没有保存的计算结果:请在 Excel 中打开并保存,或粘贴为数值",
                        "a formula without a saved value: open and save the file in Excel, "
                        "or paste the values",
                    ))  # fmt: skip
            records.append([_cell_text(v) for v in vrow])
    finally:
        values_book.close()
        formulas_book.close()
    if not records:
        raise FileFormatError("import.xlsx_empty")
    table = _shape(records, 1, None)
    table.problems = problems + table.problems
    return table


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A text frame as CSV, UTF-8 with BOM so that Excel shows Chinese correctly."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, numeric: set[str] | frozenset[str] = frozenset()) -> bytes:
    """A text frame as XLSX (write-only mode); `numeric` columns are written as numbers."""
    from openpyxl import Workbook

    if len(frame) > XLSX_MAX_ROWS:
        raise FileFormatError(
            "export.xlsx_too_many", rows=f"{len(frame):,}", limit=f"{XLSX_MAX_ROWS:,}"
        )
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
