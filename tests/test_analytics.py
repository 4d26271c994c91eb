"""Coverage and discovery (core/coverage.py, core/discovery.py): every figure against a plain
SQL query of its own, over a real campaign (draw committed, visits merged, results entered per
the contract), and over last year's past_inspections."""

from __future__ import annotations

import math
from datetime import date
from html.parser import HTMLParser

import pandas as pd
import pytest

from core import briefing, coverage, db, discovery, sampling, stats
from core.refusal import Refused
from tests.analytics_fixtures import YEAR, campaign_con, campaign_path  # noqa: F401 (fixtures)

AS_OF = date(2026, 11, 30)
REVIEWED = "s.status IN ('done', 'published')"


def _sql_checks(con, where: str = "TRUE", group: str | None = None):
    """Counted checks and problems of reviewed, real results: plain SQL, written apart from the
    module's query."""
    g = f"{group}," if group else ""
    return con.execute(
        f"""
        SELECT {g} sum(CASE WHEN r.counted THEN 1 ELSE 0 END) AS n,
               sum(CASE WHEN r.counted AND r.problem_found THEN 1 ELSE 0 END) AS k
        FROM results r, visits v, visit_status s, items i, targets t
        WHERE r.visit_id = v.visit_id AND s.visit_id = v.visit_id AND i.item_code = r.item_code
          AND t.uscc = v.uscc AND v.year = {YEAR} AND {REVIEWED} AND NOT r.simulated AND {where}
        {"GROUP BY " + group if group else ""}
        """  # noqa: S608
    ).fetchall()


def test_sources_follow_what_the_database_holds(con, small_con):
    assert discovery.source(con, YEAR) == "results"
    assert discovery.source(con, YEAR - 1) == "past"
    assert discovery.source(con, 1990) is None
    # a database without the results tables (they have not landed): this year has nothing,
    # last year still reads past_inspections
    if not discovery.results_tables(small_con):
        assert discovery.source(small_con, YEAR) is None
    assert discovery.source(small_con, YEAR - 1) == "past"
    assert YEAR in discovery.years(con) and YEAR - 1 in discovery.years(con)


def test_discovery_rates_equal_plain_sql(con):
    rates = discovery.rates(con, YEAR)
    (n, k), = _sql_checks(con)  # fmt: skip
    top = rates[rates["dimension"] == "overall"].iloc[0]
    assert (top["checks"], top["problems"]) == (n, k)
    assert top["rate"] == pytest.approx(k / n)
    assert (top["low"], top["high"]) == pytest.approx(stats.wilson(k, n))
    excluded = con.execute(
        "SELECT count(*) FROM results r JOIN visit_status s USING (visit_id) "
        f"WHERE NOT r.counted AND {REVIEWED}"  # noqa: S608
    ).fetchone()[0]
    assert top["excluded"] == excluded > 0
    for dim, column in [("item_class", "i.item_class"), ("dept", "i.dept_code"),
                        ("district", "t.district"),
                        ("industry", "substr(t.industry, 1, 2)")]:  # fmt: skip
        expected = {g: (n, k) for g, n, k in _sql_checks(con, group=column)}
        got = rates[rates["dimension"] == dim]
        assert dict(zip(got["key"], zip(got["checks"], got["problems"], strict=True),
                        strict=True)) == expected, dim  # fmt: skip
    # the tier is the one each target was drawn in for that plan
    by_tier = con.execute(
        f"""
        SELECT ds.tier, sum(r.counted::INT), sum((r.counted AND r.problem_found)::INT)
        FROM results r JOIN visits v USING (visit_id) JOIN visit_status s USING (visit_id)
        JOIN current_draws cd ON cd.plan_id = r.plan_id
        JOIN draw_selections ds ON ds.draw_id = cd.draw_id AND ds.uscc = v.uscc
        WHERE {REVIEWED} GROUP BY ds.tier
        """  # noqa: S608
    ).fetchall()
    got = rates[rates["dimension"] == "tier"]
    assert {t: (n, k) for t, n, k in by_tier} == dict(
        zip(got["key"], zip(got["checks"], got["problems"], strict=True), strict=True)
    )


