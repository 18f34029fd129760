package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@link GraphWriteActivities#applyToGraph} did.
 *
 * @param applied false when the graph already held this change or a newer one (stale or duplicate event)
 * @param nodeId the Neo4j element id of the node written (null for deletes and relationship events)
 * @param attempt the activity attempt that succeeded (1 = first try), for {@code sync_attempts}
 */
public record GraphApplyResult(
    @JsonProperty("applied") boolean applied,
    @JsonProperty("nodeId") String nodeId,
    @JsonProperty("attempt") int attempt) {}
