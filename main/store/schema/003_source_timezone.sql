-- The zone a source's zone-less timestamps were read in (an IANA name, a fixed offset such as
-- +08:00, or UTC), so a time that looks off can be traced to the choice made at import.
-- Sources imported before this column existed were read as UTC.
ALTER TABLE sources ADD COLUMN IF NOT EXISTS timezone VARCHAR DEFAULT 'UTC';

INSERT INTO schema_version VALUES (3);
