-- call_pairs no longer stores end times: a span's end is its start plus its duration (the store
-- computes the duration so), and every column written costs about as much as every other when the
-- table is derived. Readers of the `calls` relation (main/analysis/edges.ts) still see c_end_ns and
-- s_end_ns, computed from the two columns that remain; the table's other readers add them up.
ALTER TABLE call_pairs DROP COLUMN c_end_ns;
ALTER TABLE call_pairs DROP COLUMN s_end_ns;

INSERT INTO schema_version VALUES (5);
