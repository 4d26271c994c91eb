"""Refusals of risk settings and registry imports (keys raised by core/risk.py,
core/risk_calibration.py and core/registry_import.py), shown in the reader's language."""

MESSAGES = {
    "risk.unknown_factor": ("未知的风险因素“{factor}”", "unknown risk factor “{factor}”"),
    "risk.bad_weight": (
        "因素“{factor}”的权重须为 -10 至 10 之间的数,而不是“{value}”",
        "the weight of “{factor}” must be a number between -10 and 10, not “{value}”",
    ),
    "risk.thresholds_missing": (
        "B、C、D 三级门槛都须填写数值",
        "the cut-offs need a number for each of B, C and D",
    ),
    "risk.thresholds_order": (
        "门槛须从 B 到 D 递增:B {b} < C {c} < D {d}",
        "the cut-offs must rise from B to D: B {b} < C {c} < D {d}",
    ),
    "risk.not_enough_history": (
        "往年检查记录不足(现有 {n} 次,至少需要 {minimum} 次且发现问题与未发现问题都有),无法校准。",
        "Calibration needs at least {minimum} past inspections with problems found and not "
        "found; there are {n}.",
    ),
    "import.bad_mode": (
        "导入方式“{mode}”无效,可选:{modes}。",
        "Import mode “{mode}” is invalid; one of: {modes}.",
    ),
    "import.unknown_registry": (
        "没有名为“{name}”的名录库,可选:{names}。",
        "No registry named “{name}”; one of: {names}.",
    ),
    "import.failed": (
        "文件 {file} 未能导入:{error}。未做任何更改,此次尝试已记入审计日志。",
        "{file} could not be imported: {error}. Nothing was changed; the attempt is in the "
        "audit log.",
    ),
}
