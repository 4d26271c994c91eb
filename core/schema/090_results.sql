-- Inspection results (issue 13.4): one row per task (visit x plan x item) and one status row per
-- visit. The results helper owns this file (core/results/). A visit without a visit_status row
-- is 待检查 (pending): nothing has been entered for it yet.

-- No PRIMARY KEY: a simulated campaign writes 1.8 M rows at full scale, and DuckDB's index makes
-- that slow; core/results writes each (visit_id, plan_id, item_code) once (tests check it).
CREATE TABLE IF NOT EXISTS results (
    visit_id      VARCHAR NOT NULL,
    plan_id       VARCHAR NOT NULL,
    item_code     VARCHAR NOT NULL,
    outcomes      VARCHAR[] NOT NULL,     -- outcome codes of core.vocab.OUTCOMES, several allowed
    problem_found BOOLEAN NOT NULL,       -- core.vocab.outcome_counts
    counted       BOOLEAN NOT NULL,       -- FALSE: every code "excluded" (leaves the denominator)
    note          VARCHAR,
    completed_on  DATE NOT NULL,
    entered_by    VARCHAR NOT NULL,       -- the audit actor (user id, os:<user>, or simulate)
    entered_at    VARCHAR NOT NULL,       -- ISO 8601, Asia/Shanghai
    simulated     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS visit_status (
    visit_id     VARCHAR PRIMARY KEY,
    status       VARCHAR NOT NULL
                 CHECK (status IN ('pending', 'in_progress', 'review', 'done', 'published')),
    completed_on DATE,                    -- set on approval: the last task's completion date
    reviewed_by  VARCHAR,
    reviewed_at  VARCHAR,
    published_on DATE,
    updated_by   VARCHAR NOT NULL,
    updated_at   VARCHAR NOT NULL,
    simulated    BOOLEAN NOT NULL DEFAULT FALSE
);
