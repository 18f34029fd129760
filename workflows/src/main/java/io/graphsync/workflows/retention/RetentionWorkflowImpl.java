package io.graphsync.workflows.retention;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** One activity: the deletes are idempotent, so a retried attempt simply finishes the job. */
public class RetentionWorkflowImpl implements RetentionWorkflow {

  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(5))
          .setMaximumInterval(Duration.ofMinutes(5))
          .setMaximumAttempts(10)
          .build())
      .build();

  private final RetentionActivities activities = Workflow.newActivityStub(RetentionActivities.class, OPTIONS);

  @Override
  public RetentionSummary purge(RetentionPolicy policy) {
    return activities.purgeExpired(policy);
  }
}
