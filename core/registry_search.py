"""Search, filter and page through the 一单两库, fast on 6.43 million targets.

Pages are keyset pages over the table's rowid (the registry's own order): "the next 50 rows after
rowid r" prunes whole row groups, so page 10,000 costs what page 1 costs, where OFFSET would scan
everything before it. Every query is parameterised; column names come from the declarations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from core import codes, risk, target_lookup
from core.db import Connection
from core.registry_schema import KINDS, STATUSES, Registry, registry
from core.vocab import TIERS

Filters = Mapping[str, Any]

# What the page's table shows (export and import carry every column).
DISPLAY_COLUMNS: dict[str, tuple[str, ...]] = {
    "items": (
        "item_code", "name", "dept_code", "item_class", "level", "method", "subject", "field",
        "ratio_bp", "frequency",
    ),
    "targets": (
        "uscc", "name", "kind", "industry", "district", "street", "registered_on", "status",
    ),
    "inspectors": (
        "inspector_id", "name", "dept_code", "district", "street", "qualifications", "certified",
        "active",
    ),
}  # fmt: skip

# The one breakdown each tab charts, over the filtered view.
CHART_COLUMN = {"items": "item_class", "targets": "district", "inspectors": "district"}


CODE_LIKE = re.compile(r"^(?=.*\d)[0-9A-Z-]+$")


def normalise_query(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def where_clause(
    reg: Registry, text: str | None = None, filters: Filters | None = None, *,
    lookup: bool = False, positional: bool = False,
):  # fmt: skip
    """(SQL condition, params) for a search text and filters on `reg`'s declared filter columns.

    `lookup`: a whole target code is proposed by core/target_lookup.py (the caller falls back to
    lookup=False when that finds nothing). `positional`: the tier filter reads `_tier`, the
    column of risk joined by position (see _source).

    The text matches the code by prefix (case-insensitive, spaces ignored) or the name by
    substring; text with Chinese characters can only be a name, and letters-and-digits text with
    a digit (9144…, 440305M01-A) only a code, so those scan one column instead of two.
    A filter value may be a scalar or a list (any of); None or empty means no filter.
    """
    parts: list[str] = []
    params: list[Any] = []
    text = normalise_query(text)
    if text:
        code = "".join(text.split()).upper()
        if not text.isascii():  # codes are ASCII: only the name can match
            parts.append(f"contains({reg.search_name}, ?)")
            params.append(text)
        elif reg.name == "targets" and codes.is_valid_uscc(code):  # a whole code: one lookup
            if lookup:
                parts.append(target_lookup.rowid_condition())
                params.append(code)
            parts.append(f"{reg.search_code} = ?")
            params.append(code)
        elif CODE_LIKE.match(code):  # digits and letters: a code, not a name
            parts.append(f"starts_with({reg.search_code}, ?)")
            params.append(code)
        else:
            parts.append(f"(starts_with({reg.search_code}, ?) OR contains({reg.search_name}, ?))")
            params += [code, text]
    for column, value in (filters or {}).items():
        if column not in reg.filters:
            raise ValueError(f"{reg.name} cannot be filtered by {column!r}")
        values = list(value) if isinstance(value, list | tuple | set) else [value]
        values = [v for v in values if v is not None and v != ""]
        if not values:
            continue
        marks = ", ".join("?" for _ in values)
        if column == "tier" and positional:
            parts.append(f"_tier IN ({marks})")
        elif column == "tier":  # tiers live in the risk table (internal, never published)
            parts.append(f"uscc IN (SELECT uscc FROM risk WHERE tier IN ({marks}))")  # noqa: S608 (placeholders only)
        else:
            parts.append(f"{column} IN ({marks})")
        params += values
    return (" AND ".join(parts) or "TRUE"), params


def _source(con: Connection, reg: Registry, filters: Filters | None) -> tuple[str, bool]:
    """(FROM clause, positional): filtering targets by tier reads risk by position when its rows
    are in targets' order (core/risk.py aligned) instead of a semi-join on 6.43 M codes."""
    tier = (filters or {}).get("tier")
    if reg.name == "targets" and tier not in (None, "", [], ()) and risk.aligned(con):
        return f"{reg.table} POSITIONAL JOIN (SELECT tier AS _tier FROM risk)", True  # noqa: S608
    return reg.table, False


def _is_code(reg: Registry, text: str | None) -> bool:
    """A whole target code: the search the code lookup can answer."""
    code = "".join(normalise_query(text).split()).upper()
    return reg.name == "targets" and codes.is_valid_uscc(code) and normalise_query(text).isascii()


