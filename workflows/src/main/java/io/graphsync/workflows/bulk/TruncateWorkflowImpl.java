package io.graphsync.workflows.bulk;

import io.graphsync.workflows.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Deletes the truncated table's graph elements a batch at a time until none is left, with the count in the current
 * details; continues as new after many batches so the history stays small.
 */
public class TruncateWorkflowImpl implements TruncateWorkflow {

  private static final Logger log = Workflow.getLogger(TruncateWorkflowImpl.class);

  /** Elements per Neo4j transaction. */
  static final int BATCH = 5000;

  /** Batches per run before continue-as-new. */
  static final int BATCHES_PER_RUN = 200;

  private static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(5))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofMinutes(1))
          .setDoNotRetry(FailureType.nonRetryable())
          .build())
      .build();

  private final TruncateActivities activities = Workflow.newActivityStub(TruncateActivities.class, OPTIONS);

  @Override
  public long truncate(Truncate truncate) {
    long deleted = 0;
    for (int batch = 0; batch < BATCHES_PER_RUN; batch++) {
      int count = activities.deleteTruncated(truncate, BATCH);
      deleted += count;
      Workflow.setCurrentDetails("TRUNCATE of " + truncate.table() + " at position " + truncate.position() + ": "
          + deleted + " graph elements deleted in this run");
      if (count < BATCH) {
        log.info("truncate of {} at {}: {} graph elements deleted", truncate.table(), truncate.position(), deleted);
        return deleted;
      }
    }
    Workflow.continueAsNew(truncate);
    return deleted;
  }
}
