-- Spans from the span files of the parallel OTLP import ($paths, in file order); the layout is
-- described in ingest/parallel/spanFiles.ts. Attribute maps are read as text and cast to JSON here.
INSERT INTO spans
SELECT trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, end_ns - start_ns,
       status_code, status_message, http_status, rpc_system, rpc_status, peer_service,
       attributes, resource, $source_id, source_line
FROM read_csv($paths,
  columns = {
    'trace_id': 'VARCHAR', 'span_id': 'VARCHAR', 'parent_span_id': 'VARCHAR', 'service': 'VARCHAR',
    'name': 'VARCHAR', 'kind': 'VARCHAR', 'start_ns': 'BIGINT', 'end_ns': 'BIGINT',
    'status_code': 'TINYINT', 'status_message': 'VARCHAR', 'http_status': 'SMALLINT',
    'rpc_system': 'VARCHAR', 'rpc_status': 'TINYINT', 'peer_service': 'VARCHAR',
    'attributes': 'VARCHAR', 'resource': 'VARCHAR', 'source_line': 'INTEGER'
  },
  header = false, auto_detect = false, delim = chr(31), quote = chr(1), escape = chr(1),
  new_line = '\n', allow_quoted_nulls = false);
