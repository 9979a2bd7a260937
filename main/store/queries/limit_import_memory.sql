-- While a file imports, DuckDB keeps no more than this in memory: the rows the transaction has
-- written so far are evicted to the database file (and its temp folder) instead of piling up, so
-- that a file of several GB imports in bounded memory. Reset when the import ends.
-- Measured with bench:ingest on a 5.6 GB OTLP file (13M spans): peak RSS 695 MB with this limit,
-- 1280 MB with 640MB; it also cost no speed (the appends write the same rows either way).
SET memory_limit = '256MB';
