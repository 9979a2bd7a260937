-- One row per call from a caller span to the callee's server span (main/analysis/sql/edge_call_pairs.sql
-- says how they are paired and what each column holds). It lives in an in-memory database of its own
-- (attach_call_pairs.sql), never in the workspace file, so opening a workspace rebuilds it
-- (schema/006_call_pairs_in_memory.sql says why). Run again to empty it: replacing the table frees
-- the old rows' memory when the transaction commits, where a DELETE would keep it until later.
CREATE OR REPLACE TABLE derived_calls.call_pairs (
  trace_key         UBIGINT NOT NULL,
  caller_key        UBIGINT NOT NULL,
  caller_parent_key UBIGINT,
  caller            VARCHAR NOT NULL,
  callee            VARCHAR,
  name_key          UBIGINT NOT NULL,
  caller_kind       VARCHAR NOT NULL,
  c_start_ns        BIGINT NOT NULL,
  c_duration_ns     BIGINT NOT NULL,
  c_status_code     TINYINT NOT NULL,
  c_rpc_status      TINYINT,
  c_http_status     SMALLINT,
  c_status_message  VARCHAR,
  deadline_ms       DOUBLE,
  callee_key        UBIGINT,
  s_start_ns        BIGINT,
  s_duration_ns     BIGINT,
  s_status_code     TINYINT
);
