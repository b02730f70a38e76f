-- Published average exchange rates (`aieco ingest fred FILE`): one row per currency and period, normalised to
-- units of the currency per one USD, with the value and orientation as published, the publisher's series and
-- the line it came from. `aieco convert --rule annual-average|monthly-average` reads them.
CREATE TABLE rates (
    run_id INTEGER NOT NULL,
    source VARCHAR NOT NULL,       -- fred
    rule VARCHAR NOT NULL,         -- annual-average | monthly-average
    currency VARCHAR NOT NULL,     -- ISO 4217 code (CNY)
    series VARCHAR NOT NULL,       -- the publisher's label (FRED's country: China)
    series_id VARCHAR,             -- the publisher's series id (FRED H.10: AEXCHUS, EXCHUS); NULL if not known
    period VARCHAR NOT NULL,       -- '2024' (annual) or '2024-04' (monthly)
    per_usd DOUBLE NOT NULL,       -- units of `currency` per one USD
    published DOUBLE NOT NULL,     -- the value exactly as published
    orientation VARCHAR NOT NULL,  -- 'currency per USD' | 'USD per currency' (as published)
    file VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    line BIGINT NOT NULL
);
