"""The Coverage, Discovery and Presentation pages (AppTest over a real DuckDB file): every metric
and chart value equals a plain SQL query of the test's own; registry names never reach Markdown;
the presentation mode moves with its keys' buttons; administrators set the year's targets."""

from __future__ import annotations

import json
import shutil

import pytest

from core import coverage, db, stats
from tests.analytics_fixtures import YEAR, campaign_path  # noqa: F401 (a fixture)
from tests.apptest_helpers import decode, figure_by_key, metrics, run_app

REVIEWED = "s.status IN ('done', 'published')"


@pytest.fixture
def path(campaign_path, tmp_path):  # noqa: F811 (the fixture imported above)
    p = tmp_path / "app.duckdb"
    shutil.copy(campaign_path, p)
    return p


def pct(v: float) -> str:
    return f"{v:.1%}"


def sql_rate(con, group: str | None = None, where: str = "TRUE") -> dict:
    g = f"{group}," if group else "'all',"
    rows = con.execute(
        f"""
        SELECT {g} sum(r.counted::INT), sum((r.counted AND r.problem_found)::INT)
        FROM results r JOIN visits v USING (visit_id) JOIN visit_status s USING (visit_id)
        JOIN items i ON i.item_code = r.item_code JOIN targets t ON t.uscc = v.uscc
        LEFT JOIN current_draws cd ON cd.plan_id = r.plan_id
        LEFT JOIN draw_selections ds ON ds.draw_id = cd.draw_id AND ds.uscc = v.uscc
        WHERE v.year = {YEAR} AND {REVIEWED} AND {where} GROUP BY 1
        """  # noqa: S608
    ).fetchall()
    return {key: (n, k) for key, n, k in rows}


def sql_ht(con) -> stats.Estimate:
    """The HT estimate over strata (plan, item, tier) computed by the test's own SQL."""
    strata = con.execute(
        f"""
        WITH got AS (
            SELECT r.plan_id, r.item_code, ds.tier, sum(r.counted::INT) AS n,
                   sum((r.counted AND r.problem_found)::INT) AS k
            FROM results r JOIN visits v USING (visit_id) JOIN visit_status s USING (visit_id)
            JOIN current_draws cd ON cd.plan_id = r.plan_id
            JOIN draw_selections ds ON ds.draw_id = cd.draw_id AND ds.uscc = v.uscc
            WHERE {REVIEWED} GROUP BY ALL)
        SELECT st.frame_size, coalesce(g.n, 0), coalesce(g.k, 0), st.tier
        FROM current_draws cd JOIN draw_strata st USING (draw_id)
        JOIN plan_items pi ON pi.plan_id = cd.plan_id
        LEFT JOIN got g ON g.plan_id = cd.plan_id AND g.item_code = pi.item_code
             AND g.tier = st.tier
        WHERE st.frame_size > 0
        """  # noqa: S608
    ).fetchall()
    big_n, small_n, small_k, tier = zip(*strata, strict=True)
    return stats.ht_share(big_n, small_n, small_k, groups=list(tier))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_discovery_page_equals_sql(app_env, path, lang):
    app_env(path)
    at = run_app("views/discovery.py", lang=lang, role="leadership")
    assert not at.exception
    con = db.connect(path)
    (n, k), = sql_rate(con).values()  # fmt: skip
    shown = list(metrics(at).values())
    assert shown[0] == pct(k / n)

    tiers = sql_rate(con, "ds.tier")
    fig = figure_by_key(at, "discovery_tier")
    bar = fig["data"][0]
    assert decode(bar["y"]) == pytest.approx([tiers[t][1] / tiers[t][0] for t in "ABCD"])
    lows = [stats.wilson(tiers[t][1], tiers[t][0])[0] for t in "ABCD"]
    minus = decode(bar["error_y"]["arrayminus"])
    assert [r - m for r, m in zip(decode(bar["y"]), minus, strict=True)] == pytest.approx(lows)

    classes = sql_rate(con, "i.item_class")
    fig = figure_by_key(at, "discovery_group")
    got = dict(zip(fig["data"][0]["x"], decode(fig["data"][0]["y"]), strict=True))
    assert sorted(got.values()) == pytest.approx(sorted(k / n for n, k in classes.values()))

    # the headline chart: raw rate, then the HT estimate over the strata the test computes
    est = sql_ht(con)
    fig = figure_by_key(at, "discovery_headline")
    assert decode(fig["data"][0]["y"])[:2] == pytest.approx([k / n, est.share])
    assert shown[1] == pct(est.share)

    months = con.execute(
        f"""
        SELECT strftime(r.completed_on, '%m'), sum(r.counted::INT),
               sum((r.counted AND r.problem_found)::INT)
        FROM results r JOIN visit_status s USING (visit_id) WHERE {REVIEWED} GROUP BY 1
        """  # noqa: S608
    ).fetchall()
    trend = figure_by_key(at, "discovery_trend")
    this_year = trend["data"][-1]
    assert this_year["name"] == str(YEAR)
    assert dict(zip(this_year["x"], decode(this_year["y"]), strict=True)) == pytest.approx(
        {m: kk / nn for m, nn, kk in months}
    )
    con.close()


