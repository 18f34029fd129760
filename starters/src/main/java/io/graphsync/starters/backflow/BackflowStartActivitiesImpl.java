package io.graphsync.starters.backflow;

import io.graphsync.workflows.TaskQueues;
import io.graphsync.workflows.backflow.BackflowStartActivities;
import io.graphsync.workflows.backflow.GraphChange;
import io.graphsync.workflows.backflow.Neo4jToPostgresSyncWorkflow;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.sync.EventSource;
import io.graphsync.workflows.sync.SyncStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one {@code Neo4jToPostgresSyncWorkflow} per graph change on {@code sync-neo4j}, REJECT_DUPLICATE by its
 * deterministic id: a change found again (the poll's overlap, a retried activity) starts nothing twice.
 */
public class BackflowStartActivitiesImpl implements BackflowStartActivities {

  private static final Logger log = LoggerFactory.getLogger(BackflowStartActivitiesImpl.class);

  private final WorkflowClient client;
  private final String taskQueue;

  public BackflowStartActivitiesImpl(WorkflowClient client, String taskQueue) {
    this.client = Objects.requireNonNull(client, "client");
    this.taskQueue = taskQueue == null ? TaskQueues.SYNC_NEO4J : taskQueue;
  }

  @Override
  public int startSyncs(List<GraphChange> changes) {
    int started = 0;
    for (GraphChange change : changes) {
      try {
        client.newUntypedWorkflowStub(Neo4jToPostgresSyncWorkflow.TYPE, options(change)).start(change);
        started++;
      } catch (WorkflowExecutionAlreadyStarted duplicate) {
        log.debug("back-flow {} exists already", change.workflowId());
      }
    }
    return started;
  }

  WorkflowOptions options(GraphChange change) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(SyncSearchAttributes.SOURCE, EventSource.NEO4J.name())
        .set(SyncSearchAttributes.ENTITY_TYPE, change.caseName())
        .set(SyncSearchAttributes.ENTITY_ID, change.entityId())
        .set(SyncSearchAttributes.SYNC_STATUS, SyncStatus.RUNNING.name());
    if (change.tenantId() != null) {
      attributes.set(SyncSearchAttributes.TENANT_ID, change.tenantId());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(change.workflowId())
        .setTaskQueue(taskQueue)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(attributes.build())
        .setStaticSummary("Neo4j → PostgreSQL: " + change.caseName() + " " + change.entityId() + " neo4jVersion "
            + change.neo4jVersion() + " → " + change.table())
        .build();
  }
}
