"""About page: what this is, and how fast it runs."""

MESSAGES = {
    "nav.about": ("关于与性能", "About and performance"),
    "nav.group.about": ("关于", "About"),
    "about.title": ("关于随查", "About Suicha"),
    "about.intro": (
        "随查是“双随机、一公开”监管的分析与抽查引擎:检查对象随机抽取、检查人员随机选派、"
        "结果向社会公开。每一次抽取都可由任何人凭公开记录复算验证。",
        "Suicha is the analytics and draw engine for 双随机、一公开 supervision: targets drawn at "
        "random, inspectors drawn at random, results made public. Anyone can re-run any draw "
        "from its published record.",
    ),
    "about.scaling": ("各环节耗时随检查对象规模的变化", "Time per stage as the directory grows"),
    "about.scaling_caption": (
        "由 `python -m core bench --scaling` 在 {machine} 上测得({date});双对数坐标。",
        "Measured by `python -m core bench --scaling` on {machine} ({date}); log-log axes.",
    ),
    "about.memory": ("峰值内存(MB)", "Peak memory (MB)"),
    "about.no_run": (
        "尚无已提交的规模测试结果:运行 "
        "`python -m core bench --scaling --out docs/bench-scaling.json`。",
        "No scaling run committed yet: run `python -m core bench --scaling "
        "--out docs/bench-scaling.json`.",
    ),
    "about.targets": ("检查对象数", "Targets"),
    "about.seconds": ("秒", "Seconds"),
    "about.stage": ("环节", "Stage"),
    "about.machine": (
        "{cores} 核、{mem} GiB 内存、{os} {arch}、Python {py}",
        "{cores} cores, {mem} GiB, {os} {arch}, Python {py}",
    ),
    "about.peak_mb": ("峰值内存(MB)", "Peak memory (MB)"),
    # the benchmark's stages (core/bench.py STAGES), by name
    "bench.stage.init": ("构建数据", "Build the data"),
    "bench.stage.risk_scoring": ("风险评分", "Risk scoring"),
    "bench.stage.campaign_draw": ("全年度抽取", "Whole-campaign draw"),
    "bench.stage.draw_vs_pandas": ("抽取(对照 pandas 实现)", "Draw (against a pandas version)"),
    "bench.stage.draw_commitment": ("公示抽取承诺", "Publish the commitment notice"),
    "bench.stage.draw_commit": ("确认抽取", "Commit the draw"),
    "bench.stage.merge": ("合并检查", "Merge inspections"),
    "bench.stage.assignment": ("选派检查人员", "Assign inspectors"),
    "bench.stage.simulator_load": ("模拟器载入", "Simulator: load"),
    "bench.stage.simulator_scenario": ("模拟一个方案", "Simulator: one scenario"),
    "bench.stage.overview_queries": ("总览页查询", "Overview page queries"),
    "bench.stage.discovery_queries": ("问题发现率查询", "Discovery page queries"),
    "bench.stage.registry_search": ("名录检索", "Registry search"),
    "bench.stage.plan_preview": ("单个计划预览", "One plan's preview"),
    "bench.stage.campaign_preview": ("全年度预览", "Whole-campaign preview"),
    "bench.stage.risk_distribution": ("风险分布", "Risk distribution"),
    "bench.stage.risk_preview": ("风险参数预览", "Risk settings preview"),
    "bench.stage.registry_paging": ("名录翻页", "Registry paging"),
    "bench.stage.code_lookup": ("代码查询", "Code lookup"),
    "bench.stage.merge_page": ("合并页查询", "Merge page queries"),
    "bench.stage.assignments_page": ("选派页查询", "Assignments page queries"),
}