def test_small_groups_are_flagged_not_ranked(con):
    rates = discovery.rates(con, YEAR)
    depts = rates[rates["dimension"] == "dept"]
    small, large = depts[depts["checks"] < discovery.MIN_GROUP], depts[depts["checks"] >= 30]
    assert len(small) and len(large)
    assert small["small"].all() and small["rank"].isna().all()
    assert not large["small"].any()
    best = large.sort_values("rate", ascending=False).iloc[0]
    assert best["rank"] == 1
    assert sorted(large["rank"].tolist()) == sorted(
        large["rate"].rank(method="min", ascending=False).astype(int).tolist()
    )


def test_last_year_reads_past_inspections(con):
    rates = discovery.rates(con, YEAR - 1)
    n, k = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE problem_found) FROM past_inspections "
        "WHERE year(inspected_on) = ?",
        [YEAR - 1],
    ).fetchone()
    top = rates[rates["dimension"] == "overall"].iloc[0]
    assert (top["checks"], top["problems"], top["excluded"]) == (n, k, 0)
    months = con.execute(
        "SELECT strftime(inspected_on, '%Y-%m'), count(*) FROM past_inspections "
        "WHERE year(inspected_on) = ? GROUP BY 1",
        [YEAR - 1],
    ).fetchall()
    got = rates[rates["dimension"] == "month"]
    assert dict(zip(got["key"], got["checks"], strict=True)) == dict(months)
    est = discovery.population_estimate(con, YEAR - 1)
    assert est["design"] == "post_stratified_tier"
    assert est["estimate"]["population"] == con.execute("SELECT count(*) FROM risk").fetchone()[0]


def test_population_estimate_recovers_the_truth_the_raw_rate_misses(con):
    """The fixture finds a problem with the target's true propensity (synth_truth), so the share
    of the covered strata's frames with a problem is known: HT lands within 3 standard errors of
    it (see below); the raw rate of the risk-targeted draw is far above it, its interval missing
    it."""
    report = discovery.population_estimate(con, YEAR)
    st = discovery.strata(con, YEAR)
    covered = st[st["checks"] > 0][["plan_id", "item_code", "tier"]]
    draw_of = dict(con.execute("SELECT plan_id, draw_id FROM current_draws").fetchall())
    members = [  # each covered stratum's frame as the draw kept it (one row per item)
        (plan_id, item, tier, uscc)
        for plan_id, item, tier in covered.itertuples(index=False)
        for uscc in sampling.tier_frames(con, draw_of[plan_id]).get(tier, [])
    ]
    con.register("covered", pd.DataFrame(members, columns=["plan_id", "item", "tier", "uscc"]))
    truth = con.execute(
        "SELECT sum(tr.propensity) / count(*) FROM covered c JOIN synth_truth tr USING (uscc)"
    ).fetchone()[0]
    est = report["estimate"]
    assert est["population"] == int(st.loc[st["checks"] > 0, "population"].sum())
    # The SE counts a target checked by several plans or items as the one drawn target it is
    # (stats.linear_variance); the nominal 95 % interval covers the truth in 94 % of 200 seeded
    # draws (test_discovery_coverage.py). This fixture's one draw is an unlucky one: its sample's
    # mean propensity alone is in the top 0.3 % of 300 seeds' draws, and the estimate lands 2.3
    # SE above the truth, so one fixed draw is held to 3 SE (a 99.7 % event).
    assert abs(est["share"] - truth) < 3 * est["se"]
    assert report["raw_low"] > truth  # the raw rate's own 95 % interval misses the truth
    assert report["lift"]["lift"] == pytest.approx(report["raw_rate"] / est["share"], rel=1e-9)
    assert report["unplaced_checks"] == 0


