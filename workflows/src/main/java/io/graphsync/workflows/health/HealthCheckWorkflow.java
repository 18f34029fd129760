package io.graphsync.workflows.health;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Proves that a worker polls and completes workflow and activity tasks on a real Temporal server. */
@WorkflowInterface
public interface HealthCheckWorkflow {

  @WorkflowMethod
  HealthReport check();
}
