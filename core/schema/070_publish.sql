-- 一公开: versioned public notices and the working-day calendar for their deadlines. A
-- publication row is never updated or deleted: a correction is a new version naming the one it
-- replaces. The publication issue owns this file.

CREATE TABLE IF NOT EXISTS publications (
    publication_id VARCHAR PRIMARY KEY,   -- <kind>:<subject>:v<version>
    kind           VARCHAR NOT NULL CHECK (kind IN ('plan_notice', 'result_notice')),
    subject        VARCHAR NOT NULL,      -- plan_id for a plan notice, visit_id for a result
    year           INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    supersedes     VARCHAR,               -- publication_id of the version this one corrects
    reason         VARCHAR,               -- why the correction was made
    published_at   VARCHAR NOT NULL,      -- ISO 8601, Asia/Shanghai
    published_by   VARCHAR NOT NULL,
    content_json   VARCHAR NOT NULL,      -- the public notice, exactly as published
    content_sha256 VARCHAR NOT NULL,
    UNIQUE (kind, subject, version)
);

-- China's statutory holidays and 调休 make-up working days (国务院办公厅, 2026 arrangement).
-- A day listed as a holiday is not a working day even on a weekday; a make-up day is a working
-- day even on a weekend. Other years: add their rows when the State Council publishes them.
CREATE TABLE IF NOT EXISTS holidays (
    day        DATE PRIMARY KEY,
    is_workday BOOLEAN NOT NULL,          -- TRUE: 调休 make-up working day
    name       VARCHAR NOT NULL
);

INSERT INTO holidays VALUES
    ('2026-01-01', FALSE, '元旦'), ('2026-01-02', FALSE, '元旦'), ('2026-01-03', FALSE, '元旦'),
    ('2026-01-04', TRUE, '元旦调休'),
    ('2026-02-14', TRUE, '春节调休'),
    ('2026-02-15', FALSE, '春节'), ('2026-02-16', FALSE, '春节'), ('2026-02-17', FALSE, '春节'),
    ('2026-02-18', FALSE, '春节'), ('2026-02-19', FALSE, '春节'), ('2026-02-20', FALSE, '春节'),
    ('2026-02-21', FALSE, '春节'), ('2026-02-22', FALSE, '春节'), ('2026-02-23', FALSE, '春节'),
    ('2026-02-28', TRUE, '春节调休'),
    ('2026-04-04', FALSE, '清明节'), ('2026-04-05', FALSE, '清明节'), ('2026-04-06', FALSE, '清明节'),
    ('2026-05-01', FALSE, '劳动节'), ('2026-05-02', FALSE, '劳动节'), ('2026-05-03', FALSE, '劳动节'),
    ('2026-05-04', FALSE, '劳动节'), ('2026-05-05', FALSE, '劳动节'),
    ('2026-05-09', TRUE, '劳动节调休'),
    ('2026-06-19', FALSE, '端午节'), ('2026-06-20', FALSE, '端午节'), ('2026-06-21', FALSE, '端午节'),
    ('2026-09-20', TRUE, '国庆节调休'),
    ('2026-09-25', FALSE, '中秋节'), ('2026-09-26', FALSE, '中秋节'), ('2026-09-27', FALSE, '中秋节'),
    ('2026-10-01', FALSE, '国庆节'), ('2026-10-02', FALSE, '国庆节'), ('2026-10-03', FALSE, '国庆节'),
    ('2026-10-04', FALSE, '国庆节'), ('2026-10-05', FALSE, '国庆节'), ('2026-10-06', FALSE, '国庆节'),
    ('2026-10-07', FALSE, '国庆节'),
    ('2026-10-10', TRUE, '国庆节调休')
ON CONFLICT (day) DO NOTHING;
