-- DuckDB's own reading of a file of OTLP JSON lines, as the baselines of bench:ingest share it:
-- read_ndjson, then UNNEST resourceSpans -> scopeSpans -> spans, each span beside its resource and
-- its scope's name. The baselines put this in for OTLP_SPANS_CTES.
resources AS (
  SELECT unnest(resourceSpans) AS rs FROM read_ndjson_auto($path)
),
scopes AS (
  SELECT rs.resource AS resource, unnest(rs.scopeSpans) AS ss FROM resources
),
spans AS (
  SELECT resource, ss.scope.name AS scope_name, unnest(ss.spans) AS span FROM scopes
)
