package io.graphsync.workflows.bulk;

import io.graphsync.workflows.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the backfill activities. {@code loadPages} heartbeats after every page, so a worker that
 * dies mid-load is noticed within {@link #HEARTBEAT_TIMEOUT} and the retry resumes after the last page done. A store
 * outage retries with backoff for about half an hour (the per-change path's retry window), then the backfill
 * fails and is started again (it is idempotent). Bad data never fails a page: such rows go to their own syncs.
 */
public final class BackfillActivityOptions {

  /** A page must be read, written and marked within this (lock waits included: PostgreSQL's lock_timeout is less). */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(2);

  private static final String[] NON_RETRYABLE = FailureType.nonRetryable();

  private static final RetryOptions RETRIES = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2.0)
      .setMaximumInterval(Duration.ofMinutes(1))
      .setMaximumAttempts(40)
      .setDoNotRetry(NON_RETRYABLE)
      .build();

  /** {@code planBackfill}: one count per table. */
  public static final ActivityOptions PLAN = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setRetryOptions(RETRIES)
      .build();

  /** {@code loadPages}: several pages, heartbeating each. */
  public static final ActivityOptions LOAD = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
      .setRetryOptions(RETRIES)
      .build();

  /** Starting the sync workflows of rows that failed: idempotent by workflow id. */
  public static final ActivityOptions SPLIT_OUT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(RETRIES)
      .build();

  private BackfillActivityOptions() {}
}
