package io.graphsync.workflows.resolve;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@link ResolutionActivities#keepNeo4jValues} did.
 *
 * @param applied the row was changed (false when it already held the node's values, or when rejected); the decision
 *     is recorded in the same transaction as the update
 * @param rejection why nothing was done (the row's {@code pg_version} moved since the conflict was found, the row or
 *     the node is gone), or null when the decision was carried out; the workflow then rejects the approval visibly and
 *     keeps waiting
 * @param pgVersion the row's {@code pg_version} after the update, or null
 * @param detail what was done, for the outcome and the audit record
 */
public record RowUpdateResult(
    @JsonProperty("applied") boolean applied,
    @JsonProperty("rejection") String rejection,
    @JsonProperty("pgVersion") Long pgVersion,
    @JsonProperty("detail") String detail) {

  public static RowUpdateResult rejected(String reason) {
    return new RowUpdateResult(false, reason, null, null);
  }
}
