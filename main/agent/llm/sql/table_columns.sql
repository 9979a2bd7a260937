-- The telemetry tables the model may query, with their columns in order.
SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) AS columns
FROM information_schema.columns
WHERE table_schema = 'main' AND table_name <> 'schema_version'
GROUP BY table_name
ORDER BY table_name
