-- 一单两库: the inspection-item list, the target directory and the inspector directory,
-- with the reference tables they point to and the year's plans. Idempotent.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS districts (
    district_code VARCHAR PRIMARY KEY,   -- own code; 大鹏新区 has none nationally, so 'DP'
    name          VARCHAR NOT NULL UNIQUE,
    name_en       VARCHAR NOT NULL,
    division      VARCHAR NOT NULL,      -- the 6-digit division code used in USCCs
    weight        DOUBLE NOT NULL        -- share of new registrations (DOMAIN.md)
);

CREATE TABLE IF NOT EXISTS streets (
    street_code   VARCHAR PRIMARY KEY,
    district_code VARCHAR NOT NULL,
    name          VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS industries (
    code          VARCHAR PRIMARY KEY,   -- GB/T 4754-2017 class (小类), 4 digits
    name          VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    division      VARCHAR NOT NULL,      -- 2-digit division (大类)
    division_name VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS departments (
    dept_code VARCHAR PRIMARY KEY,       -- core/codes.py: division + level letter + sequence
    name      VARCHAR NOT NULL,
    level     VARCHAR NOT NULL CHECK (level IN ('city', 'district', 'street')),
    district  VARCHAR,                   -- NULL for city level
    street    VARCHAR,                   -- only for street units
    field     VARCHAR NOT NULL           -- the area of supervision, e.g. 市场监管
);

CREATE TABLE IF NOT EXISTS items (       -- 检查事项清单
    item_code       VARCHAR PRIMARY KEY, -- core/codes.py: dept-class-seq-check
    dept_code       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    item_class      VARCHAR NOT NULL CHECK (item_class IN ('A', 'B', 'C')),
    content         VARCHAR NOT NULL,
    legal_basis     VARCHAR NOT NULL,
    subject         VARCHAR NOT NULL,    -- the kind of target inspected
    method          VARCHAR NOT NULL CHECK (method IN ('onsite', 'offsite')),
    level           VARCHAR NOT NULL CHECK (level IN ('city', 'district', 'street')),
    field           VARCHAR NOT NULL,    -- qualification an inspector needs
    ratio_bp        INTEGER NOT NULL,    -- the item's nominal annual ratio, basis points
    frequency       SMALLINT NOT NULL    -- inspections per year
);

CREATE TABLE IF NOT EXISTS targets (     -- 检查对象名录库; uniqueness of uscc is kept by the writers
    uscc                   VARCHAR NOT NULL,
    name                   VARCHAR NOT NULL,
    kind                   VARCHAR NOT NULL,
    industry               VARCHAR NOT NULL,
    district               VARCHAR NOT NULL,
    street                 VARCHAR NOT NULL,
    registered_on          DATE NOT NULL,
    status                 VARCHAR NOT NULL,
    registered_capital     DOUBLE NOT NULL,   -- 万元
    branches               SMALLINT NOT NULL,
    legal_rep_changes      SMALLINT NOT NULL, -- in the last 3 years
    name_changes           SMALLINT NOT NULL,
    address_changes        SMALLINT NOT NULL,
    scope_changes          SMALLINT NOT NULL,
    paid_in_ratio          REAL NOT NULL,
    tax_arrears            BOOLEAN NOT NULL,
    social_security_arrears BOOLEAN NOT NULL,
    equity_pledges         SMALLINT NOT NULL,
    firms_at_address       INTEGER NOT NULL,
    abnormal_list          BOOLEAN NOT NULL,  -- 经营异常名录
    serious_violation      BOOLEAN NOT NULL,  -- 严重违法失信名单
    judgment_defaulter     BOOLEAN NOT NULL,
    penalties_3y           SMALLINT NOT NULL,
    past_findings          SMALLINT NOT NULL, -- problems found in past inspections
    annual_report_overdue  BOOLEAN NOT NULL,
    licence_revoked        BOOLEAN NOT NULL,
    related_revoked_rate   REAL NOT NULL,
    related_abnormal_rate  REAL NOT NULL,
    related_penalty_rate   REAL NOT NULL,
    complaints_12m         SMALLINT NOT NULL, -- 12345 complaints and reports
    negative_media         BOOLEAN NOT NULL,
    red_list               BOOLEAN NOT NULL,  -- 守信激励
    yellow_list            BOOLEAN NOT NULL,
    black_list             BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS inspectors (  -- 检查人员名录库
    inspector_id   VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    dept_code      VARCHAR NOT NULL,
    district       VARCHAR,
    street         VARCHAR,
    qualifications VARCHAR[] NOT NULL,  -- fields the inspector may inspect
    certified      BOOLEAN NOT NULL,    -- 执法资格
    active         BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS plans (
    plan_id          VARCHAR PRIMARY KEY,
    year             INTEGER NOT NULL,
    name             VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('single', 'joint')),
    item_class       VARCHAR NOT NULL CHECK (item_class IN ('A', 'B', 'C')),
    lead_dept        VARCHAR NOT NULL,
    level            VARCHAR NOT NULL CHECK (level IN ('city', 'district', 'street')),
    frame_kinds      VARCHAR[],          -- NULL: every kind
    frame_industries VARCHAR[],          -- NULL: every industry
    frame_districts  VARCHAR[],          -- NULL: the whole city
    frame_streets    VARCHAR[],          -- NULL: every street of those districts
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_items (
    plan_id   VARCHAR NOT NULL,
    item_code VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, item_code)
);

CREATE TABLE IF NOT EXISTS plan_depts (
    plan_id   VARCHAR NOT NULL,
    dept_code VARCHAR NOT NULL,
    role      VARCHAR NOT NULL CHECK (role IN ('lead', 'member')),
    PRIMARY KEY (plan_id, dept_code)
);