def _run(
    con: Connection, reg: Registry, text, filters, sql: str, extra: list,
    found: Callable[[pd.DataFrame], bool] = lambda df: not df.empty,
) -> pd.DataFrame:  # fmt: skip
    """Run `sql` (with {src} and {where}) with the code lookup, and again without it when the
    lookup `found` nothing (a code the lookup table does not know yet)."""
    source, positional = _source(con, reg, filters)
    for lookup in [True, False] if _is_code(reg, text) else [False]:
        where, params = where_clause(reg, text, filters, lookup=lookup, positional=positional)
        df = con.execute(sql.format(src=source, where=where), [*params, *extra]).df()
        if found(df):
            return df
    return df


def count(con: Connection, name: str, text: str | None = None, filters: Filters | None = None):
    """How many rows match."""
    reg = registry(name)
    sql = "SELECT count(*) AS n FROM {src} WHERE {where}"
    return int(_run(con, reg, text, filters, sql, [], lambda df: df.iat[0, 0] > 0).iat[0, 0])


def page(
    con: Connection, name: str, text: str | None = None, filters: Filters | None = None,
    after: int | None = None, size: int = 50,
) -> pd.DataFrame:  # fmt: skip
    """Up to `size` matching rows after rowid `after` (None: from the start), in rowid order.

    The frame carries `_row` (the rowid, the key for the next page); targets also carry their
    risk tier when the risk table has one (read by position: core/risk.py risk_columns)."""
    reg = registry(name)
    cols = ", ".join(DISPLAY_COLUMNS[name])
    # Late materialisation: find the page's rowids reading only the filtered columns, then fetch
    # the displayed columns of those rows (a top-N over a tier filter's 100,000 matches with
    # every column took 20 times longer).
    sql = "SELECT rowid AS _row FROM {src} WHERE {where} AND rowid > ? ORDER BY rowid LIMIT ?"
    ids = _run(con, reg, text, filters, sql, [-1 if after is None else int(after), int(size)])
    df = con.execute(
        f"SELECT rowid AS _row, {cols} FROM {reg.table} "  # noqa: S608 (declared identifiers)
        "WHERE rowid IN (SELECT unnest(?::BIGINT[])) ORDER BY rowid",
        [[int(r) for r in ids["_row"]]],
    ).df()
    if name == "targets" and not df.empty:
        df = risk.risk_columns(con, df, ("tier",))
    return df


def search_view(
    con: Connection, name: str, text: str | None = None, filters: Filters | None = None,
    after: int | None = None, size: int = 50,
) -> tuple[pd.DataFrame, int, pd.DataFrame]:  # fmt: skip
    """What one search on the page shows: (page of rows, matching count, chart breakdown),
    with at most one full scan of the registry.

    When the first page is not full it holds every match, so count and chart come from it;
    otherwise the breakdown's GROUP BY yields the chart and, summed, the count."""
    rows = page(con, name, text, filters, after, size)
    if after is None and len(rows) < size:
        column = CHART_COLUMN[name]
        values = rows[column].astype("string").fillna("—")
        chart = (
            values.value_counts().rename_axis("value").reset_index(name="n")
            .sort_values(["n", "value"], ascending=[False, True], kind="stable")
            .reset_index(drop=True)
        )  # fmt: skip
        chart["n"] = chart["n"].astype("int64")
        return rows, len(rows), chart
    chart = breakdown(con, name, text, filters)
    return rows, int(chart["n"].sum()), chart


def breakdown(
    con: Connection, name: str, text: str | None = None, filters: Filters | None = None
) -> pd.DataFrame:
    """Counts of the filtered view by the tab's chart column (`value`, `n`)."""
    reg = registry(name)
    column = CHART_COLUMN[name]
    sql = (
        f"SELECT coalesce(CAST({column} AS VARCHAR), '—') AS value, count(*) AS n "  # noqa: S608 (declared identifiers)
        "FROM {src} WHERE {where} GROUP BY 1 ORDER BY n DESC, value"
    )
    return _run(con, reg, text, filters, sql, [])


def filter_options(con: Connection, name: str) -> dict[str, list]:
    """The values each filter of a registry can take, from the reference tables."""
    if name == "items":
        return {
            "dept_code": con.execute(
                "SELECT dept_code, name FROM departments ORDER BY dept_code"
            ).fetchall(),
            "item_class": ["A", "B", "C"],
            "level": ["city", "district", "street"],
        }
    districts = [
        r[0] for r in con.execute("SELECT name FROM districts ORDER BY weight DESC").fetchall()
    ]
    if name == "targets":
        return {
            "district": districts,
            "street": con.execute(
                "SELECT d.name, s.name FROM streets s JOIN districts d USING (district_code) "
                "ORDER BY s.street_code"
            ).fetchall(),
            "industry": con.execute("SELECT code, name FROM industries ORDER BY code").fetchall(),
            "kind": list(KINDS),
            "status": list(STATUSES),
            "tier": list(TIERS),
        }
    return {
        "dept_code": con.execute(
            "SELECT DISTINCT d.dept_code, d.name FROM departments d "
            "JOIN inspectors i USING (dept_code) ORDER BY 1"
        ).fetchall(),
        "district": districts,
        "active": [True, False],
    }
