"""The Risk page shows what the database holds and saves policy edits (AppTest, real DuckDB)."""

import pytest

from core import db, i18n, risk
from tests.apptest_helpers import decode, figure_by_key, metrics, run_app
from tests.page_text import page_texts
from ui import charts

PAGE = "views/risk.py"
TIER_LABELS = {
    "A": "A级 信用风险低",
    "B": "B级 信用风险一般",
    "C": "C级 信用风险较高",
    "D": "D级 信用风险高",
}


def open_view(at, view: str) -> None:
    """Choose a view of the page (set through session state: the radio's labels follow the
    page's language, which the test process cannot format)."""
    at.session_state["risk_view"] = view
    at.run()


def tier_metrics(at) -> dict[str, int]:
    shown = metrics(at)
    return {t: int(shown[label].replace(",", "")) for t, label in TIER_LABELS.items()}


def test_risk_page_tier_counts_match_the_database(app_env, demo_path):
    app_env(demo_path)
    at = run_app(page=PAGE)
    assert not at.exception
    con = db.connect(demo_path)
    expected = dict(con.execute("SELECT tier, count(*) FROM risk GROUP BY tier").fetchall())
    assert tier_metrics(at) == expected
    assert sum(expected.values()) == 200_000

    fig = figure_by_key(at, "risk_tiers_by_district")
    by_tier = {
        trace["name"]: dict(zip(decode(trace["y"]), decode(trace["x"]), strict=True))
        for trace in fig["data"]
    }
    rows = con.execute(
        "SELECT t.district, r.tier, count(*) FROM risk r JOIN targets t USING (uscc) GROUP BY ALL"
    ).fetchall()
    for district, tier, n in rows:
        assert by_tier[TIER_LABELS[tier]][district] == n
    # the app's one tier colour map (the Sampling page uses it too)
    colours = {trace["name"]: trace["marker"]["color"] for trace in fig["data"]}
    assert colours == {TIER_LABELS[t]: c for t, c in charts.TIER_COLORS.items()}

    at.radio(key="risk_by").set_value("industry").run()
    fig = figure_by_key(at, "risk_tiers_by_industry")
    shown_d = sum(sum(decode(tr["x"])) for tr in fig["data"] if tr["name"] == TIER_LABELS["D"])
    assert shown_d == expected["D"]
    con.close()


def test_lookup_explains_one_target(app_env, demo_path):
    app_env(demo_path)
    con = db.connect(demo_path)
    uscc, tier, score = con.execute(
        "SELECT uscc, tier, score FROM risk WHERE tier = 'D' ORDER BY uscc LIMIT 1"
    ).fetchone()
    info = risk.explain(con, uscc)
    con.close()
    risk_factor_label = i18n.t(f"risk.factor.{info['top_factors'][0]}", "en")
    at = run_app(page=PAGE, lang="en")
    open_view(at, "lookup")
    at.text_input(key="risk_lookup").input(uscc).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Risk tier"] == "D级 high risk"
    assert shown["Risk score"] == f"{score:.3f}"
    assert any(risk_factor_label in m.value for m in at.markdown)
    factors = ", ".join(i18n.t(f"risk.factor.{k}", "en") for k in info["top_factors"])
    assert any(f"**{factors}**" in m.value for m in at.markdown)  # English list, no 、
    table = at.dataframe[0].value
    assert list(table["Contribution"]) == list(
        info["factors"].query("value != 0 and weight != 0")["contribution"].round(3)
    )


