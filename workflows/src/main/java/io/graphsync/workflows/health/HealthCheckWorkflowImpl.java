package io.graphsync.workflows.health;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Runs the store probe once, with a short retry budget: a health check must answer, not wait. */
public class HealthCheckWorkflowImpl implements HealthCheckWorkflow {

  static final ActivityOptions PROBE_OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(15))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setMaximumAttempts(3)
          .build())
      .build();

  private final HealthCheckActivities activities =
      Workflow.newActivityStub(HealthCheckActivities.class, PROBE_OPTIONS);

  @Override
  public HealthReport check() {
    StoreProbe stores = activities.probeStores();
    return new HealthReport(Workflow.getInfo().getWorkflowId(), Workflow.getInfo().getTaskQueue(), stores,
        Workflow.currentTimeMillis());
  }
}
