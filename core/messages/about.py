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
        "由 python -m core bench --scaling 在 {machine} 上测得({date});双对数坐标。",
        "Measured by python -m core bench --scaling on {machine} ({date}); log-log axes.",
    ),
    "about.memory": ("峰值内存(MB)", "Peak memory (MB)"),
    "about.no_run": (
        "尚无已提交的规模测试结果:运行 "
        "python -m core bench --scaling --out docs/bench-scaling.json。",
        "No scaling run committed yet: run python -m core bench --scaling "
        "--out docs/bench-scaling.json.",
    ),
    "about.targets": ("检查对象数", "Targets"),
    "about.seconds": ("秒", "Seconds"),
    "about.stage": ("环节", "Stage"),
}
