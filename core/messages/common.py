"""Shared labels: app shell and the coded values of the registries."""

MESSAGES = {
    "app.title": ("随查 · 双随机、一公开监管分析", "Suicha · 双随机、一公开 supervision analytics"),
    "app.language": ("语言 / Language", "Language / 语言"),
    "app.stop": ("停止", "Stop"),
    "app.dataset": ("数据集", "Dataset"),
    "app.dataset_status": (
        "{targets} 个检查对象 · 构建于 {built_at} · 版本 {version}",
        "{targets} targets · built {built_at} · version {version}",
    ),
    "app.building": ("首次运行:正在构建演示数据({step})", "First run: building demo data ({step})"),
    "app.built": ("演示数据已就绪。", "Demo data is ready."),
    "nav.overview": ("总览", "Overview"),
    "nav.group.leadership": ("领导驾驶舱", "Leadership"),
    # coded values
    "level.city": ("市级", "city"),
    "level.district": ("区级", "district"),
    "level.street": ("街道", "street"),
    "item_class.A": ("A类事项(一般)", "A类事项 (general)"),
    "item_class.B": ("B类事项(重点)", "B类事项 (key)"),
    "item_class.C": ("C类事项(联合)", "C类事项 (joint)"),
    "plan_kind.single": ("单部门计划", "single-department plan"),
    "plan_kind.joint": ("跨部门联合计划", "joint cross-department plan"),
    "kind.enterprise": ("企业", "企业 enterprise"),
    "kind.individual": ("个体工商户", "个体工商户 individual business"),
    "kind.cooperative": ("农民专业合作社", "农民专业合作社 cooperative"),
    "kind.social_org": ("社会组织", "社会组织 social organisation"),
    "kind.institution": ("事业单位", "事业单位 public institution"),
    "kind.site": ("经营场所", "经营场所 site"),
    "kind.product": ("产品", "产品 product"),
    "kind.licence": ("许可证照", "许可证照 licence"),
    "status.active": ("存续(在业)", "active"),
    "status.revoked": ("吊销,未注销", "licence revoked"),
    "status.suspended": ("歇业", "suspended"),
    "status.liquidating": ("清算", "in liquidation"),
    "method.onsite": ("现场检查", "on-site"),
    "method.offsite": ("非现场检查", "off-site"),
}

MESSAGES.update(
    {
        "app.role": ("角色 / Role", "Role / 角色"),
        "role.leadership": ("协调办领导", "Coordinating-office leadership"),
        "role.policy": ("政策制定", "Policy staff"),
        "role.admin": ("计划管理员", "Plan administrator"),
        "role.inspector": ("检查人员", "Inspector"),
        "role.public": ("社会公众", "The public"),
        "app.db_locked": (
            "另一个程序(例如正在运行的命令行)正在使用数据库,本页暂时无法读取。"
            "请等该程序结束(或结束它)后刷新本页。",
            "Another program (a command-line run, for example) is using the database, so this "
            "page cannot read it now. Wait for that program to finish (or stop it), then "
            "refresh this page.",
        ),
        "app.no_pages": ("此角色暂无可用页面。", "No pages for this role yet."),
    }
)