def test_tier_test_and_year_comparison(con):
    r = discovery.report(con, YEAR)
    tiers = r["rates"][r["rates"]["dimension"] == "tier"]
    expected = stats.rates_differ(tiers["problems"], tiers["checks"])
    assert r["tiers"]["statistic"] == pytest.approx(expected.statistic)
    assert r["tiers"]["p_value"] < 0.001  # the tiers do differ in the synthetic truth
    yd = r["years"]
    assert (
        yd["last"]["checks"] == r["last"]["checks"] and yd["this"]["rate"] == r["overall"]["rate"]
    )
    assert set(r["compare"]["year"]) == {YEAR - 1, YEAR}
    assert set(r["monthly"]["year"]) == {YEAR - 1, YEAR}


def test_coverage_departments_equal_plain_sql(con):
    depts = coverage.departments(con, YEAR, AS_OF).set_index("dept_code")
    expected = con.execute(
        f"""
        SELECT vt.dept_code, count(DISTINCT vt.visit_id),
               count(DISTINCT vt.visit_id) FILTER (WHERE {REVIEWED}),
               count(DISTINCT vt.visit_id) FILTER (WHERE s.status = 'published'),
               count(DISTINCT vt.visit_id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM assignments a WHERE a.visit_id = vt.visit_id
                   AND a.dept_code = vt.dept_code AND a.active)),
               count(DISTINCT vt.visit_id) FILTER (WHERE v.window_end < DATE '2026-11-30'
                   AND NOT {REVIEWED})
        FROM visit_tasks vt JOIN visits v USING (visit_id) JOIN visit_status s USING (visit_id)
        GROUP BY vt.dept_code
        """  # noqa: S608
    ).fetchall()
    for dept, visits, done, published, assigned, late in expected:
        row = depts.loc[dept]
        assert (row["visits"], row["done"], row["published"], row["assigned"], row["late"]) == (
            visits, done, published, assigned, late), dept  # fmt: skip
    items = dict(con.execute("SELECT dept_code, count(*) FROM items GROUP BY 1").fetchall())
    planned = dict(
        con.execute(
            "SELECT i.dept_code, count(DISTINCT i.item_code) FROM items i JOIN plan_items pi "
            "USING (item_code) JOIN plans p USING (plan_id) WHERE p.year = ? GROUP BY 1",
            [YEAR],
        ).fetchall()
    )
    for dept, row in depts.iterrows():
        assert row["items"] == items.get(dept, 0)
        assert row["items_planned"] == planned.get(dept, 0)
    assert len(depts) == con.execute("SELECT count(*) FROM departments").fetchone()[0]
    classes = coverage.by_class(con, YEAR, AS_OF).set_index("item_class")
    plans = con.execute(
        "SELECT item_class, count(*), count(*) FILTER (WHERE plan_id IN "
        "(SELECT plan_id FROM current_draws)) FROM plans WHERE year = ? GROUP BY 1",
        [YEAR],
    ).fetchall()
    for cls, n, drawn in plans:
        assert (classes.loc[cls, "plans"], classes.loc[cls, "plans_drawn"]) == (n, drawn)
    levels = coverage.by_level(con, YEAR, AS_OF).set_index("level")
    assert levels.loc["street", "items"] == depts[depts["level"] == "street"]["items"].sum()
    assert levels["visits"].sum() == depts["visits"].sum()


def test_drill_down_to_a_street_keeps_the_pilot(con):
    head = coverage.headline(con, YEAR, AS_OF, "南山区", "蛇口街道")
    visits, done = con.execute(
        f"""
        SELECT count(*), count(*) FILTER (WHERE {REVIEWED})
        FROM visits v JOIN visit_status s USING (visit_id) JOIN targets t USING (uscc)
        WHERE t.district = '南山区' AND t.street = '蛇口街道'
        """  # noqa: S608
    ).fetchone()
    assert (head["visits"], head["done"]) == (visits, done)
    assert (
        head["targets"]
        == con.execute(
            "SELECT count(*) FROM targets WHERE district = '南山区' AND street = '蛇口街道'"
        ).fetchone()[0]
    )
    depts = coverage.departments(con, YEAR, AS_OF, "南山区", "蛇口街道")
    pilot = depts[depts["level"] == "street"]
    assert pilot["dept_code"].tolist() == ["440305J01"]  # the 蛇口街道 pilot unit
    assert pilot["items"].iloc[0] == 64
    # every department listed is located there or visits targets there
    assert ((depts["level"] == "street") | (depts["visits"] > 0)).all()
    district = coverage.headline(con, YEAR, AS_OF, "南山区")
    assert district["visits"] >= head["visits"]
    assert (
        coverage.headline(con, YEAR, AS_OF)["visits"]
        == con.execute("SELECT count(*) FROM visits WHERE year = ?", [YEAR]).fetchone()[0]
    )


