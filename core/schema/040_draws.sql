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
    record_json     VARCHAR NOT NULL,   -- the public record, exactly as published
    batch_id        VARCHAR,            -- one commit of one or many plans is one batch
    prn_seed        VARCHAR             -- seed, or seed|plan_id in independent mode
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
    tier    VARCHAR NOT NULL,
    u       DOUBLE,                     -- the target's permanent random number in this draw
    rank    INTEGER                     -- its rank in the stratum (1 = smallest u)
);

-- Sampling-issue additions (never removing the contract columns above) ---------------------

-- Ratio tables, integer basis points (1 bp = 0.01 %). scope 'default' holds the item class x
-- risk tier table; a plan_id as scope holds that plan's override (for the plan's item class).
-- Rules (core/sampling.py RULES) are checked before any row is written.
CREATE TABLE IF NOT EXISTS ratio_rules (
    scope      VARCHAR NOT NULL,
    item_class VARCHAR NOT NULL CHECK (item_class IN ('A', 'B', 'C')),
    risk_tier  VARCHAR NOT NULL CHECK (risk_tier IN ('A', 'B', 'C', 'D')),
    ratio_bp   INTEGER NOT NULL CHECK (ratio_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (scope, item_class, risk_tier)
);

-- Defaults (DOMAIN.md: Henan-style steep rise with risk). Calibrated so that the full-scale 2026
-- campaign draws about Shenzhen's 105,743 (python -m core draw --year 2026 --json: "selected").
-- Class means: A 787 bp, B 1343 bp, C 1093 bp (rules: core/sampling.py RULES).
INSERT INTO ratio_rules VALUES
    ('default', 'A', 'A',   50), ('default', 'A', 'B',  100),
    ('default', 'A', 'C',  500), ('default', 'A', 'D', 2500),
    ('default', 'B', 'A',   70), ('default', 'B', 'B',  200),
    ('default', 'B', 'C', 1100), ('default', 'B', 'D', 4000),
    ('default', 'C', 'A',   70), ('default', 'C', 'B',  200),
    ('default', 'C', 'C', 1100), ('default', 'C', 'D', 3000)
ON CONFLICT DO NOTHING;

-- Legacy (before issue 12): a persistent cache of u for every target. No longer written (the
-- draw hashes frame members in memory); kept so that older files still open.
CREATE TABLE IF NOT EXISTS campaign_prn (
    year INTEGER NOT NULL,
    uscc VARCHAR NOT NULL,
    u    DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS campaign_prn_seed (   -- the seed campaign_prn's numbers belong to
    year INTEGER PRIMARY KEY,
    seed VARCHAR NOT NULL
);

-- The frame of every committed stratum, as it was at draw time, so that the frame files named
-- in the records can be written (and their sha256 checked) whatever happens to the registries.
CREATE TABLE IF NOT EXISTS draw_frames (
    draw_id VARCHAR NOT NULL,
    tier    VARCHAR NOT NULL,
    uscc    VARCHAR NOT NULL
);

-- The draw in force for each plan: committed and not superseded by a later draw. The engine keeps
-- one per plan (a re-draw supersedes); should two ever stand, the later commit counts. Every
-- reader (sampling, merge, publication) selects from this view, so they cannot disagree.
-- (Schema files must not write when nothing is missing: IF NOT EXISTS, never OR REPLACE.)
CREATE VIEW IF NOT EXISTS current_draws AS
SELECT d.* FROM draws d
WHERE NOT EXISTS (SELECT 1 FROM draws n WHERE n.supersedes = d.draw_id)
QUALIFY row_number() OVER (PARTITION BY d.plan_id
                           ORDER BY d.committed_at DESC, d.draw_id DESC) = 1;

-- Issue 18: commit before reveal, frames and ratios anchored (docs/draw-record.md) -----------

-- A campaign's commitment notice, published (stored with its time) before any draw of the
-- campaign can be committed. The newest notice of a year is the one in force; a re-commitment
-- (frames or ratios changed) supersedes it with a new secret, salt and future beacon date.
CREATE TABLE IF NOT EXISTS draw_commitments (
    commitment_id   VARCHAR PRIMARY KEY,   -- "<year>-c<n>"
    year            INTEGER NOT NULL,
    rehearsal       BOOLEAN NOT NULL,      -- secret given by a person: never a real draw
    mode            VARCHAR NOT NULL,
    secret          VARCHAR NOT NULL,      -- revealed in the draw records
    seed_commitment VARCHAR NOT NULL,
    tier_salt       VARCHAR NOT NULL,      -- auditor-only
    beacon_source   VARCHAR NOT NULL,
    beacon_format   VARCHAR NOT NULL,
    beacon_date     DATE NOT NULL,
    published_at    VARCHAR NOT NULL,      -- ISO 8601, +08:00
    published_by    VARCHAR NOT NULL,
    supersedes      VARCHAR,
    notice_json     VARCHAR NOT NULL,      -- the notice, canonical JSON, exactly as published
    notice_sha256   VARCHAR NOT NULL
);

-- The anchored strata of a notice: ratio, size and tier-frame sha256 per (plan, tier).
CREATE TABLE IF NOT EXISTS draw_commitment_strata (
    commitment_id VARCHAR NOT NULL,
    plan_id       VARCHAR NOT NULL,
    tier          VARCHAR NOT NULL,
    ratio_bp      INTEGER NOT NULL,
    frame_size    BIGINT NOT NULL,
    frame_sha256  VARCHAR NOT NULL,
    PRIMARY KEY (commitment_id, plan_id, tier)
);

-- The anchored frames, compactly: one row per member target (not per plan x target pair) and
-- the cells each plan admits. A committed draw's frame files are re-derived from these, byte
-- for byte (a commit is refused unless the current frames hash as the notice says).
CREATE TABLE IF NOT EXISTS draw_frame_members (
    commitment_id VARCHAR NOT NULL,
    uscc          VARCHAR NOT NULL,
    cell          INTEGER NOT NULL,
    tier          VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS draw_frame_plan_cells (
    commitment_id VARCHAR NOT NULL,
    plan_id       VARCHAR NOT NULL,
    cell          INTEGER NOT NULL
);

-- What a committed draw adds to its `draws` row: its notice, both times, the rehearsal mark,
-- the public record (suicha-draw-record-v2; draws.record_json holds the auditor record).
CREATE TABLE IF NOT EXISTS draw_commits (
    draw_id                 VARCHAR PRIMARY KEY,
    commitment_id           VARCHAR NOT NULL,
    commitment_published_at VARCHAR NOT NULL,
    beacon_date             DATE NOT NULL,
    committed_at            VARCHAR NOT NULL,
    rehearsal               BOOLEAN NOT NULL,
    frame_size              BIGINT NOT NULL,
    frame_sha256            VARCHAR NOT NULL,
    public_json             VARCHAR NOT NULL
);

-- Merge's independent counterpart (issue 12.3): the independent-mode draw of the whole
-- campaign under a commitment and beacon, computed once when draws are committed.
CREATE TABLE IF NOT EXISTS draw_counterparts (
    commitment_id VARCHAR NOT NULL,
    seed          VARCHAR NOT NULL,
    plan_id       VARCHAR NOT NULL,
    uscc          VARCHAR NOT NULL
);
