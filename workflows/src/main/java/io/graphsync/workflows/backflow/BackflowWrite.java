package io.graphsync.workflows.backflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.graphsync.workflows.resolve.Conflict;

/**
 * The result of {@link BackflowActivities#writeToPostgres}.
 *
 * @param outcome what was done
 * @param pgVersion the row's {@code pg_version} after the write (or as found), null when there is no row
 * @param conflict both sides, when the outcome is {@link BackflowOutcome#MANUAL}; else null
 * @param detail one line for the workflow's details and logs
 */
public record BackflowWrite(
    @JsonProperty("outcome") BackflowOutcome outcome,
    @JsonProperty("pgVersion") Long pgVersion,
    @JsonProperty("conflict") Conflict conflict,
    @JsonProperty("detail") String detail) {

  /** Whether the row now holds the element's values, so the element is stamped with the row's version. */
  public boolean rowHoldsElement() {
    return outcome == BackflowOutcome.WRITTEN || outcome == BackflowOutcome.UNCHANGED
        || outcome == BackflowOutcome.NEO4J_WINS;
  }
}
