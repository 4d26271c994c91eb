"""The embedded DuckDB database: where it lives, its schema, and the data_version that tells
caches when to refresh."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "suicha.duckdb"

Connection = duckdb.DuckDBPyConnection


def default_db_path() -> Path:
    """`SUICHA_DB` if set (tests and deployments point it elsewhere), else data/suicha.duckdb."""
    return Path(os.environ.get("SUICHA_DB") or DEFAULT_DB)


def schema_sql() -> list[tuple[str, str]]:
    """Every schema file under core/schema, in name order: each area adds its own file."""
    folder = resources.files("core") / "schema"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name, p.read_text(encoding="utf-8")) for p in files]


def ensure_schema(con: Connection) -> None:
    """Create every table that is missing; safe to call on every start."""
    for _, sql in schema_sql():
        con.execute(sql)
    con.execute("INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT (key) DO NOTHING")


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> Connection:
    """Open (creating if needed) the database at `path` with its schema in place."""
    path = Path(path) if path is not None else default_db_path()
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    if not read_only:
        ensure_schema(con)
    return con


def get_meta(con: Connection, key: str, default: str | None = None) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_meta(con: Connection, key: str, value: str) -> None:
    con.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, str(value)],
    )


def data_version(con: Connection) -> int:
    """A counter that every write bumps; page caches are keyed by it."""
    return int(get_meta(con, "data_version", "0"))


def bump_data_version(con: Connection) -> int:
    row = con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
        "WHERE key = 'data_version' RETURNING value"
    ).fetchone()
    return int(row[0])


def is_built(con: Connection) -> bool:
    """True once a dataset has been built or imported (the registries are not empty)."""
    return get_meta(con, "dataset_built_at") is not None


@contextmanager
def transaction(con: Connection) -> Iterator[Connection]:
    """All-or-nothing: commit when the block ends, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def content_hash(con: Connection, table: str) -> str:
    """SHA-256 over a table's rows in a fixed order: equal hashes mean equal contents.

    Lets tests and imports prove that a rejected change left a table exactly as it was.
    """
    names = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    if table not in names:
        raise ValueError(f"no table {table!r}")
    # An order-free multiset digest: row count plus the sums of each row's MD5 halves. A changed,
    # added, removed or doubled row changes it; md5 (unlike hash()) is stable across versions.
    sql = f"""
        SELECT count(*), coalesce(sum(md5_number_upper(r)), 0),
               coalesce(sum(md5_number_lower(r)), 0)
        FROM (SELECT CAST(t AS VARCHAR) AS r FROM {table} AS t)
    """  # noqa: S608 (table checked against SHOW TABLES above)
    n, upper, lower = con.execute(sql).fetchone()
    return hashlib.sha256(f"{table}|{n}|{upper}|{lower}".encode()).hexdigest()
