"""Refusals of the draw (core/sampling) and of the ratio rules, and the commitment step."""

MESSAGES = {
    # ratio rules (core/sampling/ratios.py)
    "ratio.tier_above_zero": (
        "未保存:每个风险等级的比例须大于 0 基点且不超过 10000 基点({detail})。",
        "Not saved: every risk tier's ratio must be above 0 bp and at most 10000 bp ({detail}).",
    ),
    "ratio.a_class_at_most_10pct": (
        "未保存:A类事项各等级平均比例不得超过 1000 基点(10%)({detail})。",
        "Not saved: A类事项 (general items) may average at most 1000 bp (10 %) ({detail}).",
    ),
    "ratio.b_class_at_least_10pct": (
        "未保存:B类事项各等级平均比例不得低于 1000 基点(10%)({detail})。",
        "Not saved: B类事项 (key items) must average at least 1000 bp (10 %) ({detail}).",
    ),
    "ratio.not_a_number": (
        "未保存:比例须为数字({detail})。",
        "Not saved: a ratio must be a number ({detail}).",
    ),
    "ratio.not_whole_bp": (
        "未保存:比例须为整数基点({detail})。",
        "Not saved: a ratio must be whole basis points ({detail}).",
    ),
    "ratio.unknown_tier": (
        "未保存:没有这个风险等级({detail})。",
        "Not saved: no such risk tier ({detail}).",
    ),
    # the draw
    "draw.bad_mode": (
        "抽取方式须为 {modes} 之一,而不是 {mode}。",
        "The mode must be one of {modes}, not {mode}.",
    ),
    "draw.no_plan": ("没有抽查计划 {plan}。", "There is no plan {plan}."),
    "draw.plan_other_year": (
        "计划 {plan} 属于 {other} 年度,不属于 {year} 年度。",
        "Plan {plan} belongs to campaign {other}, not {year}.",
    ),
    "draw.no_plans": ("{year} 年度没有抽查计划。", "Campaign {year} has no plans."),
    "draw.no_risk": (
        "尚无信用风险等级:请先为检查对象评级(`python -m core risk`)。",
        "No credit-risk tiers yet: score the targets first (`python -m core risk`).",
    ),
    "draw.unscored": (
        "抽查名录中有 {n} 个检查对象没有信用风险等级:请先评级(`python -m core risk`)。",
        "{n} targets in the frames have no risk tier: score them first (`python -m core risk`).",
    ),
    "draw.no_secret": (
        "{year} 年度尚未公布种子承诺:请先公布承诺,或为演练指定秘密。",
        "Campaign {year} has no published commitment yet: publish it first, or give a secret"
        " for a rehearsal.",
    ),
    "draw.no_commitment": (
        "{year} 年度的种子承诺尚未公布:正式抽取前必须先公布承诺公告。",
        "Campaign {year}'s commitment has not been published: a draw can be committed only"
        " after its commitment notice.",
    ),
    "draw.secret_mismatch": (
        "所给秘密与已公布的承诺 {commitment}… 不符:正式抽取只能使用承诺时生成的秘密。",
        "The secret does not match the published commitment {commitment}…: a real draw uses"
        " only the secret generated with the notice.",
    ),
    "draw.mode_not_committed": (
        "承诺公告规定的抽取方式是 {committed},不能以 {mode} 方式抽取。",
        "The notice committed to mode {committed}; a draw in mode {mode} is refused.",
    ),
    "draw.beacon_empty": ("公共信标值不能为空。", "The beacon value must not be empty."),
    "draw.beacon_control": (
        "公共信标值含有不可见或控制字符({char}),已拒绝。",
        "The beacon value contains an invisible or control character ({char}); refused.",
    ),
    "draw.beacon_format": (
        "公共信标值「{value}」不符合公告声明的格式 {format}。",
        "The beacon value “{value}” does not match the declared format {format}.",
    ),
    "draw.unknown_beacon_format": (
        "未知的信标格式 {format};可选:{formats}。",
        "Unknown beacon format {format}; known formats: {formats}.",
    ),
    "draw.beacon_source_empty": (
        "须写明公共信标来源。",
        "The beacon source must be stated.",
    ),
    "draw.beacon_date_not_after": (
        "信标日期 {date} 必须晚于承诺公告的公布日期 {published}。",
        "The beacon date {date} must be after the notice's publication date {published}.",
    ),
    "draw.beacon_not_yet": (
        "信标日期 {date} 尚未到来:信标值公布后才能正式抽取。",
        "The beacon date {date} has not come yet: the draw is committed only once the beacon"
        " is public.",
    ),
    "draw.secret_empty": ("秘密不能为空。", "The secret must not be empty."),
    "draw.rehearsal_after_real": (
        "{year} 年度已公布正式承诺:指定秘密只能用于演练,不能替代正式承诺。",
        "Campaign {year} has a real published commitment: a given secret only makes a"
        " rehearsal and cannot replace it.",
    ),
    "draw.plan_not_committed": (
        "计划 {plan} 不在承诺公告 {commitment} 中:请重新公布承诺。",
        "Plan {plan} is not in commitment notice {commitment}: publish a new commitment.",
    ),
    "draw.ratios_changed": (
        "计划 {plan} 风险等级 {tier} 的比例已由公告时的 {notice} 基点改为 {now} 基点:"
        "请重新公布承诺后再抽取。",
        "Plan {plan}, tier {tier}: the ratio changed from {notice} bp (in the notice) to {now}"
        " bp: publish a new commitment before drawing.",
    ),
    "draw.frames_changed": (
        "计划 {plan} 的抽查名录自承诺公告 {commitment} 以来已变化:请重新公布承诺后再抽取。",
        "Plan {plan}'s frame changed since commitment notice {commitment}: publish a new"
        " commitment before drawing.",
    ),
    "draw.redraw_needs_reason": (
        "{n} 个计划已有正式抽取结果(如 {plan}:{draw}),重新抽取须说明理由。",
        "{n} plan(s) already have a committed draw (e.g. {plan}: {draw}); a re-draw needs a"
        " reason.",
    ),
    "draw.no_draw": ("没有抽取记录 {draw}。", "There is no draw {draw}."),
    "draw.no_public_record": (
        "抽取 {draw} 没有公开记录(早期格式)。",
        "Draw {draw} has no public record (earlier format).",
    ),
    "draw.bad_date": (
        "日期「{value}」无效,应写作“年-月-日”,如 2026-12-31。",
        "Invalid date “{value}”; use YYYY-MM-DD.",
    ),
}
