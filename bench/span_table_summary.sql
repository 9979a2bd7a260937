-- What a spans table holds, summed column by column: two tables with the same summary hold the same
-- spans, texts of the same lengths and the same fields read from the attributes.
SELECT
  count(*) AS spans,
  count(DISTINCT trace_id) AS traces,
  count(parent_span_id) AS with_parent,
  count(DISTINCT service) AS services,
  count(DISTINCT kind) AS kinds,
  count(*) FILTER (WHERE kind = 'client') AS clients,
  sum(duration_ns) AS duration_ns,
  sum(status_code) AS status_codes,
  count(status_message) AS status_messages,
  count(http_status) AS http_statuses,
  count(rpc_system) AS rpc_systems,
  sum(rpc_status) AS rpc_statuses,
  count(peer_service) AS peers,
  sum(length(attributes::VARCHAR)) AS attribute_chars,
  sum(length(resource::VARCHAR)) AS resource_chars
FROM TABLE_NAME
