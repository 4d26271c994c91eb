"""The second random (双随机): inspectors drawn for every merged visit, rule
suicha-assign-sha256-v1 (docs/assignment-rule.md).

Modules: rule (the rule's constants and key), inputs (the rule's inputs as temp tables), greedy
(the cap-constrained pass), record (the run's record), run (assign_campaign: one unit of work),
capacity (demand against capacity, and what would close a shortfall), conflicts (declared
conflicts of interest), replace (manual replacement), report (the administrators' page)."""

from core.assignment.rule import ALGORITHM
from core.assignment.run import AssignmentResult, assign_campaign, compute_assignment

__all__ = ["ALGORITHM", "AssignmentResult", "assign_campaign", "compute_assignment"]
