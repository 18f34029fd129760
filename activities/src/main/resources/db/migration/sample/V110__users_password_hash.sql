-- A column the graph must never see: the sample mapping excludes it, and the capture leaves excluded columns out of
-- every change event, so its values never reach Temporal's history either (docs/security.md, minimal data).
ALTER TABLE users ADD COLUMN password_hash text;
