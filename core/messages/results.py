"""Messages of inspection results (core/results/): entry, review, import, simulation, pages."""

MESSAGES = {
    # refusals
    "results.no_inspector": (
        "当前账号未关联检查人员名录库中的人员,无法查看或录入检查任务。",
        "This account is not linked to an inspector of the 检查人员名录库; it has no visits.",
    ),
    "results.not_assigned": (
        "检查任务 {visit_id} 不在您的任务清单中。",
        "Visit {visit_id} is not on your list of visits.",
    ),
    "results.not_reviewer": (
        "检查任务 {visit_id} 不属于您所在部门({dept_code}),无法审核。",
        "Visit {visit_id} does not involve your department ({dept_code}); you cannot review it.",
    ),
    "results.unknown_visit": ("不存在检查任务 {visit_id}。", "There is no visit {visit_id}."),
    "results.unknown_task": (
        "检查任务 {visit_id} 不含计划 {plan_id} 的检查事项 {item_code}。",
        "Visit {visit_id} has no task for plan {plan_id}, item {item_code}.",
    ),
    "results.no_entries": ("没有要保存的检查结果。", "There are no results to save."),
    "results.no_outcome": (
        "检查事项 {item_code}:请至少选择一个检查结果代码。",
        "Item {item_code}: choose at least one outcome code.",
    ),
    "results.bad_outcome": (
        "检查事项 {item_code}:结果代码 {code} 不在公示系统代码表中。",
        "Item {item_code}: outcome code {code} is not a code of the publicity system.",
    ),
    "results.clear_mixed": (
        "检查事项 {item_code}:代码 1(未发现问题)不能与其他代码同时使用。",
        "Item {item_code}: code 1 (no problem found) cannot be combined with other codes.",
    ),
    "results.no_date": (
        "检查事项 {item_code}:请填写完成日期。",
        "Item {item_code}: enter the completion date.",
    ),
    "results.future_date": (
        "检查事项 {item_code}:完成日期 {day} 晚于今天。",
        "Item {item_code}: completion date {day} is after today.",
    ),
    "results.early_date": (
        "检查事项 {item_code}:完成日期 {day} 早于检查时段开始日 {start}。",
        "Item {item_code}: completion date {day} is before the window opens on {start}.",
    ),
    "results.note_long": (
        "检查事项 {item_code}:备注不得超过 {limit} 字。",
        "Item {item_code}: the note may not exceed {limit} characters.",
    ),
    "results.in_review": (
        "检查任务 {visit_id} 正在审核中,审核退回后才能修改。",
        "Visit {visit_id} is awaiting review; it can be changed once the reviewer returns it.",
    ),
    "results.reason_needed": (
        "检查任务 {visit_id} 已审核通过,修改结果须填写原因。",
        "Visit {visit_id} has been approved: a change needs a reason.",
    ),
    "results.bad_transition": (
        "检查任务 {visit_id} 当前状态为{status},不能执行该操作。",
        "Visit {visit_id} is {status}; that step is not possible now.",
    ),
    "results.incomplete": (
        "检查任务 {visit_id} 还有 {missing} 项检查事项未录入结果,不能提交审核。",
        "Visit {visit_id} still has {missing} task(s) without a result; it cannot go to review.",
    ),
    "results.return_reason": (
        "退回须填写原因。",
        "Returning a visit needs a reason.",
    ),
    "results.sim_no_draw": (
        "{year} 年度没有已确认的抽取结果,无法模拟检查结果。",
        "Campaign {year} has no committed draw; there is nothing to simulate.",
    ),
    "results.sim_no_visits": (
        "{year} 年度尚未合并检查任务(`python -m core merge --year {year}`)。",
        "Campaign {year} has no merged visits yet (`python -m core merge --year {year}`).",
    ),
    "results.sim_no_assignments": (
        "{year} 年度的检查任务尚未分派检查人员(`python -m core assign --year {year}`)。",
        "Campaign {year}'s visits have no inspectors yet (`python -m core assign --year {year}`).",
    ),
    "results.simulated_notice": (
        "部分检查结果为模拟数据(由隐藏真值按种子生成,仅供演示),已在“模拟数据”列标明。",
        "Some results are simulated (generated from the hidden truth with a seed, for the demo "
        "only); the Simulated column marks them.",
    ),
    # import report reasons
    "results.import.columns": (
        "缺少列 {missing};必需列为 {required}",
        "missing column(s) {missing}; required: {required}",
    ),
    "results.import.duplicate": (
        "同一检查事项在文件中重复出现",
        "the same task appears twice in the file",
    ),
    "results.import.bad_date": (
        "日期应写作“年-月-日”,如 2026-12-31",
        "dates are written YYYY-MM-DD",
    ),
    "results.import.empty": ("文件没有数据行", "the file has no data rows"),
    "results.import.rejected": (
        "{file} 未导入:发现 {n} 处问题,未做任何更改。",
        "{file} was not imported: {n} problem(s) found and nothing was changed.",
    ),
    # statuses
    "results.status.pending": ("待检查", "pending"),
    "results.status.in_progress": ("检查中", "in progress"),
    "results.status.review": ("待审核", "awaiting review"),
    "results.status.done": ("已完成", "done"),
    "results.status.published": ("已公示", "published"),
    "results.kind.onsite": ("现场检查", "on-site"),
    "results.kind.desk": ("非现场检查", "off-site (desk)"),
    "results.role.lead": ("主办", "lead"),
    "results.role.member": ("协办", "member"),
    # outcome codes (DOMAIN.md)
    "results.outcome.1": ("未发现问题", "no problem found"),
    "results.outcome.3": ("违反食品药品监管规定", "violates food-and-drug rules"),
    "results.outcome.4": ("违反质量监管规定", "violates quality rules"),
    "results.outcome.G": ("违反公安管理规定", "violates public-security rules"),
    "results.outcome.5": ("违反其他部门监管规定", "violates other departments' rules"),
    "results.outcome.6": (
        "通过登记的住所(经营场所)无法联系",
        "cannot be reached at registered address",
    ),
    "results.outcome.7": ("已关闭停业或正在组织清算", "closed or in liquidation"),
    "results.outcome.8": ("不配合检查情节严重", "serious non-cooperation"),
    "results.outcome.9": ("已注销", "deregistered"),
    "results.outcome.10": ("已吊销", "licence revoked"),
    "results.outcome.11": ("已撤销登记", "registration cancelled"),
    "results.outcome.12": ("已迁出", "moved out"),
    "results.outcome.A": ("发现问题待后续处理", "problem found, follow-up pending"),
    "results.outcome.B": ("未按规定公示应当公示的信息", "failed to publish required information"),
    "results.outcome.C": ("公示信息隐瞒真实情况弄虚作假", "published false information"),
    "results.outcome.D": ("违反其他市场监管规定", "other market-supervision violations"),
    "results.outcome.E": ("发现问题经责令已改正", "problem found and corrected on order"),
    "results.outcome.F": ("未发现开展本次抽查涉及的经营活动", "activity not carried on"),
    # My assignments page
    "results.nav.my_assignments": ("我的检查任务", "My visits"),
    "results.nav.review": ("结果审核", "Review results"),
    "results.nav.group.inspection": ("检查实施", "Inspections"),
    "results.mine.title": ("我的检查任务", "My visits"),
    "results.mine.caption": (
        "只显示分派给您本人的检查任务;逐项录入检查结果,全部录入后提交本部门审核。",
        "Only the visits you were drawn for. Enter a result per task, then submit the visit "
        "for your department's review.",
    ),
    "results.mine.signed_in_as": (
        "{name}(检查人员编号 {inspector_id})",
        "{name} (inspector {inspector_id})",
    ),
    "results.mine.none": ("暂无分派给您的检查任务。", "No visits have been assigned to you."),
    "results.mine.visits": ("任务 {n} 个", "{n} visits"),
    "results.mine.pick": ("选择检查任务", "Choose a visit"),
    "results.mine.download": ("下载我的任务清单(CSV)", "Download my visits (CSV)"),
    "results.mine.tasks": ("检查事项", "Tasks"),
    "results.mine.entry": ("录入检查结果", "Enter results"),
    "results.mine.outcomes": ("结果代码", "Outcome codes"),
    "results.mine.note": ("备注", "Note"),
    "results.mine.choose": ("请选择结果代码", "Choose outcome codes"),
    "results.mine.completed_on": ("完成日期", "Completed on"),
    "results.mine.reason": (
        "修改原因(已审核的任务必填)",
        "Reason for the change (needed once approved)",
    ),
    "results.mine.save": ("保存结果", "Save results"),
    "results.mine.submit": ("提交审核", "Submit for review"),
    "results.mine.saved": ("已保存 {n} 项检查结果。", "{n} result(s) saved."),
    "results.mine.submitted": (
        "检查任务 {visit_id} 已提交审核。",
        "Visit {visit_id} was sent for review.",
    ),
    "results.mine.desk": ("非现场检查(无需上门)", "Off-site desk check (no door knocked)"),
    "results.mine.window": (
        "检查时段 {start} 至 {end}(截止 {end})",
        "Window {start} to {end} (deadline {end})",
    ),
    "results.mine.co": ("同组检查人员:{names}", "Co-inspectors: {names}"),
    "results.mine.co_none": ("同组检查人员:无", "Co-inspectors: none"),
    "results.mine.simulated": (
        "本任务的结果为模拟数据(由隐藏真值按种子生成,仅供演示)。",
        "This visit's results are simulated (generated from the hidden truth with a seed, for "
        "the demo only).",
    ),
    "results.mine.status": ("状态:{status}", "Status: {status}"),
    # Review page
    "results.review.title": ("检查结果审核", "Review inspection results"),
    "results.review.caption": (
        "本部门参与的检查任务提交审核后在此审核;通过后生成结果公示,须在完成后 20 个工作日内公示。",
        "Visits of your department awaiting review. Approval makes the result notice due: it "
        "must be published within 20 working days of completion.",
    ),
    "results.review.none": ("没有待审核的检查任务。", "No visits are awaiting review."),
    "results.review.no_dept": ("当前账号未关联部门,无法审核。", "This account has no department."),
    "results.review.pick": ("选择待审核任务", "Choose a visit to review"),
    "results.review.approve": ("审核通过", "Approve"),
    "results.review.return": ("退回修改", "Return for changes"),
    "results.review.reason": ("退回原因", "Reason for returning it"),
    "results.review.approved": ("检查任务 {visit_id} 已审核通过。", "Visit {visit_id} approved."),
    "results.review.returned": ("检查任务 {visit_id} 已退回。", "Visit {visit_id} returned."),
    "results.review.counts": ("本部门任务状态", "Your department's visits by status"),
    # columns
    "results.col.visit_id": ("检查任务编号", "Visit"),
    "results.col.uscc": ("统一社会信用代码", "USCC"),
    "results.col.enterprise_name": ("检查对象名称", "Target"),
    "results.col.completed_on": ("完成日期", "Completed on"),
    "role.reviewer": ("结果审核人员", "Results reviewer"),
    "results.col.kind": ("检查方式", "Kind"),
    "results.col.street": ("街道", "Street"),
    "results.col.district": ("区", "District"),
    "results.col.window_start": ("时段开始", "Window opens"),
    "results.col.window_end": ("截止日期", "Deadline"),
    "results.col.my_role": ("我的角色", "My role"),
    "results.col.co_inspectors": ("同组检查人员", "Co-inspectors"),
    "results.col.departments": ("检查部门", "Departments"),
    "results.col.n_tasks": ("检查事项数", "Tasks"),
    "results.col.status": ("状态", "Status"),
    "results.col.simulated": ("模拟数据", "Simulated"),
    "results.col.plan": ("抽查计划", "Plan"),
    "results.col.item": ("检查事项", "Item"),
    "results.col.content": ("检查内容", "What is checked"),
    "results.col.legal_basis": ("检查依据", "Legal basis"),
    "results.col.method": ("检查方法", "Method"),
    "results.col.outcomes": ("结果代码", "Outcome codes"),
    "results.col.note": ("备注", "Note"),
}