def test_discovery_groups_by_department_and_flags_small_ones(app_env, path):
    app_env(path)
    # zh: the test process formats radio labels in the default language
    at = run_app("views/discovery.py", lang="zh", role="leadership")
    at.session_state["discovery_dim"] = "dept"
    at.run()
    assert not at.exception
    con = db.connect(path)
    by_dept = con.execute(
        f"""
        SELECT d.name, sum(r.counted::INT), sum((r.counted AND r.problem_found)::INT)
        FROM results r JOIN visit_status s USING (visit_id)
        JOIN items i ON i.item_code = r.item_code JOIN departments d ON d.dept_code = i.dept_code
        WHERE {REVIEWED} GROUP BY 1
        """  # noqa: S608
    ).fetchall()
    con.close()
    large = {name: k / n for name, n, k in by_dept if n >= 30}
    fig = figure_by_key(at, "discovery_group")
    bars = fig["data"][0]
    names = bars["y"] if bars.get("orientation") == "h" else bars["x"]
    values = decode(bars["x"] if bars.get("orientation") == "h" else bars["y"])
    shown = dict(zip(names, values, strict=True))
    ranked = sorted(large.items(), key=lambda kv: -kv[1])[:30]
    assert list(shown)[: len(ranked)] == [n for n, _ in ranked]  # ranked groups, best first
    assert [shown[n] for n, _ in ranked] == pytest.approx([v for _, v in ranked])
    # small groups follow the ranked ones, labelled and grey, in code order: never ranked
    small = sorted(name for name, n, k in by_dept if n < 30)
    assert len(large) <= 30 and len(small) > 0
    tail = list(shown)[len(ranked) :]
    assert sorted(tail) == sorted(f"{name} (小样本)" for name in small)
    assert set(bars["marker"]["color"][len(ranked) :]) == {"#b3b6b7"}
    # registry names are data: never in Markdown
    assert not any(name in md.value for md in at.markdown for name in large)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_coverage_page_equals_sql_and_drills_down(app_env, path, lang):
    app_env(path)
    at = run_app("views/coverage.py", lang=lang, role="leadership")
    assert not at.exception
    con = db.connect(path)

    def headline(where: str = "TRUE") -> list[str]:
        row = con.execute(
            f"""
            SELECT count(*),
                   count(*) FILTER (WHERE v.visit_id IN
                                    (SELECT visit_id FROM assignments WHERE active)),
                   count(*) FILTER (WHERE {REVIEWED}),
                   count(*) FILTER (WHERE s.status = 'published')
            FROM visits v JOIN visit_status s USING (visit_id) JOIN targets t USING (uscc)
            WHERE {where}
            """  # noqa: S608
        ).fetchone()
        return [f"{v:,}" for v in row]

    assert list(metrics(at).values())[:4] == headline()
    level_visits = dict(
        con.execute(
            "SELECT d.level, count(*) FROM (SELECT DISTINCT visit_id, dept_code FROM visit_tasks) "
            "x JOIN departments d USING (dept_code) GROUP BY 1"
        ).fetchall()
    )
    fig = figure_by_key(at, "coverage_level")
    visits_trace = fig["data"][0]
    assert decode(visits_trace["y"]) == [level_visits.get(lv, 0)
                                        for lv in ("city", "district", "street")]  # fmt: skip

    # who is behind: named as plain text, never through Markdown
    worst = con.execute(
        f"""
        SELECT d.name, count(*) AS late FROM (SELECT DISTINCT visit_id, dept_code
                                              FROM visit_tasks) x
        JOIN visits v USING (visit_id) JOIN visit_status s USING (visit_id)
        JOIN departments d USING (dept_code)
        WHERE v.window_end < ? AND NOT {REVIEWED}
        GROUP BY 1 ORDER BY late DESC LIMIT 1
        """,  # noqa: S608
        [coverage.today()],
    ).fetchone()
    if worst:
        assert any(worst[0] in t.value and str(worst[1]) in t.value for t in at.text)
        assert not any(worst[0] in md.value for md in at.markdown)

    at.selectbox(key="coverage_district").set_value("南山区").run()
    at.selectbox(key="coverage_street").set_value("蛇口街道").run()
    assert not at.exception
    assert list(metrics(at).values())[:4] == headline(
        "t.district = '南山区' AND t.street = '蛇口街道'"
    )
    con.close()


