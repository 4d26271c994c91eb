-- Append-only audit trail: every row carries the hash of the one before, so a deleted or edited
-- row breaks the chain (core/audit.py verifies it).

CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;

CREATE TABLE IF NOT EXISTS audit_log (
    seq        BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    logged_at  VARCHAR NOT NULL,    -- ISO 8601, Asia/Shanghai, exactly as hashed
    actor      VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,
    detail     VARCHAR NOT NULL,   -- JSON
    prev_hash  VARCHAR NOT NULL,
    row_hash   VARCHAR NOT NULL
);
