-- Draws (algorithm suicha-prn-sha256-v1, DESIGN.md). Committed rows are never updated: a re-draw
-- is a new draw that names the one it supersedes. The sampling issue owns and extends this file.

CREATE TABLE IF NOT EXISTS campaigns (
    year            INTEGER PRIMARY KEY,
    secret          VARCHAR NOT NULL,   -- revealed in the draw records once the beacon is in
    seed_commitment VARCHAR NOT NULL,   -- sha256(secret), published with the plan
    beacon_source   VARCHAR NOT NULL,   -- where the beacon's value will come from
    created_at      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS draws (
    draw_id         VARCHAR PRIMARY KEY,
    year            INTEGER NOT NULL,
    plan_id         VARCHAR NOT NULL,
    mode            VARCHAR NOT NULL CHECK (mode IN ('coordinated', 'independent')),
    algorithm       VARCHAR NOT NULL,
    seed_commitment VARCHAR NOT NULL,
    secret          VARCHAR NOT NULL,
    beacon          VARCHAR NOT NULL,
    seed            VARCHAR NOT NULL,
    committed_at    VARCHAR NOT NULL,
    committed_by    VARCHAR NOT NULL,
    supersedes      VARCHAR,            -- draw_id this one replaces, with a reason
    reason          VARCHAR,
    record_json     VARCHAR NOT NULL    -- the public record, exactly as published
);

CREATE TABLE IF NOT EXISTS draw_strata (
    draw_id      VARCHAR NOT NULL,
    tier         VARCHAR NOT NULL,
    ratio_bp     INTEGER NOT NULL,
    frame_size   INTEGER NOT NULL,
    frame_sha256 VARCHAR NOT NULL,
    quota        INTEGER NOT NULL,
    PRIMARY KEY (draw_id, tier)
);

CREATE TABLE IF NOT EXISTS draw_selections (
    draw_id VARCHAR NOT NULL,
    plan_id VARCHAR NOT NULL,
    uscc    VARCHAR NOT NULL,
    tier    VARCHAR NOT NULL
);
