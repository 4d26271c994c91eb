"""Who may do what. One registry of roles and permissions, read by the pages and the CLI.

There is no password store yet: the sidebar picks a role, as a demo would. The permissions are
real, though: every page and action asks `allowed(role, permission)`, never a role name."""

from __future__ import annotations

ROLES: tuple[str, ...] = ("leadership", "policy", "admin", "inspector", "reviewer", "public")
DEFAULT_ROLE = "leadership"

# permission -> roles that hold it. Each area adds its own permissions here.
PERMISSIONS: dict[str, frozenset[str]] = {
    "overview.view": frozenset({"leadership", "policy", "admin"}),
    "risk.view": frozenset({"leadership", "policy", "admin"}),
    "risk.edit": frozenset({"policy"}),
    "sampling.view": frozenset({"leadership", "policy", "admin"}),
    "sampling.edit_ratios": frozenset({"policy", "admin"}),
    "sampling.commit": frozenset({"admin"}),
    "registry.view": frozenset({"leadership", "policy", "admin"}),  # browse, search, export
    "registry.import": frozenset({"admin"}),  # write the 一单两库 from files
    "merge.view": frozenset({"leadership", "policy", "admin"}),
    "merge.run": frozenset({"policy", "admin"}),
    # 一公开 (publication issue): publishing is the office's job; reading and verifying are
    # everyone's, signed in or not
    "publish.manage": frozenset({"leadership", "admin"}),
    "publish.auditor_package": frozenset({"admin"}),  # per-tier frames: supervising bodies
    "publish.view_public": frozenset(ROLES),
    "verify.use": frozenset(ROLES),
    "about.view": frozenset(ROLES),
    # auth (issue 11/16): the audit trail's state on the About page
    "audit.view": frozenset({"admin"}),
    # ratio simulator (issue 14): policy staff run what-ifs and save proposals; others look
    "simulate.view": frozenset({"leadership", "policy", "admin"}),
    "simulate.use": frozenset({"policy"}),
    # leadership analytics (issue 15): coverage, discovery rate, presentation, briefing
    "analytics.view": frozenset({"leadership", "policy", "admin"}),
    "analytics.set_targets": frozenset({"admin"}),  # the year's platform targets
    # 双随机's second random (assignment issue): the administrators draw inspectors, set caps,
    # declare conflicts and replace; leadership reads coverage and workload
    "assignment.view": frozenset({"leadership", "admin"}),
    "assignment.run": frozenset({"admin"}),
    "assignment.edit": frozenset({"admin"}),
    # inspection results (issue 13): inspectors enter their own visits' results; a department's
    # reviewer approves them
    "results.enter": frozenset({"inspector"}),
    "results.review": frozenset({"reviewer"}),
}


def allowed(role: str, permission: str) -> bool:
    """True when `role` holds `permission`; an unknown permission is refused."""
    return role in PERMISSIONS.get(permission, frozenset())
