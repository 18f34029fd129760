package io.graphsync.workflows.resolve;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One long-lived workflow per conflicting entity (id {@link #workflowId}), started or updated with
 * signal-with-start ({@link #report}) so a second finding for the same entity updates the open conflict. It waits
 * for {@link #approve}, applies the decision through activities, and writes an audit record.
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

  @WorkflowMethod(name = TYPE)
  ResolutionOutcome resolve(Conflict conflict);

  /** A (newer) finding for the same entity: replaces the conflict's sides and bumps its revision if it changed. */
  @SignalMethod(name = REPORT_SIGNAL)
  void report(Conflict conflict);

  /** A person's decision; a malformed or stale one is rejected visibly (query, current details, log). */
  @SignalMethod(name = APPROVE_SIGNAL)
  void approve(Approval approval);

  @QueryMethod(name = CONFLICT_QUERY)
  ConflictState conflict();
}
