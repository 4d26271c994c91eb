"""Texts of the usability pass (issue 17): known constants shown in the reader's language,
progress steps of long operations, outcomes kept across the rerun."""

MESSAGES = {
    "sampling.plan_saved": ("计划 {plan} 的比例已保存。", "Ratios of plan {plan} saved."),
    "sampling.plan_cleared": (
        "计划 {plan} 已恢复使用默认比例表。",
        "Plan {plan} uses the default table again.",
    ),
    "actor.system": ("系统", "the system"),
    "public.no_match": ("没有符合检索条件的已公示计划。", "No published plan matches the search."),
    # the default beacon source (core/sampling/prn.py DEFAULT_BEACON_SOURCE), as read by people
    "beacon.default_source": (
        "深证成指(399001)在信标日的收盘点位,以深圳证券交易所公布为准,保留两位小数",
        "深证成指 (SZSE Component Index, 399001) closing value on the beacon date, as published "
        "by the Shenzhen Stock Exchange, written with two decimals",
    ),
    "beacon.format.szse-close-2dp": ("深证成指收盘点位,两位小数", "SZSE index close, two decimals"),
    "beacon.format.cwl-ssq": ("双色球开奖号码", "China Welfare Lottery 双色球 numbers"),
    "beacon.format.text-v1": ("任意文本", "free text"),
}
MESSAGES.update(
    {
        "feedback.done": ("{what}:完成,用时 {s} 秒", "{what}: done in {s} s"),
        "feedback.failed": ("{what}:未完成(原因见下)", "{what}: not done (see below why)"),
        "merge.step.merge": (
            "按企业与检查期限合并,并保存检查与任务…",
            "Merging by enterprise and inspection window, saving visits and tasks…",
        ),
        "pub.step.notices": (
            "生成并保存各计划的公示(新版本与更正)…",
            "Writing each plan's notice (new versions and corrections)…",
        ),
        "pub.step.build": ("生成公示包文件…", "Building the package files…"),
        "verify.running": ("正在核验", "Verifying"),
        "verify.step.recompute": (
            "按公开规则重新计算每一层的抽取,并与公布的名单和摘要逐项比对…",
            "Recomputing every stratum's draw by the published rule and comparing it with the "
            "published list and digests…",
        ),
        "sampling.step.preview": (
            "逐个计划、逐层按公开规则计算随机数并抽取,再按区、事项类别和部门汇总…",
            "Drawing every plan's strata by the published rule, then totals by district, item "
            "class and department…",
        ),
        "sampling.step.commit": (
            "重新抽取,写入抽取记录、抽中名单和审计日志…",
            "Drawing again and writing the draw records, the selections and the audit trail…",
        ),
        "registries.step.check": ("逐行检查字段…", "Checking every row's fields…"),
    }
)

# the first-run build's steps (core/synth.py, core/bootstrap.py), by name
MESSAGES.update(
    {
        "build.step.reference_tables": ("参考表", "reference tables"),
        "build.step.departments": ("部门", "departments"),
        "build.step.items": ("检查事项", "inspection items"),
        "build.step.inspectors": ("检查人员", "inspectors"),
        "build.step.plans": ("抽查计划", "inspection plans"),
        "build.step.targets": ("检查对象 {done} / {total}", "targets {done} / {total}"),
        "build.step.history": ("上年检查记录与风险评分", "last year's inspections and risk scores"),
        "build.step.schedule": ("年度检查安排", "the year's inspection schedule"),
        "build.step.summary": ("汇总", "summary"),
        "build.step.done": ("完成", "done"),
        "build.step.campaign_draw": ("演示年度的随机抽取", "the demo campaign's draw"),
        "build.step.campaign_merge": ("合并检查", "merging inspections"),
        "build.step.campaign_assign": ("选派检查人员", "assigning inspectors"),
        "build.step.campaign_results": ("模拟检查结果", "simulated results"),
    }
)

# the verifier's checks (core/verify_draw_standalone.py Report names), as the Verify page shows them
MESSAGES.update(
    {
        "verify.check.algorithm": ("算法名称", "Algorithm"),
        "verify.check.auditor_binding": ("审计包与公示包的绑定", "Auditor package binding"),
        "verify.check.auditor_files": ("审计包文件", "Auditor package files"),
        "verify.check.auditor_manifest": ("审计包清单", "Auditor package manifest"),
        "verify.check.auditor_record": ("审计记录", "Auditor record"),
        "verify.check.auditor_strata": ("审计记录的分层", "Auditor record's strata"),
        "verify.check.beacon": ("公开随机数", "Beacon value"),
        "verify.check.beacon_date": ("随机数日期", "Beacon date"),
        "verify.check.beacon_format": ("随机数格式", "Beacon format"),
        "verify.check.commitment": ("种子承诺", "Seed commitment"),
        "verify.check.fields": ("字段", "Fields"),
        "verify.check.frame": ("抽样框", "Frame"),
        "verify.check.frame_anchor": ("抽样框锚定", "Frame anchor"),
        "verify.check.frame_order": ("抽样框排序", "Frame order"),
        "verify.check.frame_sha256": ("抽样框摘要", "Frame digest"),
        "verify.check.frame_size": ("抽样框规模", "Frame size"),
        "verify.check.manifest": ("清单", "Manifest"),
        "verify.check.manifest_entry": ("清单条目", "Manifest entry"),
        "verify.check.mode": ("抽取方式", "Draw mode"),
        "verify.check.notice": ("承诺公告", "Commitment notice"),
        "verify.check.notice_plans": ("公告中的计划", "Plans in the notice"),
        "verify.check.public_selection": ("公示的抽中名单", "Published selection"),
        "verify.check.quota": ("抽取数量", "Quota"),
        "verify.check.ratio_table": ("比例表", "Ratio table"),
        "verify.check.recompute": ("重新计算", "Recomputation"),
        "verify.check.record": ("抽取记录", "Draw record"),
        "verify.check.record_fields": ("记录字段", "Record fields"),
        "verify.check.rehearsal": ("演练标记", "Rehearsal flag"),
        "verify.check.seed": ("种子", "Seed"),
        "verify.check.selection": ("抽中名单", "Selection"),
        "verify.check.selection_strata": ("抽中名单的分层", "Selection's strata"),
        "verify.check.strata": ("分层", "Strata"),
        "verify.check.tier_digest": ("分层摘要", "Tier digest"),
        "verify.check.tier_frame": ("分层抽样框", "Tier frame"),
        "verify.check.unlisted_files": ("清单外的文件", "Files not in the manifest"),
        "verify.cannot_draw": ("无法核验这次抽取:", "This draw cannot be verified:"),
        "verify.check.committed_at": ("提交时间", "Commit time"),
        "verify.check.manifest_notice": ("清单与公告", "Manifest and notice"),
        "verify.check.manifest_plans": ("清单中的计划", "Plans in the manifest"),
        "verify.check.notice_seen": ("抽取前所见的公告", "Notice seen before the draw"),
        "verify.check.prn_seed": ("随机数种子", "Random-number seed"),
        "verify.check.record_sha256": ("抽取记录摘要", "Draw record digest"),
        "verify.check.tier_partition": ("分层抽样框的合并", "Tier frames' union"),
    }
)
