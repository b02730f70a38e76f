-- Aggregate tables (`aieco ingest counts PATH --name NAME`): counts by country x field x period, and
-- office x year totals used as denominators. One row per count; `line` is the input line it came from.
CREATE TABLE measure_counts (
    run_id INTEGER NOT NULL,
    name VARCHAR NOT NULL,            -- the table's name given at ingest (--name)
    layout VARCHAR NOT NULL,          -- long | wide | office-year
    country VARCHAR,                  -- country or office code as read (upper case)
    field VARCHAR NOT NULL,           -- technology field (e.g. WIPO 1..35), or 'all'
    period VARCHAR NOT NULL,          -- e.g. '2004-2018', or the year for office-year totals
    kind VARCHAR NOT NULL,            -- e.g. AI | general | all
    year INTEGER,                     -- office-year totals: the year (NULL when the source says 9999)
    complete BOOLEAN NOT NULL DEFAULT true,  -- false for years the source marks incomplete
    value DOUBLE,                     -- the count (fractional counts allowed); NULL when the source says NA
    line BIGINT NOT NULL
);
