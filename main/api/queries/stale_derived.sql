-- Spans are loaded but the call pairs derived from them are not (a workspace from an older schema).
SELECT EXISTS (SELECT 1 FROM spans) AND NOT EXISTS (SELECT 1 FROM call_pairs) AS stale;
