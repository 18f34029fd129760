package io.graphsync.workflows.backflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The long-running poller of the back-flow (one per namespace, id {@link #WORKFLOW_ID}, task queue {@code sync-neo4j}):
 * polls the graph for changes of the declared cases since its watermark, starts one
 * {@link Neo4jToPostgresSyncWorkflow} per change, and continues as new with its watermark when Temporal suggests it.
 */
@WorkflowInterface
public interface Neo4jChangePollerWorkflow {

  String TYPE = "Neo4jChangePollerWorkflow";
  String WORKFLOW_ID = "graphsync-backflow-poller";

  @WorkflowMethod(name = TYPE)
  void poll(PollerState state);

  @QueryMethod(name = "progress")
  PollerState progress();
}
