"""The synthetic registries: real counts at every scale, DOMAIN.md shares, determinism."""

import numpy as np
import pytest

from core import codes, db, synth
from core import reference_data as ref
from core.bootstrap import build_database


def scalar(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_registry_counts(demo_con):
    c = demo_con
    assert scalar(c, "SELECT count(*) FROM departments WHERE level IN ('city','district')") == 178
    assert scalar(c, "SELECT count(*) FROM departments WHERE level = 'city'") == 39
    assert scalar(c, "SELECT count(*) FROM departments WHERE level = 'district'") == 139
    assert scalar(c, "SELECT count(*) FROM departments WHERE level = 'street'") == 1
    assert scalar(c, "SELECT count(*) FROM items") == 3654
    assert scalar(c, "SELECT count(*) FROM items WHERE dept_code = '440300M01'") == 1295
    assert scalar(c, "SELECT name FROM departments WHERE dept_code = '440300M01'") == (
        "深圳市市场监督管理局"
    )
    assert scalar(c, "SELECT count(*) FROM items WHERE level = 'street'") == 64
    assert scalar(c, "SELECT count(*) FROM inspectors") == 8452
    assert scalar(c, "SELECT count(*) FROM inspectors i JOIN departments d USING (dept_code) "
                     "WHERE d.level = 'street'") == 12  # fmt: skip
    assert scalar(c, "SELECT count(*) FROM plans WHERE kind = 'single'") == 558
    assert scalar(c, "SELECT count(*) FROM plans WHERE kind = 'joint'") == 200
    assert scalar(c, "SELECT count(*) FROM targets") == 200_000


def test_every_district_and_street(demo_con):
    rows = demo_con.execute(
        "SELECT district, count(DISTINCT street) FROM targets GROUP BY 1"
    ).fetchall()
    assert dict(rows) == {d: len(s) for d, s in ref.STREETS.items()}
    assert scalar(demo_con, "SELECT count(DISTINCT street) FROM targets") == 74
    assert scalar(demo_con, "SELECT count(*) FROM streets") == 74
    # 蛇口 pilot unit sits in 蛇口街道 of 南山区
    assert demo_con.execute(
        "SELECT district, street FROM departments WHERE level = 'street'"
    ).fetchall() == [("南山区", "蛇口街道")]


def test_district_shares_follow_registrations(demo_con):
    total = sum(d[4] for d in ref.DISTRICTS)
    got = dict(
        demo_con.execute("SELECT district, count(*) / 200000 FROM targets GROUP BY 1").fetchall()
    )
    for _, name, _, _, weight in ref.DISTRICTS:
        expected = weight / total
        assert abs(got[name] - expected) < 0.01 + 0.05 * expected, (name, got[name], expected)
    ranking = [r[0] for r in demo_con.execute(
        "SELECT district FROM targets GROUP BY 1 ORDER BY count(*) DESC").fetchall()]  # fmt: skip
    assert ranking[:2] == ["龙岗区", "宝安区"] and ranking[-1] == "大鹏新区"


def test_kind_shares(demo_con):
    got = dict(
        demo_con.execute("SELECT kind, count(*) / 200000 FROM targets GROUP BY 1").fetchall()
    )
    assert abs(got["enterprise"] - 0.446) < 0.01
    assert abs(got["individual"] - 0.264) < 0.01
    entities = sum(got.get(k, 0) for k in ref.ENTITY_KINDS)
    assert abs(entities - 4.57 / 6.43) < 0.015  # market entities within the directory


def test_codes_are_valid_and_unique(demo_con):
    rows = demo_con.execute("SELECT uscc, kind, district FROM targets").fetchall()
    assert len({r[0] for r in rows}) == len(rows)
    bad = [r[0] for r in rows if not codes.validate_uscc(r[0]).ok]
    assert bad == []
    auth = {k[0]: k[4] + k[5] for k in ref.KINDS}
    assert all(r[0][:2] == auth[r[1]] for r in rows[:20000])
    divisions = {d[1]: d[3] for d in ref.DISTRICTS}
    assert all(r[0][2:8] in (divisions[r[2]], "440300") for r in rows[:20000])
    for code, dept, cls in demo_con.execute(
        "SELECT item_code, dept_code, item_class FROM items"
    ).fetchall():
        parts = codes.item_code_parts(code)
        assert (parts["dept_code"], parts["item_class"]) == (dept, cls)
    assert (
        scalar(demo_con, "SELECT count(*) FROM items i ANTI JOIN departments d USING (dept_code)")
        == 0
    )
    assert (
        scalar(
            demo_con, "SELECT count(*) FROM inspectors i ANTI JOIN departments d USING (dept_code)"
        )
        == 0
    )


def test_item_classes_and_ratios(demo_con):
    shares = dict(
        demo_con.execute("SELECT item_class, count(*) / 3654 FROM items GROUP BY 1").fetchall()
    )
    assert set(shares) == {"A", "B", "C"} and all(v > 0.1 for v in shares.values())
    # A: annual ratio below 10 %; B: at least 10 %
    assert scalar(demo_con, "SELECT max(ratio_bp) FROM items WHERE item_class = 'A'") < 1000
    assert scalar(demo_con, "SELECT min(ratio_bp) FROM items WHERE item_class = 'B'") >= 1000


def test_factor_prevalence_is_realistic(demo_con):
    p = demo_con.execute(
        """SELECT avg(abnormal_list::INT), avg(serious_violation::INT),
                  avg(annual_report_overdue::INT), avg(red_list::INT),
                  avg(black_list::INT), avg(complaints_12m), avg(penalties_3y)
           FROM targets WHERE kind IN ('enterprise', 'individual')"""
    ).fetchone()
    abnormal, serious, overdue, red, black, complaints, penalties = p
    assert 0.06 < abnormal < 0.10
    assert 0.004 < serious < 0.012
    assert 0.08 < overdue < 0.12
    assert 0.01 < red < 0.02 and 0.002 < black < 0.006
    assert 0.08 < complaints < 0.18 and 0.03 < penalties < 0.08
    # factors co-occur: the abnormal-list share is several times higher among the black-listed
    ratio = demo_con.execute(
        "SELECT avg(abnormal_list::INT) FILTER (black_list) / avg(abnormal_list::INT) FROM targets"
    ).fetchone()[0]
    assert ratio > 3
    # red-listed firms are less often on the abnormal list
    assert demo_con.execute(
        "SELECT avg(abnormal_list::INT) FILTER (red_list) < avg(abnormal_list::INT) FROM targets"
    ).fetchone()[0]
    statuses = dict(
        demo_con.execute("SELECT status, count(*) / 200000 FROM targets GROUP BY 1").fetchall()
    )
    assert 0.88 < statuses["active"] < 0.95
    assert (
        scalar(
            demo_con,
            "SELECT count(*) FROM targets WHERE status = 'revoked' AND NOT licence_revoked",
        )
        == 0
    )


def test_plans_are_well_formed(demo_con):
    c = demo_con
    assert scalar(c, "SELECT count(*) FROM plans p ANTI JOIN plan_items USING (plan_id)") == 0
    assert scalar(c, "SELECT count(*) FROM plan_items ANTI JOIN items USING (item_code)") == 0
    assert scalar(c, "SELECT count(*) FROM plans p ANTI JOIN departments d "
                     "ON p.lead_dept = d.dept_code") == 0  # fmt: skip
    # joint plans involve at least two departments; single plans exactly one
    per_plan = dict(c.execute(
        "SELECT p.kind, min(n) FROM plans p JOIN (SELECT plan_id, count(*) n FROM plan_depts "
        "GROUP BY 1) USING (plan_id) GROUP BY 1").fetchall())  # fmt: skip
    assert per_plan == {"single": 1, "joint": 2}
    assert scalar(c, "SELECT count(*) FROM plans WHERE kind = 'joint' AND item_class <> 'C'") == 0
    assert scalar(c, "SELECT count(*) FROM plans WHERE period_end < period_start") == 0
    assert scalar(c, "SELECT count(DISTINCT year) FROM plans") == 1
    # district plans draw only from their own district
    assert (
        scalar(
            c,
            """SELECT count(*) FROM plans p JOIN departments d ON p.lead_dept = d.dept_code
                        WHERE d.level = 'district' AND p.frame_districts <> [d.district]""",
        )
        == 0
    )
    # every plan's frame is non-empty at demo scale for most plans
    empty = scalar(
        c,
        """
        SELECT count(*) FROM plans p WHERE NOT EXISTS (
          SELECT 1 FROM targets t WHERE list_contains(p.frame_kinds, t.kind)
            AND (p.frame_industries IS NULL OR list_contains(p.frame_industries, t.industry))
            AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
            AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street)))""",
    )
    assert empty < 758 * 0.1


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    hashes = []
    for name, seed in [("a", 7), ("b", 7), ("c", 8)]:
        path = tmp_path / f"{name}.duckdb"
        build_database(path, 3_000, seed=seed)
        con = db.connect(path)
        hashes.append({t: db.content_hash(con, t) for t in
                       ("targets", "items", "inspectors", "plans", "plan_items")})  # fmt: skip
        con.close()
    assert hashes[0] == hashes[1]
    assert hashes[0]["targets"] != hashes[2]["targets"]
    assert hashes[0]["inspectors"] != hashes[2]["inspectors"]


def test_scale_changes_only_targets(tmp_path, demo_con):
    path = tmp_path / "tiny.duckdb"
    build_database(path, 2_000, seed=2022)
    con = db.connect(path)
    for table in ("departments", "items", "inspectors", "plans", "plan_items", "plan_depts"):
        assert db.content_hash(con, table) == db.content_hash(demo_con, table), table
    assert scalar(con, "SELECT count(*) FROM targets") == 2_000
    con.close()


@pytest.mark.parametrize(
    ("scale", "n"), [("demo", 200_000), ("full", 6_430_000), ("12_345", 12_345), (5000, 5000)]
)
def test_parse_scale(scale, n):
    assert synth.parse_scale(scale) == n


@pytest.mark.parametrize("scale", ["huge", "12.5", 10, "-3"])
def test_parse_scale_rejects(scale):
    with pytest.raises(ValueError):
        synth.parse_scale(scale)


def test_largest_remainder_adds_up():
    out = synth._largest_remainder(np.array([1.0, 1.0, 1.0]), 10)
    assert out.sum() == 10 and sorted(out.tolist()) == [3, 3, 4]
