"""Refusals of registry files as a whole (core/registry_io.py): encoding, shape, damage."""

MESSAGES = {
    "import.encoding_other": (
        "文件编码看来是 {encoding},不在支持之列(UTF-8、UTF-8 BOM、GBK/GB18030):"
        "请另存为 UTF-8 CSV 后再导入",
        "The file's encoding looks like {encoding}, which is not accepted (UTF-8, UTF-8 with "
        "BOM, GBK/GB18030): save it as UTF-8 CSV and import again",
    ),
    "import.encoding_unknown": (
        "无法识别文件编码(支持 UTF-8、UTF-8 BOM、GBK/GB18030)",
        "The file's encoding cannot be recognised (accepted: UTF-8, UTF-8 with BOM, GBK/GB18030)",
    ),
    "import.no_header": ("文件没有表头行", "The file has no header row"),
    "import.csv_broken": (
        "CSV 文件第 {line} 行无法解析({error})",
        "The CSV file cannot be read at line {line} ({error})",
    ),
    "import.suffix": (
        "不支持的文件类型 {suffix}:请使用 CSV 或 XLSX 文件",
        "Unsupported file type {suffix}: use .csv or .xlsx",
    ),
    "import.xlsx_broken": (
        "XLSX 文件已损坏或不完整,无法读取({error})",
        "The XLSX file is damaged or incomplete and cannot be read ({error})",
    ),
    "import.xlsx_no_sheet": ("XLSX 文件没有工作表", "The XLSX file has no worksheet"),
    "import.xlsx_empty": ("XLSX 工作表为空", "The XLSX worksheet is empty"),
    "import.too_many_problems": (
        "共发现 {total} 处问题,仅列出前 {shown} 处",
        "{total} problems found; the first {shown} are listed",
    ),
    "export.suffix": (
        "不支持的导出类型 {suffix}:请使用 CSV 或 XLSX 文件",
        "Unsupported export type {suffix}: use .csv or .xlsx",
    ),
    "export.xlsx_too_many": (
        "{rows} 行超过 XLSX 上限 {limit} 行,请导出 CSV",
        "{rows} rows exceed the XLSX limit of {limit}: export CSV instead",
    ),
}
