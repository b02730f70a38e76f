-- Published aggregates (ETO CAT, NCSES SEI, World Bank / OWID indicators, FRED rates) in the one counts
-- table: each row says what it counts and how, as its publisher states it. Rows of the older layouts
-- (long, wide, office-year) keep these columns NULL, except entity_kind, which they set from the code.
ALTER TABLE measure_counts ADD COLUMN entity_kind VARCHAR;   -- country | aggregate | office | other | unknown
ALTER TABLE measure_counts ADD COLUMN entity_raw VARCHAR;    -- the name or code exactly as read
ALTER TABLE measure_counts ADD COLUMN publisher VARCHAR;     -- eto | ncses | worldbank | owid | fred
ALTER TABLE measure_counts ADD COLUMN pillar VARCHAR;        -- patents | research | investment | context | money
ALTER TABLE measure_counts ADD COLUMN measure VARCHAR;       -- e.g. patent-applications, articles, population
ALTER TABLE measure_counts ADD COLUMN unit VARCHAR;          -- e.g. family, granted patent, article, USD million
ALTER TABLE measure_counts ADD COLUMN attribution VARCHAR;   -- e.g. country of first filing, inventor location
ALTER TABLE measure_counts ADD COLUMN counting VARCHAR;      -- whole | fractional | (none, for indicators)
ALTER TABLE measure_counts ADD COLUMN date_basis VARCHAR;    -- e.g. year of first filing, publication year
ALTER TABLE measure_counts ADD COLUMN ai_definition VARCHAR; -- the publisher's AI definition, as stated
ALTER TABLE measure_counts ADD COLUMN indicator VARCHAR;     -- the publisher's code: SINV-17, SP.POP.TOTL, ...
ALTER TABLE measure_counts ADD COLUMN file VARCHAR;          -- the file read (a run may read a folder)
ALTER TABLE measure_counts ADD COLUMN file_sha256 VARCHAR;   -- that file's sha256 (the run has the folder's)
-- A publisher that does not say whether a year is complete (ETO's citations) leaves `complete` NULL:
-- unknown, not true.
ALTER TABLE measure_counts ALTER COLUMN complete DROP NOT NULL;
