"""Every tunable of the product, declared once (datasette's SETTINGS): name, default, why.

Modules read their setting from here instead of keeping a literal of their own, so that the
simulator and the assignment agree on a cap, and a deployment can see in one place what it may
change. An override comes from the environment: SUICHA_<NAME> (upper case), checked against the
setting's type; `python -m core settings` lists them with the values in force."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: int | float
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("inspectors_per_visit", 2,
            "inspectors a department sends to a visit it makes alone (DOMAIN.md: at least two)"),
    Setting("inspector_cap_per_campaign", 60,
            "visits one inspector may carry in a campaign, unless a department sets its own"),
    Setting("publication_working_days", 20,
            "working days after completion within which a result notice must be published"),
    Setting("due_soon_working_days", 5,
            "working days before the deadline from which a result counts as due soon"),
    Setting("sign_in_failures_before_lock", 5, "wrong passwords in a row that lock an account"),
    Setting("sign_in_lock_minutes", 15, "how long a locked account waits"),
    Setting("small_group_checks", 30,
            "counted checks below which a group's discovery rate is flagged, not ranked"),
    Setting("write_wait_seconds", 60.0,
            "how long a write waits for its turn behind other users' writes before refusing"),
    Setting("import_problems_listed", 1_000,
            "problems an import report lists (the total is always given)"),
)  # fmt: skip

_BY_NAME = {s.name: s for s in SETTINGS}


def value(name: str) -> int | float:
    """The setting in force: SUICHA_<NAME> from the environment if set and valid, else default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(f"SUICHA_{name.upper()}")
    if raw is None:
        return setting.default
    try:
        parsed = type(setting.default)(raw)
    except ValueError:
        return setting.default
    return parsed if parsed > 0 else setting.default


def in_force() -> dict[str, int | float]:
    return {s.name: value(s.name) for s in SETTINGS}
