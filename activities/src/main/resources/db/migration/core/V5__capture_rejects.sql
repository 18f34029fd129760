-- Changes the capture could not turn into a ChangeEvent (no key, no commit time, an unknown operation): kept here,
-- before the capture acknowledges them, so none leaves the replication slot without an operator-visible record.
-- (The capture creates the same table if it is missing, for databases where graphsync's migrations are not run.)
CREATE TABLE IF NOT EXISTS graphsync.capture_rejects (
  id           bigserial PRIMARY KEY,
  slot_name    text NOT NULL,
  position     bigint,
  topic        text,
  error        text NOT NULL,
  record       text,
  rejected_at  timestamptz NOT NULL DEFAULT now()
);
