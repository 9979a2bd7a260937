-- Readers name the table `call_pairs`, as they did when it lived in the workspace file: this view,
-- of this connection, finds it in its in-memory database. Temporary objects are looked up first.
CREATE TEMP VIEW call_pairs AS SELECT * FROM derived_calls.call_pairs;
