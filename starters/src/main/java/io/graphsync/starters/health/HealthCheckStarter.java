package io.graphsync.starters.health;

import io.graphsync.workflows.TaskQueues;
import io.graphsync.workflows.health.HealthCheckWorkflow;
import io.graphsync.workflows.health.HealthReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs the health-check workflow and waits for its report. The workflow id carries the request time, so each
 * check is one visible execution in the Web UI, and a check that no worker picks up times out instead of
 * hanging.
 */
public class HealthCheckStarter {

  private final WorkflowClient client;
  private final Clock clock;

  public HealthCheckStarter(WorkflowClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public HealthReport runHealthCheck(Duration timeout) {
    HealthCheckWorkflow workflow = client.newWorkflowStub(HealthCheckWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("health/" + clock.instant().toEpochMilli())
        .setTaskQueue(TaskQueues.SYNC_DEFAULT)
        .setWorkflowExecutionTimeout(timeout)
        .build());
    return workflow.check();
  }
}
