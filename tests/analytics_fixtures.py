"""A campaign with assignments and results for the analytics tests: the draw committed by
core.sampling, visits merged by core.merge, then assignments, visit_status and results written
per CONTRACTS.md (tables created here, with the contract's columns, where the assign and results
issues have not landed them yet).

Deterministic: every choice comes from md5 of the visit or task id (stable across DuckDB
versions), problems from the synthetic truth's propensity of the target."""

from __future__ import annotations

import shutil

import pytest

from core import db, merge
from tests.conftest import connected_copy
from tests.merge_fixtures import commit_campaign

YEAR = 2026

CONTRACT_TABLES = """
CREATE TABLE IF NOT EXISTS assignments (
    visit_id VARCHAR NOT NULL, inspector_id VARCHAR NOT NULL, dept_code VARCHAR NOT NULL,
    role VARCHAR NOT NULL, rank INTEGER, run_id VARCHAR, assigned_at VARCHAR,
    active BOOLEAN NOT NULL, replaced_by VARCHAR, reason VARCHAR);
CREATE TABLE IF NOT EXISTS results (
    visit_id VARCHAR NOT NULL, plan_id VARCHAR NOT NULL, item_code VARCHAR NOT NULL,
    outcomes VARCHAR[], problem_found BOOLEAN, counted BOOLEAN, note VARCHAR,
    completed_on DATE, entered_by VARCHAR, entered_at VARCHAR, simulated BOOLEAN);
CREATE TABLE IF NOT EXISTS visit_status (
    visit_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, completed_on DATE,
    reviewed_by VARCHAR, reviewed_at VARCHAR, published_on DATE, updated_by VARCHAR,
    updated_at VARCHAR, simulated BOOLEAN);
"""


def _u(expr: str, salt: str) -> str:
    """A uniform number in [0, 1) from md5 of `expr` and a salt (SQL)."""
    return f"(md5_number_lower({expr} || '|{salt}') / 18446744073709551616.0)"


def add_results(con, year: int = YEAR, simulated: bool = False) -> None:
    """Assignments, statuses and results for every merged visit of `year`."""
    con.execute(CONTRACT_TABLES)
    # as if the campaign had been drawn in January (the commit ran today): the progress chart
    # then reads drawn -> assigned -> inspected -> published in that order
    con.execute(
        "UPDATE draws SET committed_at = ? WHERE year = ?", [f"{year}-01-20T10:00:00+08:00", year]
    )
    sim = "TRUE" if simulated else "FALSE"
    u = _u("v.visit_id", "status")
    span = "(date_diff('day', v.window_start, v.window_end) + 1)"
    con.execute(
        f"""
        INSERT INTO visit_status (visit_id, status, completed_on, published_on, updated_by,
                                  updated_at, simulated)
        SELECT visit_id, status,
               CASE WHEN status IN ('review', 'done', 'published') THEN done_on END,
               CASE WHEN status = 'published'
                    THEN done_on + CAST(floor(40 * {_u("visit_id", "pub")}) AS INTEGER) END,
               'fixture', '2026-11-30T09:00:00+08:00', {sim}
        FROM (
            SELECT v.visit_id,
                   CASE WHEN {u} < 0.08 THEN 'pending' WHEN {u} < 0.12 THEN 'in_progress'
                        WHEN {u} < 0.17 THEN 'review' WHEN {u} < 0.45 THEN 'done'
                        ELSE 'published' END AS status,
                   v.window_start + CAST(floor({span} * {_u("v.visit_id", "day")}) AS INTEGER)
                       AS done_on
            FROM visits v WHERE v.year = ?)
        """,  # noqa: S608 (constants of this module)
        [year],
    )
    con.execute(
        f"""
        INSERT INTO assignments (visit_id, inspector_id, dept_code, role, rank, run_id,
                                 assigned_at, active)
        SELECT vt.visit_id, i.inspector_id, vt.dept_code, 'lead', 1, 'fixture',
               '2026-01-25T09:00:00+08:00', TRUE
        FROM (SELECT DISTINCT visit_id, dept_code FROM visit_tasks) vt
        JOIN visits v USING (visit_id)
        JOIN (SELECT dept_code, min(inspector_id) AS inspector_id FROM inspectors GROUP BY 1) i
             USING (dept_code)
        WHERE v.year = ? AND {_u("v.visit_id", "status")} >= 0.04
        """,  # noqa: S608
        [year],
    )
    excluded = _u("vt.visit_id || vt.plan_id || vt.item_code", "excluded")
    problem = _u("vt.visit_id || vt.plan_id || vt.item_code", "problem")
    con.execute(
        f"""
        INSERT INTO results (visit_id, plan_id, item_code, outcomes, problem_found, counted, note,
                             completed_on, entered_by, entered_at, simulated)
        SELECT visit_id, plan_id, item_code, outcomes,
               list_contains(outcomes, 'A') OR list_contains(outcomes, 'E'),
               NOT list_contains(outcomes, '7'), NULL, completed_on, 'fixture',
               '2026-11-30T09:00:00+08:00', {sim}
        FROM (
            SELECT vt.visit_id, vt.plan_id, vt.item_code, s.completed_on,
                   CASE WHEN {excluded} < 0.03 THEN ['7']
                        WHEN {problem} < coalesce(tr.propensity, 0.2) * 0.7 THEN ['A']
                        WHEN {problem} < coalesce(tr.propensity, 0.2) THEN ['E', 'B']
                        ELSE ['1'] END AS outcomes
            FROM visit_tasks vt JOIN visits v USING (visit_id)
            JOIN visit_status s USING (visit_id)
            LEFT JOIN synth_truth tr ON tr.uscc = v.uscc
            WHERE v.year = ? AND s.status IN ('review', 'done', 'published'))
        """,  # noqa: S608
        [year],
    )


def campaign_with_results(con, year: int = YEAR, seed: str = "analytics") -> None:
    """Commit the year's draw, merge it into visits, and add assignments and results."""
    commit_campaign(con, year, seed)
    merge.merge_campaign(con, year)
    add_results(con, year)


@pytest.fixture(scope="module")
def campaign_path(pristine_small, tmp_path_factory):
    """The small dataset (5,000 targets) with the year's campaign and its results."""
    path = tmp_path_factory.mktemp("analytics") / "campaign.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    campaign_with_results(con)
    con.close()
    return path


@pytest.fixture(name="con")
def campaign_con(campaign_path, tmp_path):
    """A copy of the campaign's database for one test, open."""
    yield from connected_copy(campaign_path, tmp_path)
