package io.graphsync.workflows.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a sync keeps trying and how long a failed one waits for an operator. Given to
 * {@link SyncChangeEventWorkflowImpl} by the worker (worker-app binds it from {@code graphsync.sync.*}); a change
 * of these values affects new attempts and new waits, never the determinism of running workflows.
 *
 * @param retryWindow how long the activities retry transient failures (Neo4j or PostgreSQL down) with exponential
 *     backoff before the sync is recorded FAILED: an outage shorter than this leaves no FAILED row
 * @param decisionTimeout how long a FAILED sync waits for an operator's {@code retry} or {@code skip}; then the
 *     workflow closes as failed and reconciliation owns the row
 * @param supersededCheck the first interval at which a waiting FAILED sync checks whether a newer change of the
 *     same entity has reached the graph (it then closes itself as SKIPPED); the interval doubles up to
 *     {@link #MAX_SUPERSEDED_CHECK}
 */
public record SyncPolicy(Duration retryWindow, Duration decisionTimeout, Duration supersededCheck) {

  /** The longest interval between two superseded checks of a waiting FAILED sync. */
  public static final Duration MAX_SUPERSEDED_CHECK = Duration.ofHours(1);

  /** 30 minutes of retries, 7 days for an operator, first superseded check after 1 minute. */
  public static final SyncPolicy DEFAULT =
      new SyncPolicy(Duration.ofMinutes(30), Duration.ofDays(7), Duration.ofMinutes(1));

  public SyncPolicy {
    requirePositive(retryWindow, "retryWindow");
    requirePositive(decisionTimeout, "decisionTimeout");
    requirePositive(supersededCheck, "supersededCheck");
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
