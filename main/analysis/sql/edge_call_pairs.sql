-- One row per call from a caller span to the callee's server span, or to nothing when no server
-- span answered (breaker fast failures, uninstrumented or unreachable callees).
-- A caller span is a client/producer span, or any span with a child span of another service.
-- The callee side is a child of another service, or (Zipkin shared spans) the server half with the
-- same span id. Calls whose caller span starts in [$from_ns, $to_ns] are kept.
-- Spans are linked through two 64-bit hashes of (trace id, span id), taken in both orders, so that
-- the join compares integers rather than carrying and comparing two strings per row: a wrong pair
-- would need both hashes to collide at once.
-- The attribute texts are kept only when they can carry a deadline or timeout (the one thing read
-- from them later): writing every span's attributes again made up most of the cost of this table.
WITH known_services AS (
  SELECT list(DISTINCT service) AS services FROM spans
),
-- Span ids that two spans of a trace share (Zipkin's client and server halves of one call).
shared_span_keys AS (
  SELECT hash(trace_id, span_id) AS link_key FROM spans GROUP BY 1 HAVING count(*) > 1
),
callers AS (
  SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ns,
         status_code, rpc_status, http_status, status_message, peer_service, source_line,
         CASE WHEN regexp_matches(attributes::VARCHAR, 'timeout|deadline', 'i') THEN attributes::VARCHAR END AS attributes_text,
         kind IN ('client', 'producer') AS is_client,
         -- One JSON parse for the three attributes that can name an uninstrumented callee.
         CASE WHEN kind IN ('client', 'producer') AND attributes::VARCHAR <> '{}'
              THEN json_extract_string(attributes, ['$."server.address"', '$."net.peer.name"', '$."db.system"']) END AS address,
         hash(trace_id, span_id) AS link_key,
         hash(span_id, trace_id) AS link_check
  FROM spans
  WHERE start_ns BETWEEN $from_ns AND $to_ns
),
callees AS (
  SELECT hash(trace_id, parent_span_id) AS link_key, hash(parent_span_id, trace_id) AS link_check, span_id, service,
         kind IN ('server', 'consumer') AS is_server, start_ns, end_ns, duration_ns, status_code,
         CASE WHEN regexp_matches(attributes::VARCHAR, 'timeout|deadline', 'i') THEN attributes::VARCHAR END AS attributes_text
  FROM spans
  WHERE parent_span_id IS NOT NULL AND kind <> 'client' AND kind <> 'producer'
  UNION ALL
  SELECT hash(trace_id, span_id) AS link_key, hash(span_id, trace_id) AS link_check, span_id, service,
         true AS is_server, start_ns, end_ns, duration_ns, status_code,
         CASE WHEN regexp_matches(attributes::VARCHAR, 'timeout|deadline', 'i') THEN attributes::VARCHAR END AS attributes_text
  FROM spans
  WHERE kind = 'server' AND hash(trace_id, span_id) IN (SELECT link_key FROM shared_span_keys)
),
-- A client span is answered only by a server or consumer span; any other caller by any child of
-- another service: `is_server >= is_client` says that as a comparison, which keeps the join a hash
-- join (an OR in the condition would make it a nested loop).
paired AS (
  SELECT c.*, s.span_id AS callee_span_id, s.service AS callee_service,
         s.start_ns AS s_start_ns, s.end_ns AS s_end_ns, s.duration_ns AS s_duration_ns, s.status_code AS s_status_code,
         s.attributes_text AS s_attributes,
         split_part(COALESCE(c.address[1], c.address[2]), '.', 1) AS address_service
  FROM callers c
  LEFT JOIN callees s
    ON s.link_key = c.link_key
   AND s.link_check = c.link_check
   AND s.service <> c.service
   AND s.is_server >= c.is_client
  WHERE c.is_client OR s.span_id IS NOT NULL
)
SELECT
  c.trace_id,
  c.span_id AS caller_span_id,
  c.parent_span_id AS caller_parent_id,
  c.service AS caller,
  COALESCE(c.callee_service, c.peer_service, CASE WHEN list_contains(k.services, c.address_service) AND c.address_service <> c.service THEN c.address_service END,
           c.address[1], c.address[2], c.address[3]) AS callee,
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
  c.callee_span_id,
  c.s_start_ns,
  c.s_end_ns,
  c.s_duration_ns,
  c.s_status_code,
  c.s_attributes
FROM paired c, known_services k
