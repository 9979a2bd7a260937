-- One row per call from a caller span to the callee's server span, or to nothing when no server
-- span answered (breaker fast failures, uninstrumented or unreachable callees).
-- A caller span is a client/producer span, or any span with a child span of another service.
-- The callee side is a child of another service, or (Zipkin shared spans) the server half with the
-- same span id. Calls whose caller span starts in [$from_ns, $to_ns] are kept.
-- Used as the body of a `calls` CTE by the edge, deadline and event queries.
WITH known_services AS (
  SELECT DISTINCT service FROM spans
),
callee_side AS (
  SELECT trace_id, parent_span_id AS link_id, span_id, service, kind, start_ns, end_ns, duration_ns,
         status_code, rpc_status, http_status, attributes
  FROM spans
  WHERE parent_span_id IS NOT NULL AND kind <> 'client' AND kind <> 'producer'
  UNION ALL
  SELECT trace_id, span_id AS link_id, span_id, service, kind, start_ns, end_ns, duration_ns,
         status_code, rpc_status, http_status, attributes
  FROM spans
  WHERE kind = 'server'
),
caller_side AS (
  SELECT c.*,
         c.attributes::VARCHAR AS attributes_text,
         CASE WHEN c.kind IN ('client', 'producer') THEN json_extract_string(c.attributes, '$."server.address"') END AS server_address,
         CASE WHEN c.kind IN ('client', 'producer') THEN json_extract_string(c.attributes, '$."net.peer.name"') END AS net_peer_name,
         CASE WHEN c.kind IN ('client', 'producer') THEN json_extract_string(c.attributes, '$."db.system"') END AS db_system
  FROM spans c
  WHERE c.start_ns BETWEEN $from_ns AND $to_ns
),
-- Joined on equalities alone, then filtered: an OR in a LEFT JOIN's condition makes DuckDB fall
-- back to a nested-loop join.
matched AS (
  SELECT c.trace_id, c.span_id AS caller_span_id, s.span_id, s.service, s.start_ns, s.end_ns, s.duration_ns,
         s.status_code, s.attributes
  FROM caller_side c
  JOIN callee_side s ON s.trace_id = c.trace_id AND s.link_id = c.span_id
  WHERE s.service <> c.service
    AND (c.kind NOT IN ('client', 'producer') OR s.kind IN ('server', 'consumer'))
)
SELECT
  c.trace_id,
  c.span_id AS caller_span_id,
  c.parent_span_id AS caller_parent_id,
  c.service AS caller,
  COALESCE(s.service, c.peer_service, k.service, c.server_address, c.net_peer_name, c.db_system) AS callee,
  c.name,
  c.kind AS caller_kind,
  c.start_ns AS c_start_ns,
  c.end_ns AS c_end_ns,
  c.duration_ns AS c_duration_ns,
  c.status_code AS c_status_code,
  c.rpc_status AS c_rpc_status,
  c.http_status AS c_http_status,
  c.status_message AS c_status_message,
  c.attributes_text AS c_attributes,
  c.source_line AS c_source_line,
  s.span_id AS callee_span_id,
  s.start_ns AS s_start_ns,
  s.end_ns AS s_end_ns,
  s.duration_ns AS s_duration_ns,
  s.status_code AS s_status_code,
  s.attributes::VARCHAR AS s_attributes
FROM caller_side c
LEFT JOIN matched s
  ON s.trace_id = c.trace_id
 AND s.caller_span_id = c.span_id
LEFT JOIN known_services k
  ON k.service = split_part(COALESCE(c.server_address, c.net_peer_name), '.', 1)
 AND k.service <> c.service
WHERE c.kind IN ('client', 'producer') OR s.span_id IS NOT NULL
