package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ManualResolutionWorkflow#conflict()} returns, and what a run hands to the next one when it continues as
 * new.
 *
 * @param conflict the current conflict (both sides, the differences), from the latest report
 * @param revision 1 for the first finding, bumped by every {@code report} that changed the sides or differences
 * @param status OPEN, OVERDUE (the reminder timer fired), APPLYING, RESOLVED
 * @param openedAt when the first finding arrived
 * @param overdueAt when the conflict becomes (or became) OVERDUE without a decision
 * @param rejectedApprovals approvals that were rejected, with the reason, newest last
 * @param decision the accepted approval, or null
 * @param outcome what was done, once RESOLVED; else null
 */
public record ConflictState(
    @JsonProperty("conflict") Conflict conflict,
    @JsonProperty("revision") int revision,
    @JsonProperty("status") ConflictStatus status,
    @JsonProperty("openedAt") Instant openedAt,
    @JsonProperty("overdueAt") Instant overdueAt,
    @JsonProperty("rejectedApprovals") List<RejectedApproval> rejectedApprovals,
    @JsonProperty("decision") Approval decision,
    @JsonProperty("outcome") ResolutionOutcome outcome) {

  /** How many rejected approvals the state keeps (the oldest are dropped; each is in the history anyway). */
  public static final int MAX_REJECTED = 20;

  public ConflictState {
    rejectedApprovals = rejectedApprovals == null ? List.of() : List.copyOf(rejectedApprovals);
  }

  static ConflictState opened(Conflict conflict, Instant now, Instant overdueAt) {
    return new ConflictState(conflict, 1, ConflictStatus.OPEN, now, overdueAt, List.of(), null, null);
  }

  /** The same state with another reminder time. */
  ConflictState remindAt(Instant newOverdueAt) {
    return new ConflictState(conflict, revision, status, openedAt, newOverdueAt, rejectedApprovals, decision,
        outcome);
  }

  /** Waiting for a decision (OPEN or OVERDUE). */
  public boolean waiting() {
    return status == ConflictStatus.OPEN || status == ConflictStatus.OVERDUE;
  }

  ConflictState reported(Conflict newer, boolean changed) {
    return new ConflictState(newer, changed ? revision + 1 : revision, status, openedAt, overdueAt,
        rejectedApprovals, decision, outcome);
  }

  ConflictState withStatus(ConflictStatus newStatus) {
    return new ConflictState(conflict, revision, newStatus, openedAt, overdueAt, rejectedApprovals, decision,
        outcome);
  }

  ConflictState rejected(RejectedApproval rejection) {
    List<RejectedApproval> rejections = new ArrayList<>(rejectedApprovals);
    rejections.add(rejection);
    while (rejections.size() > MAX_REJECTED) {
      rejections.remove(0);
    }
    return new ConflictState(conflict, revision, status, openedAt, overdueAt, rejections, decision, outcome);
  }

  ConflictState applying(Approval approval) {
    return new ConflictState(conflict, revision, ConflictStatus.APPLYING, openedAt, overdueAt, rejectedApprovals,
        approval, outcome);
  }

  /** Back to waiting after a decision could not be applied. */
  ConflictState waitingAgain(ConflictStatus waitingStatus) {
    return new ConflictState(conflict, revision, waitingStatus, openedAt, overdueAt, rejectedApprovals, null,
        outcome);
  }

  ConflictState resolved(ResolutionOutcome result) {
    return new ConflictState(conflict, revision, ConflictStatus.RESOLVED, openedAt, overdueAt, rejectedApprovals,
        decision, result);
  }
}
