package io.graphsync.workflows.backflow;

import io.graphsync.workflows.sync.SyncState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per change made in Neo4j to an element of a declared back-flow case ({@code source = NEO4J}, task queue
 * {@code sync-neo4j}, id {@link GraphChange#workflowId()}): writes the row in one PostgreSQL transaction (locked on
 * {@code pg_version}), then stamps the element. When both sides changed, the case's policy decides. A failure that
 * outlasts the retries waits, FAILED, for an operator's {@link #retry()} or {@link #skip(String)}, like the
 * PostgreSQL-side syncs.
 */
@WorkflowInterface
public interface Neo4jToPostgresSyncWorkflow {

  String TYPE = "Neo4jToPostgresSyncWorkflow";

  @WorkflowMethod(name = TYPE)
  BackflowWrite sync(GraphChange change);

  /** Runs the write again with the element and the row as they are now. Acted on only while FAILED. */
  @SignalMethod(name = "retry")
  void retry();

  /** Gives the change up: the element is marked as handled, the row is not written. Acted on only while FAILED. */
  @SignalMethod(name = "skip")
  void skip(String reason);

  @QueryMethod(name = "state")
  SyncState state();
}
