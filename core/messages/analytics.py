"""Leadership analytics: coverage, discovery rate, presentation mode, briefing (issue 15)."""

MESSAGES = {
    # navigation
    "analytics.nav.coverage": ("全面覆盖", "Coverage"),
    "analytics.nav.discovery": ("问题发现率", "Discovery rate"),
    "analytics.nav.presentation": ("演示模式", "Presentation"),
    # refusals
    "analytics.target_unknown": (
        "未知的目标指标:{metric}。未做任何更改。",
        "Unknown target metric: {metric}. Nothing was changed.",
    ),
    "analytics.target_bad": (
        "目标“{metric}”的值“{value}”无效:须为不小于 0 的整数。未做任何更改。",
        "Target {metric}: '{value}' is not a whole number of 0 or more. Nothing was changed.",
    ),
    "analytics.target_year": (
        "年度 {year} 无效。未做任何更改。",
        "Year {year} is not valid. Nothing was changed.",
    ),
    "analytics.no_year": (
        "没有可报告的检查年度:{year} 年既无结果也无历史检查。",
        "No checks to report for {year}: neither results nor past inspections.",
    ),
    # shared
    "analytics.year": ("年度", "Year"),
    "analytics.present": ("▶ 演示模式", "▶ Presentation mode"),
    "analytics.briefing": ("下载简报(HTML)", "Download briefing (HTML)"),
    "analytics.briefing_prepare": ("生成简报", "Prepare the briefing"),
    "analytics.briefing_working": ("正在生成 {year} 年度简报", "Preparing the {year} briefing"),
    "analytics.step.briefing": (
        "汇总问题发现率与覆盖情况,绘制每张图表,写入一个 HTML 文件…",
        "Totalling the discovery rate and the coverage, drawing every chart, writing one HTML "
        "file…",
    ),
    "analytics.briefing_ready": (
        "{year} 年度简报已生成({mb} MB),点击“下载简报”保存。",
        "The {year} briefing is ready ({mb} MB): use “Download briefing” to save it.",
    ),
    "analytics.briefing_help": (
        "单个 HTML 文件,内嵌图表,离线可打开。",
        "One HTML file with the charts embedded; opens offline.",
    ),
    "analytics.source.results": (
        "数据来源:本年度已审核的检查结果(不含模拟结果)。",
        "Source: this year's reviewed results (simulated ones left out).",
    ),
    "analytics.source.past": (
        "数据来源:历史检查记录。",
        "Source: past inspection records.",
    ),
    "analytics.source.simulated": (
        "数据来源:模拟检查结果(由合成数据生成,仅供演示,并非真实检查)。",
        "Source: simulated results (generated from the synthetic data for demonstration; not "
        "real inspections).",
    ),
    "analytics.status_simulated": (
        "本年度的走访状态均为模拟结果(仅供演示,并非真实检查)。",
        "This year's visit statuses are all simulated (a demonstration, not real inspections).",
    ),
    "analytics.source.none": ("该年度暂无检查数据。", "No checks for this year yet."),
    "analytics.small": ("小样本", "small sample"),
    "analytics.small_note": (
        "检查数少于 {n} 的组标为“小样本”,不参与排名,其区间较宽。",
        "Groups with fewer than {n} checks are flagged 'small sample' and not ranked; their "
        "intervals are wide.",
    ),
    # discovery
    "discovery.title": ("问题发现率", "Problem discovery rate"),
    "discovery.caption": (
        "发现问题的检查数 ÷ 已完成的检查数(排除类结果不计入分母),95% 威尔逊置信区间。"
        "按风险分级抽样会多抽高风险对象,原始发现率高于总体;总体违法比例用抽样设计的入样概率"
        "(霍维茨-汤普森方法)估计。",
        "Checks with a problem ÷ checks done (excluded outcomes leave the denominator), with "
        "95 % Wilson intervals. A risk-targeted draw over-samples risky firms, so its raw rate "
        "overstates the population's; the population share is estimated with the draw's "
        "inclusion probabilities (Horvitz-Thompson).",
    ),
    "discovery.rate": ("问题发现率", "Discovery rate"),
    "discovery.rate_help": (
        "{k} / {n} 次检查,95% 区间 {lo} – {hi};排除 {x} 次",
        "{k} of {n} checks, 95 % interval {lo} – {hi}; {x} excluded",
    ),
    "discovery.population": ("总体违法比例估计", "Population share (HT estimate)"),
    "discovery.population_help": (
        "95% 区间 {lo} – {hi}(标准误 {se});覆盖总体 {pop} 个单位中的 {cov}",
        "95 % interval {lo} – {hi} (standard error {se}); covers {cov} of {pop} units",
    ),
    "discovery.lift": ("分级抽样提升倍数", "Lift of targeting"),
    "discovery.lift_help": (
        "原始发现率 ÷ 同样本量的均匀抽样预期发现率;95% 区间 {lo} – {hi}",
        "Raw rate ÷ the rate a uniform draw of the same size would find; 95 % interval {lo} – {hi}",
    ),
    "discovery.chi2": ("各风险等级差异(卡方检验)", "Tiers differ? (chi-square)"),
    "discovery.chi2_help": ("χ² = {stat},自由度 {dof}", "χ² = {stat}, {dof} degrees of freedom"),
    "discovery.design.plan_item_tier": (
        "总体估计按抽样分层(计划 × 事项 × 风险等级)加权:每个层的权重为 `N_h / n_h`。",
        "The population estimate weights each stratum (plan × item × tier) by `N_h / n_h`.",
    ),
    "discovery.design.post_stratified_tier": (
        "该年度未记录抽样设计:总体估计按当前风险等级事后分层(N_h 为该等级现有对象数)。",
        "That year's draw design was not recorded: the population estimate is post-stratified "
        "by the current tier (N_h = targets in the tier now).",
    ),
    "discovery.headline_chart": (
        "原始发现率与总体估计",
        "Raw rate against the population estimate",
    ),
    "discovery.bar.raw": ("原始发现率", "Raw rate"),
    "discovery.bar.population": ("总体估计", "Population (HT)"),
    "discovery.bar.last_raw": ("上年原始发现率", "Last year, raw"),
    "discovery.by_tier": ("按信用风险等级", "By credit-risk tier"),
    "discovery.by_dimension": ("分组查看", "Group by"),
    "discovery.dim.tier": ("信用风险等级", "Credit-risk tier"),
    "discovery.dim.item_class": ("事项类别", "Item class"),
    "discovery.dim.dept": ("部门", "Department"),
    "discovery.dim.district": ("区", "District"),
    "discovery.dim.street": ("街道", "Street"),
    "discovery.dim.industry": ("行业大类", "Industry division"),
    "discovery.dim.month": ("月份", "Month"),
    "discovery.by_group": ("发现率:{dim}", "Discovery rate by {dim}"),
    "discovery.group_table": ("各组明细", "Every group"),
    "discovery.years": ("本年与上年(按风险等级)", "This year against last, by tier"),
    "discovery.years_note": (
        "{this}年 {r1},{last}年 {r0};差 {d},双比例检验 {p}",
        "{this}: {r1}; {last}: {r0}; difference {d}, two-proportion test {p}",
    ),
    "discovery.trend": ("按月趋势", "Trend by month"),
    "discovery.all": ("全部", "All"),
    "discovery.col.group": ("组", "Group"),
    "discovery.col.checks": ("检查数", "Checks"),
    "discovery.col.problems": ("发现问题", "Problems"),
    "discovery.col.excluded": ("排除", "Excluded"),
    "discovery.col.rate": ("发现率", "Rate"),
    "discovery.col.low": ("区间下限", "Low"),
    "discovery.col.high": ("区间上限", "High"),
    "discovery.col.rank": ("排名", "Rank"),
    "discovery.col.small": ("小样本", "Small sample"),
    "discovery.col.year": ("年度", "Year"),
    "discovery.col.month": ("月份", "Month"),
    "discovery.none": ("暂无检查数据", "No checks yet"),
    # coverage
    "coverage.title": ("四个全面覆盖", "Coverage: the four 全面覆盖"),
    "coverage.caption": (
        "层级、事项、信用风险评价与平台任务的覆盖情况,可从全市下钻到区、街道(含蛇口街道试点)。"
        "部门走访数:联合走访对每个参与部门各计一次。",
        "Levels, items, credit-risk evaluation and platform tasks, drilled down from the city to "
        "a district and a street (the 蛇口街道 pilot included). Department visits: a joint visit "
        "counts once for each department taking part.",
    ),
    "coverage.scope_district": ("区", "District"),
    "coverage.scope_street": ("街道", "Street"),
    "coverage.city": ("全市", "Whole city"),
    "coverage.all_streets": ("全部街道", "All streets"),
    "coverage.as_of": ("截至 {day}", "As of {day}"),
    "coverage.visits": ("走访", "Visits"),
    "coverage.assigned_m": ("已分派", "Assigned"),
    "coverage.done_m": ("已完成", "Done"),
    "coverage.published_m": ("已公示", "Published"),
    "coverage.tier_share": ("有信用风险等级的对象", "Targets with a risk tier"),
    "coverage.tier_share_help": ("{tiered} / {targets}", "{tiered} of {targets}"),
    "coverage.late_help": ("窗口期已过未完成 {n}", "{n} past their window and not done"),
    "coverage.by_level": ("按层级:部门走访进度", "By level: department visits"),
    "coverage.by_class": ("按事项类别:走访进度", "By item class: visits"),
    "coverage.plan_share": ("纳入本年度计划的事项比例", "Share of items in a plan this year"),
    "coverage.departments": ("各部门", "Departments"),
    "coverage.behind": ("进度落后", "Behind"),
    "coverage.behind_none": ("本范围内没有落后的部门。", "No department in this scope is behind."),
    "coverage.behind_worst": (
        "最落后:{name}:{measure} {gap} / {of}({share})",
        "Furthest behind: {name}: {measure} {gap} of {of} ({share})",
    ),
    "coverage.measure.late": ("窗口期已过未完成的走访", "visits past their window, not done"),
    "coverage.measure.overdue": ("逾期未公示的结果", "results overdue for publication"),
    "coverage.measure.unplanned_items": ("未纳入本年度计划的事项", "items in no plan this year"),
    "coverage.platform": ("平台任务:实际与年度目标", "Platform: actual against the year's targets"),
    "coverage.platform_none": ("管理员尚未设定本年度目标。", "No targets set for this year yet."),
    "coverage.metric.departments": ("入驻部门", "Departments onboarded"),
    "coverage.metric.single_plans": ("单部门计划", "Single plans"),
    "coverage.metric.joint_plans": ("联合计划", "Joint plans"),
    "coverage.metric.items": ("检查事项", "Items"),
    "coverage.metric.targets": ("检查对象", "Targets"),
    "coverage.metric.inspectors": (
        "检查人员(在岗、具备执法资格)",
        "Inspectors (certified, active)",
    ),
    "coverage.actual": ("实际", "Actual"),
    "coverage.target": ("目标", "Target"),
    "coverage.gap": ("差额", "Gap"),
    "coverage.set_targets": ("设定年度目标", "Set the year's targets"),
    "coverage.save_targets": ("保存目标", "Save targets"),
    "coverage.saved": ("年度目标已保存。", "Targets saved."),
    "coverage.progress": ("抽查进度(累计走访数)", "Campaign progress (visits, cumulative)"),
    "coverage.series.drawn": ("已抽取", "Drawn"),
    "coverage.series.assigned": ("已分派", "Assigned"),
    "coverage.series.inspected": ("已检查", "Inspected"),
    "coverage.series.published": ("已公示", "Published"),
    "coverage.series.overdue": ("逾期未公示", "Overdue"),
    "coverage.col.name": ("部门", "Department"),
    "coverage.col.level": ("层级", "Level"),
    "coverage.col.items": ("事项", "Items"),
    "coverage.col.items_planned": ("已纳入计划", "In a plan"),
    "coverage.col.plan_share": ("计划覆盖率", "Share in a plan"),
    "coverage.col.plans": ("计划", "Plans"),
    "coverage.col.plans_drawn": ("已抽取计划", "Plans drawn"),
    "coverage.col.visits": ("走访", "Visits"),
    "coverage.col.assigned": ("已分派", "Assigned"),
    "coverage.col.done": ("已完成", "Done"),
    "coverage.col.published": ("已公示", "Published"),
    "coverage.col.late": ("逾期未检", "Late"),
    "coverage.col.overdue": ("逾期未公示", "Overdue"),
    "coverage.col.measure": ("项目", "Measure"),
    "coverage.col.gap": ("差额", "Gap"),
    "coverage.col.of": ("总数", "Of"),
    "coverage.col.share": ("比例", "Share"),
    "coverage.col.class": ("事项类别", "Item class"),
    # presentation
    "presentation.exit": ("退出演示", "Exit"),
    "presentation.next": ("下一页", "Next"),
    "presentation.prev": ("上一页", "Previous"),
    "presentation.keys": ("← → 翻页 · Esc 退出", "← → to move · Esc to leave"),
    "presentation.slide": ("{i} / {n}", "{i} / {n}"),
    # briefing
    "briefing.title": ("{year} 年双随机抽查简报", "{year} random inspections: briefing"),
    "briefing.generated": (
        "生成日期 {day} · 数据版本 {version}",
        "Generated {day} · data version {version}",
    ),
    "briefing.headline": ("主要数字", "Headline figures"),
    "briefing.figure": ("指标", "Figure"),
    "briefing.value": ("数值", "Value"),
    "briefing.interval": ("95% 区间", "95 % interval"),
}
