package io.graphsync.workflows.sync;

import io.graphsync.workflows.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Arrays;

/** Timeouts and retry policies of the sync activities, declared in one place. */
public final class SyncActivityOptions {

  /** Attempts of {@code applyToGraph} before the sync is recorded FAILED (about 4 minutes of backoff). */
  public static final int GRAPH_WRITE_MAX_ATTEMPTS = 10;

  private static final String[] NON_RETRYABLE = Arrays.stream(FailureType.values())
      .filter(type -> !type.retryable())
      .map(FailureType::type)
      .toArray(String[]::new);

  /** The Neo4j write: one transaction, normally milliseconds; transient errors back off up to 30 s apart. */
  public static final ActivityOptions GRAPH_WRITE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(GRAPH_WRITE_MAX_ATTEMPTS)
          .setDoNotRetry(NON_RETRYABLE)
          .build())
      .build();

  /** The write-back into PostgreSQL: one guarded UPDATE; keeps trying for about 5 minutes. */
  public static final ActivityOptions STATUS_WRITE = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(15)
          .setDoNotRetry(NON_RETRYABLE)
          .build())
      .build();

  private SyncActivityOptions() {}
}
