package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result of one {@link SyncChangeEventWorkflow}.
 *
 * @param status SUCCESS (a failed sync fails the workflow instead of returning)
 * @param applied false when the graph already held this change or a newer one
 * @param statusRecorded whether the source row was marked (false: no bookkeeping columns, the row is gone, or a
 *     newer version of it is pending)
 * @param nodeId the Neo4j element id written, if any
 */
public record SyncOutcome(
    @JsonProperty("status") SyncStatus status,
    @JsonProperty("applied") boolean applied,
    @JsonProperty("statusRecorded") boolean statusRecorded,
    @JsonProperty("nodeId") String nodeId) {}
