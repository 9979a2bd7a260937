-- Whether what is derived from the telemetry lags behind it: set by every import and removal in its
-- transaction, cleared by the derivation in its (schema/007_call_pairs_in_workspace.sql).
UPDATE derivation SET stale = $stale;
