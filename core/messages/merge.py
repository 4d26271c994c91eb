"""Merge page: 进一次门、查多项事."""

MESSAGES = {
    "nav.merge": ("合并检查", "Merging visits"),
    "merge.title": ("进一次门、查多项事:合并检查", "进一次门、查多项事: merging visits"),
    "merge.caption": (
        "{year} 年度抽查:抽中的检查任务经四轮合并(计划联合、集中抽取、系统对碰、任务整合)"
        "成为实际入户检查,减少对企业的打扰。",
        "Campaign {year}: the drawn inspection tasks pass four merge rounds (计划联合 joint plans, "
        "集中抽取 coordinated draw, 系统对碰 cross-check, 任务整合 task integration) and become "
        "the visits actually made, so that enterprises are disturbed less.",
    ),
    "merge.no_draw": (
        "{year} 年度尚无已确认(提交)的抽取结果,因此没有可合并的检查。"
        "请先在「随机抽取」页面或用命令 `python -m core draw --year {year} --commit` 完成抽取。",
        "There is no committed draw for {year}, so there is nothing to merge yet. Commit a draw "
        "first on the Sampling page or with `python -m core draw --year {year} --commit`.",
    ),
    "merge.not_merged": (
        "{year} 年度已有 {draws} 个已确认的抽取,但尚未合并。",
        "{year} has {draws} committed draws that have not been merged yet.",
    ),
    "merge.stale": (
        "合并结果早于当前的抽取(有抽取被重抽替代),请重新合并。",
        "The saved merge predates the current draws (a draw was superseded): merge again.",
    ),
    "merge.desk_checks": (
        "其中 {desk} 个为非现场检查(所含事项均为非现场检查,无需入户),单独计数,"
        "仍由两名检查人员办理。",
        "Of these, {desk} are desk checks (every item off-site, no door knocked), counted apart; "
        "they still get two inspectors.",
    ),
    "merge.visits_held": (
        "{year} 年度有 {n:,} 个检查已选派检查人员或已有结果(例如 {example}),"
        "重新合并会删除或改变它们,因此未做任何更改。",
        "{n:,} visit(s) of {year} already have inspectors assigned or a result (e.g. {example}); "
        "merging again would delete or change them, so nothing was changed.",
    ),
    "merge.run_hint": (
        "命令行:`python -m core merge --year {year}`",
        "Command line: `python -m core merge --year {year}`",
    ),
    "merge.run": ("合并并保存", "Merge and save"),
    "merge.running": ("正在合并……", "Merging…"),
    "merge.done": ("已合并:{visits} 次检查。", "Merged: {visits} visits."),
    "merge.next_assign": (
        "下一步:为合并后的检查随机选派检查人员(检查人员选派页)。",
        "Next: draw the inspectors for the merged visits (the Inspector assignment page).",
    ),
    "merge.baseline": ("基线(各部门单独检查)", "Baseline (each department alone)"),
    "merge.baseline_help": (
        "每个计划抽中的对象 × 计划的参与部门:若各自上门需要的检查次数",
        "Drawn targets of every plan x the plan's departments: visits if each went alone",
    ),
    "merge.final": ("合并后实际检查", "Visits after merging"),
    "merge.removed": ("减少检查", "Visits removed"),
    "merge.savings": ("减少比例", "Savings"),
    "merge.savings_help": (
        "深圳 2022 年:抽取 105,743 户,四轮合并减少 23,916 户次,22.62%",
        "Shenzhen 2022: 105,743 sampled, 23,916 removed by the four rounds, 22.62 %",
    ),
    "merge.waterfall": ("从基线到实际检查:四轮合并", "From baseline to visits: the four rounds"),
    "merge.step.baseline": ("基线", "Baseline"),
    "merge.step.joint_plans": ("① 计划联合", "① 计划联合 joint plans"),
    "merge.step.coordinated_draw": ("② 集中抽取", "② 集中抽取 coordinated draw"),
    "merge.step.cross_check": ("③ 系统对碰", "③ 系统对碰 cross-check"),
    "merge.step.task_integration": ("④ 任务整合", "④ 任务整合 task integration"),
    "merge.step.final": ("实际检查", "Visits"),
    "merge.rounds_help": (
        "①联合计划的各部门在抽取前已合并;②全市统一种子使重叠计划抽中同一批企业"
        "(与独立抽取相比);③同一对象、检查期重叠的任务合为一次;"
        "④与该对象在同一时段内已安排的其他检查(投诉核查、许可检查、复查)合并。",
        "① a joint plan's departments were merged before the draw; ② one campaign seed makes "
        "overlapping plans pick the same enterprises (against an independent draw); ③ tasks of "
        "one target with overlapping periods become one visit; ④ a visit is folded into another "
        "inspection already scheduled for the target in its window (complaint follow-up, "
        "licence check, re-inspection).",
    ),
    "merge.compare": (
        "统一种子(协同抽取)与独立抽取的对比",
        "Coordinated against independent draws",
    ),
    "merge.compare_caption": (
        "同一批计划、同样的抽取比例;独立抽取为计算所得,未保存。",
        "Same plans, same ratios; the independent-mode draw is computed, not saved.",
    ),
    "merge.compare_missing": (
        "未计算独立抽取的对照,无法区分②与③。",
        "No independent-mode counterpart was computed, so rounds ② and ③ are not told apart.",
    ),
    "merge.mode.coordinated": ("协同抽取(统一种子)", "coordinated (one seed)"),
    "merge.mode.independent": ("独立抽取(各计划单独种子)", "independent (seed per plan)"),
    "merge.col.mode": ("抽取方式", "Draw mode"),
    "merge.mode_short.coordinated": ("协同抽取", "coordinated"),
    "merge.mode_short.independent": ("独立抽取", "independent"),
    "merge.col.baseline_pairs": ("基线检查次数", "Baseline visits"),
    "merge.col.visits": ("实际检查", "Visits"),
    "merge.col.removed": ("减少", "Removed"),
    "merge.col.savings_pct": ("减少比例", "Savings"),
    "merge.sankey": ("部门 → 检查方式", "Departments → kind of visit"),
    "merge.sankey_caption": (
        "按(检查, 部门)计数:部门单独上门,或与其他部门联合上门;以及是否并入已安排的检查。",
        "Counted in (visit, department) pairs: a department alone or jointly with others, and "
        "whether the visit was folded into an already scheduled inspection.",
    ),
    "merge.node.alone": ("单部门检查", "single-department visit"),
    "merge.node.joint": ("多部门联合检查", "joint visit"),
    "merge.node.own": ("单独安排", "scheduled on its own"),
    "merge.node.folded": ("并入已安排检查", "folded into a scheduled inspection"),
    "merge.node.other": ("其他部门", "other departments"),
    "merge.burden": ("企业负担:一年内被检查几次", "Burden: visits per enterprise in the year"),
    "merge.burden_caption": (
        "合并前按各部门分别上门计算;合并后为实际上门次数(并入已安排检查的不计)。",
        "Before: every department going alone; after: visits actually made (those folded into "
        "an already scheduled inspection add none).",
    ),
    "merge.burden.visits": ("每户检查次数", "Visits per enterprise"),
    "merge.burden.targets": ("企业数", "Enterprises"),
    "merge.burden.before": ("合并前", "before merging"),
    "merge.burden.after": ("合并后", "after merging"),
    "merge.top": ("合并最多的检查(一户多项)", "Most-merged visits (one enterprise, many items)"),
    "merge.col.target": ("检查对象", "Target"),
    "merge.col.uscc": ("统一社会信用代码", "USCC"),
    "merge.col.district": ("区", "District"),
    "merge.col.window": ("检查时段", "Window"),
    "merge.col.n_plans": ("计划数", "Plans"),
    "merge.col.n_tasks": ("检查事项数", "Items"),
    "merge.col.n_departments": ("部门数", "Departments"),
    "merge.col.departments": ("参与部门", "Departments taking part"),
    "merge.col.folded": ("并入已安排检查", "Folded into"),
    "merge.breakdown": ("分部门、分区、分层级", "By department, district and level"),
    "merge.breakdown_caption": (
        "一次联合检查按参与的部门检查平均分摊,因此部门数字可带小数;各组相加等于全市合计。",
        "A joint visit is shared equally among the department visits it carries, so a "
        "department's figures may be fractional; the groups add up to the campaign's totals.",
    ),
    "merge.dim.department": ("部门", "Department"),
    "merge.dim.district": ("区", "District"),
    "merge.dim.level": ("层级", "Level"),
    "merge.col.key": ("分组", "Group"),
    "merge.col.department": ("部门名称", "Department name"),
    "merge.col.baseline_visits": ("基线", "Baseline"),
    "merge.col.round1_removed": ("① 计划联合", "① joint plans"),
    "merge.col.round2_removed": ("② 集中抽取", "② coordinated draw"),
    "merge.col.round3_removed": ("③ 系统对碰", "③ cross-check"),
    "merge.col.round4_removed": ("④ 任务整合", "④ task integration"),
    "merge.col.final_visits": ("实际检查", "Visits"),
    "merge.merged_at": (
        "合并于 {at}({mode},{draws} 个抽取)",
        "Merged {at} ({mode}, {draws} draws)",
    ),
}
