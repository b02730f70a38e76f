-- Firms (issue 14): registries of firms (programme lists, PARAT), their names with the features matching
-- uses, the counts a registry publishes, and the links of patent applicants to firms.
-- A firm is (registry, firm_id); firm_id is the unified social credit code, or the registry's own id
-- (PARAT: CSET_id). The same firm may be in several registries, and in several batches of one.
CREATE TABLE firm_registry (
    run_id INTEGER NOT NULL,
    registry VARCHAR NOT NULL,        -- the registry's name (--registry), e.g. little-giants, parat
    firm_id VARCHAR NOT NULL,
    credit_code VARCHAR,              -- GB 32100-2015 code (check character verified), when the registry has one
    name_zh VARCHAR,
    name_en VARCHAR,
    province VARCHAR,
    city VARCHAR,
    programme VARCHAR,                -- e.g. 专精特新小巨人
    batch VARCHAR,
    year INTEGER,
    industry VARCHAR,
    country VARCHAR,                  -- as the registry gives it (PARAT: China, United States, ...)
    stage VARCHAR,                    -- PARAT's stage (Mature, Growth, ...)
    line BIGINT NOT NULL,             -- input line (PARAT: the company's position in the array, from 1)
    file_sha256 VARCHAR NOT NULL
);
CREATE TABLE firm_names (             -- every name of a firm (Chinese, English, aliases) with its match features
    run_id INTEGER NOT NULL,
    registry VARCHAR NOT NULL,
    firm_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,            -- as read
    origin VARCHAR NOT NULL,          -- name_zh | name_en | name | alias
    script VARCHAR NOT NULL,          -- han | latin
    place VARCHAR,                    -- leading place, canonical (shenzhen, beijing, ...), kept as a feature
    name_key VARCHAR NOT NULL,        -- aieco.firms.names.name_key: folded, no place, no legal form
    pinyin VARCHAR NOT NULL           -- the key in toneless pinyin, spaces removed (Latin keys: spaces removed)
);
CREATE TABLE firm_counts (            -- counts a registry publishes per firm (PARAT: AI patents, AI publications)
    run_id INTEGER NOT NULL,
    registry VARCHAR NOT NULL,
    firm_id VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,         -- ai_patents | ai_pubs
    year INTEGER,                     -- NULL: the registry's total
    value BIGINT NOT NULL
);
-- Links of applicant names (parties, role applicant, any source) to firms, scored by `aieco firms match`.
-- run_id is the firm's registry run: replacing that run removes its links. Candidate pairs below the
-- threshold are kept (linked = false) so that a near miss can be shown.
CREATE TABLE firm_links (
    run_id INTEGER NOT NULL,
    registry VARCHAR NOT NULL,
    firm_id VARCHAR NOT NULL,
    applicant VARCHAR NOT NULL,       -- the applicant name exactly as stored in parties
    firm_name VARCHAR NOT NULL,       -- the firm's name (or alias) that scored best
    match_probability DOUBLE NOT NULL,
    match_weight DOUBLE NOT NULL,     -- log2 Bayes factor incl. the prior
    levels JSON NOT NULL,             -- per comparison: level label and its match weight
    linked BOOLEAN NOT NULL,          -- match_probability >= the threshold of the match run
    match_id INTEGER NOT NULL
);
CREATE TABLE firm_match_runs (        -- the last `aieco firms match`: model, threshold, sizes
    match_id INTEGER NOT NULL,
    matched_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    method VARCHAR NOT NULL,          -- e.g. splink 5.0.0 Fellegi-Sunter on DuckDB
    threshold DOUBLE NOT NULL,
    applicants BIGINT NOT NULL,       -- distinct applicant names compared
    firm_names BIGINT NOT NULL,
    pairs BIGINT NOT NULL,            -- candidate pairs after blocking
    links BIGINT NOT NULL,            -- (firm, applicant) pairs at or above the threshold
    seconds DOUBLE,
    model JSON                        -- the full model: comparisons, m and u per level, prior, blocking rules
);
