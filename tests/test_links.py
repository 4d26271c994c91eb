"""Deep links (issue 17.3): `?lang=` chooses the language when a session starts; the public page
opens the plan a link names; the filters that matter follow the widgets into the address."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import db, publish
from tests import draw_reference as ref

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def published(small_path):
    con = db.connect(small_path)
    records = ref.commit_draws(con, ref.largest_plans(con, 2))
    publish.publish_year(con, 2026, "admin-zhangwei")
    con.close()
    return small_path, sorted(records)


def open_link(page: str, **params: str) -> AppTest:
    """A new session opened from a link: the query parameters are there from the first run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("lang,title", [("en", "inspection notices"), ("zh", "公示")])
def test_lang_in_the_link_chooses_the_language(app_env, published, lang, title):
    app_env(published[0])
    at = open_link("views/public.py", lang=lang)
    assert not at.exception
    assert at.session_state["lang"] == lang
    assert title in at.title[0].value


def test_a_wrong_lang_falls_back_to_chinese(app_env, published):
    app_env(published[0])
    at = open_link("views/public.py", lang="fr")
    assert not at.exception and at.session_state["lang"] == "zh"


def test_a_plan_link_opens_that_plan(app_env, published):
    path, plans = published
    app_env(path)
    for plan_id in plans:  # both, so the first plan in the list is not the answer by chance
        at = open_link("views/public.py", lang="en", plan=plan_id)
        assert not at.exception
        assert at.selectbox(key="public_plan").value == plan_id
        assert at.query_params["plan"] == plan_id
    at = open_link("views/public.py", plan="2026-X-9999")  # unknown: ignored, no error
    assert not at.exception
    picker = at.selectbox(key="public_plan")
    assert picker.value == picker.options[0].split(" · ")[0]  # the first plan, as without a link


def test_a_search_without_a_match_is_not_an_empty_year(app_env, published):
    from core import i18n

    app_env(published[0])
    at = open_link("views/public.py", lang="en")
    at.text_input(key="public_plans_q").input("no such plan anywhere").run()
    assert not at.exception
    assert i18n.t("public.no_match", "en") in [i.value for i in at.info]
    assert i18n.t("public.no_plans", "en") not in [i.value for i in at.info]


def test_local_time_reads_as_shanghai_time_to_the_minute():
    from ui.known_text import local_time

    assert local_time("2026-11-30T11:20:05+08:00") == "2026-11-30 11:20"
    assert local_time("2026-11-30T03:20:05+00:00") == "2026-11-30 11:20"
    assert local_time("2026-11-30") == "2026-11-30"
    assert local_time("not a time") == "not a time"


def test_first_run_build_reports_every_step_in_order_and_in_words(tmp_path):
    """The first-run bar: fractions never go back, and each step has words in both languages
    (the page shows them; an unknown step would show its raw name)."""
    from core import i18n
    from core.bootstrap import build_database

    seen: list[tuple[float, str]] = []
    build_database(tmp_path / "b.duckdb", 5_000, progress=lambda f, m: seen.append((f, m)),
                   campaign=True)  # fmt: skip
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(seen) >= 12  # the later steps are reported too, not one long wait
    assert max(b - a for a, b in zip(fractions, fractions[1:], strict=False)) <= 0.35
    for _, message in seen:
        key = "build.step.targets" if message.startswith("targets ") else (
            "build.step." + message.replace(" ", "_"))  # fmt: skip
        assert key in i18n.catalogue(), message


def signed_in_link(page: str, role: str, **params: str) -> AppTest:
    """A link opened by a signed-in user (the session holds what a sign-in leaves there)."""
    from tests.apptest_helpers import demo_user_id, signed_in_user

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.session_state["user"] = signed_in_user(demo_user_id(role))
    at.run()
    at.switch_page(page).run()
    return at


def test_filter_links_on_the_sampling_and_coverage_pages(app_env, demo_path):
    from core import coverage, sampling_report

    app_env(demo_path)
    con = db.connect(demo_path)
    plans = list(sampling_report.plan_choices(con, 2026)["plan_id"])
    districts = coverage.districts(con)
    con.close()
    plan_id, district = plans[len(plans) // 2], districts[-1]  # not the defaults
    at = signed_in_link("views/sampling.py", "policy", year="2026", plan=plan_id)
    assert not at.exception
    assert at.radio(key="sampling_scope").value == "plan"
    assert at.selectbox(key="sampling_plan").value == plan_id
    at = signed_in_link("views/coverage.py", "leadership", district=district)
    assert not at.exception
    assert at.selectbox(key="coverage_district").value == district
    assert at.query_params["district"] == district
    at.selectbox(key="coverage_district").set_value(None).run()  # back to the whole city
    assert "district" not in at.query_params