def test_behind_names_the_department_and_the_gap(con):
    behind = coverage.behind(con, YEAR, AS_OF)
    depts = coverage.departments(con, YEAR, AS_OF).set_index("dept_code")
    late = behind[behind["measure"] == "late"]
    assert len(late) == (depts["late"] > 0).sum()
    worst = late.iloc[0]
    assert worst["gap"] == depts["late"].max() == depts.loc[worst["dept_code"], "late"]
    assert worst["of"] == depts.loc[worst["dept_code"], "visits"]
    assert worst["name"] == depts.loc[worst["dept_code"], "name"]


def test_progress_ends_where_the_tables_do(con):
    p = coverage.progress(con, YEAR)
    last = p.iloc[-1]
    inspected, published = con.execute(
        "SELECT count(*) FILTER (WHERE status IN ('review', 'done', 'published')), "
        "count(*) FILTER (WHERE status = 'published') FROM visit_status"
    ).fetchone()
    assert (last["inspected"], last["published"]) == (inspected, published)
    assert last["drawn"] == con.execute("SELECT count(*) FROM visits").fetchone()[0]
    assert (
        last["assigned"]
        == con.execute("SELECT count(DISTINCT visit_id) FROM assignments WHERE active").fetchone()[
            0
        ]
    )
    assert (p["inspected"].diff().dropna() >= 0).all() and (p["overdue"] >= 0).all()
    # as of a day inside the year, the series stops there
    cut = coverage.progress(con, YEAR, date(2026, 6, 30))
    assert cut["day"].iloc[-1] == date(2026, 6, 30)
    assert (
        cut["inspected"].iloc[-1]
        == con.execute(
            "SELECT count(*) FROM visit_status WHERE status IN ('review', 'done', 'published') "
            "AND completed_on <= DATE '2026-06-30'"
        ).fetchone()[0]
    )


