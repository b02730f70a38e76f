-- AI definitions applied to documents: one row per document x definition x category matched.
-- category '' = in the definition's universe (an AI patent under it). No run_id: `aieco classify` recomputes
-- and replaces the rows of the definitions it runs, in one transaction.
CREATE TABLE classified (
    doc_id BIGINT NOT NULL,
    definition VARCHAR NOT NULL,      -- definition id (or ML model id), e.g. cset-1790
    version VARCHAR NOT NULL,         -- the definition's (or model's) version
    category VARCHAR NOT NULL,        -- '' for the universe, else a category id, e.g. agriculture
    rule VARCHAR                      -- the first rule that matched, in words, with file:line
);
CREATE TABLE classify_runs (          -- the last classification of each definition / model
    definition VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,            -- rules | model
    classified_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    documents BIGINT NOT NULL,
    matched BIGINT NOT NULL,
    seconds DOUBLE,
    detail VARCHAR                    -- citation of the definition, or the model's metadata (JSON)
);
