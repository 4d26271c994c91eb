"""Fast read paths (issue 12.4) give exactly what the straightforward joins on the text code give:
Risk distributions, weight previews, lookups and explanations, registry pages, tier filters and
code lookups, Merge's most-merged table. And when their shortcuts do not hold (risk out of
targets' order, a stale or empty code lookup table) they still answer right."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db, registry_search, risk, target_lookup

OLD_DISTRIBUTION = {
    "district": ("t.district", ""),
    "street": ("t.district || ' ' || t.street", ""),
    "industry": (
        "i.division || ' ' || i.division_name",
        "JOIN industries i ON i.code = t.industry",
    ),
}


def old_distribution(con, by: str) -> pd.DataFrame:
    expr, join = OLD_DISTRIBUTION[by]
    return con.execute(
        f"SELECT {expr} AS grp, r.tier, count(*) AS n FROM risk r JOIN targets t USING (uscc) "
        f"{join} GROUP BY ALL ORDER BY grp, r.tier"
    ).df()


def old_preview(con, new_weights: dict, new_cutoffs: dict | None = None) -> pd.DataFrame:
    w = {**risk.weights(con), **new_weights}
    cut = {**risk.thresholds(con), **(new_cutoffs or {})}
    sql = (
        f"SELECT r.tier AS tier_now, n.tier AS tier_new, count(*) AS n "
        f"FROM ({risk._score_sql(top=False)}) n JOIN risk r USING (uscc) "
        "GROUP BY ALL ORDER BY ALL"
    )
    return con.execute(sql, risk._params(w, cut)).df()


def old_tiers(con, codes: list[str]) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT uscc, tier FROM risk WHERE uscc IN (SELECT unnest(?::VARCHAR[]))", [codes]
        ).fetchall()
    )


def shuffle_risk(con) -> None:
    """Rewrite risk in another order (same rows): what positional reads must not trust."""
    con.execute("CREATE TEMP TABLE _r AS SELECT * FROM risk ORDER BY uscc DESC")
    con.execute("DELETE FROM risk")
    con.execute("INSERT INTO risk SELECT * FROM _r")
    con.execute("DROP TABLE _r")
    db.bump_data_version(con)


@pytest.mark.parametrize("by", ["district", "street", "industry"])
def test_tier_distribution_equals_the_join(demo_con, by):
    assert risk.aligned(demo_con)
    got = risk.tier_distribution(demo_con, by)
    pd.testing.assert_frame_equal(got, old_distribution(demo_con, by))
    assert got["n"].sum() == 200_000


@pytest.mark.parametrize(
    "weights, cutoffs",
    [
        ({"abnormal_list": 5.0}, None),
        ({"serious_violation": 0.0, "red_list": -2.0}, None),
        ({"firms_at_address": 0.9, "young_firm": 0.0}, {"D": 3.0}),
        ({}, {"B": 0.5, "C": 1.5, "D": 2.5}),
    ],
)
def test_preview_equals_rescoring_everyone(demo_con, weights, cutoffs):
    got = risk.preview(demo_con, weights, cutoffs)
    pd.testing.assert_frame_equal(got, old_preview(demo_con, weights, cutoffs))
    assert got["n"].sum() == 200_000


def test_fitted_weights_preview_equals_rescoring_everyone(demo_con):
    fitted = dict(
        demo_con.execute(
            "SELECT factor, fitted_weight FROM risk_weights WHERE fitted_weight IS NOT NULL"
        ).fetchall()
    )
    assert len(fitted) > 10
    pd.testing.assert_frame_equal(risk.preview(demo_con, fitted), old_preview(demo_con, fitted))


def test_find_and_explain_one_target(demo_con):
    uscc, name = demo_con.execute("SELECT uscc, name FROM targets LIMIT 1 OFFSET 123456").fetchone()
    found = risk.find_targets(demo_con, uscc.lower())
    assert found["uscc"].tolist() == [uscc]
    assert found["tier"].tolist() == [old_tiers(demo_con, [uscc])[uscc]]
    by_name = risk.find_targets(demo_con, name[3:7])
    expected = demo_con.execute(
        "SELECT t.uscc, r.tier FROM targets t JOIN risk r USING (uscc) "
        "WHERE contains(t.name, ?) ORDER BY t.uscc LIMIT 20",
        [name[3:7]],
    ).fetchall()
    assert list(zip(by_name["uscc"], by_name["tier"], strict=True)) == expected
    info = risk.explain(demo_con, uscc)
    head = demo_con.execute(
        "SELECT r.score, r.tier, r.top_factors, t.name FROM risk r JOIN targets t USING (uscc) "
        "WHERE uscc = ?",
        [uscc],
    ).fetchone()
    assert (info["score"], info["tier"], info["top_factors"], info["name"]) == head
    assert risk.explain(demo_con, "91110108551385082Q") is None


def test_registry_pages_carry_the_tiers_of_the_join(demo_con):
    rows = registry_search.page(demo_con, "targets", after=150_000, size=50)
    assert len(rows) == 50 and rows["_row"].iloc[0] == 150_001
    assert dict(zip(rows["uscc"], rows["tier"], strict=True)) == old_tiers(
        demo_con, rows["uscc"].tolist()
    )


@pytest.mark.parametrize("filters", [{"tier": ["D"]}, {"tier": ["C", "D"], "district": "南山区"}])
def test_tier_filter_equals_the_semi_join(demo_con, filters):
    tiers = filters["tier"]
    district = filters.get("district")
    expected = demo_con.execute(
        "SELECT rowid FROM targets WHERE uscc IN (SELECT uscc FROM risk WHERE tier IN "
        "(SELECT unnest(?::VARCHAR[]))) AND (? IS NULL OR district = ?) ORDER BY rowid",
        [tiers, district, district],
    ).fetchall()
    assert registry_search.count(demo_con, "targets", None, filters) == len(expected)
    rows = registry_search.page(demo_con, "targets", None, filters, after=None, size=50)
    assert rows["_row"].tolist() == [r[0] for r in expected[:50]]
    assert set(rows["tier"]) <= set(tiers)
    chart = registry_search.breakdown(demo_con, "targets", None, filters)
    assert chart["n"].sum() == len(expected)


def test_code_lookup_finds_the_target(demo_con):
    uscc, row = demo_con.execute("SELECT uscc, rowid FROM targets LIMIT 1 OFFSET 77777").fetchone()
    assert target_lookup.rowids(demo_con, [uscc]) == {uscc: row}
    rows, n, _chart = registry_search.search_view(demo_con, "targets", uscc)
    assert (n, rows["_row"].tolist(), rows["uscc"].tolist()) == (1, [row], [uscc])
    assert registry_search.count(demo_con, "targets", uscc) == 1
    # a valid code that is not in the directory
    assert registry_search.count(demo_con, "targets", "91110108551385082Q") == 0
    first = demo_con.execute("SELECT uscc FROM targets LIMIT 1").fetchall()[0][0]
    assert registry_search.page(demo_con, "targets", first)["_row"].tolist() == [0]
    assert registry_search.count(demo_con, "targets", first) == 1


def test_fallbacks_when_the_shortcuts_do_not_hold(small_con):
    con = small_con
    before = {by: old_distribution(con, by) for by in OLD_DISTRIBUTION}
    uscc, row = con.execute("SELECT uscc, rowid FROM targets LIMIT 1 OFFSET 4321").fetchone()
    tier = old_tiers(con, [uscc])[uscc]
    shuffle_risk(con)
    assert not risk.aligned(con)
    for by, frame in before.items():
        pd.testing.assert_frame_equal(risk.tier_distribution(con, by), frame)
    weights = {"abnormal_list": 5.0}
    pd.testing.assert_frame_equal(risk.preview(con, weights), old_preview(con, weights))
    page = registry_search.page(con, "targets", after=row - 1, size=3)
    assert page["tier"].tolist() == [old_tiers(con, page["uscc"].tolist())[c] for c in page["uscc"]]
    assert risk.explain(con, uscc)["tier"] == tier
    # an empty lookup table: found by a scan
    con.execute("DELETE FROM target_lookup")
    db.bump_data_version(con)
    assert target_lookup.rowids(con, [uscc]) == {uscc: row}
    assert registry_search.count(con, "targets", uscc) == 1
    assert risk.find_targets(con, uscc)["tier"].tolist() == [tier]
    # a lookup table pointing at the wrong rows is never believed
    con.execute("INSERT INTO target_lookup SELECT hash(?), ?", [uscc, row + 1])
    assert target_lookup.rowids(con, [uscc]) == {uscc: row}
    assert registry_search.page(con, "targets", uscc)["_row"].tolist() == [row]
    # rescoring puts risk back in targets' order
    with db.transaction(con):
        risk.score_all(con)
        db.bump_data_version(con)
    assert risk.aligned(con)
    assert target_lookup.refresh(con) == 5_000


def test_most_merged_equals_the_join(demo_path):
    from core import merge, merge_report
    from tests.merge_fixtures import commit_campaign

    con = db.connect(demo_path)
    try:
        year = merge_report.campaign_year(con)
        if not con.execute("SELECT count(*) FROM visits WHERE year = ?", [year]).fetchall()[0][0]:
            commit_campaign(con, year, "speed-most-merged")
            merge.run_and_save(con, year, counterpart=merge.independent_counterpart(con, year))
        expected = con.execute(
            """
            WITH top AS (
                SELECT * FROM visits WHERE year = $year
                ORDER BY n_tasks DESC, len(departments) DESC, visit_id LIMIT $limit
            )
            SELECT top.visit_id, t.name AS target, top.uscc, t.district,
                   top.window_start, top.window_end, top.n_plans, top.n_tasks,
                   len(top.departments) AS n_departments,
                   (SELECT string_agg(d.name, '、' ORDER BY d.dept_code) FROM departments d
                    WHERE list_contains(top.departments, d.dept_code)) AS departments,
                   top.scheduled_id
            FROM top LEFT JOIN targets t ON t.uscc = top.uscc
            ORDER BY top.n_tasks DESC, n_departments DESC, top.visit_id
            """,
            {"year": year, "limit": 20},
        ).df()
        got = merge_report.most_merged(con, year, 20)
        assert len(got) == 20 and got["target"].notna().all()
        pd.testing.assert_frame_equal(got, expected)
    finally:
        con.close()


def test_a_file_from_before_the_lookup_gets_it_filled(small_path):
    """A version-3 file (no target_lookup) is upgraded with the table filled from its targets."""
    import duckdb

    con = duckdb.connect(str(small_path))
    con.execute("DROP TABLE target_lookup")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    con = db.connect(small_path)
    try:
        assert db.schema_version(con) >= 4  # the current version (later steps ran too)
        assert con.execute("SELECT count(*) FROM target_lookup").fetchall() == [(5_000,)]
        uscc, row = con.execute("SELECT uscc, rowid FROM targets LIMIT 1 OFFSET 999").fetchall()[0]
        got = con.execute(
            "SELECT rid FROM target_lookup WHERE code_key = hash(?)", [uscc]
        ).fetchall()
        assert got == [(row,)]
        assert target_lookup.fill_if_empty(con) == 0  # already filled: nothing written
    finally:
        con.close()
