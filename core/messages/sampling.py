"""Sampling page: ratio tables, preview, commit and the record of draws."""

MESSAGES = {
    "sampling.nav": ("差异化抽取", "Sampling"),
    "sampling.nav_group": ("计划与抽取", "Plans and draws"),
    "sampling.title": (
        "差异化抽取:比例、预览与可验证的随机抽取",
        "Differential sampling: ratios, preview and a verifiable draw",
    ),
    "sampling.caption": (
        "按检查事项类别与信用风险等级设定抽查比例;先预览后果,再正式抽取。抽取结果任何人可用"
        " SHA-256 复核(算法 suicha-prn-sha256-v1)。",
        "Set sampling ratios by item class and credit-risk tier, look at the consequences, then"
        " commit. Anyone can re-run a committed draw with SHA-256 (algorithm"
        " suicha-prn-sha256-v1).",
    ),
    "sampling.year": ("抽查年度", "Campaign year"),
    "sampling.campaign": ("年度种子承诺", "The campaign's seed commitment"),
    "sampling.commitment": ("种子承诺 sha256(密钥)", "Seed commitment sha256(secret)"),
    "sampling.beacon_source": ("公共信标来源", "Public beacon source"),
    "sampling.no_campaign": (
        "本年度尚未生成秘密种子:预览仅作示意(配额准确,名单为示意)。由计划管理员生成并公布承诺。",
        "No campaign secret yet: the preview is illustrative (quotas exact, names illustrative)."
        " The plan administrator creates it and publishes the commitment.",
    ),
    "sampling.create_campaign": ("生成秘密种子并公布承诺", "Create the secret and its commitment"),
    "sampling.campaign_created": ("已生成,承诺 {c}", "Created; commitment {c}"),
    "sampling.no_risk": (
        "尚无信用风险等级:请先为检查对象评级(`python -m core risk`)。",
        "No credit-risk tiers yet: score the targets first (`python -m core risk`).",
    ),
    "sampling.ratios": (
        "抽查比例表(基点,1 基点 = 0.01%)",
        "Ratio table (basis points, 1 bp = 0.01 %)",
    ),
    "sampling.ratios_help": (
        "行:检查事项类别;列:信用风险等级。规则:A类事项平均不超过 10%;B类事项平均不低于 10%;"
        "每个等级大于 0。",
        "Rows: item class; columns: credit-risk tier. Rules: A类事项 mean at most 10 %;"
        " B类事项 mean at least 10 %; every tier above zero.",
    ),
    "sampling.item_class": ("事项类别", "Item class"),
    "sampling.mean_bp": ("平均(基点)", "Mean (bp)"),
    "sampling.save_ratios": ("保存比例表", "Save the ratio table"),
    "sampling.saved": ("比例表已保存。", "Ratio table saved."),
    "sampling.refused": (
        "未保存,违反规则「{rule}」:{detail}",
        "Not saved: breaks rule “{rule}”: {detail}",
    ),
    "sampling.rule.tier_above_zero": (
        "每个风险等级比例大于 0 且不超过 100%",
        "every tier above 0 and at most 100 %",
    ),
    "sampling.rule.a_class_at_most_10pct": (
        "A类事项平均比例不超过 10%",
        "A类事项 (general items): mean at most 10 %",
    ),
    "sampling.rule.b_class_at_least_10pct": (
        "B类事项平均比例不低于 10%",
        "B类事项 (key items): mean at least 10 %",
    ),
    "sampling.read_only": (
        "仅政策制定人员和管理员可修改比例。",
        "Only policy staff and administrators edit ratios.",
    ),
    "sampling.scope": ("抽取范围", "Scope"),
    "sampling.scope.campaign": ("全年度所有计划", "Whole campaign (every plan)"),
    "sampling.scope.plan": ("单个计划", "One plan"),
    "sampling.plan": ("抽查计划", "Plan"),
    "sampling.mode": ("抽取方式", "Mode"),
    "sampling.mode.coordinated": (
        "集中抽取(共用种子,便于合并)",
        "Coordinated (shared seed, merges visits)",
    ),
    "sampling.mode.independent": ("各计划独立抽取", "Independent (per-plan seed)"),
    "sampling.beacon": ("公共信标值(抽取时录入)", "Beacon value (entered at draw time)"),
    "sampling.preview": ("预览", "Preview"),
    "sampling.preview_hint": ("预览只计算,不保存。", "A preview computes; it saves nothing."),
    "sampling.selected": ("抽中(计划×对象)", "Drawn (plan × target)"),
    "sampling.distinct": ("涉及检查对象", "Distinct targets"),
    "sampling.plans": ("计划数", "Plans"),
    "sampling.inspector_visits": (
        "所需检查人次(合并前)",
        "Inspector-visits (before merging)",
    ),
    "sampling.inspector_visits_help": (
        "每个抽中的(计划×对象):单部门计划 2 人,联合计划每个参与部门 1 人(选派规则:每次至少"
        " 2 人、每个参与部门至少 1 人)。合并检查只会减少。",
        "Each drawn (plan × target): two for a one-department plan, one per department of a"
        " joint plan (the assignment rule: at least two a visit, one per department). Merging"
        " visits can only lower it.",
    ),
    "sampling.inspectors": ("在岗持证检查人员", "Certified active inspectors"),
    "sampling.inspectors_help": (
        "所预览计划的各参与部门中在岗、持证的检查人员。",
        "Certified, active inspectors of the departments of the plans previewed.",
    ),
    "sampling.seed": ("种子 S", "Seed S"),
    "sampling.strata": ("各层配额(计划 × 风险等级)", "Quotas per stratum (plan × risk tier)"),
    "sampling.by_district": ("抽中数(按区)", "Drawn by district"),
    "sampling.by_class_tier": ("抽中数(按事项类别与风险等级)", "Drawn by item class and risk tier"),
    "sampling.workload": (
        "检查任务与人员能力(按部门)",
        "Workload against inspector capacity, by department",
    ),
    "sampling.understaffed": (
        "{n} 个部门在岗持证检查人员不足 2 人",
        "{n} department(s) have fewer than 2 certified active inspectors",
    ),
    "sampling.commit": ("正式抽取", "Commit the draw"),
    "sampling.reason": (
        "重新抽取的理由(已有抽取结果的计划必填)",
        "Reason for a re-draw (required where a plan already has a draw)",
    ),
    "sampling.confirm": (
        "我确认:信标值已核对,抽取结果提交后不可更改。",
        "I confirm: the beacon value is checked; a committed draw cannot be changed.",
    ),
    "sampling.committed": (
        "已提交 {n} 个抽取结果,共抽中 {selected} 个(计划×对象),如 {first}。",
        "Committed {n} draw(s), {selected} drawn (plan × target), e.g. {first}.",
    ),
    "sampling.previewed": (
        "本预览:{year} 年度 · {scope} · {mode} · 信标值 {beacon}",
        "This preview: {year} · {scope} · {mode} · beacon value {beacon}",
    ),
    "sampling.preview_changed": (
        "年度、范围、抽取方式或信标值在预览后已更改:请重新预览,再正式抽取。",
        "The year, scope, mode or beacon value changed after the preview: preview again"
        " before committing.",
    ),
    "sampling.redraw_held": (
        "{year} 年度已有 {n:,} 个检查选派了检查人员或已有结果:重新抽取后,凡改变这些检查的合并都会被"
        "拒绝(它们不会被删除或更改)。",
        "{n:,} visit(s) of {year} already have inspectors assigned or a result: after a re-draw,"
        " a merge that would change them is refused (they are never deleted or changed).",
    ),
    "sampling.next_merge": (
        "下一步:把已提交的抽取合并为实际检查(合并检查页)。",
        "Next: merge the committed draws into visits (the Merging visits page).",
    ),
    "sampling.commit_only_admin": (
        "仅计划管理员可正式抽取。",
        "Only the plan administrator commits draws.",
    ),
    "sampling.draws": ("已提交的抽取结果", "Committed draws"),
    "sampling.no_draws": ("尚无已提交的抽取结果。", "No committed draws yet."),
    "sampling.draw_pick": ("抽取记录", "Draw record"),
    "sampling.download": ("下载抽取记录 (JSON)", "Download the draw record (JSON)"),
    "sampling.col.plan_id": ("计划编号", "Plan"),
    "sampling.col.tier": ("风险等级", "Risk tier"),
    "sampling.col.ratio_bp": ("比例(基点)", "Ratio (bp)"),
    "sampling.col.frame_size": ("抽取范围 N", "Frame N"),
    "sampling.col.quota": ("配额 n", "Quota n"),
    "sampling.col.selected": ("抽中", "Drawn"),
    "sampling.col.district": ("区", "District"),
    "sampling.col.n": ("数量", "Count"),
    "sampling.col.dept": ("部门", "Department"),
    "sampling.col.visits": ("检查户次", "Visits"),
    "sampling.col.visits_per_inspector": ("人均检查人次", "Inspector-visits per inspector"),
    "sampling.col.in_force": ("有效", "In force"),
    "sampling.tier.A": ("A级 信用风险低", "A级 low risk"),
    "sampling.tier.B": ("B级 信用风险一般", "B级 normal risk"),
    "sampling.tier.C": ("C级 信用风险较高", "C级 elevated risk"),
    "sampling.tier.D": ("D级 信用风险高", "D级 high risk"),
    "sampling.plan_ratios": (
        "本计划的比例(覆盖默认表,{cls})",
        "This plan's ratios (override the default table, {cls})",
    ),
    "sampling.plan_ratios_state": ("本计划使用自己的比例。", "This plan uses its own ratios."),
    "sampling.plan_ratios_default": (
        "本计划目前使用默认表的比例。",
        "This plan follows the default table.",
    ),
    "sampling.save_plan_ratios": ("保存本计划比例", "Save this plan's ratios"),
    "sampling.clear_plan_ratios": ("恢复默认比例", "Back to the default table"),
    "sampling.col.draw_id": ("抽取编号", "Draw"),
    "sampling.col.plan_name": ("计划名称", "Plan name"),
    "sampling.col.mode": ("抽取方式", "Mode"),
    "sampling.col.committed_at": ("提交时间", "Committed at"),
    "sampling.col.committed_by": ("提交人", "Committed by"),
    "sampling.col.supersedes": ("取代", "Supersedes"),
    "sampling.col.reason": ("理由", "Reason"),
    "sampling.notice.id": ("承诺公告编号", "Commitment notice"),
    "sampling.notice.published_at": ("公布时间", "Published at"),
    "sampling.notice.beacon_format": ("信标格式", "Beacon format"),
    "sampling.notice.beacon_date": ("信标日期(须晚于公布日)", "Beacon date (after publication)"),
    "sampling.notice.sha256": ("公告 SHA-256", "Notice SHA-256"),
    "sampling.notice.download": ("下载承诺公告(JSON)", "Download the commitment notice (JSON)"),
    "sampling.notice.rehearsal": (
        "演练:本年度的承诺使用人为指定的秘密,其抽取结果永远不能作为正式抽取公布。",
        "Rehearsal: this campaign's secret was given by a person; its draws can never be"
        " published as real draws.",
    ),
    "sampling.notice.rehearsal_draws": (
        "列表中含演练抽取(“演练”列),演练结果不能公布。",
        "The list includes rehearsal draws (column “Rehearsal”); they can never be published.",
    ),
    "sampling.notice.publish_title": ("公布承诺公告", "Publish the commitment notice"),
    "sampling.notice.publish_help": (
        "系统生成 256 位秘密,公布其 SHA-256、信标来源与日期、比例表和各计划抽查名录的哈希。"
        "信标日期之后才能正式抽取;名录或比例变化后须重新公布。",
        "The system generates a 256-bit secret and publishes its SHA-256, the beacon's source"
        " and date, the ratio table and every plan's frame hash. Draws can be committed only"
        " from the beacon date; if frames or ratios change, publish a new notice.",
    ),
    "sampling.notice.publish": ("生成秘密并公布承诺", "Generate the secret and publish"),
    "sampling.notice.rehearsal_pick": (
        "演练(自定秘密,抽取结果永远不能公布)",
        "Rehearsal (a secret you give; its draws can never be published)",
    ),
    "sampling.notice.rehearsal_help": (
        "演练用于培训和试运行:秘密由您输入,不必等到信标日期即可正式抽取,公告和抽取结果处处标明"
        "“演练”。正式年度抽取请勿勾选。",
        "For training and dry runs: you type the secret, draws can be committed before the"
        " beacon date, and the notice and its draws are marked “rehearsal” everywhere. Leave it"
        " unticked for the real campaign.",
    ),
    "sampling.notice.rehearsal_secret": ("演练秘密", "Rehearsal secret"),
    "sampling.notice.publish_rehearsal": ("公布演练承诺", "Publish the rehearsal notice"),
    "sampling.notice.working": (
        "正在计算各计划抽查名录的哈希并公布……",
        "Hashing every plan's frame and publishing…",
    ),
    "sampling.notice.published": (
        "已公布承诺公告 {id},种子承诺 {c}",
        "Published commitment notice {id}; seed commitment {c}",
    ),
    "sampling.preview_working": ("正在计算预览……", "Computing the preview…"),
    "sampling.commit_working": ("正在正式抽取并保存……", "Committing the draw…"),
    "sampling.col.rehearsal": ("演练", "Rehearsal"),
}
