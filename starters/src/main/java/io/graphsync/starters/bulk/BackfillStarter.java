package io.graphsync.starters.bulk;

import io.graphsync.workflows.bulk.BackfillRequest;
import io.graphsync.workflows.bulk.BackfillWorkflow;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link BackfillWorkflow} on {@code sync-bulk}. Its workflow id names its scope
 * ({@code backfill/<tables|all>[/tenant/<id>][/keys/<from>..<to>]}), so one backfill of a scope runs at a time (a
 * second start while it runs is refused) and a finished one can be started again; search attributes {@code TenantId}
 * (and {@code EntityType} for one entity table) and a summary make it easy to find in the Web UI.
 */
public final class BackfillStarter {

  private static final Logger log = LoggerFactory.getLogger(BackfillStarter.class);

  /** A backfill of the same scope is running: its workflow id. */
  public static final class AlreadyRunning extends RuntimeException {
    private final String workflowId;

    AlreadyRunning(String workflowId) {
      super("a backfill of this scope is already running: " + workflowId);
      this.workflowId = workflowId;
    }

    public String workflowId() {
      return workflowId;
    }
  }

  private final WorkflowClient client;
  private final Function<String, String> labelOfTable;

  /**
   * @param labelOfTable the label of a mapped entity table, or null for a join table (for the {@code EntityType}
   *     search attribute)
   */
  public BackfillStarter(WorkflowClient client, Function<String, String> labelOfTable) {
    this.client = Objects.requireNonNull(client, "client");
    this.labelOfTable = Objects.requireNonNull(labelOfTable, "labelOfTable");
  }

  /** Starts the backfill; returns its execution. */
  public WorkflowExecution start(BackfillRequest request) {
    String workflowId = workflowId(request);
    BackfillWorkflow workflow = client.newWorkflowStub(BackfillWorkflow.class, options(request, workflowId));
    try {
      WorkflowExecution execution = WorkflowClient.start(workflow::backfill, request);
      log.info("started backfill {} ({})", workflowId, summary(request));
      return execution;
    } catch (WorkflowExecutionAlreadyStarted running) {
      throw new AlreadyRunning(workflowId);
    }
  }

  /** E.g. {@code backfill/all}, {@code backfill/users/tenant/7d01…}, {@code backfill/concepts/keys/a..f}. */
  public static String workflowId(BackfillRequest request) {
    StringBuilder id = new StringBuilder("backfill/")
        .append(request.tables().isEmpty() ? "all" : String.join(",", request.tables()));
    if (request.tenantId() != null) {
      id.append("/tenant/").append(request.tenantId());
    }
    if (request.fromKey() != null || request.toKey() != null) {
      id.append("/keys/").append(request.fromKey() == null ? "" : request.fromKey()).append("..")
          .append(request.toKey() == null ? "" : request.toKey());
    }
    return id.toString();
  }

  WorkflowOptions options(BackfillRequest request, String workflowId) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder();
    if (request.tenantId() != null) {
      attributes.set(SyncSearchAttributes.TENANT_ID, request.tenantId());
    }
    if (request.tables().size() == 1 && labelOfTable.apply(request.tables().get(0)) != null) {
      attributes.set(SyncSearchAttributes.ENTITY_TYPE, labelOfTable.apply(request.tables().get(0)));
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(BackfillWorkflow.TASK_QUEUE)
        // a finished backfill of a scope may run again (it is idempotent); a running one is not started twice
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setTypedSearchAttributes(attributes.build())
        .setStaticSummary(summary(request))
        .build();
  }

  /** E.g. {@code Backfill users, threads (tenant 7d01aa2b…)}. */
  static String summary(BackfillRequest request) {
    StringBuilder summary = new StringBuilder("Backfill ")
        .append(request.tables().isEmpty() ? "all mapped tables" : String.join(", ", request.tables()));
    if (request.tenantId() != null) {
      summary.append(" (tenant ").append(request.tenantId()).append(')');
    }
    if (request.fromKey() != null || request.toKey() != null) {
      summary.append(", keys ").append(request.fromKey() == null ? "…" : request.fromKey()).append(" to ")
          .append(request.toKey() == null ? "…" : request.toKey());
    }
    return summary.toString();
  }
}
