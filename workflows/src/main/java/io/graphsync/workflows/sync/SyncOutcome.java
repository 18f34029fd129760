package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result of one {@link SyncChangeEventWorkflow}.
 *
 * @param status SUCCESS, or SKIPPED (an operator's {@code skip}, or a newer change superseded a failed one); a
 *     failed sync whose operator decision timed out fails the workflow instead of returning
 * @param applied false when the graph already held this change or a newer one
 * @param statusRecorded whether the source row was marked (false: no bookkeeping columns, the row is gone, or a
 *     newer version of it is pending)
 * @param nodeId the Neo4j element id written, if any
 * @param detail why it was SKIPPED, or why a SUCCESS did not write the graph (its node is held for an open manual
 *     conflict of the back-flow), or null (absent in older results)
 */
public record SyncOutcome(
    @JsonProperty("status") SyncStatus status,
    @JsonProperty("applied") boolean applied,
    @JsonProperty("statusRecorded") boolean statusRecorded,
    @JsonProperty("nodeId") String nodeId,
    @JsonProperty("detail") String detail) {}
