-- Core telemetry tables. No foreign keys between signals: partial telemetry is normal and must load.
CREATE TABLE schema_version (version INTEGER NOT NULL);

CREATE SEQUENCE source_ids START 1;

CREATE TABLE sources (
  source_id     INTEGER NOT NULL DEFAULT nextval('source_ids'),
  path          VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  format        VARCHAR NOT NULL,
  bytes         BIGINT NOT NULL,
  imported_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
  spans         BIGINT NOT NULL DEFAULT 0,
  logs          BIGINT NOT NULL DEFAULT 0,
  metric_points BIGINT NOT NULL DEFAULT 0,
  errors        JSON
);

CREATE TABLE spans (
  trace_id       VARCHAR NOT NULL,
  span_id        VARCHAR NOT NULL,
  parent_span_id VARCHAR,
  service        VARCHAR NOT NULL,
  name           VARCHAR NOT NULL,
  kind           VARCHAR NOT NULL,
  start_ns       BIGINT NOT NULL,
  end_ns         BIGINT NOT NULL,
  duration_ns    BIGINT NOT NULL,
  status_code    TINYINT NOT NULL,
  status_message VARCHAR,
  http_status    SMALLINT,
  rpc_system     VARCHAR,
  rpc_status     TINYINT,
  peer_service   VARCHAR,
  attributes     JSON,
  resource       JSON,
  source_id      INTEGER NOT NULL,
  source_line    INTEGER NOT NULL
);

CREATE TABLE span_events (
  trace_id   VARCHAR NOT NULL,
  span_id    VARCHAR NOT NULL,
  ts_ns      BIGINT NOT NULL,
  name       VARCHAR NOT NULL,
  attributes JSON,
  source_id  INTEGER NOT NULL
);

CREATE TABLE logs (
  ts_ns       BIGINT NOT NULL,
  service     VARCHAR,
  severity    VARCHAR NOT NULL,
  body        VARCHAR NOT NULL,
  trace_id    VARCHAR,
  span_id     VARCHAR,
  attributes  JSON,
  source_id   INTEGER NOT NULL,
  source_line INTEGER NOT NULL
);

CREATE TABLE metric_points (
  ts_ns       BIGINT NOT NULL,
  name        VARCHAR NOT NULL,
  service     VARCHAR,
  labels      JSON,
  value       DOUBLE NOT NULL,
  metric_type VARCHAR NOT NULL,
  source_id   INTEGER NOT NULL,
  source_line INTEGER NOT NULL
);

-- Derived tables, rebuilt by main/analysis from the tables above.
CREATE TABLE resilience_events (
  ts_ns      BIGINT NOT NULL,
  service    VARCHAR NOT NULL,
  peer       VARCHAR,
  kind       VARCHAR NOT NULL,
  layer      VARCHAR NOT NULL,
  trace_id   VARCHAR,
  span_id    VARCHAR,
  source     VARCHAR NOT NULL,
  source_ref VARCHAR NOT NULL,
  details    JSON
);

CREATE TABLE breaker_transitions (
  ts_ns      BIGINT NOT NULL,
  service    VARCHAR NOT NULL,
  breaker    VARCHAR NOT NULL,
  from_state VARCHAR NOT NULL,
  to_state   VARCHAR NOT NULL,
  source     VARCHAR NOT NULL,
  source_ref VARCHAR NOT NULL
);

CREATE TABLE call_edges (
  caller      VARCHAR NOT NULL,
  callee      VARCHAR NOT NULL,
  calls       BIGINT NOT NULL,
  errors      BIGINT NOT NULL,
  timeouts    BIGINT NOT NULL
);

INSERT INTO schema_version VALUES (1);
