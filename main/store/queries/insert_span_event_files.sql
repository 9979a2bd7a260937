-- Span events from the span files of the parallel OTLP import ($paths, in file order); the layout
-- is described in ingest/parallel/spanFiles.ts.
INSERT INTO span_events
SELECT trace_id, span_id, ts_ns, name, attributes, $source_id
FROM read_csv($paths,
  columns = {'trace_id': 'VARCHAR', 'span_id': 'VARCHAR', 'ts_ns': 'BIGINT', 'name': 'VARCHAR', 'attributes': 'VARCHAR'},
  header = false, auto_detect = false, delim = chr(31), quote = chr(1), escape = chr(1),
  new_line = '\n', allow_quoted_nulls = false);
