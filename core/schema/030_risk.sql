-- Credit-risk tiers (national scale): A 信用风险低 low, B 一般 normal, C 较高 elevated, D 高 high.
-- Internal: never published. One row per target. The risk issue owns and extends this file.

CREATE TABLE IF NOT EXISTS risk (
    uscc        VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    tier        VARCHAR NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
    top_factors VARCHAR[]            -- the factors contributing most, for explanations
);

-- The factor weights policy staff edit (core/risk.py FACTORS names the factors and how each is
-- read from the targets table; only the weight is data). `fitted_weight` is the latest
-- logistic-regression estimate from past inspections, offered but never applied silently.
CREATE TABLE IF NOT EXISTS risk_weights (
    factor         VARCHAR PRIMARY KEY,
    weight         DOUBLE NOT NULL,
    default_weight DOUBLE NOT NULL,
    fitted_weight  DOUBLE,
    updated_at     VARCHAR,
    updated_by     VARCHAR
);

-- Score cut-offs: a target's tier is the highest tier whose min_score its score reaches
-- (A below the B cut-off). Seeded from score quantiles when the dataset is built.
CREATE TABLE IF NOT EXISTS risk_thresholds (
    tier      VARCHAR PRIMARY KEY CHECK (tier IN ('B', 'C', 'D')),
    min_score DOUBLE NOT NULL
);

-- The latest calibration report (JSON), with the data_version it describes.
CREATE TABLE IF NOT EXISTS risk_calibration (
    computed_at  VARCHAR NOT NULL,
    data_version BIGINT NOT NULL,
    report       VARCHAR NOT NULL
);

-- Last year's inspections and whether a problem was found: what calibration learns from.
CREATE TABLE IF NOT EXISTS past_inspections (
    uscc          VARCHAR NOT NULL,
    inspected_on  DATE NOT NULL,
    problem_found BOOLEAN NOT NULL
);

-- Synthetic data only: each target's true violation propensity, the hidden ground truth the
-- past inspections were drawn from (core/synth_history.py). Scoring and calibration never read
-- it; tests use it to check what calibration recovers.
CREATE TABLE IF NOT EXISTS synth_truth (
    uscc       VARCHAR NOT NULL,
    propensity REAL NOT NULL
);
