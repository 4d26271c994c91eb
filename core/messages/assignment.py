"""双随机's second random: inspectors drawn for visits, capacity, conflicts, replacements."""

MESSAGES = {
    "assign.no_draw": (
        "{year} 年度尚无已确认的抽取,无法选派检查人员。",
        "{year} has no committed draw, so no inspectors can be assigned.",
    ),
    "assign.no_visits": (
        "{year} 年度尚无合并后的检查,请先合并(python -m core merge --year {year})。",
        "{year} has no merged visits yet: merge first (python -m core merge --year {year}).",
    ),
    "assign.results_started": (
        "{year} 年度已有 {n} 个检查录入了结果或已开始,不能重新选派;请对个别人员使用替换。",
        "{n} visit(s) of {year} already have results or have started, so the campaign cannot be "
        "assigned again; replace individual inspectors instead.",
    ),
    "assign.reason_required": ("请填写原因。", "A reason is required."),
    "assign.not_assigned": (
        "检查人员 {inspector} 当前未被选派到检查 {visit}。",
        "Inspector {inspector} is not currently assigned to visit {visit}.",
    ),
    "assign.no_replacement": (
        "检查 {visit} 的 {dept} 没有其他符合条件且未达上限的检查人员,未做任何更改。",
        "No other eligible inspector below the cap for {dept} at visit {visit}; nothing was "
        "changed.",
    ),
    "assign.unknown_inspector": (
        "检查人员名录库中没有 {inspector}。",
        "No inspector {inspector} in the inspector directory.",
    ),
    "assign.unknown_target": (
        "检查对象名录库中没有统一社会信用代码 {uscc}。",
        "No target with USCC {uscc} in the target directory.",
    ),
    "assign.unknown_dept": ("没有部门 {dept}。", "No department {dept}."),
    "assign.bad_cap": (
        "每人上限须为 1 到 10000 之间的整数,收到 {value}。",
        "The cap per inspector must be a whole number from 1 to 10000, not {value}.",
    ),
    "assign.conflict_exists": (
        "{inspector} 与 {uscc} 的回避关系已登记。",
        "A conflict between {inspector} and {uscc} is already declared.",
    ),
    "assign.no_conflict": (
        "{inspector} 与 {uscc} 没有登记回避关系。",
        "No conflict is declared between {inspector} and {uscc}.",
    ),
    "assign.reason.no_qualified": ("无具备资格的检查人员", "no qualified inspector"),
    "assign.reason.recused": ("符合条件者均须回避", "every qualified inspector must recuse"),
    "assign.reason.cap": ("符合条件者均已达上限", "every eligible inspector is at the cap"),
    "assign.reason.outside_area": (
        "检查对象不在该部门辖区内",
        "the target is outside the department's area",
    ),
    "assign.rule.conflict": ("登记的利益冲突", "declared conflict"),
    "assign.rule.previous_campaign": ("上一年度检查过该对象", "inspected the target last campaign"),
}