def test_admin_sets_the_years_targets_on_the_page(app_env, path):
    app_env(path)
    at = run_app("views/coverage.py", lang="en", role="admin")
    at.number_input(key="coverage_target_single_plans").set_value(600)
    at.number_input(key="coverage_target_inspectors").set_value(9000)
    at.button[[b.label for b in at.button].index("Save targets")].click().run()
    assert not at.exception
    con = db.connect(path)
    assert dict(con.execute("SELECT metric, target FROM analytics_targets").fetchall()) == {
        "single_plans": 600, "inspectors": 9000}  # fmt: skip
    # one audited write by the signed-in administrator
    assert con.execute(
        "SELECT actor FROM audit_log WHERE action = 'analytics.targets'"
    ).fetchall() == [("admin",)]
    actual = con.execute("SELECT count(*) FROM inspectors WHERE certified AND active").fetchone()[0]
    con.close()
    fig = figure_by_key(at, "coverage_platform")
    shares = dict(zip(fig["data"][0]["y"], decode(fig["data"][0]["x"]), strict=True))
    assert shares["Inspectors (certified, active)"] == pytest.approx(actual / 9000)
    # leadership reads, but may not set targets
    at = run_app("views/coverage.py", lang="en", role="leadership")
    assert not any(n.key == "coverage_target_items" for n in at.number_input)


def test_presentation_moves_with_its_keys(app_env, path):
    app_env(path)
    at = run_app("views/presentation.py", lang="zh", role="leadership")
    assert not at.exception
    assert at.get("plotly_chart")[0].proto.id.endswith("present_discovery_headline")
    at.button(key="present_next").click().run()
    assert at.get("plotly_chart")[0].proto.id.endswith("present_discovery_tier")
    at.button(key="present_prev").click().run()
    at.button(key="present_prev").click().run()  # stays on the first slide
    assert at.get("plotly_chart")[0].proto.id.endswith("present_discovery_headline")
    at.button(key="present_lang").click().run()
    assert at.session_state["presentation_lang"] == "en" and at.session_state["lang"] == "zh"
    assert at.title[0].value == "Raw rate against the population estimate"


def test_presentation_axes_make_room_for_their_large_labels(app_env, path):
    """theme=None drops plotly's template: without automargin the 22 px tick labels ran off the
    chart's left edge (the percent axis read "%", "%", "%") and the bar names off its foot."""
    app_env(path)
    at = run_app("views/presentation.py", lang="zh", role="leadership")
    for _ in range(3):
        fig = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert fig["layout"]["xaxis"]["automargin"] is True
        assert fig["layout"]["yaxis"]["automargin"] is True
        at.button(key="present_next").click().run()


