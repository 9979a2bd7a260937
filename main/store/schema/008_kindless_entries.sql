-- Spans of no kind (CSV span tables such as Nezha's and SkyWalking's carry none) that are their
-- service's entry, because their parent is another service's span: they count as served requests
-- where server spans do (services, incident window, SLO burn). Derived with the call pairs, so that
-- those queries look them up instead of joining spans to their parents each time.
CREATE TABLE kindless_entries (span_key UBIGINT NOT NULL);

-- A workspace with spans of no kind has none of them derived yet.
UPDATE derivation SET stale = true WHERE EXISTS (SELECT 1 FROM spans WHERE kind = 'unspecified');

INSERT INTO schema_version VALUES (8);
