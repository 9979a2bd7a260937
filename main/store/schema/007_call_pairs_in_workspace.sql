-- The call pairs come back into the workspace file, derived once per change of the telemetry (after
-- an import or a removal), not once per process. In memory (schema 006) they were rebuilt by every
-- process that opened the workspace, and a fresh process paid for the pairing and for its first use
-- of memory before it could answer: 2.1-2.4 s at 1M spans, against 1.3-1.5 s reading them from the
-- file (bench:analyze). Writing them makes the derivation each import runs 1.7-2.0 s instead of
-- 1.2-1.4 s.
-- One row per call from a caller span to the callee's server span (main/analysis/sql/edge_call_pairs.sql
-- says how they are paired and what each column holds).
CREATE TABLE call_pairs (
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

-- Whether the derived tables (call_pairs, resilience_events, breaker_transitions, call_edges) lag
-- behind the telemetry: set by every import and removal in its own transaction, cleared by the
-- derivation in its, so that a process stopped in between leaves the next one to derive again.
-- A workspace upgraded with telemetry in it has no call pairs yet; a new one has nothing to derive.
CREATE TABLE derivation (stale BOOLEAN NOT NULL);
INSERT INTO derivation
SELECT EXISTS (SELECT 1 FROM spans) OR EXISTS (SELECT 1 FROM logs) OR EXISTS (SELECT 1 FROM metric_points);

INSERT INTO schema_version VALUES (7);
