"""The simulator's assumptions, in one place, so that a page, the CLI and the tests agree."""

from __future__ import annotations

from core import settings

# At least two inspectors per inspection (DOMAIN.md), as the Sampling page's workload counts them.
INSPECTORS_PER_VISIT = int(settings.value("inspectors_per_visit"))

# Inspector-visits one active certified inspector can carry in a campaign, used only until the
# assignment package's department_capacity (per-department settings) is available.
DEFAULT_CAP_PER_INSPECTOR = int(settings.value("inspector_cap_per_campaign"))

# The optimiser's default floor for every tier's ratio: randomness must reach every firm.
DEFAULT_MIN_RATIO_BP = 10

# Tiers whose firms count as low-risk for the optimiser's optional cap on their inspections.
LOW_RISK_TIERS: tuple[str, ...] = ("A",)

# Two-sided 95 % normal quantile for the intervals.
Z95 = 1.959963984540054
