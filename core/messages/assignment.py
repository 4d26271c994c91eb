"""双随机's second random: inspectors drawn for visits, capacity, conflicts, replacements."""

MESSAGES = {
    "assign.no_draw": (
        "{year} 年度尚无已确认的抽取,无法选派检查人员。",
        "{year} has no committed draw, so no inspectors can be assigned.",
    ),
    "assign.no_visits": (
        "{year} 年度尚无合并后的检查,请先合并(`python -m core merge --year {year}`)。",
        "{year} has no merged visits yet: merge first (`python -m core merge --year {year}`).",
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
    "assign.reason.no_department": (
        "检查没有参与部门",
        "the visit has no participating department",
    ),
    "assign.reason.outside_area": (
        "检查对象不在该部门辖区内",
        "the target is outside the department's area",
    ),
    "assign.rule.conflict": ("登记的利益冲突", "declared conflict"),
    "assign.rule.previous_campaign": ("上一年度检查过该对象", "inspected the target last campaign"),
}

MESSAGES.update(
    {
        "nav.assignments": ("检查人员选派", "Inspector assignment"),
        "assignments.title": ("双随机:检查人员随机选派", "双随机: inspectors drawn at random"),
        "assignments.caption": (
            "{year} 年度抽查:每个合并后的检查按公开规则 `{algorithm}` 从检查人员名录库中随机选派"
            "执法人员(每次至少两人,联合检查每个参与部门至少一人),回避规则和每人上限均已计入。",
            "Campaign {year}: every merged visit gets law-enforcement staff drawn from the "
            "检查人员名录库 by the published rule `{algorithm}` (at least two per visit, one per "
            "participating department of a joint visit), with recusals and the cap per inspector.",
        ),
        "assignments.not_merged": (
            "{year} 年度尚无合并后的检查:先完成抽取并合并,再选派检查人员。",
            "{year} has no merged visits: commit a draw and merge it before assigning inspectors.",
        ),
        "assignments.no_run": (
            "{year} 年度尚未选派检查人员。请先查看下方的力量测算。",
            "No inspectors have been assigned for {year} yet. Check capacity below first.",
        ),
        "assignments.run": ("选派检查人员", "Assign inspectors"),
        "assignments.rerun": ("重新选派", "Assign again"),
        "assignments.running": ("正在选派……", "Assigning…"),
        "assignments.done": (
            "已选派:{staffed} 个检查配齐人员,{unstaffed} 个未能配齐。",
            "Assigned: {staffed} visits staffed, {unstaffed} could not be staffed.",
        ),
        "assignments.cli_hint": (
            "命令行:`python -m core assign --year {year}`",
            "Command line: `python -m core assign --year {year}`",
        ),
        "assignments.tab.capacity": ("力量测算", "Capacity"),
        "assignments.tab.coverage": ("配置情况", "Coverage"),
        "assignments.tab.workload": ("工作量", "Workload"),
        "assignments.tab.unstaffed": ("未配齐的检查", "Unstaffed visits"),
        "assignments.tab.recusals": ("回避与替换", "Recusals and replacements"),
        "assignments.tab.conflicts": ("利益冲突登记", "Declared conflicts"),
        "assignments.capacity_intro": (
            "每个部门:检查数 × 每检查所需人数,对比 具备资格的在岗持证人员 × 每人上限。"
            "缺口及可行的弥补办法均按数据计算。",
            "Per department: visits × inspectors per visit, against active certified qualified "
            "inspectors × the cap per inspector. Shortfalls and what would close them are "
            "computed from the data.",
        ),
        "assignments.short_count": (
            "{n} 个部门力量不足,共缺 {short} 人次。",
            "{n} department(s) are short, by {short} inspector-visits in all.",
        ),
        "assignments.no_short": ("各部门力量均足够。", "Every department has enough capacity."),
        "assignments.options": ("弥补缺口的办法及其效果", "Ways to close each shortfall"),
        "assignments.options_note": (
            "提高上限:达到所需的每人上限;借调:联合计划中其他部门同领域人员的富余人次(可弥补部分);"
            "延后:将最晚窗口的若干检查延至下一窗口,所需延后的检查数。",
            "Raise the cap: the cap that covers demand; borrow: spare inspector-visits of the "
            "joint plans' other departments in the same fields (and how much of the shortfall "
            "that closes); defer: how many of the latest-window visits must move to the next "
            "window.",
        ),
        "assignments.caps": ("每人上限设置", "Cap per inspector"),
        "assignments.cap_dept": ("部门(* 为默认值)", "Department (* is the default)"),
        "assignments.cap_value": ("每人每年度上限(次)", "Cap per inspector per campaign"),
        "assignments.cap_save": ("保存上限", "Save cap"),
        "assignments.cap_saved": ("已保存:{dept} 每人上限 {cap}。", "Saved: cap {cap} for {dept}."),
        "assignments.visits_from_merge": (
            "{visits} 个检查 = 合并后实际检查 {final} + 并入已安排检查的 {folded}"
            "(随已安排的检查上门,同样选派人员)。",
            "{visits} visits = {final} visits after merging + {folded} folded into inspections"
            " already scheduled (made with them, staffed all the same).",
        ),
        "assignments.m.visits": ("检查", "Visits"),
        "assignments.m.staffed": ("已配齐", "Staffed"),
        "assignments.m.unstaffed": ("未配齐", "Unstaffed"),
        "assignments.m.desk": ("其中非现场检查", "Of which desk checks"),
        "assignments.m.inspectors": ("参与人员", "Inspectors used"),
        "assignments.m.recusals": ("回避命中", "Recusal hits"),
        "assignments.m.replacements": ("替换", "Replacements"),
        "assignments.run_info": (
            "选派批次 {run_id},{assigned_at} 由 {assigned_by} 执行;记录 SHA-256:{sha}",
            "Run {run_id}, made {assigned_at} by {assigned_by}; record SHA-256: {sha}",
        ),
        "assignments.coverage_by_dept": ("各部门配置情况", "Coverage by department"),
        "assignments.histogram": (
            "每名检查人员的选派次数(虚线为上限)",
            "Assignments per inspector (dashed line: the cap)",
        ),
        "assignments.hist_x": ("选派次数", "Assignments"),
        "assignments.hist_y": ("检查人员数", "Inspectors"),
        "assignments.hist_cap": ("上限 {cap}", "cap {cap}"),
        "assignments.by_dept": ("各部门工作量", "Workload by department"),
        "assignments.unstaffed_none": ("所有检查均已配齐人员。", "Every visit is staffed."),
        "assignments.recusals": ("回避命中", "Recusal hits"),
        "assignments.recusals_none": (
            "本次选派没有触发回避。",
            "No recusal rule applied in this run.",
        ),
        "assignments.replacements": ("人员替换记录", "Replacements"),
        "assignments.replacements_none": ("尚无替换。", "No replacements yet."),
        "assignments.replace_title": ("替换检查人员", "Replace an inspector"),
        "assignments.replace_visit": ("检查编号", "Visit id"),
        "assignments.replace_inspector": ("被替换的检查人员", "Inspector to replace"),
        "assignments.replace_reason": ("原因(必填)", "Reason (required)"),
        "assignments.replace_go": ("按顺序抽取下一位", "Draw the next in order"),
        "assignments.replaced": (
            "已替换:{old} → {new}。",
            "Replaced: {old} → {new}.",
        ),
        "assignments.no_assignment": (
            "该检查没有在岗的选派人员。",
            "No active assignment on that visit.",
        ),
        "assignments.conflict_inspector": ("检查人员编号", "Inspector id"),
        "assignments.conflict_uscc": ("统一社会信用代码", "USCC"),
        "assignments.conflict_reason": ("原因(必填)", "Reason (required)"),
        "assignments.conflict_add": ("登记回避", "Declare conflict"),
        "assignments.conflict_remove": ("撤销所选回避", "Withdraw selected conflict"),
        "assignments.conflict_added": ("已登记回避。", "Conflict declared."),
        "assignments.conflict_removed": ("已撤销回避。", "Conflict withdrawn."),
        "assignments.conflicts_none": ("尚无登记的利益冲突。", "No conflicts declared."),
        "assignments.conflicts_next": (
            "登记或撤销的回避在下一次选派或替换时生效。",
            "Declared conflicts apply from the next run or replacement.",
        ),
        "assignments.download_assignments": ("下载选派名单", "Download assignments"),
        "assignments.download_unstaffed": ("下载未配齐清单", "Download unstaffed visits"),
        "assignments.download_workload": ("下载工作量", "Download workload"),
        "assignments.download_record": ("下载选派记录(JSON)", "Download the run's record (JSON)"),
        "assignments.recompute": ("复算本次选派", "Recompute this run"),
        "assignments.recomputing": ("正在复算选派", "Recomputing the run"),
        "assignments.step.recompute": (
            "按公开规则,仅凭选派记录重新为每次检查抽取检查人员,并与记录逐行比对…",
            "Drawing every visit's inspectors again from the record alone, by the published "
            "rule, and comparing row by row…",
        ),
        "assignments.verify_hint": (
            "任何人都可以用 `python -I core/verify_assignment_standalone.py 记录.json` "
            "复算本次选派。",
            "Anyone can recompute this run: "
            "`python -I core/verify_assignment_standalone.py record.json`",
        ),
        "assign.col.inspector_id": ("检查人员编号", "Inspector id"),
        "assign.col.inspector_name": ("姓名", "Name"),
        "assign.col.replaced": ("被替换人员", "Replaced"),
        "assign.col.replaced_name": ("被替换人员姓名", "Replaced (name)"),
        "assign.col.replacement": ("替换人员", "Replacement"),
        "assign.col.replacement_name": ("替换人员姓名", "Replacement (name)"),
        "assign.col.changed_by": ("操作人", "Changed by"),
        "assign.col.changed_at": ("时间", "When"),
        "assign.col.reason": ("原因", "Reason"),
        "assign.col.rule": ("回避规则", "Rule"),
        "assign.col.needed": ("所需人数", "Needed"),
        "assign.col.eligible": ("符合条件人数", "Eligible"),
        "assign.col.inspectors": ("人员", "Inspectors"),
        "assign.col.cap_per_inspector": ("每人上限", "Cap each"),
        "assign.col.capacity": ("可承担人次", "Capacity"),
        "assign.col.demand": ("所需人次", "Demand"),
        "assign.col.desk_demand": ("其中非现场", "Of which desk"),
        "assign.col.shortfall": ("缺口", "Shortfall"),
        "assign.col.cap_needed": ("所需上限", "Cap needed"),
        "assign.col.borrowable": ("可借调人次", "Borrowable"),
        "assign.col.borrow_closes": ("借调可弥补", "Borrowing closes"),
        "assign.col.defer_visits": ("需延后检查数", "Visits to defer"),
        "assign.col.staffed": ("已配齐", "Staffed"),
        "assign.col.unstaffed": ("未配齐", "Unstaffed"),
        "assign.col.coverage_pct": ("配齐率 %", "Coverage %"),
        "assign.col.onsite": ("现场检查", "On-site"),
        "assign.col.desk": ("非现场检查", "Desk"),
        "assign.col.total": ("合计", "Total"),
        "assign.col.mean_per_inspector": ("人均", "Mean each"),
        "assign.col.max_per_inspector": ("最多", "Most"),
        "assign.col.at_cap": ("达上限人数", "At the cap"),
        "assign.col.declared_by": ("登记人", "Declared by"),
        "assign.col.declared_at": ("登记时间", "Declared"),
    }
)

MESSAGES.update(
    {
        "assign.col.visit_id": ("检查编号", "Visit"),
        "assign.col.uscc": ("统一社会信用代码", "USCC"),
        "assign.col.target_name": ("检查对象", "Target"),
        "assign.col.window_start": ("窗口开始", "Window from"),
        "assign.col.window_end": ("窗口结束", "Window to"),
        "assign.col.dept_code": ("部门编码", "Department code"),
        "assign.col.dept_name": ("部门", "Department"),
        "assign.col.name": ("姓名", "Name"),
        "assign.col.role": ("角色", "Role"),
        "assign.col.rank": ("顺位", "Rank"),
        "assign.col.visits": ("检查数", "Visits"),
        "assign.col.assigned_at": ("选派时间", "Assigned"),
        "assign.col.level": ("层级", "Level"),
        "assign.col.cap": ("每人上限", "Cap each"),
        "assign.col.n_tasks": ("检查任务数", "Tasks"),
        "assign.col.departments": ("参与部门", "Departments"),
        "assignments.desk_list": ("非现场检查清单", "Desk-check list"),
        "assignments.download_desk": ("下载非现场检查清单", "Download the desk-check list"),
        "assign.role.lead": ("组长", "lead"),
        "assign.role.member": ("组员", "member"),
    }
)
