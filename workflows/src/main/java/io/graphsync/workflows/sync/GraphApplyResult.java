package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@link GraphWriteActivities#applyToGraph} did.
 *
 * @param applied false when the graph already held this change or a newer one (stale or duplicate event), or when
 *     the node is held for an open manual conflict (then {@code detail} says so)
 * @param nodeId the Neo4j element id of the node written (null for deletes and relationship events)
 * @param attempt the activity attempt that succeeded (1 = first try), for {@code sync_attempts}
 * @param detail why a change was deliberately not written (a held node), or null (absent in older results)
 */
public record GraphApplyResult(
    @JsonProperty("applied") boolean applied,
    @JsonProperty("nodeId") String nodeId,
    @JsonProperty("attempt") int attempt,
    @JsonProperty("detail") String detail) {

  public GraphApplyResult(boolean applied, String nodeId, int attempt) {
    this(applied, nodeId, attempt, null);
  }
}
