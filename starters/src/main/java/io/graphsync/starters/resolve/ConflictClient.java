package io.graphsync.starters.resolve;

import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Approval;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.SearchAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the REST API does with conflicts, through Temporal: list the open ones (visibility), show one (the
 * {@code conflict} query), approve one (the {@code approve} signal, after the same checks the workflow makes, so a
 * caller learns at once what is wrong). The workflow validates every approval again: between the check here and the
 * signal the conflict may have been reported anew, and then the approval is rejected visibly in the workflow.
 */
public class ConflictClient {

  /** The visibility query of open conflicts. */
  public static final String OPEN_CONFLICTS =
      "WorkflowType=\"" + ManualResolutionWorkflow.TYPE + "\" AND ExecutionStatus=\"Running\"";

  private static final Logger log = LoggerFactory.getLogger(ConflictClient.class);

  private final WorkflowClient client;
  private final int maxListed;

  /**
   * @param maxListed the most conflicts {@link #listOpen} returns (newest first), e.g. 1000
   */
  public ConflictClient(WorkflowClient client, int maxListed) {
    this.client = Objects.requireNonNull(client, "client");
    if (maxListed < 1) {
      throw new IllegalArgumentException("maxListed must be at least 1, was " + maxListed);
    }
    this.maxListed = maxListed;
  }

  public ConflictClient(WorkflowClient client) {
    this(client, 1000);
  }

  /** The open conflicts, of one tenant when {@code tenantId} is given. */
  public List<OpenConflict> listOpen(String tenantId) {
    return listOpen(tenantId, null);
  }

  /**
   * The open conflicts, of one tenant when {@code tenantId} is given, only OPEN or only OVERDUE ones when
   * {@code status} is given.
   *
   * @throws IllegalArgumentException for a status other than OPEN or OVERDUE
   */
  public List<OpenConflict> listOpen(String tenantId, ConflictStatus status) {
    return client.listExecutions(query(tenantId, status))
        .limit(maxListed)
        .map(ConflictClient::openConflict)
        .toList();
  }

  /** The visibility query of the open conflicts (of one tenant, in one status, when given). */
  static String query(String tenantId, ConflictStatus status) {
    StringBuilder query = new StringBuilder(OPEN_CONFLICTS);
    if (tenantId != null && !tenantId.isBlank()) {
      query.append(" AND ").append(SyncSearchAttributes.TENANT_ID.getName()).append("=\"")
          .append(tenantId.strip().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    if (status != null) {
      if (status != ConflictStatus.OPEN && status != ConflictStatus.OVERDUE) {
        throw new IllegalArgumentException("open conflicts are OPEN or OVERDUE, not " + status);
      }
      query.append(" AND ").append(SyncSearchAttributes.CONFLICT_STATUS.getName()).append("=\"")
          .append(status.name()).append('"');
    }
    return query.toString();
  }

  /** The conflict of that entity: the open one, else the last resolved one; empty when there never was one. */
  public Optional<ConflictState> show(String entityType, String entityId) {
    try {
      return Optional.ofNullable(workflow(entityType, entityId).conflict());
    } catch (WorkflowNotFoundException notFound) {
      return Optional.empty();
    }
  }

  /**
   * Sends the approval, after checking it is well-formed, that the entity has an open conflict, and that it names
   * the current revision (if it names one).
   *
   * @return the conflict right after the signal (the decision is applied asynchronously: query {@link #show} or
   *     watch the workflow for the outcome)
   * @throws ApprovalRejectedException MALFORMED, NO_OPEN_CONFLICT or STALE; nothing was signalled
   */
  public ConflictState approve(String entityType, String entityId, Approval approval) {
    String malformed = approval == null ? "no approval" : approval.malformation();
    if (malformed != null) {
      throw new ApprovalRejectedException(ApprovalRejectedException.Reason.MALFORMED, malformed, null);
    }
    String workflowId = ManualResolutionWorkflow.workflowId(entityType, entityId);
    if (!running(workflowId)) {
      throw new ApprovalRejectedException(ApprovalRejectedException.Reason.NO_OPEN_CONFLICT,
          "no open conflict for " + entityType + " " + entityId + " (workflow " + workflowId + ")", null);
    }
    ManualResolutionWorkflow workflow = workflow(entityType, entityId);
    ConflictState state = workflow.conflict();
    if (state == null) {
      // started a moment ago, before its first workflow task: the workflow itself validates the approval
      workflow.approve(approval);
      return workflow.conflict();
    }
    if (approval.revision() != null && approval.revision() != state.revision()) {
      throw new ApprovalRejectedException(ApprovalRejectedException.Reason.STALE, "stale: the approval names revision "
          + approval.revision() + ", but the conflict is at revision " + state.revision()
          + " (it was reported again with different values); review it and approve the current revision", state);
    }
    if (!state.waiting()) {
      String decision = state.decision() == null ? ""
          : " (" + state.decision().resolution() + " by " + state.decision().by() + ")";
      throw new ApprovalRejectedException(ApprovalRejectedException.Reason.STALE, "the conflict is " + state.status()
          + decision + ": it takes no other decision", state);
    }
    workflow.approve(approval);
    log.info("approval of {} sent: {} by {} (revision {})", workflowId, approval.resolution(), approval.by(),
        approval.revision() == null ? "current" : approval.revision());
    return workflow.conflict();
  }

  private boolean running(String workflowId) {
    try {
      WorkflowExecutionDescription description = client.newUntypedWorkflowStub(workflowId).describe();
      return description.getWorkflowExecutionInfo().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException notFound) {
      return false;
    }
  }

  private ManualResolutionWorkflow workflow(String entityType, String entityId) {
    return client.newWorkflowStub(ManualResolutionWorkflow.class,
        ManualResolutionWorkflow.workflowId(entityType, entityId));
  }

  private static OpenConflict openConflict(WorkflowExecutionMetadata execution) {
    SearchAttributes attributes = execution.getTypedSearchAttributes();
    return new OpenConflict(execution.getExecution().getWorkflowId(),
        attributes.get(SyncSearchAttributes.ENTITY_TYPE), attributes.get(SyncSearchAttributes.ENTITY_ID),
        attributes.get(SyncSearchAttributes.TENANT_ID), attributes.get(SyncSearchAttributes.CONFLICT_STATUS),
        execution.getStartTime());
  }
}
