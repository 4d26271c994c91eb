-- Finding a target by its USCC without scanning every code (core/target_lookup.py): the hash of
-- each code with the target's rowid, sorted by hash so DuckDB's min/max zone maps narrow a lookup
-- to one row group. Derived and disposable: a stale or empty table costs time, never results.

CREATE TABLE IF NOT EXISTS target_lookup (
    code_key UBIGINT NOT NULL,   -- hash(uscc)
    rid      BIGINT NOT NULL     -- the target's rowid when the table was built
);
