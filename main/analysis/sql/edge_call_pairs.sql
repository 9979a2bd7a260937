-- One row per call from a caller span to the callee's server span, or to nothing when no server
-- span answered (breaker fast failures, uninstrumented or unreachable callees).
-- A caller span is a client/producer span, or any span with a child span of another service.
-- The callee side is a child of another service, or (Zipkin shared spans) the server half with the
-- same span id. Calls whose caller span starts in [$from_ns, $to_ns] are kept.
-- Spans are named by their span key, hash(trace_id, span_id) (schema 004): the join compares one
-- integer rather than two strings, and the rows carry no id strings (readers name again from spans
-- the few calls they show as evidence). A wrong pair would need two of a workspace's keys to
-- collide (odds about n^2 / 2^65 for n spans) and the spans to be of different services.
-- End times are not stored: readers add the duration to the start (schema 005).
-- The attribute texts are kept only when they can carry a deadline or timeout, and only until
-- call_pair_deadlines.sql has read the deadline from them: the table keeps that number instead.
-- Whether they can is asked with lower() and contains(), not a case-blind regex: DuckDB runs those on
-- each distinct text of a dictionary-compressed column once, and on other texts still about twice as
-- fast (the pairing of 1M exported spans took 1.1 s instead of 1.4 s).
WITH known_services AS (
  SELECT list(DISTINCT service) AS services FROM spans
),
-- The keys of spans that are not server spans: a server span with one of them is the server half
-- of a span id shared with its caller (Zipkin's client and server halves of one call). Looking
-- server spans up among these is a semi-join, far cheaper than grouping every span by its key.
non_server_keys AS (
  SELECT hash(trace_id, span_id) AS span_key FROM spans WHERE kind <> 'server'
),
callers AS (
  SELECT hash(trace_id) AS trace_key,
         hash(trace_id, span_id) AS span_key,
         CASE WHEN parent_span_id IS NOT NULL THEN hash(trace_id, parent_span_id) END AS parent_key,
         service, hash(name) AS name_key, kind, start_ns, duration_ns,
         status_code, rpc_status, http_status, status_message, peer_service,
         CASE WHEN contains(lower(attributes::VARCHAR), 'timeout') OR contains(lower(attributes::VARCHAR), 'deadline') THEN attributes::VARCHAR END AS attributes_text,
         kind IN ('client', 'producer') AS is_client,
         -- One JSON parse for the attributes that can name an uninstrumented callee.
         CASE WHEN kind IN ('client', 'producer') AND attributes::VARCHAR <> '{}'
              THEN json_extract_string(attributes, ['$."server.address"', '$."net.peer.name"', '$."db.system"', '$."db.name"', '$."db.namespace"']) END AS address
  FROM spans
  WHERE start_ns BETWEEN $from_ns AND $to_ns
),
-- The callee a caller names itself, for when no server span answers (callee_name.sql). Taken
-- before the join, so that only one name rides along with each caller.
named_callers AS (
  SELECT * EXCLUDE (address, server_address, net_peer_name, db_system, db_name, db_namespace, known_services),
         CALLEE_NAME AS named_callee
  FROM (
    SELECT *, address[1] AS server_address, address[2] AS net_peer_name, address[3] AS db_system,
           address[4] AS db_name, address[5] AS db_namespace
    FROM callers
  ), (SELECT services AS known_services FROM known_services)
),
callees AS (
  SELECT hash(trace_id, parent_span_id) AS link_key, hash(trace_id, span_id) AS span_key, service,
         kind IN ('server', 'consumer') AS is_server, start_ns, duration_ns, status_code,
         CASE WHEN contains(lower(attributes::VARCHAR), 'timeout') OR contains(lower(attributes::VARCHAR), 'deadline') THEN attributes::VARCHAR END AS attributes_text
  FROM spans
  WHERE parent_span_id IS NOT NULL AND kind <> 'client' AND kind <> 'producer'
  UNION ALL
  SELECT hash(trace_id, span_id) AS link_key, hash(trace_id, span_id) AS span_key, service,
         true AS is_server, start_ns, duration_ns, status_code,
         CASE WHEN contains(lower(attributes::VARCHAR), 'timeout') OR contains(lower(attributes::VARCHAR), 'deadline') THEN attributes::VARCHAR END AS attributes_text
  FROM spans
  WHERE kind = 'server' AND hash(trace_id, span_id) IN (SELECT span_key FROM non_server_keys)
)
-- A client span is answered only by a server or consumer span; any other caller by any child of
-- another service: `is_server >= is_client` says that as a comparison, which keeps the join a hash
-- join (an OR in the condition would make it a nested loop).
SELECT
  c.trace_key,
  c.span_key AS caller_key,
  c.parent_key AS caller_parent_key,
  c.service AS caller,
  COALESCE(s.service, c.named_callee) AS callee,
  c.name_key,
  c.kind AS caller_kind,
  c.start_ns AS c_start_ns,
  c.duration_ns AS c_duration_ns,
  c.status_code AS c_status_code,
  c.rpc_status AS c_rpc_status,
  c.http_status AS c_http_status,
  c.status_message AS c_status_message,
  c.attributes_text AS c_attributes,
  s.span_key AS callee_key,
  s.start_ns AS s_start_ns,
  s.duration_ns AS s_duration_ns,
  s.status_code AS s_status_code,
  s.attributes_text AS s_attributes
FROM named_callers c
LEFT JOIN callees s
  ON s.link_key = c.span_key
 AND s.service <> c.service
 AND s.is_server >= c.is_client
WHERE c.is_client OR s.span_key IS NOT NULL
