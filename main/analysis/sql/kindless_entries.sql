-- Replaces the kind-less entry spans (schema/008_kindless_entries.sql): spans of no kind whose
-- parent is another service's span.
DELETE FROM kindless_entries;
INSERT INTO kindless_entries
SELECT hash(child.trace_id, child.span_id)
FROM spans child JOIN spans parent ON parent.trace_id = child.trace_id AND parent.span_id = child.parent_span_id
WHERE child.kind = 'unspecified' AND parent.service <> child.service;
