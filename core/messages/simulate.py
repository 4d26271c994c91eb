"""Ratio simulator and optimiser (issue 14): page, CLI and refusals."""

MESSAGES = {
    # refusals
    "simulate.bad_file": (
        "比例表文件 {file} 有误({where}):{problem}。未做任何更改。",
        "Ratio file {file} is wrong ({where}): {problem}. Nothing was changed.",
    ),
    "simulate.no_plans": ("{year} 年度没有抽查计划。", "No plans for campaign {year}."),
    "simulate.bad_proposal": (
        "方案有误:{problem}。未做任何更改。",
        "The proposal is wrong: {problem}. Nothing was changed.",
    ),
    "simulate.no_proposal": ("没有编号为 {id} 的方案。", "No proposal {id}."),
    "simulate.rules_broken": (
        "方案违反{item_class}类事项的规则,不能保存或采用:{rule}",
        "The proposal breaks a rule of class {item_class} items and cannot be saved or adopted:"
        " {rule}",
    ),
    "simulate.problem.missing_cell": (
        "{item_class}类事项、{tier}级缺少比例",
        "class {item_class}, tier {tier}: missing",
    ),
    "simulate.problem.bad_cell": (
        "{item_class}类事项、{tier}级的比例 {value} 不是 1 至 {most} 之间的整数基点",
        "class {item_class}, tier {tier}: {value} is not whole basis points from 1 to {most}",
    ),
    "simulate.problem.name": (
        "方案名称须为 1 至 {most} 个字",
        "the name must be 1 to {most} characters",
    ),
    "simulate.problem.source": ("来源 {source} 无效", "unknown source {source}"),
    # page
    "nav.simulate": ("比例模拟", "Ratio simulator"),
    "simulate.title": (
        "抽查比例模拟:先算后果,再定比例",
        "Ratio simulator: the consequences before the table",
    ),
    "simulate.caption": (
        "按事项类别与信用风险等级调整抽查比例,立即看到抽查户次、合并后的检查次数、各部门执法人员负荷、"
        "预计发现问题数与无事打扰的次数。模拟不抽取、不保存,数据库不变。",
        "Move the ratios by item class and credit-risk tier and see at once the inspections,"
        " visits after merging, each department's inspector workload, the problems expected to be"
        " found and the visits to firms with nothing wrong. Simulating draws nothing and saves"
        " nothing: the database does not change.",
    ),
    "simulate.year": ("抽查年度", "Campaign year"),
    "simulate.loading": ("正在读取名录与计划…", "Reading the frames and plans…"),
    "simulate.rates": ("发现率依据", "Discovery rates from"),
    "simulate.rates.past": ("上年检查结果(按风险等级)", "Last year's results (per risk tier)"),
    "simulate.rates.model": (
        "信用风险评分模型(按抽查层)",
        "The risk score's propensities (per stratum)",
    ),
    "simulate.unscored": (
        "抽查名录中有 {n} 个检查对象尚无信用风险等级,未计入模拟;正式抽取会拒绝,请先评级。",
        "{n} targets in the frames have no risk tier and are left out of the simulation; a draw"
        " would refuse them: score the targets first.",
    ),
    "simulate.in_force": ("现行比例", "Ratios in force"),
    "simulate.proposed": ("拟议比例", "Proposed ratios"),
    "simulate.sliders_help": (
        "单位:基点(1 基点 = 0.01%)。A类事项各等级平均不超过 10%,B类事项平均不低于 10%。",
        "In basis points (1 bp = 0.01 %). A类事项: mean over the tiers at most 10 %; B类事项: at"
        " least 10 %.",
    ),
    "simulate.read_only": (
        "只读:政策岗位可调整比例并保存方案。",
        "Read only: policy staff can move the ratios and save proposals.",
    ),
    "simulate.reset": ("恢复为现行比例", "Back to the ratios in force"),
    "simulate.compare": ("现行与拟议对比", "In force against proposed"),
    "simulate.metric.inspections": ("抽查户次", "Inspections"),
    "simulate.metric.targets_reached": ("涉及检查对象", "Targets reached"),
    "simulate.metric.visits": ("合并后检查次数(预计)", "Visits after merging (expected)"),
    "simulate.metric.inspector_visits": ("执法人员人次", "Inspector-visits"),
    "simulate.metric.discoveries": ("预计发现问题", "Problems expected"),
    "simulate.metric.discovery_rate": ("问题发现率", "Discovery rate"),
    "simulate.metric.burden_visits": ("无事打扰次数(预计)", "Visits finding nothing (expected)"),
    "simulate.metric.low_risk_inspections": ("低风险对象抽查户次", "Low-risk inspections"),
    "simulate.metric.departments_over": ("超出能力的部门", "Departments over capacity"),
    "simulate.interval": ("95% 区间 {lo} – {hi}", "95 % interval {lo} – {hi}"),
    "simulate.rules_ok": ("事项类别规则:均满足", "Class rules: all hold"),
    "simulate.rule_broken": ("{scope} · {cls}:{rule}", "{scope} · {cls}: {rule}"),
    "simulate.scope.default": ("默认比例表", "the default table"),
    "simulate.workload": (
        "各部门执法人员负荷与能力(负荷最高的部门)",
        "Inspector workload against capacity (the most loaded departments)",
    ),
    "simulate.capacity": ("能力(100%)", "Capacity (100 %)"),
    "simulate.load_axis": ("执法人员人次占能力的百分比", "Inspector-visits as % of capacity"),
    "simulate.capacity_source.default cap": (
        "能力 = 在岗持证执法人员 × 每人每年 {cap} 人次(默认值)。",
        "Capacity = active certified inspectors × {cap} inspector-visits each per campaign"
        " (default).",
    ),
    "simulate.capacity_source.assignment": (
        "能力取自人员分派模块的部门设置。",
        "Capacity from the assignment module's department settings.",
    ),
    "simulate.discoveries_vs_burden": (
        "发现问题与无事打扰",
        "Problems found against visits finding nothing",
    ),
    "simulate.by_class_tier": ("按事项类别与风险等级", "By item class and risk tier"),
    "simulate.coverage_district": ("各区覆盖率(拟议)", "Coverage by district (proposed)"),
    "simulate.coverage_class": ("各类事项覆盖率(拟议)", "Coverage by item class (proposed)"),
    "simulate.col.item_class": ("事项类别", "Item class"),
    "simulate.col.tier": ("风险等级", "Risk tier"),
    "simulate.col.frame_size": ("名录数", "Frame size"),
    "simulate.col.inspections": ("抽查户次", "Inspections"),
    "simulate.col.discoveries": ("预计发现", "Expected problems"),
    "simulate.col.rate": ("发现率(%)", "Rate (%)"),
    "simulate.col.district": ("区", "District"),
    "simulate.col.targets": ("检查对象", "Targets"),
    "simulate.col.reached": ("预计抽中", "Expected reached"),
    "simulate.col.share": ("覆盖率(%)", "Share (%)"),
    "simulate.col.department": ("部门", "Department"),
    "simulate.col.scenario": ("方案", "Scenario"),
    "simulate.col.metric": ("指标", "Figure"),
    "simulate.col.delta": ("变化", "Change"),
    "simulate.model_note": (
        "合并次数按统一随机数模式估算:同一对象在各计划中的随机数相同,按各计划期限合并;"
        "发现率取上年检查结果按现行风险等级汇总,或由信用风险评分按上年结果校准为概率后按各抽查层平均。",
        "Visits are estimated for the coordinated mode (one random number per target for every"
        " plan, merged by the plans' periods); discovery rates are last year's results by the"
        " risk tiers in force, or the risk score calibrated on last year's results to a"
        " probability and averaged over each stratum.",
    ),
    "simulate.optimiser": ("优化建议", "The optimiser's proposal"),
    "simulate.optimiser_help": (
        "在部门能力、事项类别规则、各等级最低比例(随机覆盖每个对象)、风险越高比例不低于较低等级等约束下,"
        "使预计发现问题最多的比例表。",
        "The table that finds the most problems expected, within department capacity, the class"
        " rules, a floor for every tier (randomness reaches every firm) and ratios that never fall"
        " as risk rises.",
    ),
    "simulate.min_ratio": ("各等级最低比例(基点)", "Floor for every tier (bp)"),
    "simulate.use_capacity": ("不超过部门能力", "Within department capacity"),
    "simulate.keep_inspections": (
        "抽查户次不超过现行方案",
        "No more inspections than the table in force",
    ),
    "simulate.low_risk_cap": (
        "低风险对象抽查户次上限(0 表示不限)",
        "Cap on low-risk inspections (0: none)",
    ),
    "simulate.run_optimiser": ("计算优化建议", "Compute the proposal"),
    "simulate.optimising": ("正在求解…", "Solving…"),
    "simulate.optimum": (
        "预计发现问题 {value}(任何比例表不超过 {bound})。",
        "Problems expected {value} (no table can exceed {bound}).",
    ),
    "simulate.binding": ("起约束作用:{names}", "Binding: {names}"),
    "simulate.infeasible": (
        "约束无法同时满足。相互冲突的约束:{names}",
        "The constraints cannot all hold. In conflict: {names}",
    ),
    "simulate.unreachable": (
        "以下部门在任何符合事项类别规则的比例下都超出能力(需增加人员、提高每人上限或减少计划),未纳入优化:{names}",
        "No table within the class rules keeps these departments within capacity (they need"
        " inspectors, a higher cap or fewer plans); left out of the optimisation: {names}",
    ),
    "simulate.strict_capacity": (
        "所有部门都必须在能力之内",
        "Every department must stay within capacity",
    ),
    "simulate.load_optimum": ("载入为拟议比例", "Load as the proposed ratios"),
    "simulate.save": ("保存为方案", "Save as a proposal"),
    "simulate.proposal_name": ("方案名称", "Proposal name"),
    "simulate.saved": ("已保存方案 {id}", "Saved proposal {id}"),
    "simulate.proposals": ("已保存的方案", "Saved proposals"),
    "simulate.load_proposal": ("载入方案", "Load a proposal"),
    "simulate.no_proposals": ("尚无保存的方案。", "No proposals saved yet."),
    "simulate.adopted": ("采用时间", "Adopted at"),
    "simulate.col.proposal": ("方案编号", "Proposal"),
    "simulate.col.author": ("保存人", "Saved by"),
    "simulate.col.created_at": ("保存时间", "Saved at"),
    "simulate.col.source": ("来源", "Source"),
    "simulate.source.manual": ("手工调整", "Set by hand"),
    "simulate.source.optimiser": ("优化建议", "The optimiser"),
    "simulate.c.capacity": ("部门能力:{name}", "Capacity: {name}"),
    "simulate.c.class_A_max": ("A类事项平均比例 ≤ 10%", "A类事项 mean ratio ≤ 10 %"),
    "simulate.c.class_B_min": ("B类事项平均比例 ≥ 10%", "B类事项 mean ratio ≥ 10 %"),
    "simulate.c.min_ratio": ("{tier} 最低比例", "Floor for {tier}"),
    "simulate.c.max_ratio": ("比例上限 100%", "Ratio at most 100 %"),
    "simulate.c.low_risk_cap": ("低风险抽查户次上限", "Cap on low-risk inspections"),
    "simulate.c.inspections_max": ("抽查户次上限", "Cap on inspections"),
    "simulate.c.tiers_rise": ("{cls}:{lo} ≤ {hi}", "{cls}: {lo} ≤ {hi}"),
    # the Sampling page's adopt action
    "simulate.adopt_title": ("采用模拟方案", "Adopt a simulator proposal"),
    "simulate.adopt": ("采用为默认比例表", "Adopt as the default table"),
    "simulate.adopt_done": (
        "已采用方案 {id} 为默认比例表。",
        "Proposal {id} is now the default table.",
    ),
}
