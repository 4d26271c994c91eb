"""Ratio simulator and optimiser (issue 14): page, CLI and refusals."""

MESSAGES = {
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
        "方案违反事项类别规则({rule}),不能采用。未做任何更改。",
        "The proposal breaks a class rule ({rule}) and cannot be adopted. Nothing was changed.",
    ),
}
