-- Leadership analytics (issue 15). The year's platform targets an administrator sets (四个全面覆盖:
-- departments onboarded, single and joint plans, items, targets, inspectors), read by the
-- Coverage page against the actual figures. Written only through core/coverage.py set_targets
-- (core/writes.py unit_of_work); the audit trail keeps every change.
CREATE TABLE IF NOT EXISTS analytics_targets (
    year    INTEGER NOT NULL,
    metric  VARCHAR NOT NULL,
    target  BIGINT NOT NULL CHECK (target >= 0),
    set_by  VARCHAR NOT NULL,
    set_at  VARCHAR NOT NULL,   -- ISO 8601, Asia/Shanghai
    PRIMARY KEY (year, metric)
);
