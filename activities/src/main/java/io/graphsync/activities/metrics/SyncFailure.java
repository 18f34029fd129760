package io.graphsync.activities.metrics;

import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;

/**
 * A failed graph write, as the meters tag it.
 *
 * @param type the {@link FailureType#type()} of an {@code ApplicationFailure} (e.g. {@code InvalidData}), else the
 *     simple class name of the exception (e.g. {@code ServiceUnavailableException}): few values, never data
 * @param retryable whether Temporal retries it: false for non-retryable failures and for the non-retryable
 *     {@link FailureType}s (the activity options' {@code doNotRetry})
 */
public record SyncFailure(String type, boolean retryable) {

  /** How Temporal will treat {@code failure} thrown by a sync activity. */
  public static SyncFailure of(Throwable failure) {
    if (failure instanceof ApplicationFailure application) {
      return new SyncFailure(application.getType(),
          !application.isNonRetryable() && !FailureType.isNonRetryable(application.getType()));
    }
    return new SyncFailure(failure.getClass().getSimpleName(), true);
  }
}
