package io.graphsync.workflows.reconcile;

import io.graphsync.workflows.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the reconciliation activities, in one place. The comparison heartbeats after every page,
 * so a worker that dies mid-scan is noticed within {@link #HEARTBEAT_TIMEOUT} and the retry resumes from the last
 * heartbeat's cursor. Bad data and unmapped tables fail at once; store outages retry with backoff for about ten
 * minutes, then the run fails (the next scheduled run starts over).
 */
public final class ReconciliationActivityOptions {

  /** A page must be compared within this (one snapshot of at most a page of rows, one Neo4j read). */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);

  private static final String[] NON_RETRYABLE = FailureType.nonRetryable();

  private static final RetryOptions RETRIES = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2.0)
      .setMaximumInterval(Duration.ofMinutes(1))
      .setMaximumAttempts(15)
      .setDoNotRetry(NON_RETRYABLE)
      .build();

  /** {@code compare}: several pages, heartbeating each. */
  public static final ActivityOptions COMPARE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
      .setRetryOptions(RETRIES)
      .build();

  /** {@code recheck}: key lookups of at most a batch of candidates. */
  public static final ActivityOptions RECHECK = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(5))
      .setRetryOptions(RETRIES)
      .build();

  /** {@code beginRun}, {@code recordFindings}, {@code finishRun}: small PostgreSQL writes. */
  public static final ActivityOptions BOOKKEEPING = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RETRIES)
      .build();

  /** {@code startRepairs}: workflow starts, idempotent by workflow id. */
  public static final ActivityOptions REPAIR = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(RETRIES)
      .build();

  /** {@code escalate}: one signal-with-start. */
  public static final ActivityOptions ESCALATE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RETRIES)
      .build();

  private ReconciliationActivityOptions() {}
}
