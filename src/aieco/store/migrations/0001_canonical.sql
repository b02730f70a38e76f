-- Canonical tables: runs, documents and their child rows, rejects, findings.
CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_accepted BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    started_at TIMESTAMP NOT NULL,
    seconds DOUBLE,
    aieco_version VARCHAR NOT NULL,
    encoding VARCHAR,
    options JSON
);
CREATE TABLE documents (
    doc_id BIGINT NOT NULL,           -- unique: the ingest merge guarantees it (no index: ART indexes
                                      -- cannot spill, and would bound the store by memory)
    run_id INTEGER NOT NULL,
    source VARCHAR NOT NULL,          -- source family: cset1790, lens, patstat, ...
    office VARCHAR,                   -- publication authority (ISO-like two letters, EP, WO, ...)
    number VARCHAR,                   -- normalised publication (or application) number
    number_raw VARCHAR,               -- the number exactly as read
    number_mangled BOOLEAN NOT NULL DEFAULT false,
    kind VARCHAR,                     -- kind code
    family_id VARCHAR,                -- simple (DOCDB) family id, when known
    extended_family_id VARCHAR,       -- INPADOC family, when known
    lens_id VARCHAR,
    application_number VARCHAR,
    application_date DATE,
    filing_year INTEGER,
    publication_date DATE,
    publication_year INTEGER,
    priority_date DATE,
    priority_year INTEGER,
    priority_office VARCHAR,          -- office of first filing, when known
    doc_type VARCHAR,                 -- as the source names it: Patent Application, Granted Patent, ...
    granted BOOLEAN,
    title VARCHAR,
    title_lang VARCHAR,
    abstract VARCHAR,
    abstract_lang VARCHAR,
    simple_family_size INTEGER,
    extended_family_size INTEGER,
    source_line BIGINT,               -- line of the first row that made this document
    extra JSON                        -- source columns with no canonical home, kept as read
);
CREATE TABLE document_sources (       -- every run that saw a document (the first one and each enrichment)
    doc_id BIGINT NOT NULL,
    run_id INTEGER NOT NULL,
    line BIGINT NOT NULL
);
CREATE TABLE classifications (
    doc_id BIGINT NOT NULL,
    run_id INTEGER NOT NULL,
    scheme VARCHAR NOT NULL,          -- cpc | ipc | uspc | techn_field
    symbol VARCHAR NOT NULL,          -- as read, upper case, e.g. G06N3/08 or G06N 3/08
    symbol_norm VARCHAR,              -- canonical: section+class+subclass, group, '/', subgroup, no spaces
    seq INTEGER,
    weight DOUBLE
);
CREATE TABLE parties (
    doc_id BIGINT NOT NULL,
    run_id INTEGER NOT NULL,
    role VARCHAR NOT NULL,            -- applicant | inventor
    seq INTEGER NOT NULL,
    name VARCHAR,
    country VARCHAR,                  -- normalised two-letter code, or NULL when unknown
    country_raw VARCHAR
);
CREATE TABLE priorities (
    doc_id BIGINT NOT NULL,
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    office VARCHAR,
    number VARCHAR,
    kind VARCHAR,
    priority_date DATE,
    raw VARCHAR
);
CREATE TABLE categories (             -- category flags a source already carries; one row per true flag
    doc_id BIGINT NOT NULL,
    run_id INTEGER NOT NULL,
    scheme VARCHAR NOT NULL,          -- e.g. cset1790
    dimension VARCHAR,                -- e.g. application_field | functional_application | ai_technique
    category VARCHAR NOT NULL
);
CREATE TABLE run_categories (         -- which flags a run carried: a document of that run without a row is false
    run_id INTEGER NOT NULL,
    scheme VARCHAR NOT NULL,
    dimension VARCHAR,
    category VARCHAR NOT NULL
);
CREATE TABLE rejects (
    run_id INTEGER NOT NULL,
    file VARCHAR NOT NULL,
    line BIGINT NOT NULL,
    field VARCHAR,
    reason VARCHAR NOT NULL,
    raw VARCHAR
);
CREATE TABLE findings (
    run_id INTEGER NOT NULL,
    finding VARCHAR NOT NULL,         -- catalogue id, kebab-case
    count BIGINT NOT NULL,
    examples JSON,
    detail VARCHAR
);
