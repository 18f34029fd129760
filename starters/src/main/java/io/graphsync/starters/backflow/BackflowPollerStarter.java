package io.graphsync.starters.backflow;

import io.graphsync.workflows.TaskQueues;
import io.graphsync.workflows.backflow.Neo4jChangePollerWorkflow;
import io.graphsync.workflows.backflow.PollerState;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.EventSource;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the back-flow's poller at worker start-up, idempotently: every instance may call it; a running poller (with
 * its watermark) is left as it is. A poller that was terminated by an operator is started anew from the beginning of
 * the graph's modification times: what was synced already is skipped by its {@code backflowVersion}.
 */
public final class BackflowPollerStarter {

  private static final Logger log = LoggerFactory.getLogger(BackflowPollerStarter.class);

  private BackflowPollerStarter() {}

  /** Returns true when this call started it, false when it was running. */
  public static boolean ensureRunning(WorkflowClient client, Duration interval) {
    WorkflowOptions options = WorkflowOptions.newBuilder()
        .setWorkflowId(Neo4jChangePollerWorkflow.WORKFLOW_ID)
        .setTaskQueue(TaskQueues.SYNC_NEO4J)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setTypedSearchAttributes(SearchAttributes.newBuilder()
            .set(SyncSearchAttributes.SOURCE, EventSource.NEO4J.name()).build())
        .setStaticSummary("Neo4j → PostgreSQL poller (every " + interval + ")")
        .build();
    try {
      WorkflowClient.start(client.newWorkflowStub(Neo4jChangePollerWorkflow.class, options)::poll,
          PollerState.initial(interval));
      log.info("back-flow poller {} started (every {})", Neo4jChangePollerWorkflow.WORKFLOW_ID, interval);
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.info("back-flow poller {} runs already", Neo4jChangePollerWorkflow.WORKFLOW_ID);
      return false;
    }
  }
}
