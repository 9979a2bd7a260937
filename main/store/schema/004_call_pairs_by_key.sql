-- call_pairs names spans (and operations) by 64-bit hashes instead of their id strings: writing
-- three id strings per call (a 32-character trace id among them) was most of the cost of deriving
-- the table, and every reader only compares or groups them. A span key is hash(trace_id, span_id),
-- the value a reader computes from spans; trace_key is hash(trace_id); name_key is hash(name),
-- which readers only group by. The few spans shown as evidence are named again (span_ref_map).
-- The table is derived, so it is dropped rather than converted: opening an upgraded workspace
-- rebuilds it. Columns as main/analysis/sql/edge_call_pairs.sql selects them.
DROP TABLE IF EXISTS call_pairs;

CREATE TABLE call_pairs (
  trace_key         UBIGINT NOT NULL,
  caller_key        UBIGINT NOT NULL,
  caller_parent_key UBIGINT,
  caller            VARCHAR NOT NULL,
  callee            VARCHAR,
  name_key          UBIGINT NOT NULL,
  caller_kind       VARCHAR NOT NULL,
  c_start_ns        BIGINT NOT NULL,
  c_end_ns          BIGINT NOT NULL,
  c_duration_ns     BIGINT NOT NULL,
  c_status_code     TINYINT NOT NULL,
  c_rpc_status      TINYINT,
  c_http_status     SMALLINT,
  c_status_message  VARCHAR,
  c_attributes      VARCHAR,
  callee_key        UBIGINT,
  s_start_ns        BIGINT,
  s_end_ns          BIGINT,
  s_duration_ns     BIGINT,
  s_status_code     TINYINT,
  s_attributes      VARCHAR
);

-- The evidence reference ("span:<trace id>/<span id>") of each span whose key is in `wanted`, a
-- list of span keys, as one row whose map `ref_of` takes a key to its reference: readers pick their
-- evidence by key and name only those few spans.
CREATE OR REPLACE MACRO span_ref_map(wanted) AS TABLE
  SELECT map_from_entries(list((span_key, ref))) AS ref_of
  FROM (
    SELECT hash(trace_id, span_id) AS span_key, any_value('span:' || trace_id || '/' || span_id) AS ref
    FROM spans
    WHERE hash(trace_id, span_id) IN (SELECT unnest(wanted))
    GROUP BY 1
  );

INSERT INTO schema_version VALUES (4);
