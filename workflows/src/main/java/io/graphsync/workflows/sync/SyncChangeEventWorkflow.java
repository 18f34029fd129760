package io.graphsync.workflows.sync;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per committed change: applies it to the graph, then records the outcome in the source row. Its
 * id is derived from the change ({@link ChangeEvent#workflowId()}), so a replayed change never runs twice.
 */
@WorkflowInterface
public interface SyncChangeEventWorkflow {

  /** The workflow type name, for starters that start it untyped. */
  String TYPE = "SyncChangeEventWorkflow";

  @WorkflowMethod(name = TYPE)
  SyncOutcome sync(ChangeEvent event);
}
