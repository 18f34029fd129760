package io.graphsync.workflows.resolve;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One long-lived workflow per conflicting entity (id {@link #workflowId}), started or updated with
 * signal-with-start ({@link #report}) so a second finding for the same entity updates the open conflict. It waits
 * for {@link #approve}, applies the decision through activities, and writes an audit record.
 *
 * <p>After {@link ResolutionPolicy#remindAfter()} without a decision the search attribute {@code ConflictStatus}
 * becomes OVERDUE (it is OPEN from the start, RESOLVED at the end). The workflow continues as new when its history
 * grows, carrying its {@link ConflictState}.
 */
@WorkflowInterface
public interface ManualResolutionWorkflow {

  String TYPE = "ManualResolutionWorkflow";
  String REPORT_SIGNAL = "report";
  String APPROVE_SIGNAL = "approve";
  String CONFLICT_QUERY = "conflict";

  /** {@code resolve/<EntityType>/<EntityId>}: one open conflict per entity. */
  static String workflowId(String entityType, String entityId) {
    return "resolve/" + entityType + "/" + entityId;
  }

  /**
   * @param conflict the first finding
   * @param continued the state of the previous run when the workflow continued as new; null on the first start
   * @param policy when the conflict becomes OVERDUE and how long a run may grow (the worker's, given by the escalation;
   *     a run hands it to the next); null only in runs started before it was part of the input
   * @return what was decided and done
   */
  @WorkflowMethod(name = TYPE)
  ResolutionOutcome resolve(Conflict conflict, ConflictState continued, ResolutionPolicy policy);

  /** A (newer) finding for the same entity: replaces the conflict's sides and bumps its revision if it changed. */
  @SignalMethod(name = REPORT_SIGNAL)
  void report(Conflict conflict);

  /**
   * A person's decision; a malformed or stale one is rejected visibly (query {@code rejectedApprovals}, current
   * details, a WARN log) and the workflow keeps waiting. So is one that arrives while another is being applied.
   */
  @SignalMethod(name = APPROVE_SIGNAL)
  void approve(Approval approval);

  @QueryMethod(name = CONFLICT_QUERY)
  ConflictState conflict();
}
