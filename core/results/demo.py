"""The demo's campaign: so the dashboards have data, a freshly built demo database ends with
2026 drawn (committed), merged, staffed and filled with simulated results (marked simulated).

It runs the same engine calls an administrator would: the campaign's commitment and draw
(core.sampling), the merge (core.merge), the inspector draw (core.assignment), then
core.results.simulate. A few seconds at demo scale."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from core.db import Connection

DEMO_BEACON = "demo-build"  # the demo is a rehearsal: its beacon is not a public value


def prepare_campaign(
    con: Connection,
    year: int,
    actor: str = "system",
    as_of: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Commit, merge, assign and simulate `year`; returns the figures of each step.
    `progress(step)` is told each step's name as it starts (the first-run build's bar)."""
    from core import merge, sampling
    from core.assignment import assign_campaign
    from core.results import simulate
    from core.sampling.campaign import earliest_beacon_date

    # a rehearsal campaign (secret given by the build, beacon not a public value): marked as
    # such everywhere and never publishable as a real draw (docs/draw-record.md)
    say = progress or (lambda step: None)
    secret = secrets.token_hex(32)
    say("campaign_draw")
    sampling.publish_commitment(con, year, actor, earliest_beacon_date(),
                                beacon_format="text-v1", secret=secret)  # fmt: skip
    draw = sampling.commit(con, year, actor, secret=secret, beacon=DEMO_BEACON)
    say("campaign_merge")
    merged = merge.merge_campaign(con, year, actor)
    say("campaign_assign")
    staffed = assign_campaign(con, year, actor)
    say("campaign_results")
    sim = simulate.simulate(con, year, actor, as_of)
    demo_users(con, year, actor)
    return {
        "drawn": draw.total_selected,
        "visits": merged.final_visits,
        "staffed": getattr(staffed, "staffed", None),
        "results": sim.summary(),
    }


def demo_users(con: Connection, year: int, actor: str) -> None:
    """On a dataset with demo accounts: the demo inspector becomes an inspector with visits
    still to do (besides approved ones), and a demo reviewer joins for the department with the
    most visits awaiting review. Nothing happens on a dataset without demo accounts."""
    from core import users

    if users.get_user(con, "inspector") is None:
        return
    busy = con.execute(
        """
        SELECT a.inspector_id FROM assignments a JOIN visits v USING (visit_id)
        LEFT JOIN visit_status s USING (visit_id)
        WHERE a.active AND v.year = ?
        GROUP BY 1
        ORDER BY count(*) FILTER (WHERE s.status IS NULL) > 0 DESC,
                 count(*) FILTER (WHERE s.status = 'review') > 0 DESC, count(*) DESC, 1
        LIMIT 1
        """,
        [year],
    ).fetchone()
    if busy:
        users.link_inspector(con, actor, "inspector", busy[0])
    dept = con.execute(
        """
        SELECT d.dept_code FROM visits v JOIN visit_status s USING (visit_id),
             unnest(v.departments) AS d(dept_code)
        WHERE v.year = ? AND s.status = 'review'
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
        """,
        [year],
    ).fetchone()
    reviewer = next(a for a in users.DEMO_ACCOUNTS if a.role == "reviewer")
    if dept is None:
        return
    if users.get_user(con, reviewer.user_id) is None:  # a dataset made before it was a demo one
        users.add_demo_account(con, actor, reviewer, dept_code=dept[0])
    else:
        users.set_department(con, actor, reviewer.user_id, dept[0])
