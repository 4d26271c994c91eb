-- Credit-risk tiers (national scale): A 信用风险低 low, B 一般 normal, C 较高 elevated, D 高 high.
-- Internal: never published. One row per target. The risk issue owns and extends this file.

CREATE TABLE IF NOT EXISTS risk (
    uscc        VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    tier        VARCHAR NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
    top_factors VARCHAR[]            -- the factors contributing most, for explanations
);
