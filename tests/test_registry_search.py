"""Registry search: counts agree with SQL, keyset pages cover the view exactly once."""

from __future__ import annotations

import pytest

from core import registry_search as rs


def test_search_by_code_prefix_and_by_name(small_con):
    uscc, name = small_con.execute(
        "SELECT uscc, name FROM targets ORDER BY uscc LIMIT 1 OFFSET 777"
    ).fetchone()
    found = rs.page(small_con, "targets", uscc.lower()[:-1])  # prefix, any case
    assert uscc in set(found["uscc"])
    by_name = rs.page(small_con, "targets", f" {name} ")
    assert uscc in set(by_name["uscc"]) and (by_name["name"].str.contains(name)).all()
    assert (
        rs.count(small_con, "targets", name)
        == small_con.execute(
            "SELECT count(*) FROM targets WHERE contains(name, ?) OR starts_with(uscc, ?)",
            [name, name.upper()],
        ).fetchone()[0]
    )


def test_filters_and_counts_match_sql(small_con):
    filters = {"district": ["南山区", "福田区"], "kind": "enterprise", "status": []}
    expected = small_con.execute(
        "SELECT count(*) FROM targets WHERE district IN ('南山区', '福田区') "
        "AND kind = 'enterprise'"
    ).fetchone()[0]
    assert expected > 0
    assert rs.count(small_con, "targets", None, filters) == expected
    chart = rs.breakdown(small_con, "targets", None, filters)
    assert set(chart["value"]) == {"南山区", "福田区"} and chart["n"].sum() == expected
    items = rs.count(small_con, "items", None, {"item_class": "B", "level": "city"})
    assert (
        items
        == small_con.execute(
            "SELECT count(*) FROM items WHERE item_class = 'B' AND level = 'city'"
        ).fetchone()[0]
    )
    active = rs.count(small_con, "inspectors", None, {"active": True})
    assert active == small_con.execute("SELECT count(*) FROM inspectors WHERE active").fetchone()[0]


def test_keyset_pages_cover_the_view_once(small_con):
    filters = {"district": "宝安区"}
    seen: list[str] = []
    after = None
    while True:
        chunk = rs.page(small_con, "targets", None, filters, after=after, size=97)
        if chunk.empty:
            break
        seen += list(chunk["uscc"])
        after = int(chunk["_row"].iloc[-1])
    total = rs.count(small_con, "targets", None, filters)
    assert len(seen) == len(set(seen)) == total > 97 * 3


def test_tier_filter_reads_the_risk_table(small_con):
    # move three tier-A targets to D: the filter must follow the risk table, not a copy
    codes = [r[0] for r in small_con.execute(
        "SELECT uscc FROM risk WHERE tier = 'A' ORDER BY uscc LIMIT 3").fetchall()]  # fmt: skip
    small_con.execute("UPDATE risk SET tier = 'D' WHERE list_contains(?, uscc)", [codes])
    expected = {
        r[0] for r in small_con.execute("SELECT uscc FROM risk WHERE tier = 'D'").fetchall()
    }
    assert set(codes) <= expected
    page = rs.page(small_con, "targets", None, {"tier": ["D"]}, size=len(expected) + 10)
    assert set(page["uscc"]) == expected and set(page["tier"]) == {"D"}
    assert rs.count(small_con, "targets", None, {"tier": ["D"]}) == len(expected)


def test_unknown_filter_is_refused(small_con):
    with pytest.raises(ValueError):
        rs.count(small_con, "targets", None, {"name; DROP TABLE targets": "x"})


@pytest.mark.parametrize("text", ["科技", "电子", None, "9144"])
def test_search_view_count_and_chart_agree_with_sql(small_con, text):
    rows, n, chart = rs.search_view(small_con, "targets", text, {"kind": ["enterprise"]}, size=40)
    where = "kind = 'enterprise'"
    params: list = []
    if text:
        where += " AND (contains(name, ?) OR starts_with(uscc, ?))"
        params = [text, text]
    expected = dict(
        small_con.execute(
            f"SELECT district, count(*) FROM targets WHERE {where} GROUP BY 1", params
        ).fetchall()
    )
    assert n == sum(expected.values()) and n > 0
    assert dict(zip(chart["value"], chart["n"], strict=True)) == expected
    assert len(rows) == min(n, 40)


@pytest.mark.parametrize(
    "text, sql",
    [
        ("嘉腾 科技", "contains(name, ?)"),
        ("91440309ma5044hj77", "uscc = ?"),  # a whole valid code, any case
        ("9144 0309", "starts_with(uscc, ?)"),
        ("TCL", "(starts_with(uscc, ?) OR contains(name, ?))"),
    ],
)
def test_search_text_decides_which_column_is_scanned(text, sql):
    where, params = rs.where_clause(rs.registry("targets"), text)
    assert where == sql
    assert params[0] in ("嘉腾 科技", "91440309MA5044HJ77", "91440309", "TCL")
