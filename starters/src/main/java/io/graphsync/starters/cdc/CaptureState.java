package io.graphsync.starters.cdc;

/** Where a {@link PostgresCapture} is in its life; for health checks. */
public enum CaptureState {
  /** Created, not started. */
  NEW,
  /** Another instance holds the lease of the slot; this one retries every few seconds. */
  STANDBY,
  /** Holds the lease; the Debezium engine is starting (connecting, creating the slot and publication). */
  STARTING,
  /** Holds the lease; the engine streams changes. */
  RUNNING,
  /** Holds the lease; the engine failed and restarts after a backoff. */
  RESTARTING,
  /**
   * Cannot reach PostgreSQL to take or keep the lease: neither capturing nor standing by; retries every few seconds.
   */
  DISCONNECTED,
  /** Closed. */
  STOPPED
}
