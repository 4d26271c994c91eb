-- The second random (双随机, issue 13): inspectors drawn for every merged visit
-- (core/assignment/, rule suicha-assign-sha256-v1 in docs/assignment-rule.md). The assignment
-- issue owns this file. Readers of assignments use `WHERE active`.

-- One row per assignment run of a campaign. record_json is the run's record: every input the
-- rule reads (seed, caps, visits, eligible inspectors' attributes, recusals, conflicts) and its
-- outcome, enough for core/verify_assignment_standalone.py to recompute it with hashlib alone.
CREATE TABLE IF NOT EXISTS assignment_runs (
    run_id         VARCHAR PRIMARY KEY,   -- A<year>-<first 12 hex of the record's sha256>
    year           INTEGER NOT NULL,
    algorithm      VARCHAR NOT NULL,      -- suicha-assign-sha256-v1
    seed           VARCHAR NOT NULL,      -- the campaign seed S of the committed draws
    assigned_at    VARCHAR NOT NULL,
    assigned_by    VARCHAR NOT NULL,
    visits         INTEGER NOT NULL,      -- visits of the campaign (onsite and desk)
    staffed        INTEGER NOT NULL,
    unstaffed      INTEGER NOT NULL,
    record_sha256  VARCHAR NOT NULL,
    record_json    VARCHAR NOT NULL
);

-- Inspectors per visit. A replacement deactivates the row (active = false, replaced_by = the new
-- inspector, reason) and adds the new one; nothing is deleted except by a new run of the year.
CREATE TABLE IF NOT EXISTS assignments (
    visit_id      VARCHAR NOT NULL,
    inspector_id  VARCHAR NOT NULL,
    dept_code     VARCHAR,               -- the participating department the inspector staffs
    role          VARCHAR NOT NULL DEFAULT 'member',  -- 'lead' | 'member'
    rank          INTEGER,               -- position in the department's draw order for the visit
    run_id        VARCHAR,
    assigned_at   VARCHAR,
    active        BOOLEAN NOT NULL DEFAULT true,
    replaced_by   VARCHAR,               -- inspector who took over (on the inactive row)
    reason        VARCHAR,               -- why replaced (inactive row) / whom it replaces (new row)
    changed_by    VARCHAR,               -- the user who made the replacement
    changed_at    VARCHAR
);

-- Visits (per department) the run could not staff, with the reason: never silently dropped.
CREATE TABLE IF NOT EXISTS assignment_unstaffed (
    run_id     VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    visit_id   VARCHAR NOT NULL,
    dept_code  VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL,         -- no_qualified | recused | cap | other_department
    needed     INTEGER NOT NULL,
    eligible   INTEGER NOT NULL          -- eligible inspectors before the cap
);

-- Recusal hits: an inspector who would have been drawn (within the first `needed` of the order)
-- but was skipped because of a recusal rule.
CREATE TABLE IF NOT EXISTS assignment_recusals (
    run_id        VARCHAR NOT NULL,
    visit_id      VARCHAR NOT NULL,
    dept_code     VARCHAR NOT NULL,
    inspector_id  VARCHAR NOT NULL,
    rule          VARCHAR NOT NULL       -- previous_campaign | conflict
);

-- Per-inspector cap per campaign (visits and desk checks), per department; dept_code '*' is
-- the default for departments without a row (core.assignment.capacity.DEFAULT_CAP if none).
CREATE TABLE IF NOT EXISTS assignment_caps (
    dept_code          VARCHAR PRIMARY KEY,
    cap_per_inspector  INTEGER NOT NULL CHECK (cap_per_inspector BETWEEN 1 AND 10000),
    updated_by         VARCHAR NOT NULL,
    updated_at         VARCHAR NOT NULL
);

-- Declared conflicts of interest (回避): the inspector is never drawn for the target.
CREATE TABLE IF NOT EXISTS inspector_conflicts (
    inspector_id  VARCHAR NOT NULL,
    uscc          VARCHAR NOT NULL,
    reason        VARCHAR NOT NULL,
    declared_by   VARCHAR NOT NULL,
    declared_at   VARCHAR NOT NULL,
    PRIMARY KEY (inspector_id, uscc)
);
