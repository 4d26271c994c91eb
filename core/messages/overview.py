"""Overview page."""

MESSAGES = {
    "overview.title": ("总览:一单两库", "Overview: the 一单两库"),
    "overview.caption": (
        "检查事项清单、检查对象名录库、检查人员名录库与年度抽查计划的全貌。",
        "The inspection-item list, target directory, inspector directory and the year's plans.",
    ),
    "overview.departments": ("适用部门", "Departments"),
    "overview.departments_help": (
        "市级 {city} · 区级 {district} · 另有街道试点单位 {street}",
        "city {city} · district {district} · plus {street} street pilot unit(s)",
    ),
    "overview.items": ("检查事项", "Inspection items"),
    "overview.targets": ("检查对象", "Inspection targets"),
    "overview.inspectors": ("检查人员", "Inspectors"),
    "overview.inspectors_help": ("具备执法资格且在岗 {n}", "{n} certified and active"),
    "overview.plans": ("年度抽查计划", "Plans this year"),
    "overview.plans_help": (
        "单部门 {single} · 跨部门联合 {joint}",
        "{single} single · {joint} joint",
    ),
    "overview.by_level": ("部门(按层级)", "Departments by level"),
    "overview.items_by_class": ("检查事项(按类别与层级)", "Items by class and level"),
    "overview.targets_by_district": ("检查对象(按区)", "Targets by district"),
    "overview.targets_by_street": ("检查对象(按区、街道)", "Targets by district and street"),
    "overview.targets_by_kind": ("检查对象(按类型)", "Targets by kind"),
    "overview.inspectors_by_dept": (
        "检查人员最多的 {n} 个部门",
        "The {n} departments with most inspectors",
    ),
    "overview.plans_by_kind": ("抽查计划(按类型与事项类别)", "Plans by kind and item class"),
    "overview.district": ("区", "District"),
    "overview.street": ("街道", "Street"),
    "overview.count": ("数量", "Count"),
    "overview.level": ("层级", "Level"),
    "overview.class": ("类别", "Class"),
    "overview.kind": ("类型", "Kind"),
    "overview.department": ("部门", "Department"),
}
