"""The audit trail's check (core/audit.py verify; python -m core audit; the About page)."""

MESSAGES = {
    "audit.ok": (
        "审计日志完好:{entries} 条记录的哈希链成立,链头与外部锚点一致(第 {seq} 条)。",
        "The audit trail holds: the hash chain of {entries} entries is intact and its head "
        "matches the anchor (entry {seq}).",
    ),
    "audit.ok_empty": ("审计日志为空。", "The audit trail is empty."),
    "audit.unanchored": (
        "另有 {n} 条记录写在锚点之后(未经统一写入路径),其哈希链成立但尚无外部锚点。",
        "{n} later entries were written after the anchor (outside the write path): their chain "
        "holds but nothing outside vouches for them yet.",
    ),
    "audit.broken": (
        "审计日志被改动:第 {seq} 条记录的哈希不成立(该条或其前一条被修改或删除)。",
        "The audit trail was altered: entry {seq} does not hash as chained (it, or the entry "
        "before it, was changed or deleted).",
    ),
    "audit.anchor_missing": (
        "审计日志有 {entries} 条记录,但数据库旁没有链头锚点文件(`{file}`),无法确认末尾未被删改。"
        "核实后可运行 `python -m core audit anchor` 建立锚点。",
        "The audit trail has {entries} entries but no anchor file beside the database (`{file}`): "
        "a cut or rewritten tail cannot be ruled out. Once checked, run "
        "`python -m core audit anchor` to anchor it.",
    ),
    "audit.anchor_unreadable": (
        "链头锚点文件无法读取(`{file}`)。",
        "The anchor file cannot be read (`{file}`).",
    ),
    "audit.anchored_entry_gone": (
        "审计日志末尾被删除:锚点记录的第 {seq} 条已不存在(现有 {entries} 条)。",
        "The audit trail's tail was cut: the anchored entry {seq} is gone ({entries} entries "
        "left).",
    ),
    "audit.anchored_entry_changed": (
        "审计日志被整体改写:第 {seq} 条记录的哈希与锚点不符。",
        "The audit trail was rewritten: entry {seq} no longer has the anchored hash.",
    ),
    "audit.title": ("审计日志", "Audit trail"),
}
