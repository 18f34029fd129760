package io.graphsync.starters.resolve;

import io.graphsync.workflows.FailureType;
import io.graphsync.workflows.observability.SyncSearchAttributes;
import io.graphsync.workflows.resolve.Conflict;
import io.graphsync.workflows.resolve.ConflictState;
import io.graphsync.workflows.resolve.ConflictStatus;
import io.graphsync.workflows.resolve.EscalationActivities;
import io.graphsync.workflows.resolve.ManualResolutionWorkflow;
import io.graphsync.workflows.resolve.Resolution;
import io.graphsync.workflows.resolve.ResolutionPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a conflict to a person: signal-with-start of the entity's {@link ManualResolutionWorkflow} (id
 * {@code resolve/<EntityType>/<EntityId>}), with the conflict as the start input and as the {@code report} signal.
 * The first finding starts the workflow (search attributes {@code EntityType}, {@code EntityId}, {@code TenantId},
 * {@code ConflictStatus=OPEN}, and a summary for the Web UI's list); a later finding for the same entity only reports
 * to the open workflow, which bumps its revision if the sides changed. Idempotent: a retried escalation reports the
 * same conflict again, which changes nothing. After a conflict was resolved, the entity's next conflict starts a new
 * run under the same id — except the same finding after a DISMISS: a person accepted that difference, so it is not
 * reopened (a different finding is).
 */
public class EscalationActivitiesImpl implements EscalationActivities {

  private static final Logger log = LoggerFactory.getLogger(EscalationActivitiesImpl.class);
  private static final int SHORT_ID_LENGTH = 8;

  private final WorkflowClient client;
  private final String taskQueue;
  private final ResolutionPolicy policy;

  /**
   * @param taskQueue where the {@code ManualResolutionWorkflow}s run (worker-app: a worker with
   *     {@code ManualResolutionWorkflowImpl}, {@code ResolutionActivitiesImpl} and {@code GraphWriteActivitiesImpl})
   * @param policy what a new conflict's workflow follows (its input)
   */
  public EscalationActivitiesImpl(WorkflowClient client, String taskQueue, ResolutionPolicy policy) {
    this.client = Objects.requireNonNull(client, "client");
    this.taskQueue = Objects.requireNonNull(taskQueue, "taskQueue");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public void escalate(Conflict conflict) {
    if (conflict == null || blank(conflict.entityType()) || blank(conflict.entityId()) || blank(conflict.table())) {
      throw ApplicationFailure.newNonRetryableFailure("a conflict needs its table, entityType and entityId: "
          + conflict, FailureType.INVALID_DATA.type());
    }
    Optional<ConflictState> dismissed = dismissedAlready(conflict);
    if (dismissed.isPresent()) {
      log.info("conflict of {} {} not reopened: the same finding was dismissed by {} ({})", conflict.entityType(),
          conflict.entityId(), dismissed.get().decision().by(), dismissed.get().decision().comment());
      return;
    }
    ManualResolutionWorkflow workflow = client.newWorkflowStub(ManualResolutionWorkflow.class, options(conflict));
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::resolve, conflict, null, policy);
    request.add(workflow::report, conflict);
    client.signalWithStart(request);
    log.info("conflict of {} {} ({}) escalated to {}", conflict.entityType(), conflict.entityId(), conflict.kind(),
        conflict.workflowId());
  }

  /**
   * The entity's last conflict when it was closed with DISMISS for this same finding: a person accepted exactly this
   * difference, and reconciliation finding it again must not reopen it. Empty when there is no closed conflict, it
   * was decided otherwise, the finding differs, or the closed workflow cannot be queried now (then the conflict is
   * escalated: better asked twice than lost).
   */
  private Optional<ConflictState> dismissedAlready(Conflict conflict) {
    try {
      WorkflowExecutionStatus status = client.newUntypedWorkflowStub(conflict.workflowId()).describe()
          .getWorkflowExecutionInfo().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
        return Optional.empty();
      }
      ConflictState last = client.newWorkflowStub(ManualResolutionWorkflow.class, conflict.workflowId()).conflict();
      boolean dismissed = last != null && last.decision() != null
          && last.decision().resolution() == Resolution.DISMISS && last.conflict().sameFindingAs(conflict);
      return dismissed ? Optional.of(last) : Optional.empty();
    } catch (WorkflowNotFoundException never) {
      return Optional.empty();
    } catch (WorkflowQueryException | WorkflowServiceException unavailable) {
      log.warn("cannot tell whether {} was dismissed before ({}): escalating it", conflict.workflowId(),
          unavailable.getMessage());
      return Optional.empty();
    }
  }

  WorkflowOptions options(Conflict conflict) {
    SearchAttributes.Builder attributes = SearchAttributes.newBuilder()
        .set(SyncSearchAttributes.ENTITY_TYPE, conflict.entityType())
        .set(SyncSearchAttributes.ENTITY_ID, conflict.entityId())
        .set(SyncSearchAttributes.CONFLICT_STATUS, ConflictStatus.OPEN.name());
    if (conflict.tenantId() != null) {
      attributes.set(SyncSearchAttributes.TENANT_ID, conflict.tenantId());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(conflict.workflowId())
        .setTaskQueue(taskQueue)
        // one open conflict per entity; once resolved, the next conflict of the entity is a new run
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .setTypedSearchAttributes(attributes.build())
        .setStaticSummary(summary(conflict))
        .build();
  }

  /** E.g. {@code Conflict Concept 3f2a9c1e… (tenant 7d01aa2b…): name, description differ}. */
  static String summary(Conflict conflict) {
    StringBuilder summary = new StringBuilder("Conflict ")
        .append(conflict.entityType()).append(' ').append(shorten(conflict.entityId()));
    if (conflict.tenantId() != null) {
      summary.append(" (tenant ").append(shorten(conflict.tenantId())).append(')');
    }
    if (conflict.differences() != null && !conflict.differences().isEmpty()) {
      summary.append(": ");
      int shown = Math.min(3, conflict.differences().size());
      for (int i = 0; i < shown; i++) {
        summary.append(i == 0 ? "" : ", ").append(conflict.differences().get(i).property());
      }
      if (conflict.differences().size() > shown) {
        summary.append(" and ").append(conflict.differences().size() - shown).append(" more");
      }
      summary.append(" differ");
    } else if (conflict.kind() != null) {
      summary.append(": ").append(conflict.kind());
    }
    return summary.toString();
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  private static String shorten(String id) {
    return id.length() <= SHORT_ID_LENGTH + 4 ? id : id.substring(0, SHORT_ID_LENGTH) + "…";
  }
}
