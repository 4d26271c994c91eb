"""The Assignments page's first load at full scale: the unstaffed and desk-check lists read the
targets' names by position (core/target_lookup.py rows_of), and the page labels each distinct
reason, rule, role and level once. The same rows, names and labels as the join on the code and
a label per row."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db, i18n
from core.assignment import capacity, report, run
from tests.apptest_helpers import run_app
from tests.test_app_assignments import merged_path  # noqa: F401 (a fixture)

PAGE = "views/assignments.py"
YEAR = 2026


@pytest.fixture
def tight_path(merged_path):  # noqa: F811 (the imported fixture)
    """The campaign assigned under a cap of one visit per inspector: some visits unstaffed."""
    con = db.connect(merged_path)
    capacity.set_cap(con, "*", 1, "test")
    run.assign_campaign(con, YEAR, "test")
    con.close()
    return merged_path


def test_unstaffed_and_desk_check_names_equal_the_join(tight_path):
    con = db.connect(tight_path)
    try:
        got = report.unstaffed(con, YEAR)
        assert len(got) >= 2 and got["target_name"].notna().all()
        names = con.execute(
            "SELECT uscc, name AS expected FROM targets WHERE uscc IN "
            "(SELECT uscc FROM visits WHERE year = ?)",
            [YEAR],
        ).df()
        joined = got.merge(names, on="uscc", how="left")
        assert (joined["target_name"] == joined["expected"]).all()
        desk = report.desk_checks(con, YEAR)
        joined = desk.merge(names, on="uscc", how="left")
        assert (joined["target_name"] == joined["expected"]).all()
        # a stale lookup table: the names are still the targets'
        con.execute("UPDATE target_lookup SET rid = rid + 1")
        pd.testing.assert_frame_equal(report.unstaffed(con, YEAR), got)
        pd.testing.assert_frame_equal(report.desk_checks(con, YEAR), desk)
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_unstaffed_table_labels_every_row(app_env, tight_path, lang):
    con = db.connect(tight_path)
    expected = report.unstaffed(con, YEAR)
    con.close()
    assert len(expected) >= 2
    app_env(tight_path)
    at = run_app(page=PAGE, lang=lang, role="admin")
    assert not at.exception
    reason, target = (i18n.t(f"assign.col.{c}", lang) for c in ("reason", "target_name"))
    shown = [df.value for df in at.dataframe if reason in df.value.columns
             and target in df.value.columns]  # fmt: skip
    assert len(shown) == 1
    table = shown[0]
    assert table[reason].tolist() == [
        i18n.t(f"assign.reason.{r}", lang) for r in expected["reason"]
    ]
    assert table[target].tolist() == expected["target_name"].tolist()


def test_the_assignments_download_is_read_on_click_with_its_size_known(tight_path):
    """The page offers the download of every active assignment without reading its rows: the
    count it decides XLSX on is the frame's length."""
    con = db.connect(tight_path)
    try:
        frame = report.assignments(con, YEAR)
        assert report.active_assignments(con, YEAR) == len(frame) > 100
    finally:
        con.close()
