"""The demo's campaign: so the dashboards have data, a freshly built demo database ends with
2026 drawn (committed), merged, staffed and filled with simulated results (marked simulated).

It runs the same engine calls an administrator would: the campaign's commitment and draw
(core.sampling), the merge (core.merge), the inspector draw (core.assignment), then
core.results.simulate. A few seconds at demo scale."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.db import Connection

DEMO_BEACON = "demo-build"  # the demo is a rehearsal: its beacon is not a public value


def prepare_campaign(
    con: Connection, year: int, actor: str = "system", as_of: date | None = None
) -> dict[str, Any]:
    """Commit, merge, assign and simulate `year`; returns the figures of each step."""
    from core import merge, sampling
    from core.assignment import assign_campaign
    from core.results import simulate

    sampling.ensure_campaign(con, year, actor)
    draw = sampling.commit(con, year, actor, beacon=DEMO_BEACON)
    merged = merge.merge_campaign(con, year, actor)
    staffed = assign_campaign(con, year, actor)
    sim = simulate.simulate(con, year, actor, as_of)
    return {
        "drawn": draw.total_selected,
        "visits": merged.final_visits,
        "staffed": getattr(staffed, "staffed", None),
        "results": sim.summary(),
    }
