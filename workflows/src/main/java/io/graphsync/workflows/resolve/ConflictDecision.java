package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One accepted decision about a conflict, as the audit record holds it (table {@code graphsync.conflict_audit}).
 *
 * @param workflowId the {@link ManualResolutionWorkflow}'s id, {@code resolve/<EntityType>/<EntityId>}
 * @param runId the first run id of the workflow (stable across continue-as-new): with the workflow id it identifies
 *     the decision, so a retried activity writes its record once
 * @param conflict the conflict as decided (both sides)
 * @param revision the conflict's revision the decision applies to
 * @param approval who decided what, and why
 * @param applied whether a store was changed
 * @param detail what was done
 * @param decidedAt when the workflow accepted the approval (workflow time)
 */
public record ConflictDecision(
    @JsonProperty("workflowId") String workflowId,
    @JsonProperty("runId") String runId,
    @JsonProperty("conflict") Conflict conflict,
    @JsonProperty("revision") int revision,
    @JsonProperty("approval") Approval approval,
    @JsonProperty("applied") boolean applied,
    @JsonProperty("detail") String detail,
    @JsonProperty("decidedAt") Instant decidedAt) {

  /** The same decision with what applying it did. */
  public ConflictDecision withResult(boolean wasApplied, String whatWasDone) {
    return new ConflictDecision(workflowId, runId, conflict, revision, approval, wasApplied, whatWasDone, decidedAt);
  }
}
