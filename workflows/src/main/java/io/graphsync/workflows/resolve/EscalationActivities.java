package io.graphsync.workflows.resolve;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Hands a conflict to a person: used by reconciliation for what it must not repair by itself. */
@ActivityInterface
public interface EscalationActivities {

  /**
   * Signal-with-start of the entity's {@link ManualResolutionWorkflow}: starts it with this conflict, or reports
   * the conflict to the open one. Idempotent.
   */
  @ActivityMethod
  void escalate(Conflict conflict);
}
