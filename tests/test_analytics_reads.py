"""The analytics pages' fast reads (the presentation, discovery and coverage pages' first loads at
full scale) give exactly what the straightforward joins on the code give: the checked and
visited targets' places and tiers read by position (core/target_lookup.py rows_of) instead of a
join with every target, the presentation's coverage charts without the headline. And when the
shortcuts do not hold (risk out of targets' order, a stale or empty lookup table, a code not in
targets) they still answer right. The simulator's frames read targets with their risk rows by
position when risk is in targets' order."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from core import briefing, coverage, discovery, risk, stats, target_lookup
from core.simulate import discovery as sim_discovery
from core.simulate import frames
from tests.analytics_fixtures import YEAR, campaign_con, campaign_path  # noqa: F401 (fixtures)
from tests.test_speed_reads import shuffle_risk

AS_OF = date(2026, 11, 30)


def joined_places(con, checks_sql: str, params) -> pd.DataFrame:
    """The targets the checks name, with place, industry and current tier: the join on the code
    over every target (what discovery did before)."""
    return con.execute(
        f"""
        SELECT t.uscc, t.district, t.street, t.industry, r.tier AS risk_tier
        FROM targets t LEFT JOIN risk r USING (uscc)
        WHERE t.uscc IN (SELECT uscc FROM ({checks_sql}))
        """,  # noqa: S608 (the module's fixed SQL)
        params,
    ).df()


def _sorted(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return df.sort_values(by).reset_index(drop=True)


def _kinds(con) -> dict[int, str | None]:
    return {y: discovery.source(con, y) for y in (YEAR - 1, YEAR)}


def _grouped_by_the_join(con, monkeypatch) -> dict[int, pd.DataFrame]:
    with monkeypatch.context() as m:
        m.setattr(discovery, "places", joined_places)
        return discovery.grouped_years(con, _kinds(con))


def _assert_same_grouped(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for year, frame in expected.items():
        keys = ["g", *discovery.GROUP_COLUMNS]
        pd.testing.assert_frame_equal(_sorted(got[year], keys), _sorted(frame, keys))


def test_places_of_the_checks_equal_the_join(con):
    bases, params = discovery._bases(_kinds(con))
    got = discovery.places(con, bases, params).to_pandas()
    expected = joined_places(con, bases, params)
    sql = f"SELECT count(DISTINCT uscc) FROM ({bases})"  # noqa: S608
    assert len(got) == con.execute(sql, params).fetchall()[0][0]
    assert got["risk_tier"].notna().all() and got["district"].notna().all()
    pd.testing.assert_frame_equal(_sorted(got, ["uscc"]), _sorted(expected, ["uscc"]))


def test_discovery_counts_equal_the_join_also_when_the_shortcuts_fail(con, monkeypatch):
    expected = _grouped_by_the_join(con, monkeypatch)
    assert {k for k in _kinds(con).values()} == {"results", "past"}
    assert all(len(f) > 50 for f in expected.values())
    _assert_same_grouped(discovery.grouped_years(con, _kinds(con)), expected)
    # risk rewritten in another order: tiers read by position are not believed
    shuffle_risk(con)
    assert not risk.aligned(con)
    _assert_same_grouped(discovery.grouped_years(con, _kinds(con)), expected)
    # a lookup table pointing at the wrong rows, then an empty one: a scan finds the targets
    con.execute("UPDATE target_lookup SET rid = rid + 1")
    _assert_same_grouped(discovery.grouped_years(con, _kinds(con)), expected)
    con.execute("DELETE FROM target_lookup")
    _assert_same_grouped(discovery.grouped_years(con, _kinds(con)), expected)
    # checked targets without a risk row (last year's: tier unknown; this year's: drawn tier)
    con.execute(
        "DELETE FROM risk WHERE uscc IN ((SELECT uscc FROM past_inspections LIMIT 25) "
        "UNION ALL (SELECT uscc FROM visits LIMIT 25))"
    )
    expected = _grouped_by_the_join(con, monkeypatch)
    assert expected[YEAR - 1]["tier"].isna().any()
    _assert_same_grouped(discovery.grouped_years(con, _kinds(con)), expected)


def test_rows_of_reads_by_position_and_falls_back_to_the_code(con):
    codes = con.execute("SELECT uscc FROM targets ORDER BY uscc LIMIT 40").df()["uscc"].tolist()
    codes_sql = "SELECT unnest($codes::VARCHAR[]) AS uscc"
    expected = con.execute(
        "SELECT t.rowid AS _row, t.uscc, t.district, r.tier, r.score FROM targets t "
        "LEFT JOIN risk r USING (uscc) WHERE t.uscc IN (SELECT unnest($codes::VARCHAR[]))",
        {"codes": codes},
    ).df()

    def got(wanted: list[str]) -> pd.DataFrame:
        rows = target_lookup.rows_of(
            con, codes_sql, {"codes": wanted}, ("district",), risk=("tier", "score")
        )
        return _sorted(rows.to_pandas(), ["uscc"])

    pd.testing.assert_frame_equal(got(codes), _sorted(expected, ["uscc"]))
    # a code not in targets has no row; nothing asked, nothing found
    assert got([*codes, "NOT-A-CODE"])["uscc"].tolist() == sorted(codes)
    assert got([]).empty
    # the lookup table stale (rows moved by one), risk out of order: the same answer
    shuffle_risk(con)
    con.execute("UPDATE target_lookup SET rid = rid + 1")
    pd.testing.assert_frame_equal(got(codes), _sorted(expected, ["uscc"]))
    # a target without a risk row: NULL tier and score, the others keep theirs
    con.execute("DELETE FROM risk WHERE uscc = ?", [codes[0]])
    rows = got(codes)
    assert rows["tier"].isna().tolist() == [c == codes[0] for c in rows["uscc"]]
    assert rows["score"].isna().sum() == 1


def test_visit_facts_places_equal_the_join(con):
    facts = coverage.visit_facts(con, YEAR)
    expected = con.execute(
        """
        SELECT vt.visit_id, vt.dept_code, i.item_class, t.district, t.street
        FROM (SELECT DISTINCT visit_id, dept_code, item_code FROM visit_tasks) vt
        JOIN items i USING (item_code) JOIN visits v USING (visit_id)
        LEFT JOIN targets t ON t.uscc = v.uscc
        WHERE v.year = ? GROUP BY ALL
        """,
        [YEAR],
    ).df()
    cols = ["visit_id", "dept_code", "item_class", "district", "street"]
    assert len(facts) == len(expected) > 100
    pd.testing.assert_frame_equal(_sorted(facts[cols], cols), _sorted(expected, cols))
    # the city's facts (no place read): the same rows without district and street
    city = coverage.visit_facts(con, YEAR, placed=False)
    assert "district" not in city.columns
    keys = ["visit_id", "dept_code", "item_class"]
    pd.testing.assert_frame_equal(
        _sorted(city, keys), _sorted(facts.drop(columns=["district", "street"]), keys)
    )


def test_the_presentations_coverage_charts_are_the_reports(con):
    report = coverage.report(con, YEAR, AS_OF)
    charts = coverage.charts(con, YEAR, AS_OF)
    assert set(charts) == {"levels", "classes", "platform", "progress"}
    for key, frame in charts.items():
        pd.testing.assert_frame_equal(frame, report[key])
    d = discovery.report(con, YEAR)
    from_charts = briefing.slides(d, charts, "zh")
    from_report = briefing.slides(d, report, "zh")
    assert [s.key for s in from_charts] == [s.key for s in from_report]
    for a, b in zip(from_charts, from_report, strict=True):
        assert a.figure.to_plotly_json() == b.figure.to_plotly_json()


def _same_frames(a, b) -> None:
    for name in ("sizes", "set_slots"):
        assert (getattr(a, name) == getattr(b, name)).all(), name
    assert a.unscored == b.unscored
    np.testing.assert_allclose(a.p_sums, b.p_sums, rtol=1e-12)  # sums in another order
    for name in ("plans", "groups", "group_districts", "plan_depts", "district_targets"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), rtol=1e-12)


def test_simulator_frames_by_position_equal_the_join(con, monkeypatch):
    """The simulator's frame structure (core/simulate/frames.py) reads targets with their risk
    rows by position when risk is in targets' order: the same sizes, overlaps and propensity
    sums as the join on the code; and the join when risk is not in order."""
    model = sim_discovery.score_model(con)
    assert model is not None and risk.aligned(con)
    fast = frames.load_frames(con, YEAR, model)
    assert "POSITIONAL JOIN" in frames.groups_sql(con)
    with monkeypatch.context() as m:
        m.setattr(risk, "aligned", lambda _con: False)
        assert "USING (uscc)" in frames.groups_sql(con)
        joined = frames.load_frames(con, YEAR, model)
    assert fast.sizes.sum() > 1000 and fast.p_sums.sum() > 0
    _same_frames(fast, joined)
    # without a model every propensity is 1/2: half the count, exactly; sizes are the draw's
    plain = frames.load_frames(con, YEAR)
    assert (plain.p_sums == 0.5 * plain.sizes).all() and (plain.sizes == fast.sizes).all()
    sizes = frames.sizes_frame(plain)
    drawn = frames.stratum_sizes(con, YEAR)
    merged = sizes.merge(drawn, on=["plan_id", "tier"], how="left", suffixes=("", "_draw"))
    assert (merged["frame_size"] == merged["frame_size_draw"].fillna(0)).all()
    shuffle_risk(con)
    assert "USING (uscc)" in frames.groups_sql(con)
    _same_frames(frames.load_frames(con, YEAR, model), joined)
    _same_frames(frames.load_frames(con, YEAR), plain)


def test_a_street_without_departments_of_its_own(con):
    """Drilling down to a street where no department sits (its visits come from departments
    elsewhere) shows its visits per class with no items, instead of failing."""
    district, street = con.execute(
        """
        SELECT t.district, t.street FROM visits v JOIN targets t USING (uscc)
        WHERE v.year = $year AND NOT EXISTS (
            SELECT 1 FROM departments d WHERE d.district = t.district AND d.street = t.street)
        GROUP BY ALL ORDER BY count(*) DESC, t.district, t.street LIMIT 1
        """,
        {"year": YEAR},
    ).fetchone()
    report = coverage.report(con, YEAR, AS_OF, district, street)
    classes = report["classes"]
    assert (classes["items"] == 0).all() and classes["plan_share"].isna().all()
    expected = con.execute(
        """
        SELECT i.item_class, count(DISTINCT vt.visit_id) AS visits
        FROM visit_tasks vt JOIN items i USING (item_code) JOIN visits v USING (visit_id)
        JOIN targets t USING (uscc)
        WHERE v.year = ? AND t.district = ? AND t.street = ? GROUP BY 1 ORDER BY 1
        """,
        [YEAR, district, street],
    ).df()
    assert classes["item_class"].tolist() == expected["item_class"].tolist()
    assert classes["visits"].tolist() == expected["visits"].tolist()
    assert report["headline"]["visits"] > 0


def test_the_estimate_on_integer_ranks_equals_the_estimate_on_the_codes(con):
    """estimate_from_checks groups targets, plans and random-number labels by their ranks: the
    same groups in the same order as the text, so the same standard errors to the last bit."""
    kind = discovery.source(con, YEAR)
    st = discovery.strata(con, YEAR, kind)
    checks = discovery.unit_checks(con, YEAR, kind)
    est, lift = discovery.estimate_from_checks(st, checks)
    keys = pd.MultiIndex.from_frame(st[["plan_id", "item_code", "tier"]])
    index = keys.get_indexer(pd.MultiIndex.from_frame(checks[["plan_id", "item_code", "tier"]]))
    placed = checks[index >= 0]
    data = stats.Checks.of(
        st["population"].to_numpy(), index[index >= 0], placed["uscc"].to_numpy(),
        placed["plan_id"].to_numpy(), placed["problem"].to_numpy(dtype=float),
        placed["coordination"].to_numpy(),
    )  # fmt: skip
    groups = st["tier"].astype(str).to_numpy()
    assert est.sample > 100 and est.se > 0 and lift.se > 0
    assert est == stats.ht_share_checks(data, groups=groups)
    assert lift == stats.lift_checks(data, groups=groups)
