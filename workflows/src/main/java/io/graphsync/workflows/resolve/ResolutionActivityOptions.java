package io.graphsync.workflows.resolve;

import io.graphsync.workflows.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the resolution activities, in one place. A person waits for the answer, so retries are
 * bounded (about 5 minutes): when a store stays down, the approval is rejected visibly and can be sent again.
 */
public final class ResolutionActivityOptions {

  private static final String[] NON_RETRYABLE = FailureType.nonRetryable();

  /** One read, write or transaction in PostgreSQL or Neo4j. */
  public static final ActivityOptions STORE_WRITE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(10)
          .setDoNotRetry(NON_RETRYABLE)
          .build())
      .build();

  private ResolutionActivityOptions() {}
}