def test_every_other_analytics_figure_equals_sql(app_env, path):
    """The figures the tests above do not read: the years chart (last year from
    past_inspections), lift and chi-square, share of items in a plan per class, progress."""
    app_env(path)
    con = db.connect(path)
    at = run_app("views/discovery.py", lang="en", role="leadership")
    past = dict(
        (t, (n, k))
        for t, n, k in con.execute(
            "SELECT r.tier, count(*), count(*) FILTER (WHERE p.problem_found) "
            "FROM past_inspections p JOIN risk r USING (uscc) GROUP BY 1"
        ).fetchall()
    )
    fig = figure_by_key(at, "discovery_years")
    last = fig["data"][0]
    assert last["name"] == str(YEAR - 1)
    total_n, total_k = sum(n for n, _ in past.values()), sum(k for _, k in past.values())
    assert decode(last["y"]) == pytest.approx(
        [total_k / total_n] + [past[t][1] / past[t][0] for t in "ABCD"]
    )
    tiers = sql_rate(con, "ds.tier")
    chi = stats.rates_differ([tiers[t][1] for t in "ABCD"], [tiers[t][0] for t in "ABCD"])
    shown = metrics(at)
    assert shown["Tiers differ? (chi-square)"] == (
        "p < 0.001" if chi.p_value < 0.001 else f"p = {chi.p_value:.2g}"
    )
    (n, k), = sql_rate(con).values()  # fmt: skip
    share = float(shown["Population share (HT estimate)"].rstrip("%")) / 100
    assert (
        shown["Lift of targeting"] == f"{(k / n) / share:.2f}×"
        or abs(float(shown["Lift of targeting"].rstrip("×")) - (k / n) / share) < 0.02
    )  # the shown share is rounded to 0.1 %

    at = run_app("views/coverage.py", lang="en", role="leadership")
    planned = con.execute(
        """
        SELECT i.item_class, count(*) FILTER (WHERE i.item_code IN (
                   SELECT item_code FROM plan_items JOIN plans USING (plan_id) WHERE year = ?))
               / count(*)
        FROM items i GROUP BY 1 ORDER BY 1
        """,
        [YEAR],
    ).fetchall()
    fig = figure_by_key(at, "coverage_share_class")
    assert decode(fig["data"][0]["y"]) == pytest.approx([v for _, v in planned])
    fig = figure_by_key(at, "coverage_progress")
    ends = {tr["name"]: decode(tr["y"])[-1] for tr in fig["data"]}
    published = con.execute(  # the series ends today: nothing counted ahead of it
        "SELECT count(*) FROM visit_status WHERE status = 'published' AND published_on <= ?",
        [coverage.today()],
    ).fetchone()[0]
    drawn = con.execute("SELECT count(*) FROM visits").fetchone()[0]
    assert (ends["Published"], ends["Drawn"]) == (published, drawn)
    con.close()


def test_the_public_does_not_see_the_analytics(app_env, path):
    app_env(path)
    at = run_app(lang="en", role="public")
    for page in ("views/coverage.py", "views/discovery.py", "views/presentation.py"):
        with pytest.raises(ValueError):
            at.switch_page(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_is_prepared_under_a_status_box_and_says_so_after_the_rerun(app_env, path, lang):
    """Preparing the briefing (4-5 MB, every chart) runs under a status box; the rerun says it is
    ready, with its size, in the reader's language, and offers the very file for download."""
    from core import briefing, i18n
    from ui.analytics import as_of

    app_env(path)
    at = run_app(page="views/discovery.py", role="leadership", lang=lang)
    assert not at.get("download_button")
    at.button(key="analytics_briefing_prepare").click().run()
    assert not at.exception
    con = db.connect(path)
    html = briefing.build(con, YEAR, lang, as_of())
    con.close()
    said = i18n.t("analytics.briefing_ready", lang, year=YEAR,
                  mb=f"{len(html.encode('utf-8')) / 2**20:.1f}")  # fmt: skip
    assert [s.value for s in at.success] == [said]
    assert [t.value for t in at.toast] == [said]
    (button,) = at.get("download_button")
    assert button.proto.label == i18n.t("analytics.briefing", lang)
    year, shown_lang, _, kept = at.session_state["analytics_briefing_file"]
    assert (year, shown_lang, len(kept)) == (YEAR, lang, len(html))
    at.run()  # shown once; the download stays offered
    assert not at.success and len(at.get("download_button")) == 1
