-- Debezium offsets of the capture, next to the replication slot they describe, so that a standby instance on
-- another machine resumes from the same position when it takes over the lease. One row per slot and offset key;
-- the value is Debezium's JSON. (The capture creates the same table if it is missing, for databases where
-- graphsync's migrations are not run.)
CREATE TABLE IF NOT EXISTS graphsync.capture_offsets (
  slot_name     text NOT NULL,
  offset_key    text NOT NULL,
  offset_value  text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (slot_name, offset_key)
);
