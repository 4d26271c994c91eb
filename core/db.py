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
import pyarrow as pa

from core.refusal import Refused

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


SCHEMA_META = "schema_version"  # meta key: the schema version of the file (core/migrations)


class SchemaTooNew(Refused):
    """The file was written by a newer release than this code: opening it could lose data."""

    def __init__(self, version: int, supported: int) -> None:
        super().__init__("db.too_new", version=version, supported=supported)


def _has_table(con: Connection, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchone()[0]
    )


def schema_version(con: Connection) -> int:
    """The file's schema version; 1 for a file written before versions existed."""
    if not _has_table(con, "meta"):
        return 0
    return int(get_meta(con, SCHEMA_META) or 1)


def migrate(con: Connection) -> list[str]:
    """Bring the file to this code's schema (core/migrations): a fresh file gets the schema
    files and the current version; an older one runs the pending steps and the schema files in
    one unit of work; a newer one is refused (SchemaTooNew). Returns the steps run."""
    from core import migrations
    from core.writes import unit_of_work

    current = migrations.SCHEMA_VERSION
    version = schema_version(con)
    if version == 0:  # a new, empty file
        ensure_schema(con)
        set_meta(con, SCHEMA_META, str(current))
        return []
    if version > current:
        raise SchemaTooNew(version, current)
    steps = migrations.pending(version)
    if steps or version < current:
        names = [f"{s.version}: {s.name}" for s in steps]
        detail = {"from": version, "to": current, "steps": names}
        with unit_of_work(con, "system", "schema.migrate", detail):
            for step in steps:
                step.apply(con)
            ensure_schema(con)
            set_meta(con, SCHEMA_META, str(current))
        return names
    ensure_schema(con)  # tables added since (CREATE ... IF NOT EXISTS): writes nothing otherwise
    return []


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> Connection:
    """Open (creating if needed) the database at `path` with its schema in place."""
    path = Path(path) if path is not None else default_db_path()
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    try:
        if not read_only:
            migrate(con)
        elif schema_version(con) > _code_version():
            raise SchemaTooNew(schema_version(con), _code_version())
    except BaseException:
        con.close()
        raise
    return con


def arrow(con: Connection, sql: str, params: dict | list | None = None) -> pa.Table:
    """A query's rows as an Arrow table, without the DB-API's extra copy. DuckDB refuses a
    relation beside a result of execute() left unfinished (an earlier `.fetchone()`): that
    result is run to its end first."""
    con.complete()
    return con.sql(sql, params=params).to_arrow_table()


@contextmanager
def registered(con: Connection, name: str, frame: object) -> Iterator[str]:
    """`frame` (a DataFrame or Arrow table) readable as the view `name` by this connection's
    queries inside the block, and gone after it: rows computed in Python joined in SQL."""
    con.register(name, frame)
    try:
        yield name
    finally:
        con.unregister(name)


def _code_version() -> int:
    from core import migrations

    return migrations.SCHEMA_VERSION


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