def test_platform_targets_are_set_through_one_audited_write(con):
    before = db.data_version(con)
    coverage.set_targets(con, YEAR, {"single_plans": 600, "items": 3000}, actor="admin-1")
    assert db.data_version(con) == before + 1
    audit = con.execute("SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert audit == ("admin-1", "analytics.targets")
    p = coverage.platform(con, YEAR).set_index("metric")
    singles = con.execute("SELECT count(*) FROM plans WHERE year = ? AND kind = 'single'",
                          [YEAR]).fetchone()[0]  # fmt: skip
    assert p.loc["single_plans", "actual"] == singles
    assert p.loc["single_plans", "gap"] == singles - 600
    assert bool(p.loc["single_plans", "behind"]) == (singles < 600)
    assert not p.loc["items", "behind"] and pd_isna(p.loc["targets", "target"])
    snapshot = db.content_hash(con, "analytics_targets")
    for bad in ({"items": -1}, {"items": 2.5}, {"items": "many"}, {"plans": 3}):
        with pytest.raises(Refused):
            coverage.set_targets(con, YEAR, {"joint_plans": 10, **bad}, actor="admin-1")
    assert db.content_hash(con, "analytics_targets") == snapshot
    assert db.data_version(con) == before + 1


def pd_isna(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>"


class _ScriptTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.external = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
            self.external += [v for k, v in attrs if k == "src"]
        if tag == "link":
            self.external += [v for k, v in attrs if k == "href"]


def test_briefing_holds_every_chart_and_no_network_reference(con):
    d, c = discovery.report(con, YEAR), coverage.report(con, YEAR, AS_OF)
    deck = briefing.slides(d, c, "en")
    html = briefing.render_html(briefing.headline(d, c, 7, AS_OF), deck, "en", AS_OF)
    for s in deck:
        assert f'id="chart-{s.key}"' in html
    tags = _ScriptTags()
    tags.feed(html)
    assert tags.scripts >= 1 and tags.external == []  # plotly.js inline, nothing fetched
    assert "data version 7" in html and AS_OF.isoformat() in html
    assert f"{d['overall']['rate']:.1%}" in html


def test_briefing_command_writes_one_file_and_refuses_a_year_without_checks(
    campaign_path,  # noqa: F811
    tmp_path,
    capsys,
):
    from core.__main__ import main

    out = tmp_path / "b.html"
    rc = main(["briefing", "--db", str(campaign_path), "--year", str(YEAR), "--out", str(out),
               "--lang", "en", "--as-of", "2026-11-30", "--json"])  # fmt: skip
    assert rc == 0
    text = out.read_text(encoding="utf-8")
    assert text.count('class="plotly-graph-div"') == 9 and "Generated 2026-11-30" in text
    assert not (tmp_path / "c.html").exists()
    rc = main(["briefing", "--db", str(campaign_path), "--year", "1990", "--out",
               str(tmp_path / "c.html")])  # fmt: skip
    assert rc == 1 and not (tmp_path / "c.html").exists()
    assert "No checks to report for 1990" in capsys.readouterr().err


def test_each_chart_as_png_and_svg_offline(con, tmp_path):
    """kaleido draws with the local Chromium (BROWSER_PATH): no download, no network."""
    from tests.browser import require_chromium

    require_chromium()
    d, c = discovery.report(con, YEAR), coverage.report(con, YEAR, AS_OF)
    deck = briefing.slides(d, c, "zh")[:2]
    paths = briefing.write_images(deck, tmp_path / "img")
    assert sorted(p.name for p in paths) == sorted(
        f"{s.key}.{f}" for s in deck for f in ("png", "svg")
    )
    for p in paths:
        data = p.read_bytes()
        assert data.startswith(b"\x89PNG") if p.suffix == ".png" else b"<svg" in data[:500]


def test_simulated_results_stand_in_only_where_nothing_real_exists(con):
    """core/results/simulate.py fills a synthetic campaign with results marked simulated: the
    analytics show them, labelled, when the year has nothing real, and never mix the two."""
    real = discovery.rates(con, YEAR)
    real_coverage = coverage.headline(con, YEAR, AS_OF)
    con.execute("UPDATE results SET simulated = TRUE")
    con.execute("UPDATE visit_status SET simulated = TRUE")
    db.bump_data_version(con)  # as every writer does (the coverage memo is keyed by it)
    assert discovery.source(con, YEAR) == "simulated"
    assert coverage.simulated_only(con, YEAR)
    sim = discovery.rates(con, YEAR)
    assert sim[["key", "checks", "problems"]].equals(real[["key", "checks", "problems"]])
    assert coverage.headline(con, YEAR, AS_OF) == real_coverage
    html = briefing.build(con, YEAR, "en", AS_OF)
    assert "Source: simulated results" in html
    # one real reviewed result: the simulated ones are put aside
    visit = con.execute(
        "SELECT visit_id FROM visit_status WHERE status = 'published' ORDER BY visit_id LIMIT 1"
    ).fetchone()[0]
    con.execute("UPDATE results SET simulated = FALSE WHERE visit_id = ?", [visit])
    con.execute("UPDATE visit_status SET simulated = FALSE WHERE visit_id = ?", [visit])
    db.bump_data_version(con)
    assert discovery.source(con, YEAR) == "results"
    n_real = con.execute(
        "SELECT count(*) FROM results WHERE visit_id = ? AND counted", [visit]
    ).fetchone()[0]
    assert discovery.overall(con, YEAR)["checks"] == n_real
    assert not coverage.simulated_only(con, YEAR)
    assert coverage.headline(con, YEAR, AS_OF)["done"] == 1
