-- While a file imports, DuckDB keeps no more than this in memory: the rows the transaction has
-- written so far are evicted to the database file (and its temp folder) instead of piling up, so
-- that a file of several GB imports in bounded memory. Reset when the import ends.
SET memory_limit = '640MB';
