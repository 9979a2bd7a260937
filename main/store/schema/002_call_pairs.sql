-- Derived: every call from a caller span to the callee's server span (or to nothing when none
-- answered), paired once by main/analysis after each import so that windowed readers need not
-- join spans with spans again. Columns as main/analysis/sql/edge_call_pairs.sql selects them.
CREATE TABLE call_pairs (
  trace_id         VARCHAR NOT NULL,
  caller_span_id   VARCHAR NOT NULL,
  caller_parent_id VARCHAR,
  caller           VARCHAR NOT NULL,
  callee           VARCHAR,
  name             VARCHAR NOT NULL,
  caller_kind      VARCHAR NOT NULL,
  c_start_ns       BIGINT NOT NULL,
  c_end_ns         BIGINT NOT NULL,
  c_duration_ns    BIGINT NOT NULL,
  c_status_code    TINYINT NOT NULL,
  c_rpc_status     TINYINT,
  c_http_status    SMALLINT,
  c_status_message VARCHAR,
  c_attributes     VARCHAR,
  c_source_line    INTEGER NOT NULL,
  callee_span_id   VARCHAR,
  s_start_ns       BIGINT,
  s_end_ns         BIGINT,
  s_duration_ns    BIGINT,
  s_status_code    TINYINT,
  s_attributes     VARCHAR
);

INSERT INTO schema_version VALUES (2);
