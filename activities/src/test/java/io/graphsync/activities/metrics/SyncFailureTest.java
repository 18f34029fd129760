package io.graphsync.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsync.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class SyncFailureTest {

  @Test
  void givenNonRetryableInvalidData_whenClassified_itIsInvalidDataAndNotRetryable() {
    SyncFailure failure = SyncFailure.of(
        ApplicationFailure.newNonRetryableFailure("bad value", FailureType.INVALID_DATA.type()));

    assertThat(failure).isEqualTo(new SyncFailure("InvalidData", false));
  }

  @Test
  void givenRetryableFailureOfANonRetryableType_whenClassified_itIsNotRetryable() {
    // the activity options' doNotRetry lists every non-retryable FailureType: Temporal will not retry it
    SyncFailure failure = SyncFailure.of(
        ApplicationFailure.newFailure("no such table", FailureType.UNMAPPED_TABLE.type()));

    assertThat(failure).isEqualTo(new SyncFailure("UnmappedTable", false));
  }

  @Test
  void givenAStoreError_whenClassified_itIsItsClassNameAndRetryable() {
    SyncFailure failure = SyncFailure.of(new IllegalStateException("Neo4j went away"));

    assertThat(failure).isEqualTo(new SyncFailure("IllegalStateException", true));
  }
}
