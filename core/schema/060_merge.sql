-- Merging visits ("进一次门、查多项事", core/merge.py) and the other inspections already scheduled
-- that round 4 (任务整合) merges with. The merge issue owns this file.

-- Inspections outside the random-sampling plans that are already on the calendar for a target:
-- complaint follow-ups, licence checks, re-inspections of past findings (core/synth_schedule.py
-- generates them for the synthetic dataset; a real deployment imports them).
CREATE TABLE IF NOT EXISTS scheduled_inspections (
    scheduled_id  VARCHAR PRIMARY KEY,
    year          INTEGER NOT NULL,
    uscc          VARCHAR NOT NULL,
    dept_code     VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('complaint', 'licence', 'reinspection')),
    scheduled_on  DATE NOT NULL
);

-- One saved merge per campaign year (a new merge of the year replaces the old one in one
-- transaction). Figures in visits; rounds as defined in core/merge.py's docstring.
CREATE TABLE IF NOT EXISTS merge_runs (
    year              INTEGER PRIMARY KEY,
    merged_at         VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,   -- 'committed draws' or a description of the selection
    mode              VARCHAR NOT NULL,   -- mode of the merged draw: coordinated | independent
    draw_ids          VARCHAR[] NOT NULL, -- the committed draws merged (empty for a computed one)
    baseline_visits   BIGINT NOT NULL,    -- plan x department x target: each department alone
    plan_pairs        BIGINT NOT NULL,    -- plan x target (task-target pairs per plan)
    task_pairs        BIGINT NOT NULL,    -- plan x item x target
    round1_removed    BIGINT NOT NULL,    -- 计划联合
    round2_removed    BIGINT NOT NULL,    -- 集中抽取
    round3_removed    BIGINT NOT NULL,    -- 系统对碰
    round4_removed    BIGINT NOT NULL,    -- 任务整合
    final_visits      BIGINT NOT NULL,
    independent_json  VARCHAR             -- the independent counterpart's summary, when computed
);

-- Per-group figures of the saved merge: dimension department | district | level.
CREATE TABLE IF NOT EXISTS merge_breakdown (
    year            INTEGER NOT NULL,
    dimension       VARCHAR NOT NULL,
    key             VARCHAR NOT NULL,
    baseline_visits DOUBLE NOT NULL,
    round1_removed  DOUBLE NOT NULL,
    round2_removed  DOUBLE NOT NULL,
    round3_removed  DOUBLE NOT NULL,
    round4_removed  DOUBLE NOT NULL,
    final_visits    DOUBLE NOT NULL
);

-- One visit per target per window, carrying every task drawn for the target in that window.
-- No PRIMARY KEY on visits and visit_tasks: DuckDB's index makes replacing a year's 1.8 M tasks
-- take half a minute instead of a second. core/merge.py writes each id once (tests check it).
CREATE TABLE IF NOT EXISTS visits (
    visit_id      VARCHAR NOT NULL,       -- V<year>-<uscc>-<window_start as YYYYMMDD>: stable
    year          INTEGER NOT NULL,
    uscc          VARCHAR NOT NULL,
    window_start  DATE NOT NULL,          -- the visit may take place on any day of the window
    window_end    DATE NOT NULL,
    n_plans       INTEGER NOT NULL,
    n_tasks       INTEGER NOT NULL,
    departments   VARCHAR[] NOT NULL,     -- every department taking part, sorted
    scheduled_id  VARCHAR,                -- round 4: merged into this scheduled inspection
    kind          VARCHAR DEFAULT 'onsite' -- 'onsite' | 'desk' (every task off-site: 非现场检查)
);

CREATE TABLE IF NOT EXISTS visit_tasks (
    visit_id  VARCHAR NOT NULL,
    plan_id   VARCHAR NOT NULL,
    item_code VARCHAR NOT NULL,
    dept_code VARCHAR NOT NULL            -- the item's department
);
