-- call_pairs leaves the workspace file: it lives in memory now (queries/create_call_pairs.sql),
-- rebuilt whenever a workspace is opened and after every import. Writing its rows into the file,
-- compressed and checksummed, cost about twice as much as deriving them (1.1 s against 0.55 s for
-- 800k calls), and nothing reads it but the analysis of the process that derived it: the events,
-- edges and breaker transitions derived from it stay in the file for every reader.
DROP TABLE call_pairs;

INSERT INTO schema_version VALUES (6);
