package io.graphsync.workflows.sync;

import io.graphsync.workflows.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retry policies of the sync activities, declared in one place.
 *
 * <p>The retry window of a {@link SyncPolicy} becomes a number of attempts (exponential backoff from 1 s, doubling,
 * at most {@link #MAX_RETRY_INTERVAL} apart) rather than a schedule-to-close timeout: time an activity spends queued
 * behind a backlog must not count as an outage.
 */
public final class SyncActivityOptions {

  static final Duration INITIAL_RETRY_INTERVAL = Duration.ofSeconds(1);
  static final double BACKOFF = 2.0;
  static final Duration MAX_RETRY_INTERVAL = Duration.ofMinutes(1);

  private static final String[] NON_RETRYABLE = FailureType.nonRetryable();

  private SyncActivityOptions() {}

  /** The Neo4j write: one transaction, normally milliseconds; transient failures retried for the retry window. */
  public static ActivityOptions graphWrite(SyncPolicy policy) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(policy))
        .build();
  }

  /** The write-back into PostgreSQL: one guarded UPDATE; transient failures retried for the retry window. */
  public static ActivityOptions statusWrite(SyncPolicy policy) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(retries(policy))
        .build();
  }

  /** A read for a decision (is a failed sync superseded?): a few quick tries; the next check comes anyway. */
  public static final ActivityOptions GRAPH_READ = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(INITIAL_RETRY_INTERVAL)
          .setMaximumAttempts(3)
          .setDoNotRetry(NON_RETRYABLE)
          .build())
      .build();

  /**
   * Attempts whose backoff intervals add up to at least the retry window: e.g. 30 minutes → 36 attempts (1, 2, 4,
   * 8, 16, 32 s, then a minute apart).
   */
  public static int maxAttempts(SyncPolicy policy) {
    long windowMillis = policy.retryWindow().toMillis();
    long waitedMillis = 0;
    double interval = INITIAL_RETRY_INTERVAL.toMillis();
    int attempts = 1;
    while (waitedMillis < windowMillis) {
      waitedMillis += (long) Math.min(interval, MAX_RETRY_INTERVAL.toMillis());
      interval *= BACKOFF;
      attempts++;
    }
    return attempts;
  }

  private static RetryOptions retries(SyncPolicy policy) {
    return RetryOptions.newBuilder()
        .setInitialInterval(INITIAL_RETRY_INTERVAL)
        .setBackoffCoefficient(BACKOFF)
        .setMaximumInterval(MAX_RETRY_INTERVAL)
        .setMaximumAttempts(maxAttempts(policy))
        .setDoNotRetry(NON_RETRYABLE)
        .build();
  }
}
