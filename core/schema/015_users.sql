-- Accounts (core/users.py). Passwords are stored only as argon2id hashes (RFC 9106 low-memory
-- profile: t=3, m=64 MiB, p=4, 16-byte salt per hash). After MAX_FAILURES wrong passwords in a
-- row an account waits LOCK_MINUTES: counted from the sign-in attempts in the audit trail
-- (core/users.py sign_in_state), not kept here. The auth helper owns this file.

CREATE TABLE IF NOT EXISTS users (
    user_id       VARCHAR PRIMARY KEY,     -- lower-case sign-in name; the audit trail's actor
    display_name  VARCHAR NOT NULL,
    dept_code     VARCHAR,                 -- the user's department (NULL: the coordinating office)
    role          VARCHAR NOT NULL,        -- core/roles.py ROLES
    inspector_id  VARCHAR,                 -- set when the user is one of the inspectors
    email         VARCHAR UNIQUE,          -- the identity an OIDC provider (st.login) reports
    password_hash VARCHAR,                 -- argon2id; NULL: signs in through OIDC only
    failed_count  INTEGER NOT NULL DEFAULT 0,  -- retired: no longer written or read (the audit
    locked_until  TIMESTAMP,               -- trail holds sign-in state); kept so files open as before
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    VARCHAR NOT NULL         -- ISO 8601, Asia/Shanghai
);
