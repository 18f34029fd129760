package io.graphsync.workflows.bulk;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.sync.SyncPolicy;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of a batch's activities: the graph write retries store outages for the same window as a
 * single change ({@link SyncPolicy#retryWindow()}), then the batch's changes go to their own sync workflows.
 */
public final class BatchSyncActivityOptions {

  private static final String[] NON_RETRYABLE = FailureType.nonRetryable();

  /** Starting the sync workflows of changes that failed: idempotent by workflow id. */
  static final ActivityOptions SPLIT_OUT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(2))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofMinutes(1))
          .setDoNotRetry(NON_RETRYABLE)
          .build())
      .build();

  private BatchSyncActivityOptions() {}

  /**
   * The graph write and the write-back: two minutes per attempt (a batch takes seconds; a worker killed mid-batch is
   * noticed after at most this long), retried for the policy's window.
   */
  static ActivityOptions apply(SyncPolicy policy) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setScheduleToCloseTimeout(policy.retryWindow())
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2.0)
            .setMaximumInterval(Duration.ofSeconds(30))
            .setDoNotRetry(NON_RETRYABLE)
            .build())
        .build();
  }
}