def test_policy_edits_a_weight_previews_and_saves(app_env, small_path):
    app_env(small_path)
    con = db.connect(small_path)
    version = db.data_version(con)
    expected_moves = risk.changed_count(risk.preview(con, {"abnormal_list": 5.0}))
    con.close()

    at = run_app(page=PAGE, role="policy")
    open_view(at, "weights")
    row = list(risk.FACTOR_KEYS).index("abnormal_list")
    at.session_state["risk_weights_editor"] = {
        "edited_rows": {row: {"weight": 5.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="risk_preview_button").click().run()
    assert not at.exception
    assert any(f"{expected_moves:,} 个检查对象将改变风险等级" in i.value for i in at.info)

    at.button(key="risk_save").click().run()
    assert not at.exception
    con = db.connect(small_path)
    assert db.data_version(con) == version + 1
    assert risk.weights(con)["abnormal_list"] == 5.0
    expected = dict(con.execute("SELECT tier, count(*) FROM risk GROUP BY tier").fetchall())
    con.close()
    assert tier_metrics(at) == expected
    assert any("已保存" in s.value for s in at.success)


def test_only_policy_may_edit(app_env, small_path):
    app_env(small_path)
    at = run_app(page=PAGE, role="leadership")
    open_view(at, "weights")
    assert not at.exception
    assert not [b for b in at.button if b.key == "risk_save"]
    assert any("政策制定" in i.value for i in at.info)


def test_calibration_view_shows_the_stored_report(app_env, demo_path):
    app_env(demo_path)
    con = db.connect(demo_path)
    from core import risk_calibration

    report = risk_calibration.latest(con)
    con.close()
    at = run_app(page=PAGE, lang="en")
    open_view(at, "calibration")
    assert not at.exception
    shown = metrics(at)
    assert shown["AUC of the score in force"] == f"{report['auc_current']:.3f}"
    assert shown["Fitted model AUC (held out)"] == f"{report['fitted']['auc_holdout']:.3f}"
    fig = figure_by_key(at, "risk_rate_by_tier")
    assert decode(fig["data"][0]["y"]) == [r["rate"] for r in report["by_tier"]]
    # tier names under the bars on two lines, upright, so neighbours do not touch
    assert fig["data"][0]["x"] == [
        i18n.t(f"risk.tier.{r['tier']}", "en").replace(" ", "<br>", 1) for r in report["by_tier"]
    ]
    assert fig["data"][0]["x"][0] == "A级<br>low risk"
    assert fig["layout"]["xaxis"]["tickangle"] == 0
    curve = figure_by_key(at, "risk_calibration_curve")
    assert len(decode(curve["data"][1]["x"])) == 10


def test_policy_adopts_the_fitted_weights(app_env, demo_path, tmp_path):
    import shutil

    path = tmp_path / "fitted.duckdb"
    shutil.copy(demo_path, path)
    app_env(path)
    con = db.connect(path)
    table = risk.weights_table(con)
    current = dict(zip(table["factor"], table["weight"], strict=True))
    fitted = {
        k: round(v, 2)
        for k, v in zip(table["factor"], table["fitted_weight"], strict=True)
        if round(v, 2) != current[k]
    }
    expected_moves = risk.changed_count(risk.preview(con, fitted))
    con.close()
    assert fitted and expected_moves > 0

    at = run_app(page=PAGE, role="policy", lang="en")
    open_view(at, "weights")
    at.toggle(key="risk_use_fitted").set_value(True).run()
    at.button(key="risk_preview_button").click().run()
    assert not at.exception
    assert any(f"{expected_moves:,} targets would change tier" in i.value for i in at.info)
    at.button(key="risk_save").click().run()
    con = db.connect(path)
    saved = risk.weights(con)
    con.close()
    assert {k: saved[k] for k in fitted} == fitted


def test_page_scores_a_directory_built_without_tiers(app_env, small_path):
    con = db.connect(small_path)
    con.execute("DELETE FROM risk")
    con.close()
    app_env(small_path)
    at = run_app(page=PAGE)
    assert not at.exception
    assert sum(tier_metrics(at).values()) == 5_000


def _edit_weight(at, factor: str, value: float) -> None:
    row = list(risk.FACTOR_KEYS).index(factor)
    at.session_state["risk_weights_editor"] = {
        "edited_rows": {row: {"weight": value}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_saving_weights_keeps_its_outcome_across_the_rerun(app_env, small_path, lang):
    """The save rescores under a status box and reruns with clean editors; the rerun says what
    happened, once, in the reader's language. A refused save closes its status box as failed
    and says why."""
    app_env(small_path)
    con = db.connect(small_path)
    version = db.data_version(con)
    con.close()
    at = run_app(page=PAGE, role="policy", lang=lang)
    open_view(at, "weights")
    _edit_weight(at, "abnormal_list", 5.0)
    at.button(key="risk_save").click().run()
    assert not at.exception
    said = i18n.t("risk.saved", lang, version=version + 1)
    assert [s.value for s in at.success] == [said]
    assert [t.value for t in at.toast] == [said]
    assert at.session_state["risk_weights_editor"]["edited_rows"] == {}  # a clean editor
    at.run()  # any later rerun: the outcome was shown once
    assert not at.success

    _edit_weight(at, "abnormal_list", 50.0)
    at.button(key="risk_save").click().run()
    assert not at.exception
    problem = risk.InvalidSettings(risk.validate({"abnormal_list": 50.0}, risk_cutoffs(small_path)))
    assert [e.value for e in at.error] == [problem.message(lang)]
    texts = [t for _, t in page_texts(at)]
    assert i18n.t("feedback.failed", lang, what=i18n.t("risk.saving", lang)) in texts
    con = db.connect(small_path)
    assert db.data_version(con) == version + 1 and risk.weights(con)["abnormal_list"] == 5.0
    con.close()


def risk_cutoffs(path) -> dict:
    con = db.connect(path)
    try:
        return risk.thresholds(con)
    finally:
        con.close()
