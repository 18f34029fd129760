package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a conflict waits before it is marked OVERDUE, and how long one run of the workflow may grow. Part of the
 * {@link ManualResolutionWorkflow}'s input: the escalation passes the worker's (worker-app:
 * {@code graphsync.resolve.*}), and each run hands it to the next, so a change of configuration affects new conflicts
 * only and never the determinism of running ones.
 *
 * @param remindAfter after this long without a decision the conflict becomes OVERDUE (search attribute
 *     {@code ConflictStatus="OVERDUE"}, current details, a WARN log): the Web UI's list of forgotten conflicts
 * @param signalsPerRun after this many signals in one run the workflow continues as new (with its state) even if
 *     Temporal does not suggest it yet, so a conflict that reconciliation re-reports for months keeps a short history
 */
public record ResolutionPolicy(
    @JsonProperty("remindAfter") Duration remindAfter, @JsonProperty("signalsPerRun") int signalsPerRun) {

  /** OVERDUE after 24 hours; a new run every 500 signals (or when Temporal suggests it). */
  public static final ResolutionPolicy DEFAULT = new ResolutionPolicy(Duration.ofHours(24), 500);

  public ResolutionPolicy {
    Objects.requireNonNull(remindAfter, "remindAfter");
    if (remindAfter.isNegative() || remindAfter.isZero()) {
      throw new IllegalArgumentException("remindAfter must be positive, was " + remindAfter);
    }
    if (signalsPerRun < 1) {
      throw new IllegalArgumentException("signalsPerRun must be at least 1, was " + signalsPerRun);
    }
  }
}
