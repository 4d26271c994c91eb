-- Ratio proposals from the simulator (issue 14): a class x tier table saved with its name,
-- author and time, and the scenario figures it showed, for the Sampling page to adopt.
-- Rows are never updated: an adoption is a row of its own. The simulate issue owns this file.

CREATE TABLE IF NOT EXISTS ratio_proposals (
    proposal_id  VARCHAR PRIMARY KEY,   -- RP<year>-<n>, n counting the year's proposals
    year         INTEGER NOT NULL,      -- the campaign the scenario was evaluated on
    name         VARCHAR NOT NULL,
    author       VARCHAR NOT NULL,      -- the audit actor who saved it
    created_at   VARCHAR NOT NULL,      -- ISO 8601, Asia/Shanghai
    source       VARCHAR NOT NULL CHECK (source IN ('manual', 'optimiser')),
    ratios_json  VARCHAR NOT NULL,      -- {item_class: {tier: bp}}
    summary_json VARCHAR NOT NULL,      -- the scenario's headline figures when saved
    data_version BIGINT NOT NULL        -- the data the figures describe
);

CREATE TABLE IF NOT EXISTS ratio_proposal_adoptions (
    proposal_id VARCHAR NOT NULL,
    adopted_at  VARCHAR NOT NULL,
    adopted_by  VARCHAR NOT NULL
);
